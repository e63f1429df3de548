"""`manage.py loyalty_nightly`: every loyalty beat job, as of a chosen day.

Celery beat runs these jobs each night. This command runs them all at once,
in the order the night needs, for today or for a day in the future, so the
demo can show what the night does without waiting for it:

    manage.py loyalty_nightly                     # tonight's run
    manage.py loyalty_nightly --days 8            # eight days from now
    manage.py loyalty_nightly --today 2027-01-31  # as of that day

"As of a day" means the jobs see the whole day as past: points due at any time
that day are released or expire (the cut-off is the shop's midnight at the end
of the day, settings.TIME_ZONE), and tiers ending that day are renewed or
dropped. Running it twice for the same day changes nothing the second time:
each job is idempotent.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loyalty.credit import services as credit
from loyalty.dates import store_midnight
from loyalty.plans import services as plans
from loyalty.privileges import birthday, reminders
from loyalty.services import points, schemes, tiers
from shop.core.errors import ShopError

MAX_DAYS = 3660


def _describe(result) -> str:
    """A job's result as one short text: a count, a scheme, or a result's counts."""
    if result is None:
        return "0"
    if isinstance(result, bool):
        return "yes" if result else "no"
    if isinstance(result, int):
        return str(result)
    if dataclasses.is_dataclass(result):
        parts = []
        for field in dataclasses.fields(result):
            value = getattr(result, field.name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                parts.append(f"{field.name.replace('_', ' ')} {value}")
        if parts:
            return ", ".join(parts)
    if hasattr(result, "_meta") and hasattr(result, "pk"):
        # A model instance, e.g. the tier scheme that took effect.
        return f"1 ({result})"
    return str(result)


class Command(BaseCommand):
    help = (
        "Run every loyalty beat job as of a day: activate due tier schemes, "
        "release pending points whose cooling-off period has ended, expire due "
        "points, renew or downgrade expired tiers, send tier-expiry warnings and "
        "points-expiry reminders, expire shopping credit, give birthday gifts, "
        "send member-day reminders, end and remind paid memberships. Default: "
        "today in the shop's time zone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Run the jobs as of this day (default: today in the shop's time "
            "zone). Everything due by the end of the day is done.",
        )
        parser.add_argument(
            "--days",
            metavar="N",
            default="0",
            help="Run the jobs N days after --today (or after today), e.g. "
            "--days 8 to see pending points become available after the 7-day "
            "cooling-off period.",
        )

    def handle(self, *args, today=None, days="0", **options):
        day = self._day(today, days)
        # Everything due before the shop's midnight at the end of `day`.
        now = store_midnight(day + datetime.timedelta(days=1))
        # Jobs about the day itself (its birthdays, tomorrow's member day) run
        # at its last instant, which is still that day in the shop.
        last_moment = now - datetime.timedelta(microseconds=1)
        jobs = (
            (
                "Tier schemes activated",
                lambda: schemes.schemes_activate_due(today=day),
            ),
            ("Pending points released", lambda: points.points_release_due(now=now)),
            ("Points expired", lambda: points.points_expire_due(now=now)),
            (
                "Tiers renewed or downgraded",
                lambda: tiers.tiers_renew_or_downgrade(today=day),
            ),
            (
                "Tier expiry warnings sent",
                lambda: tiers.tier_expiry_warnings_send(today=day),
            ),
            (
                "Points expiry reminders sent",
                lambda: points.points_expiry_reminders_send(today=day),
            ),
            ("Shopping credit expired", lambda: credit.credit_expire_due(now=now)),
            (
                "Birthday gifts given",
                lambda: birthday.birthday_gifts_issue(now=last_moment),
            ),
            (
                "Member-day reminders sent",
                lambda: reminders.member_day_reminders_send(now=last_moment),
            ),
            (
                "Paid memberships ended",
                lambda: plans.paid_memberships_lapse(now=now),
            ),
            (
                "Paid membership reminders sent",
                lambda: plans.paid_membership_reminders_send(now=last_moment),
            ),
        )
        local_now = timezone.localtime(now)
        self.stdout.write(
            f"Loyalty beat jobs as of {day.isoformat()} (due before "
            f"{local_now:%Y-%m-%d %H:%M} {timezone.get_default_timezone_name()}):"
        )
        width = max(len(label) for label, _job in jobs)
        for label, job in jobs:
            try:
                result = job()
            except ShopError as exc:
                raise CommandError(f"{label}: {exc.message}") from exc
            self.stdout.write(f"  {label:<{width}}  {_describe(result)}")

    def _day(self, today: str | None, days: str) -> datetime.date:
        if today is None:
            day = timezone.localdate()
        else:
            try:
                day = datetime.date.fromisoformat(today.strip())
            except ValueError:
                raise CommandError(
                    f"--today {today!r} is not a date; use YYYY-MM-DD, "
                    "e.g. --today 2027-01-31."
                ) from None
        try:
            count = int(str(days).strip())
        except ValueError:
            raise CommandError(
                f"--days {days!r} is not a whole number of days, e.g. --days 8."
            ) from None
        if not 0 <= count <= MAX_DAYS:
            raise CommandError(
                f"--days must be from 0 to {MAX_DAYS}; the jobs never run in the past."
            )
        try:
            return day + datetime.timedelta(days=count)
        except OverflowError:
            raise CommandError("That day is out of range.") from None
