"""What the loyalty tasks share: their retry settings and the email helpers.

No task lives here; the tasks stay in the modules whose names Celery (and the
beat schedule in settings) knows them by.
"""

import logging
import smtplib
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import OperationalError

logger = logging.getLogger(__name__)

# For the beat tasks: each service commits batch by batch and skips what is
# done, so a retry after a lock timeout or a dropped connection finishes the
# work without doing any of it twice.
RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 60,
    "retry_jitter": True,
    "max_retries": 5,
    "ignore_result": True,
}

# For the tasks that send one email: a mail server that is down or slow is
# worth trying again, for a while longer than a database.
EMAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_jitter": True,
    "max_retries": 6,
    "ignore_result": True,
}


def member_email_send(build: Callable, user_id: int, kind: str, context: dict) -> bool:
    """Send `build(user=, kind=, context=)` to member `user_id`; False if gone.

    A member who left, or who has no email address, gets nothing.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    build(user=user, kind=kind, context=context).send()
    return True


def member_emails_fan_out(task, kind: str, items: list, *, label: str) -> int:
    """Queue `task` once per (user id, context) of `items`; the number queued.

    `label` names the emails in the log ("member", "privilege").
    """
    queued = 0
    for user_id, context in items:
        try:
            task.delay(user_id, kind, context)
            queued += 1
        except Exception:
            # One member's email must not hold back the rest of the batch.
            logger.exception("%s email %s to user %s failed", label, kind, user_id)
    return queued
