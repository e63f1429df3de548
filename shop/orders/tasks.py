"""Background work of orders: emails and the two daily sweeps.

Each task is a thin call into services. The sweeps select the due orders in
one query, then make one service call per order; the service checks again
under the row lock, so running a sweep twice (or beside a merchant) changes
nothing more.
"""

import logging
import smtplib

from celery import shared_task
from django.utils import timezone

from shop.orders import selectors, services
from shop.orders.models import Order
from shop.orders.notifications import order_email_build

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=6,
    ignore_result=True,
)
def send_order_email(order_id: int, kind: str) -> bool:
    """Render and send the `kind` email of order `order_id`; False if it is gone."""
    order = selectors.orders_with_details().filter(pk=order_id).first()
    if order is None:
        return False
    order_email_build(order=order, kind=kind).send()
    return True


def _sweep(order_ids, service, now) -> int:
    done = 0
    for order in Order.objects.filter(pk__in=order_ids).order_by("pk"):
        try:
            if service(order=order, now=now) is not None:
                done += 1
        except Exception:
            # One order that cannot move must not hold back the rest of the sweep.
            logger.exception("%s failed for order %s", service.__name__, order.number)
    return done


@shared_task(ignore_result=True)
def cancel_unpaid_transfer_orders() -> int:
    """Cancel orders still waiting for a bank transfer after the deadline; restock."""
    now = timezone.now()
    ids = list(selectors.orders_unpaid_overdue(now=now).values_list("pk", flat=True))
    return _sweep(ids, services.order_cancel_unpaid, now)


@shared_task(ignore_result=True)
def complete_cooled_off_orders() -> int:
    """Complete delivered orders whose cooling-off period has ended."""
    now = timezone.now()
    ids = list(selectors.orders_cooling_off_over(now=now).values_list("pk", flat=True))
    return _sweep(ids, services.order_complete_if_due, now)
