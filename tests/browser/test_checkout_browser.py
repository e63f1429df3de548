"""A member buys two products with cash on delivery and 7-ELEVEN pickup, then finds
the order in the member area."""

import re

import pytest
from playwright.sync_api import expect

from shop.catalog.models import Variant
from shop.checkout.models import ShippingMethod
from shop.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _two_products_in_stock():
    variants = (
        Variant.objects.filter(stock__gte=5, is_active=True, product__status="active")
        .select_related("product")
        .order_by("product_id", "position", "id")
    )
    picked = {}
    for variant in variants:
        picked.setdefault(variant.product_id, variant)
        if len(picked) == 2:
            return list(picked.values())
    raise AssertionError("the demo shop has fewer than two products in stock")


def test_member_buys_with_cash_on_delivery_and_store_pickup(
    demo_shop, live_server, page, screenshot
):
    first, second = _two_products_in_stock()
    pickup = ShippingMethod.objects.get(code="cvs-711")

    page.goto(live_server.url + "/account/login/")
    page.locator("input[name=login]").fill("member1@example.com")
    page.locator("input[name=password]").fill("demo1234")
    page.locator("input[name=password]").press("Enter")
    expect(page).to_have_url(re.compile(r"/account/$"))

    for variant in (first, second):
        page.goto(live_server.url + variant.product.get_absolute_url())
        page.locator("form.add-to-cart button[value=add]").click()
        expect(page.locator(".messages")).to_be_visible()

    page.goto(live_server.url + "/cart/")
    expect(page.locator(".cart-line, .cart-lines tr, [data-cart-line]")).to_have_count(
        2
    )
    screenshot("checkout-cart")

    page.get_by_role("link", name=re.compile("結帳|Check out")).click()
    page.locator(f"input[name=shipping_method][value='{pickup.code}']").check()
    page.locator("input[name=payment_method][value=cod]").check()
    page.locator("input[name=phone]").fill("0912-345-678")
    page.locator("input[name=name]").fill("王小明")
    page.locator("form.checkout-form button[type=submit]").click()

    page.locator("input[name=store_code]").fill("131386")
    page.locator("input[name=store_name]").fill("復興門市")
    page.locator("main form button[type=submit]").first.click()

    expect(page).to_have_url(re.compile(r"/checkout/review/$"))
    screenshot("checkout-review")
    page.locator("button.button-block[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/checkout/done/\w+/$"))
    # member1 has past orders in the demo: take the one this page confirms.
    number = re.search(r"/checkout/done/(\w+)/$", page.url).group(1)
    order = Order.objects.get(number=number, email="member1@example.com")
    expect(page.locator("main")).to_contain_text(order.number)
    assert order.payment_method == "cod"
    assert order.shipping_method_code == "cvs-711"
    assert order.pickup_store_code == "131386"
    assert sorted(order.lines.values_list("variant_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    screenshot("checkout-done")

    page.goto(live_server.url + "/account/orders/")
    expect(page.locator("main")).to_contain_text(order.number)
    page.get_by_role("link", name=re.compile(order.number)).first.click()
    expect(page).to_have_url(re.compile(rf"/account/orders/{order.number}/$"))
    screenshot("checkout-order-in-account")
