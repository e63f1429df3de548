"""Proving the credit wallet: the cached balance against the ledger, the lots
and the draws."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from loyalty.models import (
    CreditDraw,
    CreditEntry,
    CreditEntryKind,
    CreditLot,
    Membership,
)

_MONEY = DecimalField(max_digits=14, decimal_places=2)
_ZERO = Value(Decimal(0), output_field=_MONEY)


def _sum(queryset, field: str, link: str, outer: str = "pk") -> Coalesce:
    total = (
        queryset.filter(**{link: OuterRef(outer)})
        .order_by()
        .values(link)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=_MONEY), _ZERO)


def _text(amount) -> str:
    # Sums come back with the database's own scale; print them alike.
    return f"{Decimal(amount or 0):.2f}"


def credit_reconcile() -> list[str]:
    """Every way the credit wallet disagrees with itself; empty when it is right.

    - a member's cached `credit_balance` differs from the sum of their entries;
    - a member's balance differs from what their lots hold (`remaining`);
    - a spend, withdrawal or deduction differs from the sum of its draws, or
      another kind of entry has draws;
    - what an order's draws say was given back differs from its RESTORE rows.
    Each difference is one line naming the member, entry or order.
    """
    problems: list[str] = []
    members = (
        Membership.objects.annotate(
            ledger=_sum(CreditEntry.objects, "amount", "membership"),
            on_lots=_sum(CreditLot.objects, "remaining", "membership"),
        )
        .filter(~Q(credit_balance=F("ledger")) | ~Q(credit_balance=F("on_lots")))
        .order_by("pk")
        .values_list("pk", "credit_balance", "ledger", "on_lots")
    )
    for pk, balance, ledger, on_lots in members:
        problems.append(
            f"member {pk}: credit balance {_text(balance)}, ledger {_text(ledger)}, "
            f"lots {_text(on_lots)}"
        )
    drawn_kinds = [CreditEntryKind.SPEND, CreditEntryKind.WITHDRAW]
    entries = (
        CreditEntry.objects.annotate(
            drawn=_sum(CreditDraw.objects, "amount", "entry"),
        )
        .filter(
            (
                (Q(kind__in=drawn_kinds) | Q(kind=CreditEntryKind.ADJUST, amount__lt=0))
                & ~Q(drawn=-F("amount"))
            )
            | (
                ~Q(kind__in=drawn_kinds)
                & ~Q(kind=CreditEntryKind.ADJUST, amount__lt=0)
                & ~Q(drawn=0)
            )
        )
        .order_by("pk")
        .values_list("pk", "kind", "amount", "drawn")
    )
    for pk, kind, amount, drawn in entries:
        problems.append(
            f"entry {pk} ({kind}): amount {_text(amount)}, drawn {_text(drawn)}"
        )
    restored = dict(
        CreditDraw.objects.filter(
            entry__kind=CreditEntryKind.SPEND, entry__order__isnull=False
        )
        .values("entry__order")
        .order_by("entry__order")
        .annotate(total=Sum("restored"))
        .values_list("entry__order", "total")
    )
    booked = dict(
        CreditEntry.objects.filter(kind=CreditEntryKind.RESTORE, order__isnull=False)
        .values("order")
        .order_by("order")
        .annotate(total=Sum("amount"))
        .values_list("order", "total")
    )
    for order_id in sorted(set(restored) | set(booked)):
        on_draws = restored.get(order_id) or Decimal(0)
        on_entries = booked.get(order_id) or Decimal(0)
        if on_draws != on_entries:
            problems.append(
                f"order {order_id}: draws restored {_text(on_draws)}, "
                f"restore entries {_text(on_entries)}"
            )
    return problems
