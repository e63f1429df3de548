"""Points and a partial return: reversing what the returned units earned, giving
back what they were paid with.

The whole-order versions (a cancellation) are in `reversal` and `spending`;
these take part of an order, a return at a time, so that returning every
unit in several returns adds up exactly to the whole:

- An order line earns one lot. Its points are shared over the line's units
  by the checkout's largest-remainder split (`split_units`, the first units
  carry the odd points), and each return reverses the next units' shares.
  Which units were reversed before is read back from the lot's REVERSE rows,
  so the ledger alone says where the line stands.
- The points an order was paid with come back to the lots its redemption
  drew from (`PointsDraw`), latest-expiring first, so a partial give-back
  keeps the member's longest-lived points (as shopping credit does).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.models import (
    Membership,
    PointsDraw,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
)
from loyalty.services.points.batches import member_expire_due
from loyalty.services.points.ledger import (
    _expiry_key,
    lots_draw,
    lots_for_drawing,
    membership_add,
    memberships_lock,
)
from loyalty.services.points.reversal import reversal_note_short
from loyalty.services.points.spending import (
    draws_restore,
    order_redeem_entry,
    redeem_draws_lock,
)
from shop.checkout.allocation import split_units
from shop.orders.models import OrderLine


@dataclass(frozen=True)
class PointsReversal:
    """What a return takes back of the points its units earned.

    `reversed`: available points taken back (including `short`);
    `pending_cancelled`: pending points cancelled (never spendable, so
    nothing to claw back); `short`: of `reversed`, points already spent with
    nothing left on the member's lots to take them from. With a negative
    balance allowed the balance goes below zero by them; otherwise their
    value is deducted from the refund and the ledger records them as paid.
    """

    reversed: int = 0
    pending_cancelled: int = 0
    short: int = 0


def unit_shares(points: int, quantity: int) -> list[int]:
    """`points` shared over `quantity` units, summing exactly; first units get more."""
    shares = split_units(points, {index: Decimal(1) for index in range(quantity)})
    return [shares[index] for index in range(quantity)]


@dataclass
class _LotPlan:
    lot: PointsLot
    # The returned units' points, then where they come from: off the lot
    # itself, or out of the part of it already spent.
    target: int
    from_lot: int
    from_spent: int
    # Every unit of the line is reversed after this return.
    completes: bool


def _units_done(cumulative: list[int], reversed_before: int) -> int:
    # The fewest units whose shares reach what was reversed; units beyond
    # those carry no points, so the count is exact wherever it matters.
    for count, total in enumerate(cumulative):
        if total >= reversed_before:
            return count
    return len(cumulative) - 1


def _lot_sums(lots: list[PointsLot], kind: str, field: str) -> dict[int, int]:
    return dict(
        PointsEntry.objects.filter(lot__in=lots, kind=kind)
        .values("lot")
        .order_by("lot")
        .annotate(total=Sum(field))
        .values_list("lot", "total")
    )


def _plans(order, units: dict[int, int], lots: list[PointsLot], now) -> list[_LotPlan]:
    quantities = dict(
        OrderLine.objects.filter(order=order, pk__in=list(units)).values_list(
            "pk", "quantity"
        )
    )
    reversed_available = _lot_sums(lots, PointsEntryKind.REVERSE, "points")
    reversed_pending = _lot_sums(lots, PointsEntryKind.REVERSE, "pending_points")
    expired = _lot_sums(lots, PointsEntryKind.EXPIRE, "points")
    plans = []
    for lot in lots:
        quantity = quantities.get(lot.order_line_id)
        count = units.get(lot.order_line_id, 0)
        if not quantity or count <= 0:
            continue
        before = -(reversed_available.get(lot.pk) or 0) - (
            reversed_pending.get(lot.pk) or 0
        )
        cumulative = [0]
        for share in unit_shares(lot.points, quantity):
            cumulative.append(cumulative[-1] + share)
        done = _units_done(cumulative, before)
        after = min(done + count, quantity)
        target = max(cumulative[after] - before, 0)
        remaining = max(lot.remaining, 0)
        expired_points = -(expired.get(lot.pk) or 0)
        if lot.status == PointsLotStatus.AVAILABLE and _past(lot, now):
            # Not swept yet (a preview): it expires before anything is taken.
            expired_points += remaining
            remaining = 0
        from_lot = min(target, remaining)
        from_spent = 0
        if lot.status != PointsLotStatus.PENDING:
            # What left the lot other than by expiry or an earlier reversal
            # was spent; the returned units' points beyond what is still on
            # the lot come out of that part, never out of expired points.
            spent = lot.points - remaining - expired_points - before
            from_spent = min(target - from_lot, max(spent, 0))
        plans.append(
            _LotPlan(
                lot=lot,
                target=target,
                from_lot=from_lot,
                from_spent=from_spent,
                completes=after >= quantity,
            )
        )
    return plans


def _past(lot: PointsLot, now) -> bool:
    return lot.expires_at is not None and lot.expires_at <= now


def _order_lots(order, units: dict[int, int]):
    return PointsLot.objects.filter(order=order, order_line_id__in=list(units)).exclude(
        status=PointsLotStatus.REVERSED
    )


def points_reversal_preview(
    *, order, units: dict[int, int], restoring: int = 0
) -> PointsReversal:
    """What `points_reverse_for_units` would take back now; writes nothing.

    `short` is estimated from the member's spendable lots as they are, plus
    `restoring` points given back just before the reversal (a return's
    redeemed points, which pay for spent ones first); the real reversal
    decides under the member's lock.
    """
    units = {line: count for line, count in units.items() if count > 0}
    lots = list(_order_lots(order, units).order_by("pk"))
    if not lots:
        return PointsReversal()
    now = timezone.now()
    plans = _plans(order, units, lots, now)
    pending = sum(p.from_lot for p in plans if p.lot.status == PointsLotStatus.PENDING)
    available = [p for p in plans if p.lot.status != PointsLotStatus.PENDING]
    taken = sum(p.from_lot + p.from_spent for p in available)
    wanted_from_others = sum(p.from_spent for p in available)
    short = 0
    if wanted_from_others:
        membership_id = lots[0].membership_id
        balance = (
            Membership.objects.filter(pk=membership_id)
            .values_list("points_available", flat=True)
            .get()
        )
        spendable = (
            PointsLot.objects.filter(
                membership_id=membership_id,
                status=PointsLotStatus.AVAILABLE,
                remaining__gt=0,
            )
            .exclude(expires_at__lte=now)
            .aggregate(total=Sum("remaining"))["total"]
            or 0
        )
        # The lots give up their own share first; the spent part is drawn
        # from whatever spendable points are left then.
        on_own = sum(p.from_lot for p in available)
        drawable = max(min(spendable, balance) + restoring - on_own, 0)
        short = max(wanted_from_others - drawable, 0)
    return PointsReversal(reversed=taken, pending_cancelled=pending, short=short)


def _replayed(order, prefix: str) -> PointsReversal | None:
    entries = list(
        PointsEntry.objects.filter(
            order=order,
            kind__in=[PointsEntryKind.REVERSE, PointsEntryKind.ADJUST],
            idempotency_key__startswith=prefix,
        ).annotate(drawn=Sum("draws__points"))
    )
    if not entries:
        return None
    reversals = [e for e in entries if e.kind == PointsEntryKind.REVERSE]
    covered = sum(e.points for e in entries if e.kind == PointsEntryKind.ADJUST)
    taken = sum(-e.points for e in reversals)
    outstanding = sum(max(-e.points - (e.drawn or 0), 0) for e in reversals)
    return PointsReversal(
        reversed=taken,
        pending_cancelled=sum(-e.pending_points for e in reversals),
        short=covered or outstanding,
    )


def _returned_reason(order, reason: str) -> str:
    return reason or _("Items of order %(number)s returned") % {"number": order.number}


def points_reverse_for_units(
    *,
    order,
    units: dict[int, int],
    idempotency_key: str,
    actor=None,
    allow_negative: bool,
    reason: str = "",
) -> PointsReversal:
    """Take back the points the returned units earned; `units`: line id → count.

    Per line, the next `count` units' shares of its lot (see the module
    docstring). One REVERSE row per lot, keyed `<idempotency_key>:lot:<id>`:
    - a pending lot loses those points from its pending balance;
    - an available lot gives up what is still on it, and the rest of the
      units' points, the part already spent, is drawn from the member's
      other lots, soonest-expiring first. Points that expired are not taken
      again.
    What even the other lots cannot cover is `short`. With `allow_negative`
    the balance goes negative by it (later points pay it back, as after a
    cancellation); without, the caller deducts its value from the refund and
    an ADJUST row (`…:covered`) records those points as paid, so the
    balance stays at zero. A lot whose units are all reversed and that holds
    nothing more is marked reversed. A replay of the key writes nothing and
    returns what the first call took.
    """
    units = {line: count for line, count in units.items() if count > 0}
    prefix = f"{idempotency_key}:"
    candidates = _order_lots(order, units)
    members = list(candidates.values_list("membership_id", flat=True).distinct())
    if not members:
        return _replayed(order, prefix) or PointsReversal()
    reason = _returned_reason(order, reason)
    now = timezone.now()
    with transaction.atomic():
        memberships_lock(members)
        replay = _replayed(order, prefix)
        if replay is not None:
            return replay
        for member in sorted(members):
            member_expire_due(member, now)
        lots = list(candidates.select_for_update().order_by("pk"))
        plans = [
            plan
            for plan in _plans(order, units, lots, now)
            if plan.from_lot + plan.from_spent > 0
        ]
        # Every lot gives up its own share first; only then is the spent part
        # drawn, from any spendable lot the member has (these lots included),
        # so the lots keep holding exactly the balance.
        taken = [
            (
                plan,
                _lot_take(
                    plan,
                    order=order,
                    key=f"{prefix}lot:{plan.lot.pk}",
                    reason=reason,
                    actor=actor,
                    now=now,
                ),
            )
            for plan in plans
        ]
        short = sum(
            _spent_take(
                plan,
                entry,
                order=order,
                reason=reason,
                actor=actor,
                now=now,
                allow_negative=allow_negative,
            )
            for plan, entry in taken
            if entry is not None and plan.from_spent
        )
    return PointsReversal(
        reversed=sum(p.from_lot + p.from_spent for p, e in taken if e is not None),
        pending_cancelled=sum(p.from_lot for p, e in taken if e is None),
        short=short,
    )


def _lot_take(plan: _LotPlan, *, order, key, reason, actor, now) -> PointsEntry | None:
    """Write the lot's REVERSE row and take its own share off it.

    Returns the row of an available lot (its spent part is drawn next), None
    for a pending lot, whose share only leaves the pending balance.
    """
    lot = plan.lot
    pending = lot.status == PointsLotStatus.PENDING
    fields = ["remaining"]
    lot.remaining -= plan.from_lot
    if plan.completes and lot.remaining == 0 and lot.status != PointsLotStatus.EXPIRED:
        lot.status = PointsLotStatus.REVERSED
        fields.append("status")
    lot.save(update_fields=fields)
    entry = PointsEntry.objects.create(
        membership_id=lot.membership_id,
        kind=PointsEntryKind.REVERSE,
        points=0 if pending else -(plan.from_lot + plan.from_spent),
        pending_points=-plan.from_lot if pending else 0,
        lot=lot,
        order=order,
        order_line_id=lot.order_line_id,
        actor=actor,
        reason=reason[:255],
        idempotency_key=key,
        created_at=now,
    )
    if pending:
        membership_add(lot.membership_id, pending=-plan.from_lot)
        return None
    if plan.from_lot:
        PointsDraw.objects.create(entry=entry, lot=lot, points=plan.from_lot)
    membership_add(lot.membership_id, available=-(plan.from_lot + plan.from_spent))
    return entry


def _spent_take(
    plan: _LotPlan, entry: PointsEntry, *, order, reason, actor, now, allow_negative
) -> int:
    """Draw the spent part of a lot's share from the member's lots; the points short."""
    short = plan.from_spent - lots_draw(
        entry=entry,
        lots=lots_for_drawing(entry.membership_id, now),
        points=plan.from_spent,
    )
    if not short:
        return 0
    if allow_negative:
        reversal_note_short(entry, reason, short)
        return short
    # Paid for out of the refund: the points count as taken back, so a later
    # return of the line does not ask for them again, and the balance does
    # not go below zero.
    PointsEntry.objects.create(
        membership_id=entry.membership_id,
        kind=PointsEntryKind.ADJUST,
        points=short,
        order=order,
        order_line_id=entry.order_line_id,
        actor=actor,
        reason=_(
            "%(count)d returned points had already been spent; their value was "
            "deducted from the refund."
        )
        % {"count": short},
        idempotency_key=f"{entry.idempotency_key}:covered",
        created_at=now,
    )
    membership_add(entry.membership_id, available=short)
    return short


def points_restore_for_units(
    *, order, points: int, idempotency_key: str, actor=None, reason: str = ""
) -> int:
    """Give back `points` of those `order` was paid with; the points given back.

    To the lots its redemption drew from, latest-expiring first (never
    expiring first of all), at most what each draw has not had back yet, so
    the returns of an order never give back more than it used, and a
    cancellation afterwards gives back only the rest. A lot keeps its expiry:
    one past it expires again at once. One RESTORE row per lot, keyed
    `<idempotency_key>:draw:<id>`; a replay of the key writes nothing and
    returns what the first call gave back. A negative balance is paid back
    from the points first (`debt_settle`).
    """
    if points <= 0:
        return 0
    redeem = order_redeem_entry(order)
    if redeem is None:
        return 0
    prefix = f"{idempotency_key}:"
    now = timezone.now()
    with transaction.atomic():
        before = memberships_lock([redeem.membership_id])[redeem.membership_id]
        done = PointsEntry.objects.filter(
            order=order,
            kind=PointsEntryKind.RESTORE,
            idempotency_key__startswith=prefix,
        ).aggregate(total=Sum("points"))["total"]
        if done is not None:
            return done
        draws, lots = redeem_draws_lock(redeem)
        owed = [draw for draw in draws if draw.points > draw.restored]
        owed.sort(key=lambda draw: _expiry_key(lots[draw.lot_id]), reverse=True)
        gives, left = [], points
        for draw in owed:
            if left <= 0:
                break
            give = min(draw.points - draw.restored, left)
            left -= give
            gives.append((draw, give))
        return draws_restore(
            gives,
            lots,
            redeem=redeem,
            order=order,
            actor=actor,
            reason=_returned_reason(order, reason)[:255],
            key_prefix=prefix,
            now=now,
            balance_before=before,
        )
