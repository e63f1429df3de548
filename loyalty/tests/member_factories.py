"""Points data for the member area and API tests, written straight to the ledger.

The rows are what the points services write (a lot per earn, an entry per
change), with the membership's cached balances equal to the ledger sums, so
the pages read them as they would read real ones.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from django.db.models import F
from django.utils import timezone

from loyalty.dates import store_midnight
from loyalty.models import (
    Membership,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
    QualifyingSpend,
)
from loyalty.tests.factories import tier
from shop.orders.tests.factories import OrderFactory

_keys = itertools.count(1)


def expires_after(day: date) -> datetime:
    """The `expires_at` of points usable through `day`: the next store midnight."""
    return store_midnight(day + timedelta(days=1))


def entry_add(
    membership: Membership,
    *,
    kind: str,
    points: int = 0,
    pending_points: int = 0,
    lot: PointsLot | None = None,
    order=None,
    reason: str = "",
    created_at: datetime | None = None,
    actor=None,
) -> PointsEntry:
    """A ledger row, with the membership's cached balances moved by it."""
    entry = PointsEntry.objects.create(
        membership=membership,
        kind=kind,
        points=points,
        pending_points=pending_points,
        lot=lot,
        order=order,
        reason=reason,
        actor=actor,
        idempotency_key=f"test-member:{next(_keys)}",
        created_at=created_at or timezone.now(),
    )
    Membership.objects.filter(pk=membership.pk).update(
        points_available=F("points_available") + points,
        points_pending=F("points_pending") + pending_points,
    )
    membership.refresh_from_db(fields=["points_available", "points_pending"])
    return entry


def lot_earn(
    membership: Membership,
    *,
    points: int,
    pending: bool = False,
    available_at: datetime | None = None,
    expires_at: datetime | None = None,
    order=None,
    reason: str = "",
    created_at: datetime | None = None,
) -> PointsLot:
    """A lot earned by an order: pending with its release time, or available."""
    created_at = created_at or timezone.now()
    lot = PointsLot.objects.create(
        membership=membership,
        status=PointsLotStatus.PENDING if pending else PointsLotStatus.AVAILABLE,
        points=points,
        remaining=points,
        available_at=available_at,
        expires_at=expires_at,
        order=order,
        created_at=created_at,
    )
    entry_add(
        membership,
        kind=PointsEntryKind.EARN,
        pending_points=points,
        lot=lot,
        order=order,
        reason=reason,
        created_at=created_at,
    )
    if not pending:
        entry_add(
            membership,
            kind=PointsEntryKind.RELEASE,
            points=points,
            pending_points=-points,
            lot=lot,
            order=order,
            created_at=created_at + timedelta(seconds=1),
        )
    return lot


def lot_spend(
    membership: Membership,
    lot: PointsLot,
    *,
    points: int,
    order=None,
    reason: str = "",
    created_at: datetime | None = None,
) -> PointsEntry:
    PointsLot.objects.filter(pk=lot.pk).update(remaining=F("remaining") - points)
    return entry_add(
        membership,
        kind=PointsEntryKind.REDEEM,
        points=-points,
        order=order,
        reason=reason,
        created_at=created_at,
    )


def lot_expire(
    membership: Membership, lot: PointsLot, *, created_at: datetime | None = None
) -> PointsEntry:
    lot.refresh_from_db()
    left = lot.remaining
    PointsLot.objects.filter(pk=lot.pk).update(
        remaining=0, status=PointsLotStatus.EXPIRED
    )
    return entry_add(
        membership,
        kind=PointsEntryKind.EXPIRE,
        points=-left,
        lot=lot,
        created_at=created_at,
    )


def points_scenario(membership: Membership, *, order=None) -> dict:
    """A member with points in every state, balances 550 available, 125 pending.

    Available: 300 usable through today+20 (expiring soon with the default
    30-day window) and 150 + 100 through today+50 (one group); pending: 80
    from today+3 and 45 waiting for delivery; one lot of 60 expired. `order`
    is named on the first earn and the redemption.
    """
    today = timezone.localdate()
    now = timezone.now()
    soon = lot_earn(
        membership,
        points=300,
        expires_at=expires_after(today + timedelta(days=20)),
        order=order,
        reason="Order reward",
        created_at=now - timedelta(days=40),
    )
    later = lot_earn(
        membership,
        points=200,
        expires_at=expires_after(today + timedelta(days=50)),
        created_at=now - timedelta(days=30),
    )
    lot_earn(
        membership,
        points=100,
        expires_at=expires_after(today + timedelta(days=50)),
        created_at=now - timedelta(days=29),
    )
    lot_spend(
        membership,
        later,
        points=50,
        order=order,
        reason="Paid with points",
        created_at=now - timedelta(days=20),
    )
    gone = lot_earn(
        membership,
        points=60,
        expires_at=store_midnight(today - timedelta(days=1)),
        created_at=now - timedelta(days=400),
    )
    lot_expire(membership, gone, created_at=now - timedelta(days=1))
    releasing = lot_earn(
        membership,
        points=80,
        pending=True,
        available_at=store_midnight(today + timedelta(days=3)) + timedelta(hours=10),
        created_at=now - timedelta(days=5),
    )
    waiting = lot_earn(
        membership, points=45, pending=True, created_at=now - timedelta(hours=2)
    )
    return {
        "today": today,
        "soon": soon,
        "later": later,
        "releasing": releasing,
        "waiting": waiting,
    }


def spend_add(membership: Membership, *, amount, counted_at: datetime, order=None):
    """A paid order's qualifying spend, as the tiers service records it.

    Each row names its own order (a bare one if none is given): the tiers
    selectors sum spend per order.
    """
    if order is None:
        order = OrderFactory(user=membership.user, total=amount, paid_at=counted_at)
    return QualifyingSpend.objects.create(
        membership=membership,
        order=order,
        amount=amount,
        orders=1,
        counted_at=counted_at,
        reason="Order paid",
        idempotency_key=f"test-member-spend:{next(_keys)}",
    )


def silver_member(user, *, order=None) -> dict:
    """`user` in Silver until today+200 (since 100 days ago), with spend and points.

    Spend: NT$2,000 150 days ago (before the upgrade) and NT$1,760 30 days ago,
    so NT$3,760 in the rolling 12 months (NT$11,240 short of Gold) and NT$1,760
    towards keeping Silver (NT$1,240 short of its NT$3,000). Points: see
    `points_scenario`.
    """
    now = timezone.now()
    membership = Membership.objects.get(user=user)
    membership.tier = tier("silver")
    membership.tier_since = now - timedelta(days=100)
    membership.tier_expires_on = timezone.localdate() + timedelta(days=200)
    membership.save()
    spend_add(membership, amount=2000, counted_at=now - timedelta(days=150))
    spend_add(membership, amount=1760, counted_at=now - timedelta(days=30))
    data = points_scenario(membership, order=order)
    return {**data, "membership": membership, "order": order}
