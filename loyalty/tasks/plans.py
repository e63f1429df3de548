"""Beat tasks and emails of paid membership (訂閱制).

Periods that are over are ended hourly, so "your membership ended" follows
the end closely (benefits stop at `ends_at` whatever the task's timing: the
reads check the time). Renewal reminders go out once a day in the morning.
"""

from celery import shared_task
from django.utils import timezone

from loyalty.plans import services
from loyalty.plans.emails import plan_email_build
from loyalty.tasks.common import (
    EMAIL_RETRY,
    RETRY,
    member_email_send,
    member_emails_fan_out,
)

__all__ = [
    "lapse_paid_memberships",
    "send_paid_membership_email",
    "send_paid_membership_emails",
    "send_paid_membership_reminders",
]


@shared_task(**RETRY)
def lapse_paid_memberships() -> int:
    """End the paid periods that are over; how many ended."""
    return services.paid_memberships_lapse(now=timezone.now())


@shared_task(**RETRY)
def send_paid_membership_reminders() -> int:
    """Remind members whose paid period ends soon; how many were reminded."""
    return services.paid_membership_reminders_send(now=timezone.now())


@shared_task(**EMAIL_RETRY)
def send_paid_membership_email(user_id: int, kind: str, context: dict) -> bool:
    """Render and send the `kind` email to `user_id`; False if they are gone."""
    return member_email_send(plan_email_build, user_id, kind, context)


@shared_task(ignore_result=True)
def send_paid_membership_emails(kind: str, items: list) -> int:
    """Fan a batch of (user id, context) out into one email task each."""
    return member_emails_fan_out(
        send_paid_membership_email, kind, items, label="paid membership"
    )
