"""Which days are member days (會員日), in the shop's time zone."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.dates import store_date
from loyalty.models import LoyaltyProgramme
from loyalty.selectors.programme import programme


def member_day_dates(text: str) -> list[int]:
    """The days of the month in the programme setting "8,18" → [8, 18].

    Anything that is not a day 1–31 is ignored; the admin form refuses it
    before it is saved (`member_day_dates_clean`).
    """
    days = set()
    for part in (text or "").split(","):
        part = part.strip()
        if part.isdigit() and 1 <= int(part) <= 31:
            days.add(int(part))
    return sorted(days)


def member_day_dates_clean(text: str) -> str:
    """The setting as typed ("18, 8, ") made tidy ("8,18"), or a ValidationError.

    Every part must be a day of the month, 1 to 31; empty means no fixed days.
    """
    parts = [part.strip() for part in (text or "").replace("，", ",").split(",")]
    days = set()
    for part in parts:
        if not part:
            continue
        if not (part.isascii() and part.isdigit() and 1 <= int(part) <= 31):
            raise ValidationError(
                _(
                    "“%(value)s” is not a day of the month. Enter days from 1 to "
                    "31 separated by commas, e.g. 8,18."
                )
                % {"value": part},
                code="invalid_day",
            )
        days.add(int(part))
    return ",".join(str(day) for day in sorted(days))


def member_day_scheduled(day: date, *, settings_row: LoyaltyProgramme | None = None):
    """True when `day` is a member day by the programme's schedule alone.

    A day of the month past the month's end (the 31st in June) falls on the
    month's last day, so every month has the member days it promises.
    """
    settings_row = settings_row or programme()
    weekday = settings_row.member_day_weekday
    if weekday is not None and day.weekday() == weekday:
        return True
    last = calendar.monthrange(day.year, day.month)[1]
    return any(
        min(wanted, last) == day.day
        for wanted in member_day_dates(settings_row.member_day_dates)
    )


def is_member_day(day: date) -> bool:
    """True when `day` is a member day by the programme's schedule.

    `settings.LOYALTY_MEMBER_DAY_FORCE` makes every day one (for the demo and
    for trying the benefits out); reminder emails follow the real schedule.
    """
    if settings.LOYALTY_MEMBER_DAY_FORCE:
        return True
    return member_day_scheduled(day)


def member_day_today() -> date | None:
    """Today (the shop's date) if it is a member day, else None."""
    today = store_date(timezone.now())
    return today if is_member_day(today) else None


def member_day_next(after: date, *, within_days: int = 62) -> date | None:
    """The first scheduled member day after `after`, or None if none is scheduled.

    By the real schedule even when every day is forced to be one: "next member
    day" is what the shop promises its members.
    """
    settings_row = programme()
    for offset in range(1, within_days + 1):
        day = after + timedelta(days=offset)
        if member_day_scheduled(day, settings_row=settings_row):
            return day
    return None


def member_day_schedule_text(settings_row: LoyaltyProgramme | None = None) -> str:
    """The schedule in words: "Every month on day 8, 18 · Every Wednesday", or ""."""
    settings_row = settings_row or programme()
    parts = []
    days = member_day_dates(settings_row.member_day_dates)
    if days:
        parts.append(
            _("Every month on day %(days)s")
            % {"days": ", ".join(str(day) for day in days)}
        )
    if settings_row.member_day_weekday is not None:
        parts.append(
            _("Every %(weekday)s")
            % {"weekday": settings_row.get_member_day_weekday_display()}
        )
    return " · ".join(parts)
