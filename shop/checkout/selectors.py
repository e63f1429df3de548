"""Reads for checkout: shipping methods, and orders as their buyer sees them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from shop.checkout.errors import CheckoutError
from shop.checkout.models import ShippingMethod
from shop.orders.models import Order, OrderAdjustment, Payment


def shipping_methods_active() -> QuerySet[ShippingMethod]:
    """The methods offered at checkout, in their display order."""
    return ShippingMethod.objects.filter(is_active=True).order_by("position", "id")


def shipping_method_get(*, code: str | None) -> ShippingMethod | None:
    """The active method with this code, or None (unknown, inactive or empty code)."""
    if not code:
        return None
    return shipping_methods_active().filter(code=code).first()


def shipping_method_named(*, code: str, field: str) -> ShippingMethod | None:
    """The active method with this code; None when no code is given.

    A code naming no active method raises `CheckoutError` on `field`: a client
    that asked for a method is told so rather than quoted without shipping.
    """
    method = shipping_method_get(code=code)
    if code and method is None:
        raise CheckoutError(
            _("Choose a shipping method from the list."),
            field=field,
            code="invalid_shipping_method",
        )
    return method


def shipping_method_chosen(*, code: str | None, methods=None) -> ShippingMethod | None:
    """The method named by `code` among `methods`, else the first (None if none).

    For pages that show an estimate before the shopper has chosen (the cart).
    """
    methods = list(methods if methods is not None else shipping_methods_active())
    return next((m for m in methods if m.code == code), methods[0] if methods else None)


def order_for_shopper(*, number: str, user=None, session_numbers=()) -> Order | None:
    """The order with its lines, adjustments and payments, if this shopper may see it.

    A shopper may see an order they own, or one placed in their browser session
    (guests). Anyone else gets None, which the doors turn into a 404 so order
    numbers cannot be probed.
    """
    order = (
        Order.objects.filter(number=number)
        .prefetch_related(
            "lines",
            Prefetch(
                "adjustments",
                queryset=OrderAdjustment.objects.order_by("position", "id"),
            ),
            Prefetch(
                "payments", queryset=Payment.objects.order_by("-created_at", "-id")
            ),
        )
        .first()
    )
    if order is None:
        return None
    owns = user is not None and user.is_authenticated and order.user_id == user.pk
    if owns or number in session_numbers:
        return order
    return None


def order_for_idempotency_key(*, key: str, user=None) -> Order | None:
    """The order a checkout form with this key already placed, for the same shopper."""
    if not key:
        return None
    order = Order.objects.filter(idempotency_key=key).first()
    if order is None:
        return None
    user_id = user.pk if user is not None and user.is_authenticated else None
    return order if order.user_id == user_id else None
