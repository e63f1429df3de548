"""Beat and queued tasks of shopping credit and top-ups; each calls a service."""

from celery import shared_task
from django.utils import timezone

from loyalty.tasks.common import EMAIL_RETRY, RETRY

__all__ = ["expire_due_credit", "send_purchase_receipt"]


@shared_task(**RETRY)
def expire_due_credit() -> str:
    """Expire credit lots whose expiry has passed; the amount expired, as text.

    Each lot's EXPIRE row is keyed by the lot, so a retried or doubled run
    writes nothing twice.
    """
    from loyalty.credit.services import credit_expire_due

    return str(credit_expire_due(now=timezone.now()))


@shared_task(**EMAIL_RETRY)
def send_purchase_receipt(purchase_id: int) -> bool:
    """Email the receipt of a paid purchase; False when there is nobody to mail."""
    from loyalty.purchases.emails import purchase_receipt_build

    message = purchase_receipt_build(purchase_id=purchase_id)
    if message is None:
        return False
    message.send()
    return True
