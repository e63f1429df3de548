"""Races on PostgreSQL: real threads, each with its own database connection."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loyalty.credit import services as credit
from loyalty.errors import CreditError
from loyalty.models import CreditEntry, CreditLot, Membership
from loyalty.purchases import services as purchases
from loyalty.tests.checkout_support import place_with_options
from loyalty.tests.credit.support import (
    D,
    assert_consistent,
    balance,
    credit_order,
    grant,
    plan,
)
from loyalty.tests.points_support import member, variant
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.core.tests.concurrency import run_together, run_together_split
from shop.orders.models import Order

pytestmark = pytest.mark.postgres


def test_two_tabs_spending_the_same_credit_one_wins(
    on_postgres,
    transactional_db,
    shipping_methods,  # noqa: F811
):
    user = member(email="tabs@example.com")
    grant(user, "800")
    item = variant("1000", stock=10)
    method = shipping_methods["store"]

    orders, errors = run_together_split(
        *[
            lambda: place_with_options(user, item, method, credit="800")
            for _ in range(2)
        ]
    )

    assert len(orders) == 1 and len(errors) == 1
    assert isinstance(errors[0], CreditError)
    assert errors[0].message == "You have only NT$0 shopping credit left."
    assert Order.objects.count() == 1
    assert orders[0].total == D(200)
    assert balance(user) == D(0)
    item.refresh_from_db()
    assert item.stock == 9
    assert_consistent()


def test_many_checkouts_never_take_the_balance_below_zero(
    on_postgres,
    transactional_db,
    shipping_methods,  # noqa: F811
):
    user = member(email="crowd@example.com")
    grant(user, "900")
    item = variant("1000", stock=20)
    method = shipping_methods["store"]

    orders, errors = run_together_split(
        *[
            lambda: place_with_options(user, item, method, credit="400")
            for _ in range(4)
        ]
    )

    assert len(orders) == 2 and len(errors) == 2
    assert balance(user) == D(100)
    assert Membership.objects.get(user=user).credit_balance >= 0
    assert_consistent()


def test_a_spend_racing_the_expiry_sweep_stays_consistent(
    on_postgres, transactional_db
):
    users = [member(email=f"sweep{n}@example.com") for n in range(3)]
    soon = timezone.now() + timedelta(hours=1)
    for user in users:
        grant(user, "100", expires_at=soon)
        grant(user, "100")
    CreditLot.objects.filter(expires_at=soon).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    orders = [credit_order(user, ["-53", "-27"]) for user in users]

    outcomes = run_together(
        *[
            lambda order=order: credit.credit_spend_for_order(order=order)
            for order in orders
        ],
        lambda: credit.credit_expire_due(now=timezone.now()),
    )

    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    for user in users:
        assert balance(user) == D(20)
        assert sorted(
            CreditEntry.objects.filter(membership__user=user)
            .exclude(kind="grant")
            .values_list("kind", "amount")
        ) == [("expire", D(-100)), ("spend", D(-80))]
    assert_consistent()


def test_a_notice_and_its_replay_at_once_credit_once(on_postgres, transactional_db):
    from loyalty.purchases.gateways import purchase_gateway, sandbox_notice
    from shop.checkout.errors import NotificationRejected

    user = member(email="notice@example.com")
    topup = purchases.purchase_start(
        user=user, kind="topup", plan=plan(), gateway_code="card"
    )
    gateway = purchase_gateway("card")
    body, headers = sandbox_notice(gateway=gateway, purchase=topup, outcome="paid")

    def apply():
        notice = gateway.verify_payload(body=body, headers=headers)
        return purchases.purchase_notification_process(gateway=gateway, notice=notice)

    results, errors = run_together_split(apply, apply)

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], NotificationRejected)
    assert balance(user) == D(1100)
    assert_consistent()


def test_restoring_twice_at_once_gives_back_once(on_postgres, transactional_db):
    user = member(email="restore@example.com")
    grant(user, "500")
    order = credit_order(user, ["-133", "-67"])
    credit.credit_spend_for_order(order=order)

    outcomes = run_together(
        *[
            lambda: credit.credit_restore_for_order(
                order=order, idempotency_key="cancel", reason="Cancelled"
            )
            for _ in range(2)
        ]
    )

    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    assert {outcome.pk for outcome in outcomes} == {
        CreditEntry.objects.get(kind="restore").pk
    }
    assert balance(user) == D(500)
    assert_consistent()
