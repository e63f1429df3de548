"""Reads of shopping credit for the member area and the API.

The wallet by kind of money (paid top-up money, top-up bonus, other credit)
with the days it expires, the ledger, the top-up plans on sale. Each read is
a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from loyalty.models import (
    CreditEntry,
    CreditLot,
    CreditSource,
    Membership,
    TopUpPlan,
)
from loyalty.services.points import last_valid_day

# The kinds of money the member sees apart.
PAID = "paid"
BONUS = "bonus"
OTHER = "other"


def credit_group(source: str) -> str:
    if source == CreditSource.TOPUP:
        return PAID
    if source == CreditSource.TOPUP_BONUS:
        return BONUS
    return OTHER


@dataclass(frozen=True, slots=True)
class CreditOnDate:
    """`amount` of credit whose last usable day is `on`."""

    on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class CreditPart:
    """One kind of money in the wallet, and when what of it expires."""

    kind: str
    amount: Decimal
    # Soonest first; credit that never expires is not listed.
    expiries: list[CreditOnDate] = field(default_factory=list)

    @property
    def never_expiring(self) -> Decimal:
        return self.amount - sum((row.amount for row in self.expiries), Decimal(0))


@dataclass(frozen=True, slots=True)
class CreditSummary:
    """A member's usable credit: in total, by kind, and by last usable day."""

    balance: Decimal
    currency: str
    paid: CreditPart
    bonus: CreditPart
    other: CreditPart
    # All kinds together, soonest first.
    expiries: list[CreditOnDate]

    @property
    def parts(self) -> list[CreditPart]:
        return [self.paid, self.bonus, self.other]


def credit_summary(*, membership: Membership | None, now=None) -> CreditSummary:
    """What `membership` can spend now, split by kind, with expiry days. One query.

    Lots past their expiry that the hourly sweep has not reached yet are
    left out: they cannot be spent any more.
    """
    now = now or timezone.now()
    rows = []
    if membership is not None:
        rows = list(
            CreditLot.objects.filter(membership=membership, remaining__gt=0)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .values("source", "expires_at")
            .order_by("expires_at", "source")
            .annotate(total=Sum("remaining"))
            .values_list("source", "expires_at", "total")
        )
    amounts = {PAID: Decimal(0), BONUS: Decimal(0), OTHER: Decimal(0)}
    by_day: dict[str, dict[date, Decimal]] = {PAID: {}, BONUS: {}, OTHER: {}}
    all_days: dict[date, Decimal] = {}
    for source, expires_at, total in rows:
        group = credit_group(source)
        amounts[group] += total
        if expires_at is not None:
            day = last_valid_day(expires_at)
            by_day[group][day] = by_day[group].get(day, Decimal(0)) + total
            all_days[day] = all_days.get(day, Decimal(0)) + total

    def dated(days: dict[date, Decimal]) -> list[CreditOnDate]:
        return [CreditOnDate(on=day, amount=days[day]) for day in sorted(days)]

    return CreditSummary(
        balance=sum(amounts.values(), Decimal(0)),
        currency=settings.SHOP_CURRENCY,
        paid=CreditPart(PAID, amounts[PAID], dated(by_day[PAID])),
        bonus=CreditPart(BONUS, amounts[BONUS], dated(by_day[BONUS])),
        other=CreditPart(OTHER, amounts[OTHER], dated(by_day[OTHER])),
        expiries=dated(all_days),
    )


def credit_history(*, membership: Membership) -> QuerySet[CreditEntry]:
    """The member's credit ledger, newest first, with what each row links to."""
    return (
        CreditEntry.objects.filter(membership=membership)
        .select_related("order", "purchase")
        .order_by("-created_at", "-id")
    )


def topup_plans_on_sale() -> QuerySet[TopUpPlan]:
    """The top-up plans a member can buy, in the merchant's order.

    Each with `credit_total`: the credit it brings (price plus bonus).
    """
    return (
        TopUpPlan.objects.filter(is_active=True)
        .annotate(credit_total=F("price") + F("bonus"))
        .order_by("position", "price", "id")
    )
