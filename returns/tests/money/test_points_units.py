"""The loyalty side of a partial return: earned points reversed unit by unit,
redeemed points given back to their lots (`loyalty.services.points.returns`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.models import PointsEntry, PointsLot
from loyalty.services import points
from loyalty.services.points import PointsReversal
from loyalty.tests.points_support import (
    assert_consistent,
    balances,
    lots_of,
    member,
    member_order,
    pay,
    programme_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    """A member's order of 1,000 × 3, paid: 10 points earned, pending (4, 3, 3)."""
    programme_set(earn_points=1, earn_per_amount=300)
    user = member()
    found = member_order(user, prices=("1000",), quantities=(3,), shipping_fee=0)
    pay(found)
    assert lots_of(user) == [("pending", 10, 10)]
    return found


def _line(order):
    return order.lines.get().pk


def _reverse(order, count, key, allow_negative=True):
    units = {_line(order): count}
    preview = points.points_reversal_preview(order=order, units=units)
    done = points.points_reverse_for_units(
        order=order, units=units, idempotency_key=key, allow_negative=allow_negative
    )
    assert done == preview
    return done


def test_pending_points_are_cancelled_unit_by_unit_adding_up_to_the_lot(order):
    user = order.user

    assert _reverse(order, 1, "r1") == PointsReversal(pending_cancelled=4)
    assert _reverse(order, 1, "r2") == PointsReversal(pending_cancelled=3)
    assert lots_of(user) == [("pending", 10, 3)]
    assert _reverse(order, 1, "r3") == PointsReversal(pending_cancelled=3)

    assert lots_of(user) == [("reversed", 10, 0)]
    assert balances(user) == (0, 0)
    # A replay of a key writes nothing and answers the same.
    assert points.points_reverse_for_units(
        order=order,
        units={_line(order): 1},
        idempotency_key="r2",
        allow_negative=True,
    ) == PointsReversal(pending_cancelled=3)
    assert PointsEntry.objects.filter(kind="reverse").count() == 3
    assert_consistent()


def test_spent_points_come_from_other_lots_then_go_negative(order):
    user = order.user
    points.points_release_for_order(order=order)
    points.points_adjust(user=user, points=-5, reason="Spent", actor=None)
    points.points_adjust(user=user, points=2, reason="Gift", actor=None)
    assert lots_of(user) == [("available", 10, 5), ("available", 2, 2)]

    # Two units: 7 points, 5 still on the lot and 2 spent, taken from the gift.
    assert _reverse(order, 2, "r1") == PointsReversal(reversed=7)
    assert lots_of(user) == [("available", 10, 0), ("available", 2, 0)]
    assert balances(user) == (0, 0)
    # The last unit's 3 points were spent and nothing is left: owed.
    assert _reverse(order, 1, "r2") == PointsReversal(reversed=3, short=3)
    assert balances(user) == (-3, 0)
    assert lots_of(user) == [("reversed", 10, 0), ("available", 2, 0)]
    assert_consistent()

    # New points pay the debt first.
    points.points_adjust(user=user, points=5, reason="Gift", actor=None)
    assert balances(user) == (2, 0)
    assert_consistent()


def test_spent_points_paid_from_the_refund_leave_the_balance_at_zero(order):
    user = order.user
    points.points_release_for_order(order=order)
    points.points_adjust(user=user, points=-10, reason="Spent", actor=None)

    done = _reverse(order, 3, "r1", allow_negative=False)

    lot = PointsLot.objects.get(order=order)
    assert done == PointsReversal(reversed=10, short=10)
    assert balances(user) == (0, 0)
    assert list(
        PointsEntry.objects.filter(order=order, kind__in=["reverse", "adjust"])
        .order_by("pk")
        .values_list("kind", "points", "idempotency_key")
    ) == [
        ("reverse", -10, f"r1:lot:{lot.pk}"),
        ("adjust", 10, f"r1:lot:{lot.pk}:covered"),
    ]
    assert_consistent()


def test_expired_points_are_not_taken_back(order):
    user = order.user
    points.points_release_for_order(order=order)
    points.points_adjust(user=user, points=-4, reason="Spent", actor=None)
    PointsLot.objects.filter(membership__user=user).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    # 4 were spent, 6 expired: only the spent ones are taken back.
    assert _reverse(order, 3, "r1") == PointsReversal(reversed=4, short=4)
    assert balances(user) == (-4, 0)
    assert_consistent()


def test_redeemed_points_come_back_to_their_lots_latest_expiring_first():
    user = member()
    points.points_adjust(user=user, points=100, reason="Old", actor=None)
    points.points_adjust(user=user, points=200, reason="New", actor=None)
    first, second = PointsLot.objects.filter(membership__user=user).order_by("pk")
    soon = timezone.now() + timedelta(days=30)
    PointsLot.objects.filter(pk=first.pk).update(expires_at=soon)
    PointsLot.objects.filter(pk=second.pk).update(expires_at=soon + timedelta(days=30))
    order = member_order(user, tenders={"points": ["-180", "-70"]})
    points.points_redeem_for_order(order=order)
    assert lots_of(user) == [("available", 100, 0), ("available", 200, 50)]

    assert points.points_restore_for_units(order=order, points=160, idempotency_key="a")
    assert lots_of(user) == [("available", 100, 10), ("available", 200, 200)]
    # A replay gives back nothing more.
    assert (
        points.points_restore_for_units(order=order, points=160, idempotency_key="a")
        == 160
    )
    # Never more than the order used; a cancellation then has nothing left.
    assert (
        points.points_restore_for_units(order=order, points=500, idempotency_key="b")
        == 90
    )
    assert points.points_restore_for_order(order=order) == 0
    assert lots_of(user) == [("available", 100, 100), ("available", 200, 200)]
    assert balances(user) == (300, 0)
    assert_consistent()
