"""Beat tasks of the points ledger; each is a thin call into a service.

The services check every lot again under the locks and key every ledger row
by its lot, so a task that is retried (or runs twice, or beside the nightly
command) writes each row once.
"""

from celery import shared_task
from django.utils import timezone

from loyalty.services import points
from loyalty.tasks.common import RETRY

__all__ = [
    "expire_due_points",
    "release_due_points",
    "send_points_expiry_reminders",
]


@shared_task(**RETRY)
def release_due_points() -> int:
    """Make pending points available whose cooling-off period has ended."""
    return points.points_release_due(now=timezone.now())


@shared_task(**RETRY)
def expire_due_points() -> int:
    """Expire points whose expiry (a shop's midnight) has passed."""
    return points.points_expire_due(now=timezone.now())


@shared_task(**RETRY)
def send_points_expiry_reminders() -> int:
    """Email members whose points expire within the programme's reminder days."""
    return points.points_expiry_reminders_send(today=timezone.localdate())
