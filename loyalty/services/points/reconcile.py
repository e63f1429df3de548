"""Proving the cached balances: ledger sums and lots against the membership row."""

from __future__ import annotations

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from loyalty.models import Membership, PointsEntry, PointsLot, PointsLotStatus


def _sum(queryset, field: str) -> Coalesce:
    total = (
        queryset.filter(membership=OuterRef("pk"))
        .order_by()
        .values("membership")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def points_reconcile() -> list[tuple[int, int, int, int, int]]:
    """Members whose cached balances differ from their ledger, in pk order.

    Each as (membership id, cached available, ledger available, cached
    pending, ledger pending), where the ledger figures are the sums of the
    entries' `points` and `pending_points`. Empty when every cache is right.
    """
    return list(
        Membership.objects.annotate(
            ledger_available=_sum(PointsEntry.objects, "points"),
            ledger_pending=_sum(PointsEntry.objects, "pending_points"),
        )
        .filter(
            ~Q(points_available=F("ledger_available"))
            | ~Q(points_pending=F("ledger_pending"))
        )
        .order_by("pk")
        .values_list(
            "pk",
            "points_available",
            "ledger_available",
            "points_pending",
            "ledger_pending",
        )
    )


def points_lot_differences() -> list[tuple[int, int, int, int, int]]:
    """Members whose lots do not hold their balances, in pk order.

    The available lots must hold max(available balance, 0) points (a
    negative balance is a debt with empty lots) and the pending lots the
    pending balance. Each as (membership id, available balance, on available
    lots, pending balance, on pending lots).
    """
    available = PointsLot.objects.filter(status=PointsLotStatus.AVAILABLE)
    pending = PointsLot.objects.filter(status=PointsLotStatus.PENDING)
    return list(
        Membership.objects.annotate(
            on_available=_sum(available, "remaining"),
            on_pending=_sum(pending, "remaining"),
            expected=Greatest(F("points_available"), Value(0)),
        )
        .filter(~Q(on_available=F("expected")) | ~Q(points_pending=F("on_pending")))
        .order_by("pk")
        .values_list(
            "pk", "points_available", "on_available", "points_pending", "on_pending"
        )
    )
