"""Serial returners: customers who return more than the policy allows.

A customer is flagged when, over all their delivered orders, they asked to
return more than `ReturnPolicy.serial_returner_rate` % of the units they
bought, in at least `serial_returner_min_returns` requests (rejected,
cancelled and expired requests do not count). The flag is a `SerialReturner`
row, refreshed by the nightly `returns.tasks.flag_serial_returners`; it shows
in the queue beside their requests, on the analytics dashboard and, when the
policy says so, withholds the shopping-credit bonus
(`returns.services.refunds`).

Staff may clear a flag they judge unfair (`serial_returner_clear`); it is not
set again until the customer asks for another return. A flagged customer who
falls back under the thresholds (by buying more) is cleared automatically,
with nobody as `cleared_by`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from returns.models import ReturnLine, SerialReturner
from returns.selectors import FREED_STATUSES, return_policy
from shop.orders.models import OrderLine

_USER = "order_line__order__user_id"


@dataclass(frozen=True)
class SerialFigures:
    """A customer's returns over all their delivered orders."""

    user_id: int
    units_bought: int
    units_returned: int
    returns_count: int
    last_return_at: datetime


def serial_returner_candidates(
    *, rate: int, min_returns: int
) -> dict[int, SerialFigures]:
    """{user id: figures} of customers past both thresholds, in two queries.

    The returned units and requests are grouped per customer in the database
    (only customers with `min_returns` requests or more come back), then the
    units bought of those customers only.
    """
    counted = (
        ReturnLine.objects.filter(order_line__order__user__isnull=False)
        .exclude(request__status__in=FREED_STATUSES)
        .order_by()
        .values(_USER)
        .annotate(
            units=Sum("quantity"),
            requests=Count("request", distinct=True),
            last=Max("request__created_at"),
        )
        .filter(requests__gte=max(min_returns, 1))
    )
    returns = {row[_USER]: row for row in counted}
    if not returns:
        return {}
    bought = dict(
        OrderLine.objects.filter(
            order__delivered_at__isnull=False, order__user_id__in=list(returns)
        )
        .order_by()
        .values_list("order__user_id")
        .annotate(n=Sum("quantity"))
    )
    found = {}
    for user_id, row in returns.items():
        units = bought.get(user_id, 0)
        # "More than rate %": compared in integers, so 40% of 5 units is not over.
        if units and row["units"] * 100 > rate * units:
            found[user_id] = SerialFigures(
                user_id=user_id,
                units_bought=units,
                units_returned=row["units"],
                returns_count=row["requests"],
                last_return_at=row["last"],
            )
    return found


def serial_returners_flag(*, now: datetime) -> int:
    """Flag (or refresh) every customer past the policy's thresholds.

    Returns how many customers were newly flagged: new rows, and cleared
    flags set again because the customer asked for a return after the
    clearing. Figures of standing flags are refreshed; a cleared flag with no
    later return stays cleared; standing flags of customers no longer past
    the thresholds are cleared. Written set-based: one upsert, one update.
    """
    policy = return_policy()
    found = serial_returner_candidates(
        rate=policy.serial_returner_rate,
        min_returns=policy.serial_returner_min_returns,
    )
    with transaction.atomic():
        existing = {
            row.user_id: row
            for row in SerialReturner.objects.select_for_update()
            .filter(user_id__in=list(found))
            .order_by("pk")
        }
        rows, newly = [], 0
        for user_id, figures in found.items():
            row = existing.get(user_id)
            if row is None or row.cleared_at is not None:
                if row is not None and figures.last_return_at <= row.cleared_at:
                    continue  # cleared by staff, and nothing returned since
                newly += 1
                flagged_at, cleared_at, cleared_by = now, None, None
            else:
                flagged_at, cleared_at, cleared_by = row.flagged_at, None, None
            rows.append(
                SerialReturner(
                    user_id=user_id,
                    units_bought=figures.units_bought,
                    units_returned=figures.units_returned,
                    returns_count=figures.returns_count,
                    flagged_at=flagged_at,
                    cleared_at=cleared_at,
                    cleared_by=cleared_by,
                )
            )
        SerialReturner.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=[
                "units_bought",
                "units_returned",
                "returns_count",
                "flagged_at",
                "cleared_at",
                "cleared_by",
            ],
        )
        SerialReturner.objects.filter(cleared_at__isnull=True).exclude(
            user_id__in=list(found)
        ).update(cleared_at=now, cleared_by=None)
    return newly


def serial_returner_clear(
    *, returner: SerialReturner, actor, now: datetime | None = None
) -> SerialReturner:
    """Clear a flag staff judge unfair; it returns only with a later return.

    Clearing a cleared flag changes nothing.
    """
    with transaction.atomic():
        row = SerialReturner.objects.select_for_update().get(pk=returner.pk)
        if row.cleared_at is None:
            row.cleared_at = now or timezone.now()
            row.cleared_by = actor
            row.save(update_fields=["cleared_at", "cleared_by"])
    return row
