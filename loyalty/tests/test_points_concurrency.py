"""Races on PostgreSQL: real threads, each with its own database connection."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.errors import PointsError
from loyalty.models import PointsEntry, PointsLot
from loyalty.services import points
from loyalty.tasks.points import expire_due_points, release_due_points
from loyalty.tests.checkout_support import place_with_options
from loyalty.tests.points_support import (
    assert_consistent,
    balances,
    member,
    member_order,
    membership_of,
    programme_set,
    variant,
)
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.core.tests.concurrency import run_together, run_together_split
from shop.orders.models import Order

pytestmark = pytest.mark.postgres


def test_two_checkouts_spending_the_same_points_one_wins(
    on_postgres,
    transactional_db,
    shipping_methods,  # noqa: F811
):
    user = member(email="racer@example.com")
    points.points_adjust(user=user, points=150, reason="Welcome", actor=None)
    item = variant("1000", stock=10)
    method = shipping_methods["store"]

    orders, errors = run_together_split(
        *[lambda: place_with_options(user, item, method, points=150) for _ in range(2)]
    )

    assert len(orders) == 1 and len(errors) == 1
    assert isinstance(errors[0], PointsError)
    assert errors[0].message == "You have only 0 points available."
    assert Order.objects.count() == 1
    assert orders[0].total == Decimal("850")
    assert balances(user) == (0, 0)
    assert PointsEntry.objects.filter(kind="redeem").count() == 1
    # The losing placement left nothing behind: no order, no stock taken.
    item.refresh_from_db()
    assert item.stock == 9
    assert_consistent()


def test_many_checkouts_never_take_the_balance_below_zero(
    on_postgres,
    transactional_db,
    shipping_methods,  # noqa: F811
):
    user = member(email="crowd@example.com")
    points.points_adjust(user=user, points=450, reason="Welcome", actor=None)
    item = variant("1000", stock=20)
    method = shipping_methods["store"]

    orders, errors = run_together_split(
        *[lambda: place_with_options(user, item, method, points=200) for _ in range(4)]
    )

    assert len(orders) == 2 and len(errors) == 2
    assert all(isinstance(error, PointsError) for error in errors)
    assert balances(user) == (50, 0)
    assert membership_of(user).points_available >= 0
    assert_consistent()


def test_a_redemption_racing_the_expiry_sweep_stays_consistent(
    on_postgres, transactional_db
):
    programme_set(expiry_rule="never")
    members = [member(email=f"sweep{n}@example.com") for n in range(3)]
    for user in members:
        points.points_adjust(user=user, points=100, reason="Old", actor=None)
        points.points_adjust(user=user, points=100, reason="New", actor=None)
    # The first lot of each member expired a minute ago, not swept yet.
    now = timezone.now()
    for user in members:
        lot = PointsLot.objects.filter(membership__user=user).order_by("pk").first()
        PointsLot.objects.filter(pk=lot.pk).update(
            expires_at=now - timedelta(minutes=1)
        )
    orders = [
        member_order(user, tenders={"points": ["-53", "-27"]}) for user in members
    ]

    outcomes = run_together(
        *[
            lambda order=order: points.points_redeem_for_order(order=order)
            for order in orders
        ],
        lambda: points.points_expire_due(now=timezone.now()),
    )

    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    # Whoever came first, each expired lot expired once and the 80 came from
    # the lot that was still valid.
    for user in members:
        assert balances(user) == (20, 0)
        assert list(
            PointsEntry.objects.filter(membership__user=user)
            .exclude(kind="adjust")
            .order_by("kind")
            .values_list("kind", "points")
        ) == [("expire", -100), ("redeem", -80)]
    assert_consistent()


def test_a_task_run_twice_at_once_writes_one_row_per_lot(on_postgres, transactional_db):
    programme_set(expiry_rule="never")
    users = [member(email=f"twice{n}@example.com") for n in range(3)]
    for user in users:
        points.points_adjust(user=user, points=40, reason="Gift", actor=None)
        points.points_adjust(user=user, points=60, reason="Gift", actor=None)
    PointsLot.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    results = run_together(expire_due_points.apply, expire_due_points.apply)

    # `.result`, not `.get()`: Celery refuses get() while another thread's
    # eager task is on its stack.
    assert sorted(result.result for result in results) == [0, 300]
    assert PointsEntry.objects.filter(kind="expire").count() == 6
    assert [balances(user) for user in users] == [(0, 0)] * 3
    assert_consistent()


def test_the_release_task_run_twice_at_once_writes_one_row_per_lot(
    on_postgres, transactional_db
):
    user = member(email="release@example.com")
    order = member_order(user)
    from shop.orders.services import order_mark_paid

    order_mark_paid(order=order)
    PointsLot.objects.update(available_at=timezone.now() - timedelta(seconds=1))

    results = run_together(release_due_points.apply, release_due_points.apply)

    assert sorted(result.result for result in results) == [0, 30]
    assert PointsEntry.objects.filter(kind="release").count() == 2
    assert balances(user) == (30, 0)
    assert_consistent()


def test_restoring_and_reversing_twice_at_once_counts_once(
    on_postgres, transactional_db
):
    user = member(email="cancel@example.com")
    points.points_adjust(user=user, points=300, reason="Gift", actor=None)
    order = member_order(user, tenders={"points": ["-133", "-67"]})
    points.points_redeem_for_order(order=order)

    outcomes = run_together(
        lambda: points.points_restore_for_order(order=order),
        lambda: points.points_restore_for_order(order=order),
    )

    assert sorted(outcomes) == [0, 200]
    assert balances(user) == (300, 0)
    assert PointsEntry.objects.filter(kind="restore").count() == 1
    assert_consistent()
