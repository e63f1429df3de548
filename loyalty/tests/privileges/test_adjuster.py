"""The member-day discount at checkout, and the member-day points on the order."""

from decimal import Decimal

import pytest

from loyalty.models import PointsEntry
from loyalty.privileges.adjusters import MemberDayDiscountAdjuster
from loyalty.tests.points_support import (
    balances,
    member,
    member_order,
    pay,
    set_tier,
    variant,
)
from loyalty.tests.privileges.conftest import tier_set
from shop.checkout.pricing import QuoteContext, quote_build
from shop.checkout.tests.helpers import place
from shop.core.shopper import PublicShopper, shopper_for_user
from shop.orders.models import AdjustmentKind, OrderAdjustment
from shop.orders.services import order_mark_paid

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_day(settings):
    settings.LOYALTY_MEMBER_DAY_FORCE = True


@pytest.fixture
def gold(gold_benefits):
    user = member(email="gold@example.com")
    set_tier(user, "gold")
    return user


def _items():
    return [(variant("1280"), 2), (variant("450"), 1)]


def _member_day_adjustment(quote):
    return next(a for a in quote.adjustments if a.code == "member_day")


def test_gold_gets_its_extra_percent_spread_exactly_over_the_lines(gold, member_day):
    items = _items()

    quote = quote_build(shopper=shopper_for_user(gold), items=items)

    adjustment = _member_day_adjustment(quote)
    # 5% of 2560 + 450 = 150.5, rounded half up once.
    assert adjustment.amount.amount == Decimal("-151")
    assert adjustment.kind == AdjustmentKind.DISCOUNT
    assert adjustment.label == "Member day: Gold extra 5% off, 2× points"
    # 151 × 2560/3010 = 128.43 and 151 × 450/3010 = 22.57: the unit to the second.
    assert adjustment.allocations == {
        str(items[0][0].pk): Decimal("-128"),
        str(items[1][0].pk): Decimal("-23"),
    }
    assert sum(adjustment.allocations.values()) == adjustment.amount.amount
    assert adjustment.data == {
        "tier": "gold",
        "percent": "5.00",
        "points_multiplier": "2.00",
    }
    assert quote.discount_total.amount == Decimal("-151")


def test_no_discount_on_other_days(gold, settings):
    settings.LOYALTY_MEMBER_DAY_FORCE = False

    quote = quote_build(shopper=shopper_for_user(gold), items=_items())

    assert [a.code for a in quote.adjustments if a.code == "member_day"] == []


def test_guests_get_no_member_day_discount(db, member_day):
    quote = quote_build(shopper=shopper_for_user(None), items=_items())
    assert all(a.code != "member_day" for a in quote.adjustments)

    public = PublicShopper(None)
    assert MemberDayDiscountAdjuster().adjust(quote, QuoteContext(public)) == []


def test_a_tier_without_member_day_benefits_gets_nothing(db, member_day):
    user = member()  # base tier: 0% and ×1 on member days

    quote = quote_build(shopper=shopper_for_user(user), items=_items())

    assert all(a.code != "member_day" for a in quote.adjustments)


def test_points_only_is_a_zero_adjustment_carrying_the_multiplier(gold, member_day):
    tier_set("gold", member_day_extra_percent=Decimal("0"))

    quote = quote_build(shopper=shopper_for_user(gold), items=_items())

    adjustment = _member_day_adjustment(quote)
    assert adjustment.amount.amount == Decimal("0")
    assert adjustment.allocations == {}
    assert adjustment.label == "Member day: 2× points for Gold"
    assert adjustment.data["points_multiplier"] == "2.00"


def test_a_percentage_without_a_multiplier_carries_none(gold, member_day):
    tier_set("gold", member_day_points_multiplier=Decimal("1"))

    quote = quote_build(shopper=shopper_for_user(gold), items=_items())

    adjustment = _member_day_adjustment(quote)
    assert adjustment.label == "Member day: Gold extra 5% off"
    assert adjustment.data == {"tier": "gold", "percent": "5.00"}


def test_an_order_placed_on_a_member_day_earns_both_multipliers(
    gold, member_day, shipping_methods
):
    first, second = variant("1280"), variant("450")

    order = place(
        shopper=shopper_for_user(gold),
        items={first.pk: 2, second.pk: 1},
        method=shipping_methods["store"],
        payment_method="atm",
    )
    stored = OrderAdjustment.objects.get(order=order, code="member_day")
    assert stored.amount == Decimal("-151")
    assert stored.data["points_multiplier"] == "2.00"
    assert sorted(a.amount for a in stored.allocations.all()) == [
        Decimal("-128"),
        Decimal("-23"),
    ]

    order_mark_paid(order=order)

    # (3010 − 151) / 100 × gold's 2 × member day's 2 = 114.36, rounded down.
    assert balances(gold) == (0, 114)


def test_the_multiplier_on_a_stored_adjustment_multiplies_the_tiers(db):
    user = member()
    order = member_order(user)  # 3010 of items earns 30 at ×1
    OrderAdjustment.objects.create(
        order=order,
        code="member_day",
        label="Member day",
        kind=AdjustmentKind.DISCOUNT,
        amount=Decimal("0"),
        data={"points_multiplier": "1.50"},
    )

    pay(order)

    assert balances(user) == (0, 45)
    assert sum(e.pending_points for e in PointsEntry.objects.filter(order=order)) == 45
