"""Order and payment status machines: the states and the moves allowed between them.

Only `shop.orders.services.order_status_change` and `payment_status_change` move
a status; each move writes an event row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    PAID = "paid", _("Paid")
    PROCESSING = "processing", _("Processing")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")


S = OrderStatus
# Cash on delivery goes from pending payment straight to processing: it is paid
# when the parcel is handed over, so its payment is marked paid on delivery.
ORDER_TRANSITIONS: dict[str, set[str]] = {
    S.PENDING_PAYMENT: {S.PAID, S.PROCESSING, S.CANCELLED},
    S.PAID: {S.PROCESSING, S.CANCELLED},
    S.PROCESSING: {S.SHIPPED, S.CANCELLED},
    S.SHIPPED: {S.DELIVERED},
    S.DELIVERED: {S.COMPLETED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}

P = PaymentStatus
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    P.PENDING: {P.PAID, P.FAILED, P.CANCELLED},
    P.FAILED: {P.PENDING, P.PAID, P.CANCELLED},
    P.PAID: {P.REFUNDED, P.PARTIALLY_REFUNDED},
    P.PARTIALLY_REFUNDED: {P.REFUNDED, P.PARTIALLY_REFUNDED},
    P.CANCELLED: set(),
    P.REFUNDED: set(),
}


def order_can_move(current: str, target: str) -> bool:
    return target in ORDER_TRANSITIONS.get(current, set())


def payment_can_move(current: str, target: str) -> bool:
    return target in PAYMENT_TRANSITIONS.get(current, set())
