"""Order emails: which ones exist, how they are built, and queuing them after commit.

Each email is rendered in the language the order was placed in, from
`templates/orders/email/<kind>.txt` and `.html`, and sent by the Celery task
`shop.orders.tasks.send_order_email` once the transaction that caused it has
committed, so a rolled-back change never mails anybody.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shop.core.context_processors import shop_name
from shop.core.money import Money
from shop.orders.selectors import (
    order_cooling_off_ends,
    order_payment_deadline,
    order_summary,
)
from shop.orders.status import OrderStatus, PaymentStatus

EMAIL_SUBJECTS = {
    "placed": _("[%(shop)s] We have received your order %(number)s"),
    "payment_instructions": _("[%(shop)s] How to pay for order %(number)s"),
    "paid": _("[%(shop)s] Payment received for order %(number)s"),
    "shipped": _("[%(shop)s] Order %(number)s is on its way"),
    "delivered": _("[%(shop)s] Order %(number)s has been delivered"),
    "cancelled": _("[%(shop)s] Order %(number)s has been cancelled"),
}
EMAIL_KINDS = tuple(EMAIL_SUBJECTS)

DEFAULT_BANK_ACCOUNT = {"bank_code": "", "bank_name": "", "account": "", "holder": ""}


def order_email_send_later(*, order, kind: str) -> None:
    """Queue the `kind` email for `order` to go out when the transaction commits.

    Kinds: "placed", "payment_instructions", "paid", "shipped", "delivered",
    "cancelled". Outside a transaction it is queued at once.
    """
    if kind not in EMAIL_SUBJECTS:
        raise ValueError(f"unknown order email {kind!r}; expected one of {EMAIL_KINDS}")
    from shop.orders.tasks import send_order_email

    order_id = order.pk
    transaction.on_commit(lambda: send_order_email.delay(order_id, kind))


def _context(order, kind: str) -> dict:
    days = getattr(settings, "ATM_PAYMENT_DAYS", 3)
    context = {
        "order": order,
        "summary": order_summary(order=order),
        "kind": kind,
        "shop_name": shop_name(),
        "site_url": settings.SITE_URL.rstrip("/"),
        "order_url": settings.SITE_URL.rstrip("/") + order.get_absolute_url(),
        "cooling_off_days": settings.COOLING_OFF_DAYS,
        "bank": {**DEFAULT_BANK_ACCOUNT, **getattr(settings, "ATM_BANK_ACCOUNT", {})},
        "payment_days": days,
        "pay_by": order_payment_deadline(order=order),
        "cooling_off_ends": order_cooling_off_ends(order=order),
    }
    if kind == "cancelled":
        cancellations = [
            e for e in order.events.all() if e.to_status == OrderStatus.CANCELLED
        ]
        context["reason"] = cancellations[-1].note if cancellations else ""
        refunded = [
            p for p in order.payments.all() if p.status == PaymentStatus.REFUNDED
        ]
        context["refund_due"] = (
            Money(refunded[0].amount, refunded[0].currency) if refunded else None
        )
    return context


def order_email_build(*, order, kind: str) -> EmailMultiAlternatives:
    """The `kind` email for `order` in the order's language, text and HTML."""
    if kind not in EMAIL_SUBJECTS:
        raise ValueError(f"unknown order email {kind!r}")
    with translation.override(order.language or settings.LANGUAGE_CODE):
        context = _context(order, kind)
        subject = str(EMAIL_SUBJECTS[kind]) % {
            "shop": context["shop_name"],
            "number": order.number,
        }
        text = render_to_string(f"orders/email/{kind}.txt", context)
        html = render_to_string(f"orders/email/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.email],
    )
    message.attach_alternative(html, "text/html")
    return message
