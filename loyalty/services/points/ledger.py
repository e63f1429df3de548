"""The ledger's building blocks, shared by the points services: the shop's
calendar, whole-point arithmetic, member locks and balances, drawing lots.

Lock order everywhere: membership rows by pk, then lots by pk. Every change
to a lot's `remaining` happens under its member's lock, so once the
memberships are locked their lots cannot move under a batch.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import TypeVar

from django.db.models import F, Q

from loyalty.dates import add_months, store_date, store_midnight
from loyalty.models import (
    LoyaltyProgramme,
    Membership,
    PointsDraw,
    PointsEntry,
    PointsExpiryRule,
    PointsLot,
    PointsLotStatus,
)
from shop.checkout.allocation import split_units

K = TypeVar("K")
T = TypeVar("T")
N = TypeVar("N", int, Decimal)


# --- Time ---------------------------------------------------------------------


def _fixed_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def lot_expiry(*, earned_at: datetime, programme: LoyaltyProgramme) -> datetime | None:
    """When points earned at `earned_at` expire under the programme's rule.

    Points stay usable through their last day and expire at the shop's
    midnight that ends it:
    - END_OF_MONTH: the end of the month `expiry_months` after the earning
      month (earned any day of January 2027, 12 months → 2028-02-01 00:00);
    - FIXED_DATE: the end of the next `expiry_month`/`expiry_day` after the
      earning day (the day clamped to the month, so 31 February is the 28th
      or 29th);
    - NEVER: None.
    """
    rule = programme.expiry_rule
    if rule == PointsExpiryRule.NEVER:
        return None
    earned = store_date(earned_at)
    if rule == PointsExpiryRule.FIXED_DATE:
        last = _fixed_day(earned.year, programme.expiry_month, programme.expiry_day)
        if last <= earned:
            last = _fixed_day(
                earned.year + 1, programme.expiry_month, programme.expiry_day
            )
        return store_midnight(last + timedelta(days=1))
    # The first day of the month after the last month the points are valid.
    return store_midnight(
        add_months(earned.replace(day=1), programme.expiry_months + 1)
    )


def last_valid_day(expires_at: datetime) -> date:
    """The last day (shop's calendar) points expiring at `expires_at` can be used."""
    return store_date(expires_at - timedelta(microseconds=1))


# --- Arithmetic ---------------------------------------------------------------


def floor_int(value: Decimal) -> int:
    """`value` rounded down to a whole number (never through a float)."""
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def split_points(total: int, weights: Mapping[K, Decimal]) -> dict[K, int]:
    """Split `total` points over `weights` in proportion, summing exactly.

    The checkout's largest-remainder split (`split_units`), with negative
    weights counted as zero. 10 over weights 1, 1, 1 gives 4, 3, 3.
    """
    return split_units(
        total,
        {key: max(Decimal(weight), Decimal(0)) for key, weight in weights.items()},
    )


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Locks and balances -------------------------------------------------------


def memberships_lock(ids: Iterable[int]) -> dict[int, int]:
    """Lock membership rows in pk order; {id: points_available} as locked."""
    return dict(
        Membership.objects.select_for_update()
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .values_list("pk", "points_available")
    )


def membership_balance(membership_id: int) -> int:
    return (
        Membership.objects.filter(pk=membership_id)
        .values_list("points_available", flat=True)
        .get()
    )


def membership_add(membership_id: int, *, available: int = 0, pending: int = 0) -> None:
    """Change one member's cached balances relatively (`F()`), under their lock."""
    if available or pending:
        Membership.objects.filter(pk=membership_id).update(
            points_available=F("points_available") + available,
            points_pending=F("points_pending") + pending,
        )


# --- Lots ---------------------------------------------------------------------


def _expiry_key(lot: PointsLot):
    # Soonest-expiring first; lots that never expire last; then oldest first.
    return (lot.expires_at is None, lot.expires_at or datetime.max, lot.pk)


def lots_for_drawing(membership_id: int, now: datetime) -> list[PointsLot]:
    """The member's spendable lots, locked in pk order, soonest-expiring first.

    Call after `member_expire_due`, so no lot past its expiry is spent.
    """
    lots = list(
        PointsLot.objects.select_for_update()
        .filter(
            membership_id=membership_id,
            status=PointsLotStatus.AVAILABLE,
            remaining__gt=0,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("pk")
    )
    lots.sort(key=_expiry_key)
    return lots


def lots_draw(*, entry: PointsEntry, lots: list[PointsLot], points: int) -> int:
    """Take up to `points` from `lots` in their order for `entry`; the points taken.

    Writes one PointsDraw per lot touched and the lots' new `remaining`
    (the lots are locked by the caller, so the values written are exact).
    """
    taken, total = lots_take(lots, points)
    if taken:
        PointsLot.objects.bulk_update([lot for lot, _take in taken], ["remaining"])
        PointsDraw.objects.bulk_create(
            PointsDraw(entry=entry, lot=lot, points=take) for lot, take in taken
        )
    return total


def lots_take(lots: Iterable, wanted: N) -> tuple[list[tuple[object, N]], N]:
    """Take up to `wanted` from `lots` in their order; ([(lot, take)], total taken).

    Lowers each touched lot's `remaining` in memory; the caller writes the
    lots and their draw rows. For points (int) and shopping credit (Decimal).
    """
    left = wanted
    taken = []
    for lot in lots:
        if left <= 0:
            break
        take = min(lot.remaining, left)
        if take <= 0:
            continue
        lot.remaining -= take
        left -= take
        taken.append((lot, take))
    return taken, wanted - left
