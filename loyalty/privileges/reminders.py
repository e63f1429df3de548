"""The member-day reminder: an email the day before, to members who opted in."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from loyalty.dates import store_date
from loyalty.models import MemberDayReminder, Membership
from loyalty.plans.selectors import paid_membership_annotations
from loyalty.privileges.emails import privilege_emails_send_later
from loyalty.privileges.memberday import member_day_scheduled
from loyalty.privileges.tiers import TierResolver
from loyalty.selectors.programme import programme
from loyalty.services.points.ledger import memberships_lock

# Members per transaction (and per message to the broker).
BATCH_SIZE = 1000


def member_day_reminders_send(*, now: datetime) -> int:
    """Email the members who opted in to marketing emails that tomorrow is a
    member day; the number of emails queued.

    Nothing when the programme's `member_day_reminders` is off or tomorrow
    (the shop's calendar) is not a member day by the schedule (a forced
    member day, `LOYALTY_MEMBER_DAY_FORCE`, sends nothing). Active members
    with an email address and `accepts_email_marketing`, in batches by
    membership: each batch locks its members, leaves out those already
    reminded of that day, writes a `MemberDayReminder` per member (unique per
    member and day) and queues their emails after the commit, so a second run
    (or a second worker) sends nothing again.
    """
    settings_row = programme()
    member_day = store_date(now) + timedelta(days=1)
    if not settings_row.member_day_reminders or not member_day_scheduled(
        member_day, settings_row=settings_row
    ):
        return 0
    candidates = (
        Membership.objects.filter(
            user__is_active=True, user__accepts_email_marketing=True
        )
        .exclude(user__email="")
        .annotate(**paid_membership_annotations(now=now))
    )
    resolve = TierResolver()
    sent = 0
    after = 0
    while True:
        rows = list(
            candidates.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "user_id", "tier_id", "tier__code", "paid_plan_id")[
                :BATCH_SIZE
            ]
        )
        if not rows:
            return sent
        after = rows[-1][0]
        sent += _batch_remind(rows, member_day=member_day, resolve=resolve)
        if len(rows) < BATCH_SIZE:
            return sent


def _batch_remind(rows, *, member_day, resolve: TierResolver) -> int:
    with transaction.atomic():
        # The lock makes a racing run wait here, then see this batch's rows.
        memberships_lock(row[0] for row in rows)
        reminded = set(
            MemberDayReminder.objects.filter(
                member_day=member_day, user_id__in=[row[1] for row in rows]
            ).values_list("user_id", flat=True)
        )
        due = [row for row in rows if row[1] not in reminded]
        MemberDayReminder.objects.bulk_create(
            [MemberDayReminder(user_id=row[1], member_day=member_day) for row in due],
            ignore_conflicts=True,
        )
        items = []
        for _pk, user_id, tier_id, code, plan_id in due:
            tier = resolve(tier_id=tier_id, tier_code=code, paid_plan_id=plan_id)
            items.append(
                (
                    user_id,
                    {
                        "member_day": member_day.isoformat(),
                        "tier_id": tier.pk if tier is not None else None,
                    },
                )
            )
        privilege_emails_send_later(kind="member_day_reminder", items=items)
    return len(items)
