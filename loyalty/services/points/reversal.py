"""Reversing what an order earned when it is cancelled (or, later, returned)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.models import (
    PointsDraw,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
)
from loyalty.services.points.batches import member_expire_due
from loyalty.services.points.ledger import (
    lots_draw,
    lots_for_drawing,
    membership_add,
    memberships_lock,
)


def points_reverse_for_order(*, order, actor=None) -> int:
    """Take back the points `order` earned; the points reversed.

    One REVERSE row per lot of the order:
    - a pending lot loses its pending points (nothing was spendable yet);
    - an available (or expired) lot gives up what is left on it, and the part
      of it already spent is taken from the member's other lots,
      soonest-expiring first. If even they fall short, the available balance
      goes negative by the rest and the row's reason says so; points that
      become available later pay it back first (`debt_settle`).
    Points that expired are not taken again. Idempotent: a reversed lot is
    skipped, so a second call writes nothing and returns 0.
    """
    candidates = PointsLot.objects.filter(order=order).exclude(
        status=PointsLotStatus.REVERSED
    )
    members = list(candidates.values_list("membership_id", flat=True).distinct())
    if not members:
        return 0
    now = timezone.now()
    reversed_total = 0
    with transaction.atomic():
        memberships_lock(members)
        lots = list(candidates.select_for_update().order_by("pk"))
        spent = dict(
            PointsDraw.objects.filter(lot__in=lots)
            .values("lot")
            .order_by("lot")
            .annotate(total=Sum(F("points") - F("restored")))
            .values_list("lot", "total")
        )
        own = {lot.pk for lot in lots}
        for lot in lots:
            reversed_total += _lot_reverse(
                lot,
                spent.get(lot.pk) or 0,
                order=order,
                actor=actor,
                now=now,
                skip=own,
            )
    return reversed_total


def _lot_reverse(
    lot: PointsLot, spent: int, *, order, actor, now, skip: set[int]
) -> int:
    """Reverse one lot; `skip` are the order's own lots, never drawn for another."""
    key = f"reverse:lot:{lot.pk}"
    if PointsEntry.objects.filter(idempotency_key=key).exists():
        return 0
    reason = _("Order %(number)s cancelled") % {"number": order.number}
    if lot.status == PointsLotStatus.PENDING:
        pending = lot.remaining
        PointsEntry.objects.create(
            membership_id=lot.membership_id,
            kind=PointsEntryKind.REVERSE,
            pending_points=-pending,
            lot=lot,
            order=order,
            order_line_id=lot.order_line_id,
            actor=actor,
            reason=reason,
            idempotency_key=key,
            created_at=now,
        )
        PointsLot.objects.filter(pk=lot.pk).update(
            remaining=0, status=PointsLotStatus.REVERSED
        )
        membership_add(lot.membership_id, pending=-pending)
        return pending
    on_lot = lot.remaining
    wanted = on_lot + spent
    entry = PointsEntry.objects.create(
        membership_id=lot.membership_id,
        kind=PointsEntryKind.REVERSE,
        points=-wanted,
        lot=lot,
        order=order,
        order_line_id=lot.order_line_id,
        actor=actor,
        reason=reason,
        idempotency_key=key,
        created_at=now,
    )
    if on_lot:
        PointsDraw.objects.create(entry=entry, lot=lot, points=on_lot)
    PointsLot.objects.filter(pk=lot.pk).update(
        remaining=0, status=PointsLotStatus.REVERSED
    )
    short = spent
    if short:
        member_expire_due(lot.membership_id, now)
        others = [
            other
            for other in lots_for_drawing(lot.membership_id, now)
            if other.pk not in skip
        ]
        short -= lots_draw(entry=entry, lots=others, points=short)
    if short:
        reversal_note_short(entry, reason, short)
    membership_add(lot.membership_id, available=-wanted)
    return wanted


def reversal_note_short(entry: PointsEntry, reason: str, short: int) -> None:
    """Say on a REVERSE row that `short` of its points were spent, unrecovered.

    The balance is left negative by them; later points pay them back.
    """
    entry.reason = (
        reason
        + " "
        + _(
            "%(count)d points had already been spent; the balance is negative "
            "until new points pay them back."
        )
        % {"count": short}
    )[:255]
    entry.save(update_fields=["reason"])
