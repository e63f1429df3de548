"""Background work of returns: the shopper's emails, the hourly expiry sweep
and the nightly serial-returner flags.

Each task is a thin call into services or notifications.
"""

from celery import shared_task
from django.utils import timezone

from loyalty.tasks.common import EMAIL_RETRY
from returns.notifications import return_email_build
from returns.selectors import return_requests_with_details
from returns.services import return_requests_expire
from returns.services.serial import serial_returners_flag


# The shop's retry policy for one email (a mail server down or slow).
@shared_task(**EMAIL_RETRY)
def send_return_email(request_id: int, kind: str) -> bool:
    """Render and send the `kind` email of return `request_id`; False if it is gone."""
    request = return_requests_with_details().filter(pk=request_id).first()
    if request is None:
        return False
    return_email_build(request=request, kind=kind).send()
    return True


@shared_task(ignore_result=True)
def expire_unshipped_returns() -> int:
    """Expire approved returns never shipped back by their deadline (hourly)."""
    return return_requests_expire(now=timezone.now())


@shared_task(ignore_result=True)
def flag_serial_returners() -> int:
    """Flag customers past the serial-returner thresholds (nightly)."""
    return serial_returners_flag(now=timezone.now())
