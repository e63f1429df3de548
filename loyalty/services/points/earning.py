"""Earning points: pending lots when an order is paid, available after cooling-off.

Points are pending while the shopper may still send the order back without
reason (鑑賞期), so a return in that time never needs a clawback. They become
available when the cooling-off period after delivery ends (the release sweep)
or at once when the order completes, whichever comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.models import PointsEntry, PointsEntryKind, PointsLot, PointsLotStatus
from loyalty.selectors.programme import programme
from loyalty.services.membership import membership_lock
from loyalty.services.points.batches import lots_release, sweep
from loyalty.services.points.ledger import (
    floor_int,
    lot_expiry,
    membership_add,
    memberships_lock,
    split_points,
)
from shop.orders.models import AdjustmentKind, OrderAdjustment, OrderLine
from shop.orders.selectors import order_cooling_off_ends

# The order adjustment of the part paid with points (see loyalty.adjusters).
POINTS_CODE = "points"
# The member-day discount; its `data["points_multiplier"]` multiplies the
# tier's (see loyalty.privileges.adjusters).
MEMBER_DAY_CODE = "member_day"


def points_for_amount(*, amount: Decimal, multiplier: Decimal) -> int:
    """Points earned on `amount` at a tier `multiplier`, rounded down once.

    `earn_points` for every `earn_per_amount`, times the multiplier, in
    Decimal: with 1 point per NT$100, NT$2,990 earns 29 points, and 44 at
    ×1.5 (44.85 rounded down). Nothing for an amount of zero or less.
    """
    settings_ = programme()
    amount, multiplier = Decimal(amount), Decimal(multiplier)
    if amount <= 0 or multiplier <= 0 or not settings_.earn_points:
        return 0
    exact = amount * settings_.earn_points * multiplier / settings_.earn_per_amount
    return floor_int(exact)


@dataclass(frozen=True)
class EarnBase:
    """The amount of an order that earns points, and each line's share of it."""

    amount: Decimal
    # Order line id → the line's part of `amount` (without shipping): the
    # weights the order's points are split by.
    weights: dict[int, Decimal]
    # Extra multiplier of an order placed on a member day (1 otherwise).
    member_day_multiplier: Decimal = Decimal(1)


def _spread(weights: dict[int, Decimal], amount: Decimal) -> None:
    positive = {key: w for key, w in weights.items() if w > 0}
    total = sum(positive.values(), Decimal(0))
    if total <= 0:
        return
    for key, weight in positive.items():
        weights[key] += amount * weight / total


def order_earn_base(*, order) -> EarnBase:
    """What of `order` earns points, under the programme's switches.

    The lines after their discounts; without the part paid with points
    (adjustment kind TENDER, code "points") unless `earn_on_points_paid`,
    without any other tender (shopping credit) unless `earn_on_credit_paid`;
    with shipping only if `earn_on_shipping`. An amount without allocations
    to lines is spread over the lines in proportion. An order placed on a
    member day carries the member-day points multiplier of its discount.
    """
    settings_ = programme()
    weights = {
        pk: subtotal
        for pk, subtotal in OrderLine.objects.filter(order=order)
        .order_by("pk")
        .values_list("pk", "subtotal")
    }
    amount = sum(weights.values(), Decimal(0))
    adjustments = (
        OrderAdjustment.objects.filter(order=order)
        .prefetch_related("allocations")
        .order_by("position", "pk")
    )
    member_day_multiplier = Decimal(1)
    for adjustment in adjustments:
        if adjustment.code == MEMBER_DAY_CODE:
            extra = (adjustment.data or {}).get("points_multiplier")
            if extra:
                member_day_multiplier = max(Decimal(str(extra)), Decimal(1))
        if adjustment.kind == AdjustmentKind.SHIPPING:
            if settings_.earn_on_shipping:
                amount += adjustment.amount
            continue
        if adjustment.kind == AdjustmentKind.TENDER:
            earns = (
                settings_.earn_on_points_paid
                if adjustment.code == POINTS_CODE
                else settings_.earn_on_credit_paid
            )
            if earns:
                continue
        # A discount, or a tender that does not earn: off the base.
        amount += adjustment.amount
        allocated = Decimal(0)
        for allocation in adjustment.allocations.all():
            if allocation.line_id in weights:
                weights[allocation.line_id] += allocation.amount
                allocated += allocation.amount
        if adjustment.amount != allocated:
            _spread(weights, adjustment.amount - allocated)
    return EarnBase(
        amount=max(amount, Decimal(0)),
        weights=weights,
        member_day_multiplier=member_day_multiplier,
    )


def points_award_for_order(*, order) -> list[PointsEntry]:
    """Earn the points of a paid order, pending: a lot and an EARN row per line.

    The order's points are computed once from its earn base at the member's
    tier multiplier (the tier held when paid), times the member-day
    multiplier when the order was placed on a member day, then split over the lines by
    largest remainder so the lots add up exactly; lines with no points get no
    lot. Each lot expires by the programme's rule counted from now, and
    becomes available when the cooling-off period after delivery ends (unknown
    until the order is delivered, see `points_schedule_release`).
    Idempotent: once the order has earned, a call writes nothing and returns
    an empty list; so does an order of a guest or one that earns no points.
    """
    if order.user_id is None:
        return []
    now = timezone.now()
    with transaction.atomic():
        membership = membership_lock(user=order.user)
        if PointsEntry.objects.filter(order=order, kind=PointsEntryKind.EARN).exists():
            return []
        base = order_earn_base(order=order)
        total = points_for_amount(
            amount=base.amount,
            multiplier=membership.tier.points_multiplier * base.member_day_multiplier,
        )
        if total <= 0:
            return []
        expires_at = lot_expiry(earned_at=now, programme=programme())
        available_at = order_cooling_off_ends(order=order)
        lots = PointsLot.objects.bulk_create(
            PointsLot(
                membership=membership,
                status=PointsLotStatus.PENDING,
                points=points,
                remaining=points,
                available_at=available_at,
                expires_at=expires_at,
                order=order,
                order_line_id=line_id,
                created_at=now,
            )
            for line_id, points in split_points(total, base.weights).items()
            if points > 0
        )
        reason = _("Earned with order %(number)s") % {"number": order.number}
        entries = PointsEntry.objects.bulk_create(
            PointsEntry(
                membership=membership,
                kind=PointsEntryKind.EARN,
                points=0,
                pending_points=lot.points,
                lot=lot,
                order=order,
                order_line_id=lot.order_line_id,
                reason=reason,
                idempotency_key=f"earn:line:{lot.order_line_id}",
                created_at=now,
            )
            for lot in lots
        )
        membership_add(membership.pk, pending=total)
    return entries


def points_schedule_release(*, order) -> int:
    """Date the release of a delivered order's pending lots; the lots dated.

    They become available when its cooling-off period ends
    (`order_cooling_off_ends`). No balance changes, so no ledger row; calling
    it again sets the same date.
    """
    ends = order_cooling_off_ends(order=order)
    if ends is None:
        return 0
    pending = PointsLot.objects.filter(order=order, status=PointsLotStatus.PENDING)
    with transaction.atomic():
        memberships_lock(pending.values_list("membership_id", flat=True).distinct())
        return pending.update(available_at=ends)


def points_release_for_order(*, order, now: datetime | None = None) -> int:
    """Make the order's pending points available now (it has completed).

    One RELEASE row per lot; the points released. Idempotent: released lots
    are not pending any more, so a second call writes nothing and returns 0.
    """
    now = now or timezone.now()
    ids = list(
        PointsLot.objects.filter(
            order=order, status=PointsLotStatus.PENDING
        ).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    reason = _("Order %(number)s completed") % {"number": order.number}
    with transaction.atomic():
        return lots_release(lot_ids=ids, now=now, reason=reason, due_only=False)


def points_release_due(*, now: datetime) -> int:
    """Release every pending lot whose cooling-off period has ended by `now`.

    The beat task. Set-based: batches of lots, each one transaction that
    locks the members, writes the RELEASE rows with one statement and
    updates the lots and balances with one each. Returns the points released;
    running it again (a retried task) releases nothing more.
    """
    reason = _("Cooling-off period over")
    candidates = PointsLot.objects.filter(
        status=PointsLotStatus.PENDING, available_at__lte=now
    )
    return sweep(
        candidates,
        lambda ids: lots_release(lot_ids=ids, now=now, reason=reason, due_only=True),
    )
