"""Points expiry: the nightly sweep and the reminder emails before it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction

from loyalty.dates import store_midnight
from loyalty.models import Membership, PointsLot, PointsLotStatus
from loyalty.selectors.programme import programme
from loyalty.services.points.batches import lots_expire, sweep
from loyalty.services.points.ledger import (
    chunks,
    last_valid_day,
    memberships_lock,
)

# Members per transaction when sending reminders.
REMINDER_BATCH = 1000


def points_expire_due(*, now: datetime) -> int:
    """Expire every available lot with points left whose expiry is at or before now.

    One EXPIRE row per lot; the lot is emptied and marked expired and its
    member's available balance goes down by what was left. Expiry instants
    are the shop's midnights (see `lot_expiry`), so the beat task runs just
    after midnight in settings.TIME_ZONE. Pending lots are not touched: they
    keep their expiry and, if released after it, go in the next sweep.
    Set-based (see `points_release_due`); returns the points expired, and
    nothing more on a second run.
    """
    candidates = PointsLot.objects.filter(
        status=PointsLotStatus.AVAILABLE, remaining__gt=0, expires_at__lte=now
    )
    return sweep(candidates, lambda ids: lots_expire(lot_ids=ids, now=now))


def points_expiry_reminders_send(*, today: date) -> int:
    """Email members whose points expire within `expiry_reminder_days` of `today`.

    Lots available with points left that expire after the start of `today`
    and before the end of `today + expiry_reminder_days`, and were not in a
    reminder yet: one "points_expiring" email per member per run with their
    total (`points`), the first last day (`expires_on`, "YYYY-MM-DD") and the
    points per last day (`expiring`); then the lots are marked reminded
    (`reminded_on = today`), so a second run sends nothing. Returns the
    emails queued; they leave after the commit, a batch of members per
    message to the broker (`loyalty.notifications.member_emails_send_later`).
    """
    from loyalty.notifications import member_emails_send_later

    days = programme().expiry_reminder_days
    due = PointsLot.objects.filter(
        status=PointsLotStatus.AVAILABLE,
        remaining__gt=0,
        reminded_on__isnull=True,
        expires_at__gt=store_midnight(today),
        expires_at__lt=store_midnight(today + timedelta(days=days + 1)),
    )
    members = sorted(set(due.values_list("membership_id", flat=True)))
    sent = 0
    for chunk in chunks(members, REMINDER_BATCH):
        with transaction.atomic():
            balances = memberships_lock(chunk)
            rows = list(
                due.filter(membership_id__in=chunk)
                .select_for_update()
                .order_by("pk")
                .values_list("pk", "membership_id", "remaining", "expires_at")
            )
            if not rows:
                continue
            PointsLot.objects.filter(pk__in=[row[0] for row in rows]).update(
                reminded_on=today
            )
            by_member: dict[int, dict[date, int]] = defaultdict(dict)
            for _pk, member, remaining, expires_at in rows:
                day = last_valid_day(expires_at)
                by_member[member][day] = by_member[member].get(day, 0) + remaining
            users = dict(
                Membership.objects.filter(pk__in=by_member).values_list("pk", "user_id")
            )
            items = []
            for member in sorted(by_member):
                days_points = sorted(by_member[member].items())
                items.append(
                    (
                        users[member],
                        {
                            "points": sum(points for _day, points in days_points),
                            "expires_on": days_points[0][0].isoformat(),
                            "points_available": balances.get(member, 0),
                            "expiring": [
                                {"date": day.isoformat(), "points": points}
                                for day, points in days_points
                            ],
                        },
                    )
                )
            member_emails_send_later(kind="points_expiring", items=items)
            sent += len(items)
    return sent
