"""Writes driven by payment providers: applying a verified notice, retrying."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shop.checkout.errors import NotificationRejected, PaymentError
from shop.checkout.models import PaymentNotification
from shop.checkout.payments.base import Notification
from shop.orders.errors import IllegalTransition
from shop.orders.models import Order, Payment
from shop.orders.services import order_mark_paid, payment_status_change
from shop.orders.status import OrderStatus, PaymentStatus


def payment_notification_process(
    *, gateway, notice: Notification
) -> PaymentNotification:
    """Apply a verified notice from `gateway` once, and record it.

    In one transaction, with the order row locked so notices about one order
    queue up: a notice id seen before is a replay (NotificationRejected, code
    "replay"); an amount or currency other than the payment's is refused
    ("amount_mismatch"); "paid" marks the order paid through
    `shop.orders.services.order_mark_paid`, unless the order already has a paid
    payment (then nothing changes and the outcome is "already_paid"); "failed"
    marks a pending payment failed, so the shopper can try again. A refusal
    changes nothing, the notification table included.
    """
    parsed = gateway.parse_reference(notice.payment_reference)
    if parsed is None:
        raise NotificationRejected(
            _("Unknown payment reference."), code="unknown_payment"
        )
    number, payment_id = parsed
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(number=number).first()
        payment = (
            Payment.objects.filter(
                pk=payment_id, order=order, method=gateway.code
            ).first()
            if order is not None
            else None
        )
        if payment is None:
            raise NotificationRejected(
                _("Unknown payment reference."), code="unknown_payment"
            )
        if PaymentNotification.objects.filter(
            gateway=gateway.code, notification_id=notice.notification_id
        ).exists():
            raise NotificationRejected(
                _("This notification has already been processed."), code="replay"
            )
        if notice.amount != payment.amount or notice.currency != payment.currency:
            raise NotificationRejected(
                _("The amount does not match the payment."), code="amount_mismatch"
            )
        already_paid = order.payments.filter(status=PaymentStatus.PAID).exists()
        if already_paid:
            outcome = PaymentNotification.Outcome.ALREADY_PAID
        elif notice.status == Notification.PAID:
            if order.status != OrderStatus.PENDING_PAYMENT:
                raise NotificationRejected(
                    _("Order %(number)s no longer waits for payment (%(status)s).")
                    % {"number": order.number, "status": order.get_status_display()},
                    code="order_not_payable",
                )
            if payment.status == PaymentStatus.FAILED:
                # An earlier attempt failed; the shopper retried on the same payment.
                payment = payment_status_change(
                    payment=payment,
                    to_status=PaymentStatus.PENDING,
                    note=_("Payment retried with %(gateway)s.")
                    % {"gateway": gateway.label},
                )
            try:
                order_mark_paid(
                    order=order,
                    payment=payment,
                    reference=notice.transaction_id,
                    note=_("Paid with %(gateway)s (notification %(id)s).")
                    % {"gateway": gateway.label, "id": notice.notification_id},
                )
            except IllegalTransition as exc:
                raise NotificationRejected(
                    exc.message, code="order_not_payable"
                ) from exc
            outcome = PaymentNotification.Outcome.PAID
        else:
            if payment.status == PaymentStatus.PENDING:
                payment_status_change(
                    payment=payment,
                    to_status=PaymentStatus.FAILED,
                    note=_(
                        "The provider reported a failed payment (notification %(id)s)."
                    )
                    % {"id": notice.notification_id},
                )
            outcome = PaymentNotification.Outcome.FAILED
        try:
            with transaction.atomic():
                return PaymentNotification.objects.create(
                    gateway=gateway.code,
                    notification_id=notice.notification_id,
                    order=order,
                    payment=payment,
                    status=notice.status,
                    amount=notice.amount,
                    outcome=outcome,
                    payload=notice.payload,
                    sent_at=notice.sent_at,
                )
        except IntegrityError as exc:
            # The same notice applied by a concurrent request for another order
            # reference; undo everything done above.
            raise NotificationRejected(
                _("This notification has already been processed."), code="replay"
            ) from exc


def payment_retry(*, order: Order) -> Payment:
    """The payment to (re)start for an order still waiting for it.

    A failed payment goes back to pending so the shopper can try again; a paid
    or cancelled order raises PaymentError.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.PENDING_PAYMENT:
            raise PaymentError(
                _("This order is not waiting for payment."), code="not_payable"
            )
        payment = (
            locked.payments.filter(
                status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED]
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if payment is None:
            raise PaymentError(
                _("This order is not waiting for payment."), code="not_payable"
            )
        if payment.status == PaymentStatus.FAILED:
            payment = payment_status_change(
                payment=payment,
                to_status=PaymentStatus.PENDING,
                note=_("Payment retried."),
            )
        return payment
