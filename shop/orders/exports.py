"""CSV export of orders, one row per order, streamed so a large export stays small."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.core.money import money_round
from shop.orders.models import Order
from shop.orders.selectors import payment_method_label
from shop.orders.status import OrderStatus, PaymentStatus

COLUMNS = [
    ("number", _("Order number")),
    ("placed_at", _("Placed")),
    ("status", _("Status")),
    ("payment_method", _("Payment method")),
    ("payment_status", _("Payment status")),
    ("shipping_method", _("Shipping method")),
    ("customer_name", _("Customer")),
    ("email", _("Email")),
    ("phone", _("Phone")),
    ("recipient_name", _("Recipient")),
    ("recipient_phone", _("Recipient phone")),
    ("address", _("Address")),
    ("pickup_store", _("Pickup store")),
    ("item_count", _("Items")),
    ("currency", _("Currency")),
    ("subtotal", _("Subtotal")),
    ("discount_total", _("Discounts")),
    ("shipping_total", _("Shipping")),
    ("total", _("Total")),
    ("carrier", _("Carrier")),
    ("tracking_number", _("Tracking number")),
    ("paid_at", _("Paid")),
    ("shipped_at", _("Shipped")),
    ("delivered_at", _("Delivered")),
]

# A cell starting with one of these is a formula to a spreadsheet; a customer's
# name must never run as one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def order_row(order: Order) -> list[str]:
    """One order as CSV cells; `order` carries the `orders_annotated` annotations."""
    currency = order.currency
    payment_status = getattr(order, "payment_status", None)
    values = {
        "number": order.number,
        "placed_at": _when(order.placed_at),
        "status": OrderStatus(order.status).label,
        "payment_method": payment_method_label(order.payment_method),
        "payment_status": PaymentStatus(payment_status).label if payment_status else "",
        "shipping_method": order.shipping_method_name,
        "customer_name": order.customer_name,
        "email": order.email,
        "phone": order.phone,
        "recipient_name": order.recipient_name,
        "recipient_phone": order.recipient_phone,
        "address": " ".join(
            p
            for p in (order.postal_code, order.city, order.district, order.street)
            if p
        ),
        "pickup_store": " ".join(
            p for p in (order.pickup_store_code, order.pickup_store_name) if p
        ),
        "item_count": getattr(order, "item_count", None) or 0,
        "currency": currency,
        "subtotal": money_round(order.subtotal, currency),
        "discount_total": money_round(order.discount_total, currency),
        "shipping_total": money_round(order.shipping_total, currency),
        "total": money_round(order.total, currency),
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "paid_at": _when(order.paid_at),
        "shipped_at": _when(order.shipped_at),
        "delivered_at": _when(order.delivered_at),
    }
    return [_safe(values[key]) for key, _label in COLUMNS]


class _Echo:
    def write(self, value):
        return value


def orders_csv_rows(orders: QuerySet[Order]) -> Iterator[str]:
    """The CSV text, line by line: a byte-order mark (Excel reads Chinese right
    with it), the header, then one line per order, read in chunks."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([str(label) for _key, label in COLUMNS])
    rows: Iterable[Order] = orders.iterator(chunk_size=1000)
    for order in rows:
        yield writer.writerow(order_row(order))
