"""Member prices through checkout: the quote, the tier's free shipping, the order."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from loyalty.prices import tier_price_set
from loyalty.pricing_adjusters import MemberShippingFeeAdjuster
from loyalty.shopper import LoyaltyShopper
from loyalty.tests.checkout_support import DETAILS, review_place
from loyalty.tests.prices_fixtures import (
    LIST_PRICE,
    home_delivery,
    member_in,
    store_pickup,
)
from shop.catalog.tests.factories import VariantFactory
from shop.checkout.pricing import QuoteContext, quote_build
from shop.core.shopper import PublicShopper
from shop.orders.models import Order

pytestmark = pytest.mark.django_db


def shipping(quote):
    [adjustment] = [a for a in quote.adjustments if a.code == "shipping"]
    return adjustment.label, adjustment.amount.amount, adjustment.data


def test_the_tier_adjuster_replaces_the_shops_shipping_entry(settings):
    adjusters = settings.CHECKOUT_ADJUSTERS
    shipping_at = adjusters.index("loyalty.pricing_adjusters.MemberShippingFeeAdjuster")
    # After the discounts (its free-shipping threshold counts merchandise after
    # them), before the tenders (they pay what is left, shipping included).
    assert adjusters[shipping_at - 1] == "loyalty.coupons.adjusters.CouponAdjuster"
    assert adjusters[shipping_at + 1] == "loyalty.adjusters.PointsRedemptionAdjuster"
    assert "shop.checkout.adjusters.ShippingFeeAdjuster" not in (
        settings.CHECKOUT_ADJUSTERS
    )


def test_silver_ships_free_from_its_lower_threshold():
    home = home_delivery()
    beans = VariantFactory(price=LIST_PRICE)
    items = [(beans, 1)]

    guest = quote_build(
        shopper=LoyaltyShopper(AnonymousUser()),
        items=items,
        shipping_method=home,
    )
    silver = quote_build(
        shopper=LoyaltyShopper(member_in("silver")),
        items=items,
        shipping_method=home,
    )

    assert (guest.subtotal.amount, guest.total.amount) == (1280, 1380)
    assert shipping(guest) == ("Shipping (宅配到府)", 100, {"method": "home"})
    assert guest.notes == ["Spend NT$220 more for free shipping with 宅配到府."]
    # 銀卡 ships free from NT$799: NT$1,242 is enough.
    assert (silver.subtotal.amount, silver.total.amount) == (1242, 1242)
    assert shipping(silver) == (
        "Free shipping for Silver members (宅配到府)",
        0,
        {"method": "home", "waived_fee": "100", "tier": "silver"},
    )
    assert silver.notes == []


def test_below_the_tier_threshold_the_note_counts_to_it():
    home = home_delivery()
    drip = VariantFactory(price=Decimal("500"))
    quote = quote_build(
        shopper=LoyaltyShopper(member_in("silver")),
        items=[(drip, 1)],
        shipping_method=home,
    )
    # 500 × 0.97 = 485; 799 − 485 = 314.
    assert (quote.subtotal.amount, shipping(quote)[1]) == (485, 100)
    assert quote.notes == ["Spend NT$314 more for free shipping with 宅配到府."]


def test_gold_always_ships_free_and_over_the_methods_threshold_everyone_does():
    home, pickup_method = home_delivery(), store_pickup()
    drip = VariantFactory(price=Decimal("100"))
    gold = LoyaltyShopper(member_in("gold"))

    quote = quote_build(shopper=gold, items=[(drip, 1)], shipping_method=home)
    assert shipping(quote)[:2] == ("Free shipping for Gold members (宅配到府)", 0)

    # Over the method's own NT$1,500 the plain reason is given.
    big = quote_build(shopper=gold, items=[(drip, 20)], shipping_method=home)
    assert shipping(big)[:2] == ("Free shipping (宅配到府)", 0)

    # A method that costs nothing needs no member reason.
    pickup = quote_build(shopper=gold, items=[(drip, 1)], shipping_method=pickup_method)
    assert shipping(pickup)[:2] == ("Shipping (門市自取)", 0)


def test_shoppers_without_tiers_get_the_methods_threshold():
    home = home_delivery()
    drip = VariantFactory(price=Decimal("800"))
    context_quote = quote_build(
        shopper=PublicShopper(), items=[(drip, 1)], shipping_method=home
    )
    assert shipping(context_quote)[:2] == ("Shipping (宅配到府)", 100)
    context = QuoteContext(shopper=PublicShopper(), shipping_method=home)
    rules = MemberShippingFeeAdjuster().free_shipping_rules(home, context)
    assert [rule.threshold for rule in rules] == [Decimal("1500")]


def test_the_order_placed_through_checkout_keeps_the_member_price(client):
    store_pickup()
    beans = VariantFactory(price=LIST_PRICE, stock=5, sku="BEANS")
    drip = VariantFactory(price=Decimal("500"), stock=5, sku="DRIP")
    tier_price_set(variant=drip, tier_code="gold", price=Decimal("420"))
    member = member_in("gold", name="林小美", phone="+886912345678")
    client.force_login(member)
    for variant in (beans, drip):
        client.post("/cart/add/", {"variant": variant.pk})
    client.post("/cart/update/", {"variant": drip.pk, "quantity": 2})
    response = client.post("/checkout/", {**DETAILS, "payment_method": "cod"})
    assert response.url == "/checkout/review/"
    assert review_place(client).status_code == 302

    order = Order.objects.get(user=member)
    lines = sorted(
        order.lines.values_list(
            "sku",
            "list_unit_price",
            "unit_price",
            "quantity",
            "price_label",
            "subtotal",
        )
    )
    # 1,280 × 0.95 = 1,216 for the beans; the drip bag's explicit 金卡 price.
    assert lines == [
        ("BEANS", Decimal("1280"), Decimal("1216"), 1, "Gold price", Decimal("1216")),
        ("DRIP", Decimal("500"), Decimal("420"), 2, "Gold price", Decimal("840")),
    ]
    assert order.total == Decimal("2056")
