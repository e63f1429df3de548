"""Small display helpers for the return pages (loaded by returns templates only)."""

from django import template

from returns.models import ReturnStatus

register = template.Library()

S = ReturnStatus
# The order badges' colours (static/css/shop.css), so a return's status reads
# like an order's: waiting, moving, done, stopped.
_BADGE = {
    S.REQUESTED: "pending_payment",
    S.APPROVED: "processing",
    S.IN_TRANSIT: "processing",
    S.RECEIVED: "processing",
    S.INSPECTED: "processing",
    S.RESOLVED: "delivered",
    S.CLOSED: "completed",
    S.REJECTED: "cancelled",
    S.CANCELLED: "cancelled",
    S.EXPIRED: "cancelled",
}


@register.filter
def return_badge(status: str) -> str:
    """The CSS class of a return status badge: `order-status order-status-…`."""
    return f"order-status order-status-{_BADGE.get(status, 'completed')}"


@register.filter
def percent(value) -> str:
    """A Decimal percentage without trailing zeros: 10.00 → "10", 2.50 → "2.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
