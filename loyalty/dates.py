"""Days as the shop counts them: in its own time zone (settings.TIME_ZONE).

Points expire, tiers lapse and windows open at the shop's midnight, not UTC's.
"""

import calendar
from datetime import date, datetime, time

from django.utils import timezone


def store_midnight(day: date) -> datetime:
    """The first instant of `day` in the shop's time zone."""
    return timezone.make_aware(
        datetime.combine(day, time.min), timezone.get_default_timezone()
    )


def store_date(moment: datetime) -> date:
    """The shop's calendar day of `moment`."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
