"""Shared pieces of the shopping-credit tests: members with credit, orders paying
with it, top-up plans, and what the ledger holds."""

from __future__ import annotations

import secrets
from decimal import Decimal

from loyalty.credit import services as credit
from loyalty.models import (
    CreditEntry,
    CreditLot,
    CreditSource,
    Membership,
    TopUpPlan,
)
from loyalty.tests.points_support import member_order


def D(value) -> Decimal:  # noqa: N802 - reads like the literal it stands for
    return Decimal(str(value))


def grant(user, amount, *, source=CreditSource.CAMPAIGN, expires_at=None, key=None):
    """Give `user` credit from `source`; the GRANT row."""
    return credit.credit_grant(
        user=user,
        amount=D(amount),
        source=source,
        idempotency_key=key or f"test:{secrets.token_hex(8)}",
        reason="Test credit",
        expires_at=expires_at,
    )


def balance(user) -> Decimal:
    return Membership.objects.get(user=user).credit_balance


def lots_of(user) -> list[tuple]:
    """(source, amount, remaining) of the member's lots, oldest first."""
    return list(
        CreditLot.objects.filter(membership__user=user)
        .order_by("pk")
        .values_list("source", "amount", "remaining")
    )


def entries_of(user, **filters) -> list[tuple]:
    """(kind, amount) of the member's ledger rows, oldest first."""
    return list(
        CreditEntry.objects.filter(membership__user=user, **filters)
        .order_by("pk")
        .values_list("kind", "amount")
    )


def credit_order(user, shares, **kwargs):
    """A placed-like order of `user` paying with credit, split over its lines.

    `shares` are the credit allocations per line (negative strings), e.g.
    ["-300", "-100"] for the default two lines; the TENDER adjustment is
    "credit" with their sum.
    """
    tenders = {"credit": list(shares)} if shares else None
    return member_order(user, tenders=tenders, **kwargs)


def plan(price="1000", bonus="100", days=30, **fields) -> TopUpPlan:
    return TopUpPlan.objects.create(
        name=fields.pop("name", f"Top up {price}"),
        price=D(price),
        bonus=D(bonus),
        bonus_valid_days=days,
        **fields,
    )


def assert_consistent() -> None:
    assert credit.credit_reconcile() == []
