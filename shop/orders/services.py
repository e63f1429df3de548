"""Writes to orders and payments; the status functions are the only way one moves."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop.catalog.models import StockMovement
from shop.catalog.stock import stock_return
from shop.core.money import format_money
from shop.orders import signals
from shop.orders.errors import IllegalTransition, OrderError
from shop.orders.models import Order, OrderEvent, Payment, PaymentEvent
from shop.orders.notifications import order_email_send_later
from shop.orders.selectors import (
    order_cooling_off_ends,
    order_payment_deadline,
    order_payment_open,
    payment_collects_on_delivery,
)
from shop.orders.status import (
    OrderStatus,
    PaymentStatus,
    order_can_move,
    payment_can_move,
)

# Letters and digits a person reads over the phone without confusion (no 0/O, 1/I/L).
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

_TIMESTAMP_FIELD = {
    OrderStatus.PAID: "paid_at",
    OrderStatus.SHIPPED: "shipped_at",
    OrderStatus.DELIVERED: "delivered_at",
    OrderStatus.COMPLETED: "completed_at",
    OrderStatus.CANCELLED: "cancelled_at",
}


def order_number_generate(*, now=None) -> str:
    """`2611225K7QX`: the date in the shop's timezone, then five random characters.

    Random rather than sequential so concurrent checkouts never wait on a counter;
    the unique constraint catches the rare clash and placement retries.
    """
    local = timezone.localtime(now)
    suffix = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(5))
    return f"{local:%y%m%d}{suffix}"


def order_status_change(
    *, order: Order, to_status: str, actor=None, note: str = ""
) -> Order:
    """Move `order` to `to_status` under a row lock and write the event row.

    Raises IllegalTransition for a move the status machine does not allow. The
    caller sends the domain event; this function only records the move.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if not order_can_move(locked.status, to_status):
            raise IllegalTransition(
                _("Order %(number)s cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "number": locked.number,
                    "from": OrderStatus(locked.status).label,
                    "to": OrderStatus(to_status).label,
                }
            )
        from_status = locked.status
        locked.status = to_status
        fields = ["status"]
        stamp = _TIMESTAMP_FIELD.get(to_status)
        if stamp and getattr(locked, stamp) is None:
            setattr(locked, stamp, timezone.now())
            fields.append(stamp)
        locked.save(update_fields=fields)
        OrderEvent.objects.create(
            order=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            note=note,
        )
    return locked


def order_event_record(*, order: Order, actor=None, note: str = "") -> OrderEvent:
    """A note on the order's timeline that is not a status change (e.g. placed)."""
    return OrderEvent.objects.create(
        order=order, from_status="", to_status=order.status, actor=actor, note=note
    )


def payment_status_change(
    *, payment: Payment, to_status: str, actor=None, note: str = "", reference: str = ""
) -> Payment:
    """Move `payment` to `to_status` under a row lock and write the event row.

    A second "paid" for the same order is refused by the database constraint as
    well as by the status machine.
    """
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if not payment_can_move(locked.status, to_status):
            raise IllegalTransition(
                _("The payment cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": PaymentStatus(locked.status).label,
                    "to": PaymentStatus(to_status).label,
                }
            )
        from_status = locked.status
        locked.status = to_status
        fields = ["status"]
        if to_status == PaymentStatus.PAID:
            locked.paid_at = timezone.now()
            fields.append("paid_at")
        if reference:
            locked.reference = reference
            fields.append("reference")
        try:
            with transaction.atomic():
                locked.save(update_fields=fields)
        except IntegrityError as exc:
            raise IllegalTransition(_("This order has already been paid.")) from exc
        PaymentEvent.objects.create(
            payment=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            note=note,
        )
    return locked


# --- Lifecycle ----------------------------------------------------------------
# Each service locks the order, moves it through `order_status_change` (which
# writes the event row), sends its domain event inside the transaction and queues
# its email for after the commit. A receiver that raises rolls the move back.


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _refresh(order: Order, locked: Order) -> Order:
    """Copy the locked row's state onto the caller's instance, so it is not stale."""
    for field in Order._meta.concrete_fields:
        setattr(order, field.attname, getattr(locked, field.attname))
    return order


def order_mark_paid(
    *,
    order: Order,
    payment: Payment | None = None,
    actor=None,
    reference: str = "",
    note: str = "",
) -> Order:
    """Record that the money for `order` has arrived.

    The open payment (or `payment`, when the gateway knows which one) goes to
    paid. An order pending payment moves to paid; an order already being
    processed or shipped (cash on delivery) keeps its status and only its
    payment moves. Sends `order_paid` and queues the "paid" email. Raises
    IllegalTransition when the order is already paid, cancelled or finished.
    """
    with transaction.atomic():
        locked = _lock(order)
        if payment is None:
            payment = order_payment_open(order=locked)
        elif payment.order_id != locked.pk:
            raise IllegalTransition(_("This payment belongs to another order."))
        if payment is None:
            raise IllegalTransition(
                _("Order %(number)s has no payment waiting to be paid.")
                % {"number": locked.number}
            )
        if locked.status == OrderStatus.PENDING_PAYMENT:
            locked = order_status_change(
                order=locked, to_status=OrderStatus.PAID, actor=actor, note=note
            )
        elif locked.status not in (OrderStatus.PROCESSING, OrderStatus.SHIPPED):
            raise IllegalTransition(
                _("Order %(number)s is “%(status)s” and cannot be marked paid.")
                % {"number": locked.number, "status": locked.get_status_display()}
            )
        payment = payment_status_change(
            payment=payment,
            to_status=PaymentStatus.PAID,
            actor=actor,
            note=note,
            reference=reference,
        )
        # The order's payment time is the payment's, not the status change's.
        locked.paid_at = payment.paid_at
        locked.save(update_fields=["paid_at"])
        signals.order_paid.send(sender=Order, order=locked, payment=payment)
        order_email_send_later(order=locked, kind="paid")
    return _refresh(order, locked)


def order_start_processing(*, order: Order, actor=None, note: str = "") -> Order:
    """Start packing `order`: a paid order, or a cash-on-delivery order before payment.

    An order paid by transfer or card must be paid first. No email: the
    shopper hears again when the parcel leaves.
    """
    with transaction.atomic():
        locked = _lock(order)
        if (
            locked.status == OrderStatus.PENDING_PAYMENT
            and not payment_collects_on_delivery(order_payment_open(order=locked))
        ):
            raise IllegalTransition(
                _("Order %(number)s must be paid before it is processed.")
                % {"number": locked.number}
            )
        locked = order_status_change(
            order=locked, to_status=OrderStatus.PROCESSING, actor=actor, note=note
        )
    return _refresh(order, locked)


def order_ship(
    *, order: Order, carrier: str, tracking_number: str, actor=None, note: str = ""
) -> Order:
    """Hand `order` to `carrier` with `tracking_number`; both are required.

    A paid order that nobody moved to processing passes through it on the way
    (two event rows), so the merchant can ship straight from "paid". Sends
    `order_shipped` and queues the "shipped" email with the tracking number.
    """
    carrier = (carrier or "").strip()
    tracking_number = (tracking_number or "").strip()
    if not carrier:
        raise OrderError(_("Enter the carrier."), field="carrier")
    if not tracking_number:
        raise OrderError(_("Enter the tracking number."), field="tracking_number")
    with transaction.atomic():
        locked = _lock(order)
        if locked.status == OrderStatus.PAID:
            locked = order_status_change(
                order=locked, to_status=OrderStatus.PROCESSING, actor=actor
            )
        locked = order_status_change(
            order=locked,
            to_status=OrderStatus.SHIPPED,
            actor=actor,
            note=note or f"{carrier} {tracking_number}",
        )
        locked.carrier = carrier
        locked.tracking_number = tracking_number
        locked.save(update_fields=["carrier", "tracking_number"])
        signals.order_shipped.send(sender=Order, order=locked, actor=actor)
        order_email_send_later(order=locked, kind="shipped")
    return _refresh(order, locked)


def order_mark_delivered(*, order: Order, actor=None, note: str = "") -> Order:
    """Record that the shopper has the parcel; the cooling-off period starts now.

    Cash on delivery was collected with the parcel, so its payment is marked
    paid here and `order_paid` is sent before `order_delivered`. Queues the
    "delivered" email, which names the last day of the cooling-off period.
    """
    with transaction.atomic():
        locked = _lock(order)
        locked = order_status_change(
            order=locked, to_status=OrderStatus.DELIVERED, actor=actor, note=note
        )
        payment = order_payment_open(order=locked)
        if payment_collects_on_delivery(payment):
            payment = payment_status_change(
                payment=payment,
                to_status=PaymentStatus.PAID,
                actor=actor,
                note=_("Collected on delivery."),
            )
            if locked.paid_at is None:
                locked.paid_at = payment.paid_at
                locked.save(update_fields=["paid_at"])
            signals.order_paid.send(sender=Order, order=locked, payment=payment)
        signals.order_delivered.send(sender=Order, order=locked, actor=actor)
        order_email_send_later(order=locked, kind="delivered")
    return _refresh(order, locked)


def order_complete(*, order: Order, actor=None, now=None) -> Order:
    """Close a delivered order once its cooling-off period has passed.

    Before that the shopper may still return it without reason, so an early
    call raises IllegalTransition naming the day it may complete.
    Sends `order_completed`.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        ends = order_cooling_off_ends(order=locked)
        if locked.status == OrderStatus.DELIVERED and ends is not None and ends > now:
            raise IllegalTransition(
                _("Order %(number)s is in its cooling-off period until %(date)s.")
                % {
                    "number": locked.number,
                    "date": formats.date_format(
                        timezone.localtime(ends), "DATETIME_FORMAT"
                    ),
                }
            )
        locked = order_status_change(
            order=locked, to_status=OrderStatus.COMPLETED, actor=actor
        )
        signals.order_completed.send(sender=Order, order=locked)
    return _refresh(order, locked)


def order_cancel(*, order: Order, actor=None, reason: str = "") -> Order:
    """Cancel `order` before it ships and put its items back into stock.

    Restocks exactly the ordered quantities once (the stock ledger's
    idempotency key is the order number). A pending payment is cancelled; a
    paid one is marked refunded with a note that the money must be paid back
    by hand: nothing is sent to a payment provider. Sends `order_cancelled`
    with the previous status and queues the "cancelled" email.
    """
    with transaction.atomic():
        locked = _lock(order)
        previous = locked.status
        locked = order_status_change(
            order=locked, to_status=OrderStatus.CANCELLED, actor=actor, note=reason
        )
        quantities: dict[int, int] = {}
        for variant_id, quantity in locked.lines.filter(
            variant__isnull=False
        ).values_list("variant_id", "quantity"):
            quantities[variant_id] = quantities.get(variant_id, 0) + quantity
        if quantities:
            stock_return(
                items=quantities,
                reason=StockMovement.Reason.ORDER_CANCELLED,
                reference=locked.number,
                actor=actor,
            )
        for payment in locked.payments.filter(
            status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.PAID]
        ):
            if payment.status == PaymentStatus.PAID:
                payment_status_change(
                    payment=payment,
                    to_status=PaymentStatus.REFUNDED,
                    actor=actor,
                    note=_(
                        "Order cancelled: %(amount)s must be returned to the customer."
                    )
                    % {"amount": format_money(payment.amount, payment.currency)},
                )
            else:
                payment_status_change(
                    payment=payment,
                    to_status=PaymentStatus.CANCELLED,
                    actor=actor,
                    note=reason,
                )
        signals.order_cancelled.send(
            sender=Order, order=locked, actor=actor, previous_status=previous
        )
        order_email_send_later(order=locked, kind="cancelled")
    return _refresh(order, locked)


def order_cancel_unpaid(*, order: Order, now=None) -> Order | None:
    """Cancel `order` if it is still unpaid after its transfer deadline, else None.

    Checked again under the row lock, so a payment recorded between the beat
    task's selection and this call wins and the order is left alone.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        if (
            locked.status != OrderStatus.PENDING_PAYMENT
            or order_payment_deadline(order=locked) > now
        ):
            return None
        days = getattr(settings, "ATM_PAYMENT_DAYS", 3)
        return order_cancel(
            order=locked,
            reason=ngettext(
                "Not paid within %(days)d day.", "Not paid within %(days)d days.", days
            )
            % {"days": days},
        )


def order_complete_if_due(*, order: Order, now=None) -> Order | None:
    """Complete `order` if it is delivered and its cooling-off period is over."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(order)
        ends = order_cooling_off_ends(order=locked)
        if locked.status != OrderStatus.DELIVERED or ends is None or ends > now:
            return None
        return order_complete(order=locked, now=now)
