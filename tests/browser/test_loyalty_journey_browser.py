"""The loyalty programme's whole journey in the seeded demo, as the issue's
"Done when" describes it: member1 buys and reaches 銀卡, watches the progress
bar move, pays part of the next order with points, and sees pending points
become available once the cooling-off period has passed."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from loyalty.models import Membership, PointsEntry, PointsEntryKind
from loyalty.services.points import points_reconcile
from shop.catalog.models import Variant
from shop.orders.models import Order
from shop.orders.services import order_mark_delivered, order_mark_paid, order_ship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _variant(*, at_least: Decimal, exclude=()) -> Variant:
    return (
        Variant.objects.filter(
            price__gte=at_least, stock__gte=3, is_active=True, product__status="active"
        )
        .exclude(pk__in=[v.pk for v in exclude])
        .select_related("product")
        .order_by("price", "id")
        .first()
    )


def _buy(page, live_server, variant, *, points: int | None = None) -> Order:
    """Add `variant` to the cart and check out with 7-ELEVEN pickup and ATM."""
    page.goto(live_server.url + variant.product.get_absolute_url())
    for field in ("option1", "option2"):
        value = getattr(variant, field)
        if value:
            page.locator(
                f"form.add-to-cart input[name={field}][value='{value}']"
            ).check()
    page.locator("form.add-to-cart button[value=add]").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(live_server.url + "/checkout/")
    page.locator("input[name=shipping_method][value='cvs-711']").check()
    page.locator("input[name=payment_method][value=atm]").check()
    page.locator("input[name=phone]").fill("0912-345-678")
    page.locator("input[name=name]").fill("王小明")
    page.locator("form.checkout-form button[type=submit]").click()
    page.locator("input[name=store_code]").fill("131386")
    page.locator("input[name=store_name]").fill("復興門市")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    if points is not None:
        page.locator("#offer-points-value").fill(str(points))
        page.locator(".checkout-offer-points form.offer-form button").click()
        expect(page.locator(".checkout-offer-points")).to_contain_text(str(points))
    page.locator("button.button-block[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/checkout/done/\w+/$"))
    number = re.search(r"/checkout/done/(\w+)/$", page.url).group(1)
    return Order.objects.get(number=number)


def _balances(page) -> list[str]:
    return page.locator(".loyalty-balance dd").all_inner_texts()


def test_member_reaches_silver_pays_with_points_and_points_release(
    demo_shop, live_server, page, screenshot
):
    member = Membership.objects.select_related("tier").get(
        user__email="member1@example.com"
    )
    assert member.tier.code == "member"
    available_before = member.points_available

    page.goto(live_server.url + "/account/login/")
    page.locator("input[name=login]").fill("member1@example.com")
    page.locator("input[name=password]").fill("demo1234")
    page.locator("input[name=password]").press("Enter")
    page.goto(live_server.url + "/account/membership/")
    expect(page.locator(".loyalty-tier-now")).to_contain_text("一般會員")
    expect(page.locator("progress").first).to_have_attribute("value", "80")
    screenshot("journey-1-member")

    # One order of NT$1,000 or more lifts NT$4,000 of spend past 銀卡's NT$5,000.
    first = _buy(page, live_server, _variant(at_least=Decimal("1000")))
    order_mark_paid(order=first)
    page.goto(live_server.url + "/account/membership/")
    expect(page.locator(".loyalty-tier-now")).to_contain_text("銀卡")
    next_bar = page.locator("progress").first
    expect(next_bar).not_to_have_attribute("value", "80")
    screenshot("journey-2-silver")

    second = _buy(
        page,
        live_server,
        _variant(at_least=Decimal("500"), exclude=[first.lines.get().variant]),
        points=50,
    )
    points_paid = second.adjustments.get(code="points")
    assert points_paid.amount == Decimal("-50")
    assert (
        PointsEntry.objects.get(order=second, kind=PointsEntryKind.REDEEM).points == -50
    )
    screenshot("journey-3-paid-with-points")

    order_mark_paid(order=second)
    for order in (first, second):
        order_ship(order=order, carrier="7-ELEVEN", tracking_number=order.number)
        order_mark_delivered(order=order)
    member.refresh_from_db()
    pending = member.points_pending
    assert pending > 0
    assert member.points_available == available_before - 50

    # Eight days later the cooling-off period is over: pending points release.
    call_command("loyalty_nightly", days="8", verbosity=0)
    member.refresh_from_db()
    assert member.points_pending == 0
    page.goto(live_server.url + "/account/membership/")
    balances = _balances(page)
    assert balances[1] == "0"
    assert int(balances[0].replace(",", "")) == member.points_available
    screenshot("journey-4-points-available")
    assert points_reconcile() == []
