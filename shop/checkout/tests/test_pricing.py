"""The quote pipeline: line prices from the shopper context, then the adjusters."""

from decimal import Decimal

import pytest

from shop.catalog.tests.factories import VariantFactory
from shop.checkout.allocation import allocate_proportionally
from shop.checkout.pricing import Adjustment, quote_build
from shop.checkout.tests.shoppers import MemberPriceShopper
from shop.core.money import Money
from shop.core.shopper import PublicShopper
from shop.orders.models import AdjustmentKind


@pytest.fixture
def two_lines(db):
    return [
        (VariantFactory(price=Decimal("480"), compare_at_price=Decimal("600")), 2),
        (VariantFactory(price=Decimal("350")), 1),
    ]


def test_lines_are_priced_by_the_shopper_context(two_lines, member):
    public = quote_build(shopper=PublicShopper(), items=two_lines)
    assert [line.unit_price.amount for line in public.lines] == [
        Decimal(480),
        Decimal(350),
    ]
    assert public.subtotal == Money(Decimal("1310"), "TWD")
    assert public.total == Money(Decimal("1310"), "TWD")
    assert public.adjustments == []

    members = quote_build(shopper=MemberPriceShopper(member), items=two_lines)
    assert [(line.unit_price.amount, line.price.label) for line in members.lines] == [
        (Decimal("432"), "會員價"),
        (Decimal("315"), "會員價"),
    ]
    assert [line.subtotal.amount for line in members.lines] == [
        Decimal(864),
        Decimal(315),
    ]
    assert members.total.amount == Decimal("1179")


def test_prices_in_cents_are_charged_in_whole_dollars_as_shown(shipping_methods):
    # The shop charges TWD in whole dollars: the lines show NT$100 each, so the
    # total shown and charged must be NT$200 + shipping, never 199.00 or 199.50.
    shipping_methods["home"].fee = Decimal("60.50")
    items = [
        (VariantFactory(price=Decimal("99.50")), 1),
        (VariantFactory(price=Decimal("99.50")), 1),
    ]
    quote = quote_build(
        shopper=PublicShopper(), items=items, shipping_method=shipping_methods["home"]
    )
    assert [line.unit_price.amount for line in quote.lines] == [
        Decimal("100"),
        Decimal("100"),
    ]
    assert [line.subtotal.amount for line in quote.lines] == [
        Decimal("100"),
        Decimal("100"),
    ]
    assert quote.subtotal.amount == Decimal("200")
    assert quote.shipping_total.amount == Decimal("61")
    assert quote.total.amount == Decimal("261")


@pytest.mark.parametrize(
    ("code", "spent", "fee", "note"),
    [
        ("home", "1499", "100", "Spend NT$1 more for free shipping with 宅配到府."),
        ("home", "1500", "0", None),
        (
            "cvs-711",
            "989",
            "60",
            "Spend NT$1 more for free shipping with 7-ELEVEN 超商取貨.",
        ),
        ("cvs-family", "990", "0", None),
        ("store", "10", "0", None),
    ],
)
def test_shipping_fee_and_free_shipping_threshold(
    shipping_methods, code, spent, fee, note
):
    method = shipping_methods[code]
    quote = quote_build(
        shopper=PublicShopper(),
        items=[(VariantFactory(price=Decimal(spent)), 1)],
        shipping_method=method,
    )
    (shipping,) = quote.adjustments
    assert shipping.kind == AdjustmentKind.SHIPPING
    assert shipping.amount.amount == Decimal(fee)
    assert shipping.allocations == {}
    if Decimal(fee) or method.fee == 0:
        assert shipping.label == f"Shipping ({method.name})"
    else:
        assert shipping.label == f"Free shipping ({method.name})"
        assert shipping.data == {"method": code, "waived_fee": str(method.fee)}
    assert quote.shipping_total.amount == Decimal(fee)
    assert quote.total.amount == Decimal(spent) + Decimal(fee)
    assert quote.notes == ([note] if note else [])


def test_threshold_counts_merchandise_after_discounts(settings, shipping_methods):
    settings.CHECKOUT_ADJUSTERS = [
        "shop.checkout.tests.test_pricing.HundredOffAdjuster",
        "shop.checkout.adjusters.ShippingFeeAdjuster",
    ]
    items = [
        (VariantFactory(price=Decimal("800")), 1),
        (VariantFactory(price=Decimal("800")), 1),
    ]

    quote = quote_build(
        shopper=PublicShopper(), items=items, shipping_method=shipping_methods["home"]
    )

    discount, shipping = quote.adjustments
    assert discount.allocations == {
        str(items[0][0].pk): Decimal("-50"),
        str(items[1][0].pk): Decimal("-50"),
    }
    # 1600 - 100 = 1500 reaches the home-delivery threshold exactly.
    assert shipping.amount.amount == Decimal("0")
    assert quote.discount_total.amount == Decimal("-100")
    assert quote.total.amount == Decimal("1500")
    assert quote.line_net(str(items[0][0].pk)).amount == Decimal("750")


class HundredOffAdjuster:
    """NT$100 off the order, spread over the lines by value."""

    def adjust(self, quote, context):
        weights = quote.line_weights()
        amount = Decimal("-100")
        return [
            Adjustment(
                code="welcome",
                label="新會員折 100",
                amount=Money(amount, quote.currency),
                kind=AdjustmentKind.DISCOUNT,
                allocations=allocate_proportionally(amount, weights, quote.currency),
            )
        ]


def test_an_empty_quote_has_no_adjustments(shipping_methods):
    quote = quote_build(
        shopper=PublicShopper(), items=[], shipping_method=shipping_methods["home"]
    )
    assert quote.lines == [] and quote.adjustments == []
    assert quote.total == Money(Decimal(0), "TWD")
