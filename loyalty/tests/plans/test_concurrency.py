"""Races of paid membership on PostgreSQL: real threads, own connections."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.errors import PlanError
from loyalty.models import PaidMembership, PaidMembershipStatus
from loyalty.plans.services import (
    paid_membership_activate,
    paid_membership_mark_benefit_used,
    paid_membership_refund,
    paid_memberships_lapse,
)
from loyalty.tests.factories import member_create
from loyalty.tests.plans.support import paid_member_create, plan_create, purchase_paid
from shop.checkout.errors import CheckoutError
from shop.core.tests.concurrency import run_together, run_together_split
from shop.orders.models import Order

pytestmark = pytest.mark.postgres


def test_a_purchase_activated_twice_at_once_starts_one_period(
    on_postgres, transactional_db
):
    user = member_create()
    purchase = purchase_paid(user=user, plan=plan_create(), paid_at=timezone.now())

    periods, errors = run_together_split(
        lambda: paid_membership_activate(purchase=purchase),
        lambda: paid_membership_activate(purchase=purchase),
    )

    assert errors == []
    assert periods[0].pk == periods[1].pk
    assert PaidMembership.objects.count() == 1


def test_two_purchases_activated_at_once_chain_without_overlap(
    on_postgres, transactional_db
):
    user = member_create()
    plan = plan_create()
    now = timezone.now()
    purchases = [purchase_paid(user=user, plan=plan, paid_at=now) for _ in range(2)]

    periods, errors = run_together_split(
        *[lambda p=p: paid_membership_activate(purchase=p) for p in purchases]
    )

    assert errors == []
    first, second = sorted(periods, key=lambda period: period.starts_at)
    assert first.starts_at == now
    assert second.starts_at == first.ends_at


def test_a_refund_asked_twice_at_once_refunds_once(on_postgres, transactional_db):
    user = member_create()
    paid = paid_member_create(user=user, plan=plan_create(), paid_at=timezone.now())

    refunded, errors = run_together_split(
        lambda: paid_membership_refund(paid_membership=paid),
        lambda: paid_membership_refund(paid_membership=paid),
    )

    assert len(refunded) == 1 and len(errors) == 1
    assert isinstance(errors[0], PlanError)
    assert errors[0].message == "This paid membership has already been refunded."
    paid.refresh_from_db()
    assert paid.status == PaidMembershipStatus.REFUNDED
    assert paid.purchase.refunded_amount == paid.purchase.amount


def test_a_refund_racing_an_order_with_the_benefit_lets_only_one_through(
    on_postgres, transactional_db
):
    user = member_create()
    paid = paid_member_create(
        user=user, plan=plan_create(), paid_at=timezone.now() - timedelta(hours=1)
    )

    class Discount:
        code = "paid_membership"
        data = {"plan": "plus"}

    order = Order(user=user, placed_at=timezone.now())
    order.placed_adjustments = [Discount()]

    outcomes = run_together(
        lambda: paid_membership_refund(paid_membership=paid),
        lambda: paid_membership_mark_benefit_used(order=order),
    )

    paid.refresh_from_db()
    refund, mark = outcomes
    if isinstance(refund, PlanError):
        # The order came first: the benefit is used, no refund.
        assert mark.pk == paid.pk
        assert paid.status == PaidMembershipStatus.ACTIVE
        assert paid.benefit_used_at is not None
    else:
        # The refund came first: the order is refused at placement.
        assert isinstance(mark, CheckoutError)
        assert paid.status == PaidMembershipStatus.REFUNDED
        assert paid.benefit_used_at is None


def test_the_lapse_task_run_twice_at_once_lapses_each_period_once(
    on_postgres, transactional_db
):
    plan = plan_create()
    periods = [
        paid_member_create(user=member_create(), plan=plan, paid_at=timezone.now())
        for _ in range(4)
    ]
    end = max(period.ends_at for period in periods)

    counts = run_together(
        lambda: paid_memberships_lapse(now=end),
        lambda: paid_memberships_lapse(now=end),
    )

    assert sorted(counts) in ([0, 4], [1, 3], [2, 2])
    assert sum(counts) == 4
    assert set(PaidMembership.objects.values_list("status", flat=True)) == {
        PaidMembershipStatus.LAPSED
    }
