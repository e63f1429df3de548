"""Reads of orders: member history and detail, guest lookup, display summaries."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from shop.core.money import Money
from shop.orders.models import (
    AdjustmentKind,
    Order,
    OrderAdjustment,
    OrderEvent,
    OrderLine,
    Payment,
)
from shop.orders.status import OrderStatus, PaymentStatus

# Names for the built-in payment methods, used when the gateway class has none.
PAYMENT_METHOD_LABELS = {
    "cod": _("Cash on delivery"),
    "atm": _("ATM / bank transfer"),
    "card": _("Credit card"),
}

# The steps a shopper sees in the progress bar of an order, in order.
ORDER_PROGRESS = [
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.PAID,
    OrderStatus.PROCESSING,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
]


def payment_method_label(code: str) -> str:
    """The shopper-facing name of a payment method code (`"atm"` → ATM transfer)."""
    path = getattr(settings, "PAYMENT_GATEWAYS", {}).get(code)
    if path:
        try:
            label = getattr(import_string(path), "label", None)
        except ImportError:
            label = None
        if label:
            return str(label)
    return str(PAYMENT_METHOD_LABELS.get(code, code))


def order_payment_deadline(*, order: Order) -> datetime:
    """The last moment to pay an order that waits for a bank transfer."""
    return order.placed_at + timedelta(days=getattr(settings, "ATM_PAYMENT_DAYS", 3))


def order_cooling_off_ends(*, order: Order) -> datetime | None:
    """When the cooling-off period (鑑賞期) of a delivered order ends, else None."""
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=settings.COOLING_OFF_DAYS)


def order_payment_open(*, order: Order) -> Payment | None:
    """The payment still waiting for money (pending or failed), newest first."""
    return (
        Payment.objects.filter(
            order=order, status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED]
        )
        .order_by("-created_at", "-id")
        .first()
    )


def payment_collects_on_delivery(payment: Payment | None) -> bool:
    return bool(payment and payment.data.get("collect_on_delivery"))


def _item_count() -> Subquery:
    # A subquery rather than a join + GROUP BY, so the row filters and the
    # admin's search joins cannot multiply the sum.
    return Subquery(
        OrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum("quantity"))
        .values("total")[:1]
    )


def _latest_payment_status() -> Subquery:
    return Subquery(
        Payment.objects.filter(order=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("status")[:1]
    )


def orders_annotated() -> QuerySet[Order]:
    """Orders with `item_count` and `payment_status` (latest payment) annotated."""
    return Order.objects.annotate(
        item_count=_item_count(), payment_status=_latest_payment_status()
    )


def orders_for_user(*, user) -> QuerySet[Order]:
    """A member's orders, newest first, for the history page and the API list."""
    if not user.is_authenticated:
        return Order.objects.none()
    return orders_annotated().filter(user=user).order_by("-placed_at", "-id")


def orders_with_details() -> QuerySet[Order]:
    """Orders with everything the detail page shows, in a fixed number of queries."""
    return orders_annotated().prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
        Prefetch(
            "adjustments",
            queryset=OrderAdjustment.objects.prefetch_related("allocations"),
        ),
        Prefetch("payments", queryset=Payment.objects.order_by("-created_at", "-id")),
        Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "id")),
    )


def order_for_member(*, user, number: str) -> Order:
    """`user`'s order `number`; raises Order.DoesNotExist for anybody else's."""
    if not user.is_authenticated:
        raise Order.DoesNotExist
    return orders_with_details().get(user=user, number=number)


def order_lookup(*, number: str, email: str) -> Order | None:
    """The order with this number and email address, or None for any mismatch."""
    number = (number or "").strip().upper()
    email = (email or "").strip()
    if not number or not email:
        return None
    return Order.objects.filter(number=number, email__iexact=email).first()


@dataclass(frozen=True)
class SummaryLine:
    line: OrderLine
    unit_price: Money
    subtotal: Money
    # The line's share of order-level discounts and tenders; what it cost in the end.
    adjustments: Money
    net: Money


@dataclass(frozen=True)
class SummaryAdjustment:
    label: str
    kind: str
    amount: Money


@dataclass(frozen=True)
class OrderSummary:
    """What an order page, an email or the API shows, as Money, from prefetched rows."""

    lines: list[SummaryLine]
    adjustments: list[SummaryAdjustment]
    subtotal: Money
    discount_total: Money
    shipping_total: Money
    tender_total: Money
    total: Money
    payment: Payment | None
    payment_method: str
    shipping_method: str
    is_pickup: bool
    address: str
    pickup_store: str
    payment_deadline: datetime
    cooling_off_ends: datetime | None
    progress: list[tuple[str, str, bool]]


def _address(order: Order) -> str:
    parts = [order.postal_code, order.city, order.district, order.street]
    return " ".join(part for part in parts if part)


def _progress(order: Order) -> list[tuple[str, str, bool]]:
    """(status, label, reached) per step; a cancelled order shows none reached."""
    if order.status == OrderStatus.CANCELLED:
        return []
    reached = (
        ORDER_PROGRESS.index(order.status) if order.status in ORDER_PROGRESS else -1
    )
    return [
        (status.value, str(status.label), index <= reached)
        for index, status in enumerate(ORDER_PROGRESS)
    ]


def order_summary(*, order: Order) -> OrderSummary:
    """Lines, adjustments with their per-line shares, totals, shipping and payment.

    Reads `lines`, `adjustments` (with `allocations`) and `payments` through
    `all()`, so an order from `orders_with_details` costs no further queries.
    """
    currency = order.currency
    lines = list(order.lines.all())
    adjustments = list(order.adjustments.all())
    shares: dict[int, Decimal] = {}
    for adjustment in adjustments:
        for allocation in adjustment.allocations.all():
            shares[allocation.line_id] = shares.get(allocation.line_id, Decimal(0)) + (
                allocation.amount
            )
    summary_lines = [
        SummaryLine(
            line=line,
            unit_price=Money(line.unit_price, currency),
            subtotal=Money(line.subtotal, currency),
            adjustments=Money(shares.get(line.pk, Decimal(0)), currency),
            net=Money(line.subtotal + shares.get(line.pk, Decimal(0)), currency),
        )
        for line in lines
    ]
    tender = sum(
        (a.amount for a in adjustments if a.kind == AdjustmentKind.TENDER), Decimal(0)
    )
    payments = list(order.payments.all())
    payment = payments[0] if payments else None
    return OrderSummary(
        lines=summary_lines,
        adjustments=[
            SummaryAdjustment(a.label, a.kind, Money(a.amount, currency))
            for a in adjustments
        ],
        subtotal=Money(order.subtotal, currency),
        discount_total=Money(order.discount_total, currency),
        shipping_total=Money(order.shipping_total, currency),
        tender_total=Money(tender, currency),
        total=Money(order.total, currency),
        payment=payment,
        payment_method=payment_method_label(order.payment_method),
        shipping_method=order.shipping_method_name,
        is_pickup=order.is_pickup,
        address=_address(order),
        pickup_store=" ".join(
            part for part in (order.pickup_store_code, order.pickup_store_name) if part
        ),
        payment_deadline=order_payment_deadline(order=order),
        cooling_off_ends=order_cooling_off_ends(order=order),
        progress=_progress(order),
    )


def unpaid_expiry_methods() -> list[str]:
    """Payment methods whose unpaid orders expire (the shopper pays by transfer)."""
    return list(getattr(settings, "ORDER_UNPAID_EXPIRY_METHODS", ["atm"]))


def orders_unpaid_overdue(*, now: datetime) -> QuerySet[Order]:
    """Orders awaiting a bank transfer whose payment deadline has passed."""
    days = getattr(settings, "ATM_PAYMENT_DAYS", 3)
    return Order.objects.filter(
        status=OrderStatus.PENDING_PAYMENT,
        payment_method__in=unpaid_expiry_methods(),
        placed_at__lte=now - timedelta(days=days),
    )


def orders_cooling_off_over(*, now: datetime) -> QuerySet[Order]:
    """Delivered orders whose cooling-off period has ended."""
    return Order.objects.filter(
        status=OrderStatus.DELIVERED,
        delivered_at__lte=now - timedelta(days=settings.COOLING_OFF_DAYS),
    )


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    label: str
    note: str


def order_timeline(*, order: Order) -> list[TimelineEntry]:
    """The order's history for the shopper: when it was placed and each status since.

    Notes are shown only for cancellations (the reason) and shipping (the
    carrier and tracking number); other notes are the merchant's own.
    """
    entries = []
    for event in order.events.all():
        if not event.from_status:
            label = _("Order placed")
        else:
            label = OrderStatus(event.to_status).label
        public = event.to_status in (OrderStatus.CANCELLED, OrderStatus.SHIPPED)
        entries.append(
            TimelineEntry(
                when=event.created_at,
                label=str(label),
                note=event.note if public and event.from_status else "",
            )
        )
    return entries
