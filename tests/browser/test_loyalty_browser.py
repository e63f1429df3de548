"""A member on a phone: the dashboard card, the membership page, the points history."""

import pytest
from playwright.sync_api import expect

from loyalty.defaults import default_programme_create
from loyalty.selectors.programme import programme_cache_clear
from loyalty.tests.factories import member_create
from loyalty.tests.member_factories import silver_member
from shop.orders.tests.factories import order_with_lines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def silver_shopper(transactional_db):
    # Transactional tests flush the data migration's programme; make it again.
    default_programme_create()
    programme_cache_clear()
    user = member_create(email="mei@example.com", name="陳美麗")
    silver_member(user, order=order_with_lines(user=user, number="261201ABCDE"))
    return user


def _log_in(page, live_server, email):
    page.goto(live_server.url + "/account/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("correct-horse-42")
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(live_server.url + "/account/")


def test_member_sees_tier_progress_and_points(
    silver_shopper, live_server, page, screenshot
):
    _log_in(page, live_server, "mei@example.com")

    card = page.locator(".loyalty-card")
    expect(card.locator(".tier-badge")).to_have_text("銀卡")
    expect(card.get_by_role("progressbar")).to_have_attribute("value", "25")
    screenshot("loyalty-dashboard")

    card.get_by_role("link").last.click()
    expect(page).to_have_url(live_server.url + "/account/membership/")
    bars = page.get_by_role("progressbar")
    expect(bars).to_have_count(2)
    expect(bars.first).to_have_attribute("value", "25")
    expect(bars.last).to_have_attribute("value", "58")
    expect(page.locator(".loyalty-balance dd")).to_have_text(["550", "125", "300"])
    # The benefits table scrolls inside its region on a phone, not the page.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot("loyalty-membership")

    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("loyalty-membership-desktop")

    page.goto(live_server.url + "/account/points/?kind=redeem")
    rows = page.locator(".loyalty-ledger tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".loyalty-delta")).to_have_text("-50")
    screenshot("loyalty-points-filtered")
