"""Earning points: how many, on which lines, pending until the cooling-off ends."""

from decimal import Decimal

import pytest

from loyalty.models import PointsEntry, PointsLot
from loyalty.services import points
from loyalty.services.points import points_for_amount, split_points
from loyalty.tests.points_support import (
    assert_consistent,
    balances,
    clock_install,
    complete,
    deliver,
    entries_of,
    lots_of,
    member,
    member_order,
    pay,
    programme_set,
    set_tier,
    taipei,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return clock_install(monkeypatch)


@pytest.mark.parametrize(
    ("amount", "multiplier", "expected"),
    [
        ("2990", "1", 29),
        ("2990", "1.5", 44),  # 44.85 rounded down
        ("2990", "2", 59),  # one rounding, after the multiplier
        ("99.99", "1", 0),
        ("100", "1", 1),
        ("0", "3", 0),
        ("-500", "1", 0),
        ("1000", "0", 0),
    ],
)
def test_points_for_amount_rounds_down_once(amount, multiplier, expected):
    assert (
        points_for_amount(amount=Decimal(amount), multiplier=Decimal(multiplier))
        == expected
    )


def test_points_for_amount_follows_the_programme():
    programme_set(earn_points=3, earn_per_amount=Decimal("250"))
    # 1010 × 3 × 1.25 / 250 = 15.15
    assert points_for_amount(amount=Decimal("1010"), multiplier=Decimal("1.25")) == 15
    assert points_for_amount(amount=Decimal("1000"), multiplier=Decimal("1")) == 12


def test_split_points_sums_exactly_by_largest_remainder():
    assert split_points(10, {1: Decimal(1), 2: Decimal(1), 3: Decimal(1)}) == {
        1: 4,
        2: 3,
        3: 3,
    }
    assert split_points(30, {1: Decimal("2560"), 2: Decimal("450")}) == {1: 26, 2: 4}
    assert split_points(5, {1: Decimal(0), 2: Decimal(0)}) == {1: 3, 2: 2}
    assert split_points(7, {1: Decimal(-5), 2: Decimal(10)}) == {1: 0, 2: 7}
    assert split_points(0, {1: Decimal(3)}) == {1: 0}


def test_paid_order_earns_pending_points_split_over_its_lines(clock):
    user = member()
    # 1280 × 2 + 450 = 3010 earns 30; shipping (80) does not count.
    order = pay(member_order(user))

    lines = list(order.lines.order_by("pk"))
    # 30 × 2560/3010 = 25.52 and 30 × 450/3010 = 4.48: the extra point to the first.
    assert list(
        PointsLot.objects.order_by("pk").values_list(
            "order_line", "status", "points", "remaining", "available_at", "expires_at"
        )
    ) == [
        (lines[0].pk, "pending", 26, 26, None, taipei("2028-02-01 00:00")),
        (lines[1].pk, "pending", 4, 4, None, taipei("2028-02-01 00:00")),
    ]
    assert list(
        PointsEntry.objects.order_by("pk").values_list(
            "kind", "points", "pending_points", "order", "order_line", "idempotency_key"
        )
    ) == [
        ("earn", 0, 26, order.pk, lines[0].pk, f"earn:line:{lines[0].pk}"),
        ("earn", 0, 4, order.pk, lines[1].pk, f"earn:line:{lines[1].pk}"),
    ]
    assert PointsEntry.objects.first().reason == f"Earned with order {order.number}"
    assert balances(user) == (0, 30)
    assert_consistent()


def test_the_tier_multiplier_counts(clock):
    user = member()
    set_tier(user, "gold")  # × 2
    pay(member_order(user))
    # 60 × 2560/3010 = 51.03, 60 × 450/3010 = 8.97
    assert lots_of(user) == [("pending", 51, 51), ("pending", 9, 9)]
    assert balances(user) == (0, 60)


def test_discounts_come_off_the_lines_they_were_allocated_to(clock):
    user = member()
    # The factory puts the whole discount on the first line: 2250 and 450.
    pay(member_order(user, discount=Decimal("310")))
    # 2700 earns 27: 22.5 and 4.5, the tie to the first line.
    assert lots_of(user) == [("pending", 23, 23), ("pending", 4, 4)]
    assert_consistent()


@pytest.mark.parametrize(
    ("switches", "expected"),
    [
        ({}, 13),  # 1450 − 100 points-paid = 1350
        ({"earn_on_points_paid": True}, 14),  # 1450
        ({"earn_on_shipping": True}, 14),  # 1350 + 80 = 1430
        ({"earn_on_shipping": True, "earn_on_points_paid": True}, 15),  # 1530
    ],
)
def test_shipping_and_points_paid_part_earn_only_when_switched_on(
    clock, switches, expected
):
    programme_set(**switches)
    user = member()
    pay(
        member_order(
            user,
            prices=("1000", "450"),
            quantities=(1, 1),
            tenders={"points": ["-69", "-31"]},
        )
    )
    assert balances(user) == (0, expected)
    assert sum(points for _s, points, _r in lots_of(user)) == expected


@pytest.mark.parametrize(("earns", "expected"), [(True, 14), (False, 12)])
def test_the_credit_paid_part_earns_by_its_switch(clock, earns, expected):
    programme_set(earn_on_credit_paid=earns)
    user = member()
    pay(
        member_order(
            user,
            prices=("1000", "450"),
            quantities=(1, 1),
            tenders={"credit": ["-138", "-62"]},
        )
    )
    # 1450 with the credit-paid 200, 1250 without.
    assert balances(user) == (0, expected)


def test_a_small_order_earns_nothing_and_writes_nothing(clock):
    user = member()
    pay(member_order(user, prices=("99",), quantities=(1,)))
    assert entries_of(user) == []
    assert balances(user) == (0, 0)


def test_guests_earn_nothing(clock):
    order = member_order(member())
    order.user = None
    order.save(update_fields=["user"])
    assert points.points_award_for_order(order=order) == []
    assert PointsEntry.objects.count() == 0


def test_awarding_twice_writes_once(clock):
    user = member()
    order = pay(member_order(user))
    assert points.points_award_for_order(order=order) == []
    assert PointsEntry.objects.count() == 2
    assert balances(user) == (0, 30)


def test_pending_points_become_available_when_the_cooling_off_period_ends(clock):
    user = member()
    order = pay(member_order(user))
    clock.set("2027-01-20 15:00")
    order = deliver(order)  # 7 days of cooling-off: until 2027-01-27 15:00
    assert set(PointsLot.objects.values_list("available_at", flat=True)) == {
        taipei("2027-01-27 15:00")
    }

    assert points.points_release_due(now=taipei("2027-01-27 14:59")) == 0
    assert balances(user) == (0, 30)
    assert points.points_release_due(now=taipei("2027-01-27 15:00")) == 30

    assert balances(user) == (30, 0)
    assert lots_of(user) == [("available", 26, 26), ("available", 4, 4)]
    assert entries_of(user, kind="release") == [
        ("release", 26, -26),
        ("release", 4, -4),
    ]
    keys = list(
        PointsEntry.objects.filter(kind="release")
        .order_by("pk")
        .values_list("idempotency_key", "order", "reason")
    )
    lot_ids = list(PointsLot.objects.order_by("pk").values_list("pk", flat=True))
    assert keys == [
        (f"release:lot:{lot_ids[0]}", order.pk, "Cooling-off period over"),
        (f"release:lot:{lot_ids[1]}", order.pk, "Cooling-off period over"),
    ]
    # Again (a retried task): nothing more.
    assert points.points_release_due(now=taipei("2027-02-01 00:00")) == 0
    assert PointsEntry.objects.filter(kind="release").count() == 2
    assert_consistent()


def test_completing_the_order_releases_its_points_at_once(clock):
    user = member()
    order = pay(member_order(user))
    clock.set("2027-01-20 15:00")
    order = deliver(order)
    clock.set("2027-01-27 15:00")
    complete(order, now=clock.now)

    assert balances(user) == (30, 0)
    assert entries_of(user, kind="release") == [
        ("release", 26, -26),
        ("release", 4, -4),
    ]
    assert PointsEntry.objects.filter(kind="release").first().reason == (
        f"Order {order.number} completed"
    )
    assert points.points_release_for_order(order=order) == 0
    assert points.points_release_due(now=taipei("2027-02-01 00:00")) == 0
    assert PointsEntry.objects.count() == 4
    assert_consistent()


def test_release_for_order_before_the_date_marks_when_it_happened(clock):
    user = member()
    order = pay(member_order(user))
    assert points.points_release_for_order(order=order) == 30
    assert list(PointsLot.objects.values_list("available_at", flat=True)) == [
        clock.now,
        clock.now,
    ]
    assert balances(user) == (30, 0)
    assert_consistent()


def test_cash_on_delivery_earns_on_delivery_with_its_release_date(clock):
    user = member()
    order = member_order(user, payment_method="cod")
    clock.set("2027-01-18 09:30")
    deliver(order)
    assert set(PointsLot.objects.values_list("status", "available_at")) == {
        ("pending", taipei("2027-01-25 09:30"))
    }
    assert balances(user) == (0, 30)
    assert points.points_release_due(now=taipei("2027-01-25 09:30")) == 30
    assert balances(user) == (30, 0)
    assert_consistent()


def test_schedule_release_is_idempotent(clock):
    user = member()
    order = deliver(pay(member_order(user)))
    assert points.points_schedule_release(order=order) == 2
    assert points.points_schedule_release(order=order) == 2
    assert PointsEntry.objects.count() == 2
    assert balances(user) == (0, 30)
