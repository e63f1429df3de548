"""Beat tasks of the tiers: new tier rules, renewals and downgrades, warnings.

Each calls one service with the store's today. Order in the night: a scheme
due today is applied first (00:20), then expired tiers are renewed or dropped
under the rules in force (00:40); warnings go out in the morning (09:30).
"""

from celery import shared_task
from django.utils import timezone

from loyalty.services import schemes, tiers
from loyalty.tasks.common import RETRY

__all__ = [
    "activate_due_tier_schemes",
    "renew_or_downgrade_tiers",
    "send_tier_expiry_warnings",
]


@shared_task(**RETRY)
def activate_due_tier_schemes() -> int | None:
    """Apply a scheduled tier scheme whose day has come; its id, or None."""
    scheme = schemes.schemes_activate_due(today=timezone.localdate())
    return scheme.pk if scheme is not None else None


@shared_task(**RETRY)
def renew_or_downgrade_tiers() -> dict:
    """Renew or drop members whose tier expired before today."""
    result = tiers.tiers_renew_or_downgrade(today=timezone.localdate())
    return {"renewed": result.renewed, "downgraded": result.downgraded}


@shared_task(**RETRY)
def send_tier_expiry_warnings() -> int:
    """Email members who would lose their tier at its coming expiry."""
    return tiers.tier_expiry_warnings_send(today=timezone.localdate())
