"""Member emails, sent after the commit that caused them (see loyalty.notifications)."""

import logging
import smtplib

from celery import shared_task
from django.contrib.auth import get_user_model

from loyalty.notifications import member_email_build

logger = logging.getLogger(__name__)

__all__ = ["send_member_email", "send_member_emails"]


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=6,
    ignore_result=True,
)
def send_member_email(user_id: int, kind: str, context: dict) -> bool:
    """Render and send the `kind` email to member `user_id`; False if they are gone."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    member_email_build(user=user, kind=kind, context=context).send()
    return True


@shared_task(ignore_result=True)
def send_member_emails(kind: str, items: list) -> int:
    """Fan a batch of (user id, context) out into one `send_member_email` each."""
    queued = 0
    for user_id, context in items:
        try:
            send_member_email.delay(user_id, kind, context)
            queued += 1
        except Exception:
            # One member's email must not hold back the rest of the batch.
            logger.exception("member email %s to user %s failed", kind, user_id)
    return queued
