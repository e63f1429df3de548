"""Spending points: limits, redemption, restoring, reversing, staff adjustments."""

from decimal import Decimal

import pytest

from loyalty.adjusters import PointsRedemptionAdjuster, requested_points
from loyalty.errors import LoyaltyError, PointsError
from loyalty.models import PointsDraw, PointsEntry, PointsLot
from loyalty.services import points
from loyalty.tests.points_support import (
    assert_consistent,
    balances,
    clock_install,
    deliver,
    entries_of,
    lots_of,
    member,
    member_order,
    membership_of,
    pay,
    programme_set,
    taipei,
    variant,
)
from shop.accounts.tests.factories import StaffFactory
from shop.checkout.pricing import quote_build
from shop.core.shopper import shopper_for_user
from shop.orders.services import order_cancel

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return clock_install(monkeypatch)


def gift(user, amount, reason="Gift", **kwargs):
    return points.points_adjust(
        user=user, points=amount, reason=reason, actor=None, **kwargs
    )


def three_lots(clock, user):
    """50 points in each of three lots: by 1 May, by 1 March, never expiring."""
    clock.set("2027-01-10 12:00")
    programme_set(expiry_months=3)
    gift(user, 50)  # expires 2027-05-01
    programme_set(expiry_months=1)
    gift(user, 50)  # expires 2027-03-01
    programme_set(expiry_rule="never")
    gift(user, 50)
    return list(PointsLot.objects.order_by("pk"))


def points_order(user, amount: int):
    """An order paying `amount` points (NT$1 each) over its two lines."""
    first = amount * 2 // 3
    return member_order(user, tenders={"points": [str(-first), str(first - amount)]})


# --- Limits and the adjuster ---------------------------------------------------


def quote_for(user, *, price="1000", quantity=1, options=None):
    return quote_build(
        shopper=shopper_for_user(user),
        items=[(variant(price), quantity)],
        options=options,
    )


def test_redeem_limits_cap_by_balance_share_and_minimums():
    user = member()
    gift(user, 530)
    membership = membership_of(user)
    quote = quote_for(user)  # items NT$1,000

    limits = points.redeem_limits(quote=quote, membership=membership)
    assert (limits.available, limits.min_points, limits.max_points) == (530, 1, 200)
    assert limits.usable and limits.reason == ""
    assert limits.value_of(120).amount == Decimal("120")

    programme_set(point_value=Decimal("0.5"))
    assert points.redeem_limits(quote=quote, membership=membership).max_points == 400

    programme_set(point_value=Decimal("1"), redeem_max_percent=100)
    assert points.redeem_limits(quote=quote, membership=membership).max_points == 530

    programme_set(redeem_min_order=Decimal("1500"))
    limits = points.redeem_limits(quote=quote, membership=membership)
    assert (limits.max_points, limits.usable) == (0, False)
    assert limits.reason == "Points can be used on orders of NT$1,500 or more."

    programme_set(redeem_min_order=Decimal("0"), redeem_max_percent=20)
    programme_set(redeem_min_points=300)
    limits = points.redeem_limits(quote=quote, membership=membership)
    assert (limits.max_points, limits.usable) == (0, False)
    assert limits.reason == "At least 300 points are needed to pay with points."


def test_redeem_limits_never_exceed_what_is_left_to_pay():
    programme_set(redeem_max_percent=100)
    user = member()
    gift(user, 5000)
    quote = quote_for(user, price="999")
    limits = points.redeem_limits(quote=quote, membership=membership_of(user))
    assert limits.max_points == 999


def test_no_balance_no_points():
    user = member()
    limits = points.redeem_limits(quote=quote_for(user), membership=membership_of(user))
    assert (limits.available, limits.max_points) == (0, 0)
    assert limits.reason == "You have no points to use yet."


def test_the_adjuster_pays_with_points_and_allocates_them_to_lines():
    user = member()
    gift(user, 530)
    quote = quote_build(
        shopper=shopper_for_user(user),
        items=[(variant("600"), 1), (variant("300"), 1)],
        options={"points": "150"},
    )
    [adjustment] = [a for a in quote.adjustments if a.code == "points"]
    assert adjustment.kind == "tender"
    assert adjustment.amount.amount == Decimal("-150")
    assert adjustment.label == "Paid with 150 points"
    assert adjustment.data == {"points": 150, "point_value": "1.00"}
    assert list(adjustment.allocations.values()) == [Decimal("-100"), Decimal("-50")]
    assert quote.total.amount == Decimal("750")
    [offer] = quote.offers
    assert (offer.key, offer.template_name) == (
        "points",
        "loyalty/checkout/points_offer.html",
    )
    assert offer.context == {
        "available": 530,
        "min_points": 1,
        "max_points": 180,
        "usable": True,
        "reason": "",
        "point_value": "1.00",
        "applied": 150,
        "applied_amount": "150",
        "currency": "TWD",
    }


def test_the_adjuster_offers_points_without_using_them_unasked():
    user = member()
    gift(user, 50)
    quote = quote_for(user)
    assert [a.code for a in quote.adjustments] == []
    assert quote.offers[0].context["applied"] == 0
    assert quote.offers[0].context["max_points"] == 50


def test_members_without_points_and_guests_get_no_offer():
    assert quote_for(member()).offers == []
    guest = quote_build(
        shopper=shopper_for_user(None), items=[(variant("1000"), 1)], options={}
    )
    assert guest.offers == []


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("201", "You can use at most 200 points on this order."),
        ("531", "You have only 530 points available."),
        ("abc", "Enter a whole number of points."),
        ("-5", "Enter a whole number of points."),
        ("1.5", "Enter a whole number of points."),
    ],
)
def test_asking_for_more_than_allowed_is_an_error_not_a_quiet_cut(asked, message):
    user = member()
    gift(user, 530)
    with pytest.raises(PointsError) as raised:
        quote_for(user, options={"points": asked})
    assert (raised.value.message, raised.value.field) == (message, "points")


def test_guests_asking_for_points_are_told_to_log_in():
    with pytest.raises(PointsError) as raised:
        quote_build(
            shopper=shopper_for_user(None),
            items=[(variant("1000"), 1)],
            options={"points": 10},
        )
    assert raised.value.message == "Log in to pay with points."


@pytest.mark.parametrize(("value", "expected"), [(None, 0), ("", 0), (0, 0), (7, 7)])
def test_requested_points(value, expected):
    assert requested_points(value) == expected
    assert PointsRedemptionAdjuster  # the class named in settings


# --- Redemption ----------------------------------------------------------------


def test_redemption_draws_soonest_expiring_lots_first(clock):
    user = member()
    by_may, by_march, never = three_lots(clock, user)
    order = points_order(user, 120)

    entry = points.points_redeem_for_order(order=order)

    assert (entry.kind, entry.points, entry.order_id, entry.idempotency_key) == (
        "redeem",
        -120,
        order.pk,
        f"redeem:order:{order.pk}",
    )
    assert entry.reason == f"Paid part of order {order.number}"
    assert list(
        PointsDraw.objects.order_by("pk").values_list("lot", "points", "restored")
    ) == [(by_march.pk, 50, 0), (by_may.pk, 50, 0), (never.pk, 20, 0)]
    assert lots_of(user) == [
        ("available", 50, 0),
        ("available", 50, 0),
        ("available", 50, 30),
    ]
    assert balances(user) == (30, 0)
    # Again: the same row, nothing more taken.
    assert points.points_redeem_for_order(order=order) == entry
    assert balances(user) == (30, 0)
    assert PointsEntry.objects.filter(kind="redeem").count() == 1
    assert_consistent()


def test_redemption_refuses_more_than_the_balance(clock):
    user = member()
    gift(user, 100)
    with pytest.raises(PointsError) as raised:
        points.points_redeem_for_order(order=points_order(user, 120))
    assert raised.value.message == "You have only 100 points available."
    assert balances(user) == (100, 0)
    assert_consistent()


def test_points_past_their_midnight_are_not_spent(clock):
    user = member()
    clock.set("2026-12-05 12:00")
    programme_set(expiry_months=1)
    gift(user, 100)  # expires 2027-02-01 00:00
    programme_set(expiry_rule="never")
    gift(user, 50)
    clock.set("2027-02-01 00:30")  # the sweep has not run yet

    with pytest.raises(PointsError) as raised:
        points.points_redeem_for_order(order=points_order(user, 120))
    assert raised.value.message == "You have only 50 points available."

    points.points_redeem_for_order(order=points_order(user, 40))
    assert entries_of(user) == [
        ("adjust", 100, 0),
        ("adjust", 50, 0),
        ("expire", -100, 0),
        ("redeem", -40, 0),
    ]
    assert balances(user) == (10, 0)
    assert_consistent()


def test_an_order_without_points_redeems_nothing(clock):
    user = member()
    assert points.points_redeem_for_order(order=member_order(user)) is None


# --- Restore -------------------------------------------------------------------


def test_cancelling_restores_exactly_the_lots_used(clock):
    user = member()
    by_may, by_march, never = three_lots(clock, user)
    staff = StaffFactory()
    order = points_order(user, 120)
    points.points_redeem_for_order(order=order)

    order_cancel(order=order, actor=staff, reason="Customer asked")

    assert lots_of(user) == [
        ("available", 50, 50),
        ("available", 50, 50),
        ("available", 50, 50),
    ]
    assert balances(user) == (150, 0)
    restored = list(
        PointsEntry.objects.filter(kind="restore")
        .order_by("pk")
        .values_list("points", "lot", "order", "actor", "idempotency_key")
    )
    draws = PointsDraw.objects.order_by("lot").values_list("pk", "lot", "points")
    assert restored == [
        (taken, lot, order.pk, staff.pk, f"restore:order:{order.pk}:draw:{draw}")
        for draw, lot, taken in draws
    ]
    assert [lot for _taken, lot, *_rest in restored] == [
        by_may.pk,
        by_march.pk,
        never.pk,
    ]
    assert list(PointsDraw.objects.values_list("points", "restored")) == [
        (50, 50),
        (50, 50),
        (20, 20),
    ]
    assert points.points_restore_for_order(order=order) == 0
    assert PointsEntry.objects.filter(kind="restore").count() == 3
    assert_consistent()


def test_points_restored_after_their_expiry_expire_at_once(clock):
    user = member()
    three_lots(clock, user)
    order = points_order(user, 120)
    points.points_redeem_for_order(order=order)
    clock.set("2027-03-05 12:00")  # the March lot has expired meanwhile

    assert points.points_restore_for_order(order=order) == 120

    assert lots_of(user) == [
        ("available", 50, 50),
        ("expired", 50, 0),
        ("available", 50, 50),
    ]
    assert entries_of(user)[-4:] == [
        ("restore", 50, 0),
        ("restore", 50, 0),
        ("restore", 20, 0),
        ("expire", -50, 0),
    ]
    assert balances(user) == (100, 0)
    assert_consistent()


# --- Reversal ------------------------------------------------------------------


def test_cancelling_a_paid_order_reverses_its_pending_points(clock):
    user = member()
    order = pay(member_order(user))
    assert balances(user) == (0, 30)

    order_cancel(order=order, reason="Out of stock")

    assert lots_of(user) == [("reversed", 26, 0), ("reversed", 4, 0)]
    assert entries_of(user, kind="reverse") == [
        ("reverse", 0, -26),
        ("reverse", 0, -4),
    ]
    reverse = PointsEntry.objects.filter(kind="reverse").first()
    assert reverse.reason == f"Order {order.number} cancelled"
    assert reverse.idempotency_key == f"reverse:lot:{reverse.lot_id}"
    assert balances(user) == (0, 0)
    assert points.points_reverse_for_order(order=order) == 0
    assert PointsEntry.objects.filter(kind="reverse").count() == 2
    assert_consistent()


def test_a_paid_order_using_points_gets_them_back_and_loses_its_earn(clock):
    user = member()
    gift(user, 200)
    order = points_order(user, 100)
    points.points_redeem_for_order(order=order)
    pay(order)  # 3010 − 100 paid with points = 2910 earns 29
    assert balances(user) == (100, 29)

    order_cancel(order=order)

    assert balances(user) == (200, 0)
    assert_consistent()


def test_reversing_available_points_takes_the_spent_part_from_other_lots(clock):
    user = member()
    order = pay(member_order(user))  # lots 26 + 4, expiring 2028-02-01
    points.points_release_for_order(order=order)
    clock.set("2027-02-10 12:00")
    gift(user, 100)  # expires 2028-03-01
    gift(user, -20, reason="Spent in store")  # from the 26 lot
    assert lots_of(user) == [
        ("available", 26, 6),
        ("available", 4, 4),
        ("available", 100, 100),
    ]

    assert points.points_reverse_for_order(order=order) == 30

    assert lots_of(user) == [
        ("reversed", 26, 0),
        ("reversed", 4, 0),
        ("available", 100, 80),
    ]
    assert entries_of(user, kind="reverse") == [
        ("reverse", -26, 0),
        ("reverse", -4, 0),
    ]
    first = PointsEntry.objects.filter(kind="reverse").order_by("pk").first()
    assert sorted(first.draws.values_list("lot__points", "points")) == [
        (26, 6),
        (100, 20),
    ]
    assert balances(user) == (80, 0)
    assert points.points_reverse_for_order(order=order) == 0
    assert_consistent()


def test_points_spent_beyond_the_balance_leave_it_negative_until_repaid(clock):
    user = member()
    order = pay(member_order(user))
    points.points_release_for_order(order=order)
    gift(user, -25, reason="Spent in store")

    points.points_reverse_for_order(order=order)

    assert balances(user) == (-25, 0)
    first = PointsEntry.objects.filter(kind="reverse").order_by("pk").first()
    assert first.points == -26
    assert first.reason == (
        f"Order {order.number} cancelled 25 points had already been spent; "
        "the balance is negative until new points pay them back."
    )
    assert_consistent()
    limits = points.redeem_limits(quote=quote_for(user), membership=membership_of(user))
    assert (limits.available, limits.max_points) == (0, 0)

    # New points pay the debt back first.
    gift(user, 40)
    assert balances(user) == (15, 0)
    assert lots_of(user) == [
        ("reversed", 26, 0),
        ("reversed", 4, 0),
        ("available", 40, 15),
    ]
    assert sorted(first.draws.values_list("lot__points", "points")) == [
        (26, 1),
        (40, 25),
    ]
    assert_consistent()
    with pytest.raises(LoyaltyError) as raised:
        gift(user, -16, reason="Too much")
    assert raised.value.message == "The member has only 15 points available."


def test_a_debt_is_repaid_by_points_released_later(clock):
    user = member()
    first = pay(member_order(user))
    points.points_release_for_order(order=first)
    gift(user, -30, reason="Spent in store")
    points.points_reverse_for_order(order=first)
    assert balances(user) == (-30, 0)

    # The first order (3010) made the member silver: × 1.5.
    second = pay(member_order(user, prices=("5000",), quantities=(1,)))
    clock.set("2027-01-20 12:00")
    deliver(second)
    assert points.points_release_due(now=taipei("2027-01-27 12:00")) == 75

    assert balances(user) == (45, 0)
    assert lots_of(user)[-1] == ("available", 75, 45)
    assert_consistent()


def test_expired_points_are_not_taken_twice(clock):
    programme_set(expiry_months=1)
    user = member()
    order = pay(member_order(user))
    points.points_release_for_order(order=order)
    points.points_expire_due(now=taipei("2027-03-01 00:00"))
    assert balances(user) == (0, 0)

    assert points.points_reverse_for_order(order=order) == 0
    assert balances(user) == (0, 0)
    assert lots_of(user) == [("reversed", 26, 0), ("reversed", 4, 0)]
    assert_consistent()


# --- Staff adjustments ---------------------------------------------------------


def test_a_positive_adjustment_opens_an_available_lot_and_is_audited(clock):
    staff = StaffFactory()
    user = member()
    entry = points.points_adjust(
        user=user,
        points=300,
        reason="  Sorry for the late parcel ",
        actor=staff,
        campaign="apology",
    )
    entry.refresh_from_db()
    assert (entry.kind, entry.points, entry.pending_points) == ("adjust", 300, 0)
    assert (entry.actor, entry.reason, entry.campaign) == (
        staff,
        "Sorry for the late parcel",
        "apology",
    )
    assert entry.idempotency_key.startswith("adjust:")
    lot = entry.lot
    assert (lot.status, lot.points, lot.remaining, lot.available_at) == (
        "available",
        300,
        300,
        clock.now,
    )
    assert lot.expires_at == taipei("2028-02-01 00:00")
    assert balances(user) == (300, 0)
    assert_consistent()


def test_a_negative_adjustment_draws_soonest_expiring_lots(clock):
    user = member()
    three_lots(clock, user)
    entry = gift(user, -70, reason="Correction")
    assert list(entry.draws.order_by("pk").values_list("points", flat=True)) == [
        50,
        20,
    ]
    assert lots_of(user) == [
        ("available", 50, 30),
        ("available", 50, 0),
        ("available", 50, 50),
    ]
    assert balances(user) == (80, 0)
    assert_consistent()


@pytest.mark.parametrize(
    ("amount", "reason", "field", "message"),
    [
        (10, "", "reason", "Give a reason for the adjustment."),
        (10, "   ", "reason", "Give a reason for the adjustment."),
        (0, "Oops", "points", "Enter a whole number of points other than 0."),
        (-101, "Oops", "points", "The member has only 100 points available."),
        (10, "x" * 256, "reason", "Use at most 255 characters."),
    ],
)
def test_adjustments_need_a_reason_and_cannot_go_below_zero(
    amount, reason, field, message
):
    user = member()
    gift(user, 100)
    with pytest.raises(LoyaltyError) as raised:
        points.points_adjust(user=user, points=amount, reason=reason, actor=None)
    assert (raised.value.field, raised.value.message) == (field, message)
    assert balances(user) == (100, 0)


def test_an_adjustment_with_the_same_key_is_made_once():
    user = member()
    first = gift(user, 50, idempotency_key="import:row:7")
    assert gift(user, 50, idempotency_key="import:row:7") == first
    assert balances(user) == (50, 0)
    assert PointsEntry.objects.count() == 1
    with pytest.raises(LoyaltyError):
        gift(user, 60, idempotency_key="import:row:7")
