"""How long a paid membership period runs, in the shop's days.

The rule, as members are told it: a period covers whole days in the shop's
time zone (`settings.TIME_ZONE`, Asia/Taipei). It starts when it is paid (or,
renewed early, when the period before it ends) and ends at the shop's
midnight that begins the same day of the month one month later (twelve
months for a yearly plan). Paid on 15 March at 14:00, benefits hold through
14 April and end at 00:00 on 15 April; a renewal then runs from 15 April to
15 May. A start on the 29th to 31st ends on the last day of a shorter month
(31 January → 28 February), and the next period counts from there.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from loyalty.dates import add_months, store_date, store_midnight
from loyalty.models import PlanPeriod

PERIOD_MONTHS = {PlanPeriod.MONTH: 1, PlanPeriod.YEAR: 12}


def period_end(*, starts_at: datetime, period: str) -> datetime:
    """The end (exclusive) of a `period` ("month"/"year") starting at `starts_at`."""
    months = PERIOD_MONTHS[PlanPeriod(period)]
    return store_midnight(add_months(store_date(starts_at), months))


def period_last_day(ends_at: datetime) -> date:
    """The last shop day with benefits of a period ending at `ends_at`."""
    return store_date(ends_at - timedelta(microseconds=1))
