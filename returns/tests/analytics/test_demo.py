"""The returns part of `seed_demo`: guests and members return, idempotently."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from loyalty.demo import member_state
from returns.analytics import analytics_period, rates_by_membership
from returns.models import (
    Refund,
    Resolution,
    ReturnEvent,
    ReturnRequest,
    ReturnStatus,
)
from shop.accounts.models import User
from shop.catalog.stock import stock_differences
from shop.orders.models import Order

pytestmark = pytest.mark.django_db

PRODUCTS = 16


def seed(**options) -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        products=PRODUCTS,
        customers=8,
        stdout=out,
        stderr=StringIO(),
        **options,
    )
    return out.getvalue()


def counts() -> dict:
    return {
        "requests": ReturnRequest.objects.count(),
        "events": ReturnEvent.objects.count(),
        "refunds": Refund.objects.count(),
        "orders": Order.objects.count(),
        "guest orders": Order.objects.filter(user__isnull=True).count(),
    }


def test_guests_and_members_return_and_the_dashboard_compares_them():
    text = seed()

    guests = ReturnRequest.objects.filter(user__isnull=True)
    assert Order.objects.filter(user__isnull=True).count() == 12
    assert sorted(guests.values_list("status", flat=True)) == sorted(
        [
            ReturnStatus.CLOSED,  # the exchange, S for L
            ReturnStatus.CLOSED,  # refunded by bank transfer, paid
            ReturnStatus.RESOLVED,
            ReturnStatus.RESOLVED,
            ReturnStatus.RESOLVED,
            ReturnStatus.RECEIVED,
            ReturnStatus.REQUESTED,
        ]
    )
    assert guests.filter(resolution=Resolution.EXCHANGE).count() == 1
    members = ReturnRequest.objects.filter(user__isnull=False)
    assert members.exists()
    assert not members.filter(user__email__in=["member1@example.com"]).exists()
    assert not members.filter(user__email__in=["member2@example.com"]).exists()
    assert Refund.objects.filter(to_credit__gt=0).exists()

    rates = rates_by_membership(period=analytics_period(days=365))
    assert rates.members.returned > 0 and rates.guests.returned > 0
    waiting = guests.get(status=ReturnStatus.REQUESTED)
    assert f"Waiting for staff: {waiting.number} (guest11@example.com)" in text
    assert "/admin/returns/analytics/" in text
    assert "member1@example.com can return order" in text


def test_seeding_twice_changes_nothing_and_nobody_is_emailed():
    seed()
    first = counts()
    states = [
        member_state(User.objects.get(email=f"member{n}@example.com"))
        for n in range(1, 9)
    ]

    text = seed()

    assert counts() == first
    assert "Returns" in text and "(0 new)" in text
    assert [
        member_state(User.objects.get(email=f"member{n}@example.com"))
        for n in range(1, 9)
    ] == states
    assert stock_differences() == []
    assert mail.outbox == []


def test_reset_deletes_the_returns_and_seeds_them_again():
    seed()
    first = counts()
    old = set(ReturnRequest.objects.values_list("pk", flat=True))

    seed(reset=True)

    assert counts()["requests"] == first["requests"]
    assert counts()["guest orders"] == 12
    assert not old & set(ReturnRequest.objects.values_list("pk", flat=True))
