"""Writing the demo's history with the real services, as of a day in the past.

The demo shows shoppers with a past: an order delivered last month, points
earned last year that expire soon, a tier reached in the summer. Those rows
must come from the same services a real shop uses (so the ledgers add up and
the dates follow the shop's rules), and those services read the time from
`django.utils.timezone.now()`. `demo_clock(at)` makes that function answer
`at` (and run on with the real clock) for the duration of a `with` block.

Only the demo seed uses it, in its own process. Code that asks the database
for the time (`Now()`) is not moved, and nothing here ever moves the clock
forward: a history in the future would be a lie the next day.

The past sends no messages: `background_tasks_dropped()` drops every Celery
task queued inside it (order and member emails, which the services queue
after their commit), so writing a year of orders neither mails anybody nor
spends its time rendering emails nobody reads.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from unittest import mock

from celery.app.task import Task
from django.utils import timezone

_real_now = timezone.now


@contextmanager
def demo_clock(at: datetime.datetime):
    """Within the block, `timezone.now()` is `at` plus the time spent in it.

    `at` must be an aware datetime no later than now; the clock keeps running
    so rows written one after another keep their order.
    """
    if timezone.is_naive(at):
        raise ValueError("demo_clock needs an aware datetime.")
    started = _real_now()
    if at > started:
        raise ValueError("demo_clock never moves into the future.")
    offset = at - started

    def now() -> datetime.datetime:
        return _real_now() + offset

    with mock.patch("django.utils.timezone.now", now):
        yield


def store_datetime(day: datetime.date, hour: int = 10, minute: int = 0):
    """`day` at `hour`:`minute` in the shop's time zone (settings.TIME_ZONE)."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)),
        timezone.get_default_timezone(),
    )


@contextmanager
def background_tasks_dropped():
    """Within the block, `task.delay()` and `task.apply_async()` do nothing.

    Everything the services hand to Celery leaves the shop (emails, DESIGN §3),
    so dropping it changes no row in the database.
    """

    def dropped(self, *args, **kwargs):
        return None

    with mock.patch.object(Task, "apply_async", dropped):
        yield
