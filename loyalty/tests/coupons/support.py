"""Coupons, carts and orders for the coupon tests.

Quotes and orders go through the shop's checkout services with the real
adjusters (settings.CHECKOUT_ADJUSTERS), so every rule is seen as a shopper
or an API client sees it.
"""

from __future__ import annotations

from decimal import Decimal

from loyalty.coupons.selectors import COUPON_CODE
from loyalty.models import Coupon, CouponKind
from shop.catalog.tests.factories import ProductFactory, VariantFactory
from shop.checkout.details import Contact
from shop.checkout.services import quote_for_items
from shop.checkout.tests.helpers import place
from shop.core.shopper import shopper_for_user


def coupon_create(*, products=(), categories=(), **fields) -> Coupon:
    """A coupon: SUMMER10, 10% off for members, unless `fields` say otherwise."""
    values = {
        "name": "Summer sale",
        "code": "SUMMER10",
        "kind": CouponKind.PERCENT,
        "value": Decimal("10"),
        **fields,
    }
    coupon = Coupon.objects.create(**values)
    coupon.products.set(products)
    coupon.categories.set(categories)
    return coupon


def variant(price: str, *, category=None, stock: int = 50):
    """A variant of a product of its own (in `category` when given)."""
    product = ProductFactory(category=category) if category else ProductFactory()
    return VariantFactory(product=product, price=Decimal(price), stock=stock)


def quote_of(user, items, *, coupon=None, method=None, points=None):
    """The quote of `items` ((variant, quantity) pairs) for `user` (None: a guest)."""
    options = {}
    if coupon is not None:
        options[COUPON_CODE] = coupon
    if points is not None:
        options["points"] = points
    return quote_for_items(
        shopper=shopper_for_user(user),
        items={v.pk: quantity for v, quantity in items},
        shipping_method=method,
        options=options,
    )


def coupon_line(quote):
    """The coupon adjustment of `quote` as (label, amount, {variant pk: share})."""
    [adjustment] = [a for a in quote.adjustments if a.code == COUPON_CODE]
    return (
        adjustment.label,
        adjustment.amount.amount,
        {int(key): share for key, share in adjustment.allocations.items()},
    )


def place_with_coupon(user, items, *, coupon, method, key=None):
    """Place an order of `items` for `user` with `coupon` (a code or "v:<id>")."""
    return place(
        shopper=shopper_for_user(user),
        items={v.pk: quantity for v, quantity in items},
        method=method,
        contact=Contact(
            email=user.email if user else "guest@example.com",
            name="林小美",
            phone="0912345678",
        ),
        payment_method="atm",
        options={COUPON_CODE: coupon},
        key=key,
    )
