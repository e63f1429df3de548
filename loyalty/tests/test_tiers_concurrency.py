"""Tier writes under concurrent calls (PostgreSQL only).

Two payments of one member at once, a paid event delivered three times at
once, two nightly runs at once: the membership lock makes each caller see the
others' committed spend, so every order counts once, the upgrade happens once
and the nightly run decides every member once.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.models import Membership, QualifyingSpend, TierChange
from loyalty.services.tiers import spend_count_order, tiers_renew_or_downgrade
from loyalty.tests.factories import member_create
from loyalty.tests.tiers_support import at, member_holding, spend_add
from shop.catalog.tests.factories import VariantFactory
from shop.core.tests.concurrency import run_together_split
from shop.orders import services as orders
from shop.orders.models import Order
from shop.orders.tests.factories import order_with_lines

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def order_for(user, price):
    variant = VariantFactory(price=Decimal(price), stock=5)
    return order_with_lines(user=user, items=[(variant, 1)], language="en")


def test_two_payments_at_once_count_both_and_upgrade_once(on_postgres):
    user = member_create()
    first, second = order_for(user, "2600"), order_for(user, "2600")

    def pay(order):
        return lambda: orders.order_mark_paid(order=Order.objects.get(pk=order.pk))

    results, errors = run_together_split(pay(first), pay(second))

    assert errors == []
    membership = Membership.objects.select_related("tier").get(user=user)
    assert (membership.total_spend, membership.order_count) == (Decimal("5200.00"), 2)
    assert membership.tier.code == "silver"
    assert TierChange.objects.filter(kind=TierChange.Kind.UPGRADE).count() == 1


def test_a_paid_event_delivered_three_times_at_once_counts_once(on_postgres):
    user = member_create()
    order = order_for(user, "5200")
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())

    def count():
        return spend_count_order(order=Order.objects.get(pk=order.pk))

    results, errors = run_together_split(count, count, count)

    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert QualifyingSpend.objects.count() == 1
    membership = Membership.objects.get(user=user)
    assert (membership.total_spend, membership.order_count) == (Decimal("5200.00"), 1)
    assert TierChange.objects.filter(kind=TierChange.Kind.UPGRADE).count() == 1


def test_two_nightly_runs_at_once_decide_each_member_once(on_postgres):
    since, expired = at(date(2026, 3, 10)), date(2027, 3, 9)
    kept = [member_holding("gold", since=since, expires_on=expired) for _ in range(3)]
    for user in kept:
        spend_add(user, "10000", on=date(2026, 6, 1))
    dropped = [
        member_holding("gold", since=since, expires_on=expired) for _ in range(2)
    ]

    def run():
        return tiers_renew_or_downgrade(today=date(2027, 3, 10), batch_size=2)

    results, errors = run_together_split(run, run)

    assert errors == []
    assert sum(r.renewed for r in results) == 3
    assert sum(r.downgraded for r in results) == 2
    assert TierChange.objects.filter(kind__in=["renewal", "downgrade"]).count() == 5
    assert sorted(
        Membership.objects.filter(user__in=kept + dropped).values_list(
            "tier__code", flat=True
        )
    ) == ["gold", "gold", "gold", "silver", "silver"]


def test_a_payment_during_the_nightly_run_is_taken_into_account(on_postgres):
    import time

    from django.db import transaction

    today = timezone.localdate()
    user = member_holding(
        "gold",
        since=at(today - timedelta(days=200)),
        expires_on=today - timedelta(days=1),
    )
    # Before the tier started: counts towards qualifying (NT$15,000 in 12
    # months) but not towards keeping it.
    spend_add(user, "14000", on=today - timedelta(days=250))
    order = order_for(user, "2000")
    Order.objects.filter(pk=order.pk).update(paid_at=timezone.now())

    def pay():
        with transaction.atomic():
            spend_count_order(order=Order.objects.get(pk=order.pk))
            time.sleep(1.5)  # holds the member's lock while the run decides

    def run():
        time.sleep(0.5)
        return tiers_renew_or_downgrade(today=today)

    results, errors = run_together_split(pay, run)

    assert errors == []
    membership = Membership.objects.select_related("tier").get(user=user)
    assert membership.tier.code == "gold"
    assert list(
        TierChange.objects.filter(kind__in=["renewal", "downgrade"]).values_list(
            "kind", "reason"
        )
    ) == [("renewal", "Qualified again for Gold")]
