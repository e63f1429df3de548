"""Member emails, sent after the commit that caused them (see loyalty.notifications)."""

from celery import shared_task

from loyalty.notifications import member_email_build
from loyalty.tasks.common import EMAIL_RETRY, member_email_send, member_emails_fan_out

__all__ = ["send_member_email", "send_member_emails"]


@shared_task(**EMAIL_RETRY)
def send_member_email(user_id: int, kind: str, context: dict) -> bool:
    """Render and send the `kind` email to member `user_id`; False if they are gone."""
    return member_email_send(member_email_build, user_id, kind, context)


@shared_task(ignore_result=True)
def send_member_emails(kind: str, items: list) -> int:
    """Fan a batch of (user id, context) out into one `send_member_email` each."""
    return member_emails_fan_out(send_member_email, kind, items, label="member")
