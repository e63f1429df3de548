"""Writes to carts. Every change checks the variant is for sale to this shopper.

A variant may go into a cart only if its product is visible to the shopper
(through `shop.catalog.selectors.products_visible`, so hidden listings stay
hidden), the shopper may buy it (`ShopperContext.purchase_locks`: a
member-only teaser is shown to all but sold to its audience only), the variant
is on sale and enough stock is left. Refusals raise `CartError` with a message
for the shopper and nothing changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from shop.cart import storage
from shop.cart.errors import CartError
from shop.cart.storage import CartRef
from shop.catalog.models import Variant
from shop.catalog.selectors import products_visible

LONG_PRODUCT_FIELDS = ("description", "size_guide", "search_document")
# The largest id a row can have (a 64-bit primary key); the databases refuse to
# even compare a column with a larger number.
MAX_ID = 2**63 - 1


def max_line_quantity() -> int:
    return getattr(settings, "CART_MAX_LINE_QUANTITY", 99)


def sellable_variants(*, shopper, variant_ids) -> dict[int, Variant]:
    """The variants among `variant_ids` this shopper may buy now, with their product.

    One query: on sale, and the product visible to the shopper. Stock is not
    checked here.
    """
    return {
        variant.pk: variant
        for variant in Variant.objects.filter(
            pk__in=list(variant_ids),
            is_active=True,
            product__in=products_visible(shopper=shopper).values("pk"),
        )
        .select_related("product")
        # Long texts no cart or checkout shows: reading them would only cost time.
        .defer(*(f"product__{name}" for name in LONG_PRODUCT_FIELDS))
    }


def purchase_locks_for(*, shopper, variants) -> dict[int, str]:
    """{variant pk: why} for the variants whose product this shopper may see but
    not buy; at most one query for all of them."""
    variants = list(variants)
    if not variants:
        return {}
    locks = shopper.purchase_locks({variant.product_id for variant in variants})
    return {v.pk: locks[v.product_id] for v in variants if v.product_id in locks}


def _clean_variant_id(variant_id) -> int:
    try:
        variant_id = int(variant_id)
    except (TypeError, ValueError):
        raise CartError(
            _("Choose a product option."), field="variant", code="invalid"
        ) from None
    if not 1 <= variant_id <= MAX_ID:
        raise CartError(
            _("Sorry, this product is no longer available."),
            field="variant",
            code="unavailable",
        )
    return variant_id


def _variant_for_cart(*, shopper, variant_id) -> Variant:
    variant_id = _clean_variant_id(variant_id)
    variant = sellable_variants(shopper=shopper, variant_ids=[variant_id]).get(
        variant_id
    )
    if variant is None:
        raise CartError(
            _("Sorry, this product is no longer available."),
            field="variant",
            code="unavailable",
        )
    locked = purchase_locks_for(shopper=shopper, variants=[variant])
    if locked:
        raise CartError(locked[variant.pk], field="variant", code="locked")
    return variant


def _clean_quantity(quantity, *, minimum: int) -> int:
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = -1
    maximum = max_line_quantity()
    if not minimum <= quantity <= maximum:
        raise CartError(
            _("Enter a quantity from %(minimum)d to %(maximum)d.")
            % {"minimum": minimum, "maximum": maximum},
            field="quantity",
            code="invalid_quantity",
        )
    return quantity


def _check_stock(variant: Variant, wanted: int, *, in_cart: int = 0) -> None:
    if variant.stock <= 0:
        raise CartError(
            _("Sorry, %(item)s is sold out.") % {"item": variant},
            field="quantity",
            code="sold_out",
        )
    if wanted > variant.stock:
        if in_cart:
            message = _(
                "Only %(count)d left of %(item)s; your cart already has %(in_cart)d."
            ) % {"count": variant.stock, "item": variant, "in_cart": in_cart}
        else:
            message = _("Only %(count)d left of %(item)s.") % {
                "count": variant.stock,
                "item": variant,
            }
        raise CartError(message, field="quantity", code="insufficient_stock")


@transaction.atomic
def cart_add(*, shopper, cart: CartRef, variant_id, quantity=1) -> int:
    """Add `quantity` of a variant to the cart; returns the line's new quantity.

    Raises CartError when the variant is not for sale to this shopper, or the
    line would hold more than the stock left or the per-line maximum.
    """
    quantity = _clean_quantity(quantity, minimum=1)
    variant = _variant_for_cart(shopper=shopper, variant_id=variant_id)
    db_cart = storage.member_cart_lock(cart.user) if cart.is_member else None
    in_cart = storage.stored_items(cart).get(variant.pk, 0)
    wanted = in_cart + quantity
    if wanted > max_line_quantity():
        raise CartError(
            _("You can buy at most %(maximum)d of one item per order.")
            % {"maximum": max_line_quantity()},
            field="quantity",
            code="invalid_quantity",
        )
    _check_stock(variant, wanted, in_cart=in_cart)
    storage.stored_set(cart, variant.pk, wanted, db_cart=db_cart)
    return wanted


@transaction.atomic
def cart_set_quantity(*, shopper, cart: CartRef, variant_id, quantity) -> int:
    """Set a line's quantity; zero removes it. Returns the new quantity.

    Lowering a quantity or removing a line is always allowed, even for a
    variant no longer for sale, so a shopper can clean up their cart.
    """
    quantity = _clean_quantity(quantity, minimum=0)
    variant_id = _clean_variant_id(variant_id)
    db_cart = storage.member_cart_lock(cart.user) if cart.is_member else None
    in_cart = storage.stored_items(cart).get(variant_id, 0)
    if not in_cart:
        raise CartError(
            _("This item is not in your cart."), field="variant", code="not_in_cart"
        )
    if quantity > in_cart:
        variant = _variant_for_cart(shopper=shopper, variant_id=variant_id)
        _check_stock(variant, quantity)
    storage.stored_set(cart, variant_id, quantity, db_cart=db_cart)
    return quantity


@transaction.atomic
def cart_remove(*, cart: CartRef, variant_id) -> None:
    """Take a line out of the cart; removing a line that is not there is a no-op."""
    variant_id = _clean_variant_id(variant_id)
    storage.stored_set(cart, variant_id, 0)


@transaction.atomic
def cart_clear(*, cart: CartRef) -> None:
    """Empty the cart (after an order is placed, or on request)."""
    storage.stored_clear(cart)


@transaction.atomic
def cart_merge_at_login(*, shopper, session, user) -> list[str]:
    """Move a visitor's session cart into the member's cart as they log in.

    Quantities add up; a line is capped at the stock left (and the per-line
    maximum), and lines no longer for sale are dropped. Returns one message per
    line that was capped or dropped, for the shopper to read. The session cart
    is emptied.
    """
    incoming = storage.session_items_take(session)
    if not incoming:
        return []
    member = CartRef(session=session, user=user)
    db_cart = storage.member_cart_lock(user)
    existing = storage.stored_items(member)
    variants = sellable_variants(shopper=shopper, variant_ids=incoming)
    locked = purchase_locks_for(shopper=shopper, variants=variants.values())
    messages = []
    for variant_id, quantity in incoming.items():
        variant = variants.get(variant_id)
        if variant_id in locked:
            messages.append(
                _("%(item)s was removed from your cart: %(reason)s")
                % {"item": variant, "reason": locked[variant_id]}
            )
            continue
        if variant is None:
            messages.append(
                _("An item in your cart is no longer available and was removed.")
            )
            continue
        had = existing.get(variant_id, 0)
        limit = min(variant.stock, max_line_quantity())
        if limit <= 0:
            messages.append(
                _("%(item)s is sold out, so it was not added to your cart.")
                % {"item": variant}
            )
            continue
        wanted = had + quantity
        merged = min(wanted, limit)
        if merged < wanted:
            messages.append(
                _("Only %(count)d left of %(item)s: your cart now has %(in_cart)d.")
                % {"count": variant.stock, "item": variant, "in_cart": max(merged, had)}
            )
        if merged > had:
            storage.stored_set(member, variant_id, merged, db_cart=db_cart)
    return messages
