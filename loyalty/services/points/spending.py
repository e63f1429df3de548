"""Spending points: the limits at checkout, redemption in the order, restoring it,
and staff adjustments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.errors import LoyaltyError, PointsError
from loyalty.models import (
    Membership,
    PointsDraw,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
)
from loyalty.selectors.programme import programme
from loyalty.services.membership import membership_lock
from loyalty.services.points.batches import debt_settle, member_expire_due
from loyalty.services.points.earning import POINTS_CODE
from loyalty.services.points.ledger import (
    floor_int,
    lot_expiry,
    lots_draw,
    lots_for_drawing,
    membership_add,
    membership_balance,
)
from shop.core.money import Money, format_money, money_round
from shop.orders.models import AdjustmentKind, OrderAdjustment


@dataclass(frozen=True)
class RedeemLimits:
    """How many points a member may use on a quote now.

    `max_points` is 0 when points cannot be used at all (`reason` says why);
    otherwise any whole number from `min_points` to `max_points` may be used.
    """

    available: int
    min_points: int
    max_points: int
    point_value: Decimal
    currency: str
    reason: str = ""

    @property
    def usable(self) -> bool:
        return self.max_points > 0

    def value_of(self, points: int) -> Money:
        """What `points` pay, rounded to the currency as charged."""
        return Money(
            money_round(Decimal(points) * self.point_value, self.currency),
            self.currency,
        )


def redeem_limits(*, quote, membership: Membership | None) -> RedeemLimits:
    """The points `membership` may use on `quote` now.

    At most the available balance; at most `redeem_max_percent` % of the
    items' total after discounts (shipping excluded), in points of
    `point_value`; never more than the quote still has to pay; nothing when
    the items' total is below `redeem_min_order`; and at least
    `redeem_min_points`. A points adjustment already in the quote is not
    counted against it. The balance is the cached one: placement checks it
    again under the member's lock.
    """
    settings_ = programme()
    currency = quote.currency
    available = max(membership.points_available, 0) if membership else 0
    value = settings_.point_value

    def limits(max_points: int, reason: str = "") -> RedeemLimits:
        return RedeemLimits(
            available=available,
            min_points=settings_.redeem_min_points,
            max_points=max_points,
            point_value=value,
            currency=currency,
            reason=reason,
        )

    items = quote.merchandise_after_discounts().amount
    if available <= 0:
        return limits(0, _("You have no points to use yet."))
    if items < settings_.redeem_min_order:
        return limits(
            0,
            _("Points can be used on orders of %(amount)s or more.")
            % {"amount": format_money(settings_.redeem_min_order, currency)},
        )
    if items <= 0:
        return limits(0, _("Nothing in this order can be paid with points."))
    by_share = floor_int(items * settings_.redeem_max_percent / 100 / value)
    already = sum(
        (a.amount.amount for a in quote.adjustments if a.code == POINTS_CODE),
        Decimal(0),
    )
    by_total = floor_int((quote.total.amount - already) / value)
    most = min(available, by_share, by_total)
    if most < settings_.redeem_min_points:
        return limits(
            0,
            ngettext(
                "At least %(count)d point is needed to pay with points.",
                "At least %(count)d points are needed to pay with points.",
                settings_.redeem_min_points,
            )
            % {"count": settings_.redeem_min_points},
        )
    return limits(most)


def points_check_request(*, points: int, limits: RedeemLimits) -> None:
    """Raise PointsError (field "points") unless `points` fit within `limits`."""
    if points > limits.available:
        raise PointsError(
            _("You have only %(count)d points available.")
            % {"count": limits.available},
            field="points",
            code="points_unavailable",
        )
    if not limits.usable:
        raise PointsError(limits.reason, field="points", code="points_not_usable")
    if points < limits.min_points:
        raise PointsError(
            _("Use at least %(count)d points.") % {"count": limits.min_points},
            field="points",
            code="points_too_few",
        )
    if points > limits.max_points:
        raise PointsError(
            _("You can use at most %(count)d points on this order.")
            % {"count": limits.max_points},
            field="points",
            code="points_too_many",
        )


def _order_points(order) -> int:
    adjustments = getattr(order, "placed_adjustments", None)
    if adjustments is None:
        adjustments = OrderAdjustment.objects.filter(
            order=order, code=POINTS_CODE, kind=AdjustmentKind.TENDER
        )
    total = 0
    for adjustment in adjustments:
        if adjustment.code == POINTS_CODE and adjustment.kind == AdjustmentKind.TENDER:
            total += int((adjustment.data or {}).get("points") or 0)
    return total


def points_redeem_for_order(*, order) -> PointsEntry | None:
    """Take the points an order pays with, inside its placement transaction.

    Reads the order's TENDER adjustment "points" (`data["points"]`). Locks
    the member, expires lots past their expiry, checks the balance again and
    raises PointsError ("You have only N points available.") when it is
    short, which rolls the whole placement back. Otherwise draws the
    soonest-expiring lots first (never-expiring last) and writes one REDEEM
    row with a PointsDraw per lot, so a cancellation restores the same lots.
    Returns the REDEEM row (the existing one on a repeated call), or None
    when the order uses no points.
    """
    points = _order_points(order)
    if points <= 0 or order.user_id is None:
        return None
    key = f"redeem:order:{order.pk}"
    now = timezone.now()
    with transaction.atomic():
        membership = membership_lock(user=order.user)
        existing = PointsEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        member_expire_due(membership.pk, now)
        balance = membership_balance(membership.pk)
        lots = lots_for_drawing(membership.pk, now)
        drawable = min(balance, sum(lot.remaining for lot in lots))
        if drawable < points:
            raise PointsError(
                _("You have only %(count)d points available.")
                % {"count": max(drawable, 0)},
                field="points",
                code="points_unavailable",
            )
        entry = PointsEntry.objects.create(
            membership=membership,
            kind=PointsEntryKind.REDEEM,
            points=-points,
            order=order,
            reason=_("Paid part of order %(number)s") % {"number": order.number},
            idempotency_key=key,
            created_at=now,
        )
        lots_draw(entry=entry, lots=lots, points=points)
        membership_add(membership.pk, available=-points)
    return entry


def order_redeem_entry(order) -> PointsEntry | None:
    """The REDEEM row of the points `order` paid with, or None."""
    return PointsEntry.objects.filter(
        idempotency_key=f"redeem:order:{order.pk}"
    ).first()


def redeem_draws_lock(redeem: PointsEntry) -> tuple[list[PointsDraw], dict]:
    """The draws of `redeem` and, locked in pk order, {lot id: lot} they drew on."""
    draws = list(PointsDraw.objects.filter(entry=redeem).order_by("lot_id", "pk"))
    lots = {
        lot.pk: lot
        for lot in PointsLot.objects.select_for_update()
        .filter(pk__in=[draw.lot_id for draw in draws])
        .order_by("pk")
    }
    return draws, lots


def draws_restore(
    gives: list[tuple[PointsDraw, int]],
    lots: dict,
    *,
    redeem: PointsEntry,
    order,
    actor,
    reason: str,
    key_prefix: str,
    now,
    balance_before: int,
) -> int:
    """Give each (draw, points) of `gives` back to the lot it drew on; the total.

    One RESTORE row per draw, keyed `<key_prefix>draw:<draw id>`; a lot keeps
    its expiry (one past it expires again at once), and a negative balance
    before (`balance_before`) is paid back from the points first. The caller
    holds the member's lock and the lots' (`redeem_draws_lock`).
    """
    entries = []
    for draw, give in gives:
        lot = lots[draw.lot_id]
        lot.remaining += give
        if lot.status != PointsLotStatus.AVAILABLE:
            # Expired or reversed since: the points come back all the same,
            # and an expired lot goes again below.
            lot.status = PointsLotStatus.AVAILABLE
        draw.restored += give
        entries.append(
            PointsEntry(
                membership_id=redeem.membership_id,
                kind=PointsEntryKind.RESTORE,
                points=give,
                lot=lot,
                order=order,
                actor=actor,
                reason=reason,
                idempotency_key=f"{key_prefix}draw:{draw.pk}",
                created_at=now,
            )
        )
    if not entries:
        return 0
    changed = [draw for draw, _give in gives]
    PointsEntry.objects.bulk_create(entries)
    PointsLot.objects.bulk_update(
        [lots[draw.lot_id] for draw in changed], ["remaining", "status"]
    )
    PointsDraw.objects.bulk_update(changed, ["restored"])
    total = sum(entry.points for entry in entries)
    membership_add(redeem.membership_id, available=total)
    member_expire_due(redeem.membership_id, now)
    if balance_before < 0:
        debt_settle(redeem.membership_id, now)
    return total


def points_restore_for_order(*, order, actor=None) -> int:
    """Give back the points a cancelled order paid with, to the lots they came from.

    One RESTORE row per draw not yet restored; each lot gets its points back
    and keeps its expiry (a lot past it expires at once, in the same
    transaction). Returns the points restored; a second call restores nothing.
    """
    redeem = order_redeem_entry(order)
    if redeem is None:
        return 0
    now = timezone.now()
    with transaction.atomic():
        before = (
            Membership.objects.select_for_update()
            .values_list("points_available", flat=True)
            .get(pk=redeem.membership_id)
        )
        draws, lots = redeem_draws_lock(redeem)
        return draws_restore(
            [
                (draw, draw.points - draw.restored)
                for draw in draws
                if draw.points > draw.restored
            ],
            lots,
            redeem=redeem,
            order=order,
            actor=actor,
            reason=_("Order %(number)s cancelled") % {"number": order.number},
            key_prefix=f"restore:order:{order.pk}:",
            now=now,
            balance_before=before,
        )


def points_adjust(
    *,
    user,
    points: int,
    reason: str,
    actor,
    idempotency_key: str | None = None,
    campaign: str = "",
) -> PointsEntry:
    """Add (positive) or take away (negative) points by hand, with a reason.

    Audited: the ADJUST row names `actor` and `reason` (and `campaign`, when
    points are a campaign's gift). Positive points open a lot, available at
    once, expiring by the programme's rule from now. Negative points are
    drawn soonest-expiring first and may not take the balance below zero.
    The doors check the permission (`loyalty.adjust_points`). Raises
    LoyaltyError for no reason, zero points or too few points; the same
    `idempotency_key` again returns the first row.
    """
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        raise LoyaltyError(
            _("Enter a whole number of points other than 0."), field="points"
        )
    reason = (reason or "").strip()
    if not reason:
        raise LoyaltyError(_("Give a reason for the adjustment."), field="reason")
    if len(reason) > 255:
        raise LoyaltyError(
            _("Use at most %(max)d characters.") % {"max": 255}, field="reason"
        )
    key = idempotency_key or f"adjust:{uuid.uuid4().hex}"
    now = timezone.now()
    with transaction.atomic():
        membership = membership_lock(user=user)
        existing = PointsEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if (
                existing.kind != PointsEntryKind.ADJUST
                or existing.membership_id != membership.pk
                or existing.points != points
            ):
                raise LoyaltyError(
                    _("This adjustment key was already used for another change."),
                    field="idempotency_key",
                )
            return existing
        member_expire_due(membership.pk, now)
        balance = membership_balance(membership.pk)
        entry = PointsEntry(
            membership=membership,
            kind=PointsEntryKind.ADJUST,
            points=points,
            actor=actor,
            campaign=(campaign or "")[:60],
            reason=reason,
            idempotency_key=key,
            created_at=now,
        )
        if points > 0:
            entry.lot = PointsLot.objects.create(
                membership=membership,
                status=PointsLotStatus.AVAILABLE,
                points=points,
                remaining=points,
                available_at=now,
                expires_at=lot_expiry(earned_at=now, programme=programme()),
                created_at=now,
            )
            entry.save(force_insert=True)
            membership_add(membership.pk, available=points)
            if balance < 0:
                debt_settle(membership.pk, now)
            return entry
        lots = lots_for_drawing(membership.pk, now)
        drawable = min(balance, sum(lot.remaining for lot in lots))
        if drawable < -points:
            raise LoyaltyError(
                _("The member has only %(count)d points available.")
                % {"count": max(drawable, 0)},
                field="points",
            )
        entry.save(force_insert=True)
        lots_draw(entry=entry, lots=lots, points=-points)
        membership_add(membership.pk, available=points)
    return entry
