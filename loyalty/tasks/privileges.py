"""Beat tasks of member privileges: birthday gifts, member-day reminders, their emails.

Birthday gifts run hourly, so a gift due at the shop's midnight (Asia/Taipei)
goes out within the hour, not at UTC's midnight; each gift is a row unique per
member and year, so the runs in between give nothing twice. Member-day
reminders go out once a day, the day before.
"""

from celery import shared_task
from django.utils import timezone

from loyalty.privileges.birthday import birthday_gifts_issue
from loyalty.privileges.emails import privilege_email_build
from loyalty.privileges.reminders import member_day_reminders_send
from loyalty.tasks.common import (
    EMAIL_RETRY,
    RETRY,
    member_email_send,
    member_emails_fan_out,
)

__all__ = [
    "issue_birthday_gifts",
    "send_member_day_reminders",
    "send_privilege_email",
    "send_privilege_emails",
]


@shared_task(**RETRY)
def issue_birthday_gifts() -> int:
    """Give the birthday gifts due by the shop's today; the number given."""
    return birthday_gifts_issue(now=timezone.now())


@shared_task(**RETRY)
def send_member_day_reminders() -> int:
    """Email opted-in members when tomorrow is a member day; the number queued."""
    return member_day_reminders_send(now=timezone.now())


@shared_task(**EMAIL_RETRY)
def send_privilege_email(user_id: int, kind: str, context: dict) -> bool:
    """Render and send the `kind` email to member `user_id`; False if they are gone."""
    return member_email_send(privilege_email_build, user_id, kind, context)


@shared_task(ignore_result=True)
def send_privilege_emails(kind: str, items: list) -> int:
    """Fan a batch of (user id, context) out into one `send_privilege_email` each."""
    return member_emails_fan_out(send_privilege_email, kind, items, label="privilege")
