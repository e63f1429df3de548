"""Member privileges in the seeded demo, as the issue's "Done when" describes them:
a guest cannot find the 金卡-only coffee anywhere, member2 (金卡) finds it in the
member-only section and buys it on a member day with the member-day discount,
and the beat jobs put member2's birthday gift in their wallet."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from loyalty.models import ListingRule, Membership
from loyalty.services.points import points_reconcile
from shop.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HIDDEN_TITLE = "罕貝拉"


def _log_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/account/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("demo1234")
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/account/login/"))


def test_hidden_listing_member_day_and_birthday_gift(
    demo_shop, live_server, page, screenshot, settings
):
    rule = ListingRule.objects.select_related("product").get(
        name__contains=HIDDEN_TITLE
    )
    product_url = live_server.url + rule.product.get_absolute_url()

    # A guest: not in the listing, not in search, and no product page.
    link = f"main a[href='{rule.product.get_absolute_url()}']"
    page.goto(live_server.url + "/products/?sort=newest")
    expect(page.locator("main .product-card").first).to_be_visible()
    expect(page.locator(link)).to_have_count(0)
    page.goto(live_server.url + "/search/?q=" + HIDDEN_TITLE)
    expect(page.locator("main")).to_contain_text("0")
    expect(page.locator(link)).to_have_count(0)
    response = page.goto(product_url)
    assert response.status == 404
    screenshot("privileges-1-guest-404")

    # member2 (金卡) on a member day: the banner, the member-only section.
    settings.LOYALTY_MEMBER_DAY_FORCE = True
    _log_in(page, live_server, "member2@example.com")
    page.goto(live_server.url + "/")
    expect(page.locator(".member-day-banner")).to_be_visible()
    screenshot("privileges-2-member-day-banner", full_page=False)
    page.goto(live_server.url + "/members-only/")
    expect(page.locator(link).first).to_be_visible()
    screenshot("privileges-3-members-only")

    # Buy it: the member-day discount is on the review page and the order.
    page.goto(product_url)
    variant = rule.product.variants.filter(is_active=True).order_by("pk").first()
    for field in ("option1", "option2"):
        value = getattr(variant, field)
        if value:
            page.locator(
                f"form.add-to-cart input[name={field}][value='{value}']"
            ).check()
    page.locator("form.add-to-cart button[value=add]").click()
    expect(page.locator(".messages[role=status]")).to_be_visible()
    page.goto(live_server.url + "/checkout/")
    page.locator("input[name=shipping_method][value='cvs-711']").check()
    page.locator("input[name=payment_method][value=atm]").check()
    page.locator("input[name=phone]").fill("0912-345-678")
    page.locator("input[name=name]").fill("陳金卡")
    page.locator("form.checkout-form button[type=submit]").click()
    page.locator("input[name=store_code]").fill("131386")
    page.locator("input[name=store_name]").fill("復興門市")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    screenshot("privileges-4-review-member-day")
    page.locator("button.button-block[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/checkout/done/\w+/$"))
    number = re.search(r"/checkout/done/(\w+)/$", page.url).group(1)
    order = Order.objects.get(number=number)
    member_day = order.adjustments.get(code="member_day")
    assert member_day.amount < 0
    assert order.lines.get().product_id == rule.product_id

    # The night's jobs give member2's birthday gift: NT$300 of shopping credit.
    before = Membership.objects.get(user__email="member2@example.com").credit_balance
    call_command("loyalty_nightly", verbosity=0, stdout=StringIO())
    after = Membership.objects.get(user__email="member2@example.com").credit_balance
    assert after - before == Decimal("300")
    page.goto(live_server.url + "/account/credit/")
    expect(page.locator("main")).to_contain_text("NT$300")
    screenshot("privileges-5-birthday-credit")
    assert points_reconcile() == []
