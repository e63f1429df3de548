"""Reads of carts: the cart with live prices from the quote, and its item count."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from shop.cart import storage
from shop.cart.services import max_line_quantity, purchase_locks_for
from shop.cart.storage import CartRef
from shop.catalog.models import ProductImage, Variant
from shop.catalog.selectors import products_visible
from shop.checkout.pricing import Quote, QuoteLine, quote_build


@dataclass
class CartLineView:
    """One line of the cart as the shopper sees it.

    `quote_line` is None for a line left out of the quote (no longer available
    or sold out); `problem` then says why, and also flags a quantity above the
    stock left. A cart with problems cannot be checked out.
    """

    variant: Variant
    quantity: int
    quote_line: QuoteLine | None = None
    problem: str = ""

    @property
    def product(self):
        return self.variant.product

    @property
    def image(self) -> ProductImage | None:
        images = getattr(self.variant.product, "image_list", None) or []
        return images[0] if images else None

    @property
    def max_quantity(self) -> int:
        return max(min(self.variant.stock, max_line_quantity()), self.quantity)


@dataclass
class CartSummary:
    lines: list[CartLineView]
    quote: Quote
    shipping_method: object = None
    # Lines whose variant has been deleted altogether: nothing left to show.
    vanished: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def can_check_out(self) -> bool:
        return bool(self.quote.lines) and not any(line.problem for line in self.lines)

    def items(self) -> dict[int, int]:
        """{variant id: quantity} of the lines that can be bought."""
        return {
            line.variant.pk: line.quantity for line in self.lines if line.quote_line
        }


def cart_summary(
    *, shopper, cart: CartRef, shipping_method=None, options: dict | None = None
) -> CartSummary:
    """The cart with every price taken from the quote, and what stops a checkout.

    A fixed number of queries whatever the number of lines: the stored lines
    (members), the variants with their products and visibility, their images,
    plus whatever the shopper context (prices, purchase locks) and the
    adjusters need.
    """
    stored = storage.stored_items(cart)
    if not stored:
        return CartSummary(lines=[], quote=quote_build(shopper=shopper, items=[]))
    visible = products_visible(shopper=shopper).filter(pk=OuterRef("product_id"))
    variants = {
        variant.pk: variant
        for variant in Variant.objects.filter(pk__in=list(stored))
        .select_related("product")
        .annotate(is_visible=Exists(visible))
        .prefetch_related(
            Prefetch(
                "product__images",
                queryset=ProductImage.objects.order_by("position", "pk"),
                to_attr="image_list",
            )
        )
    }
    lines: list[CartLineView] = []
    sellable: list[tuple[Variant, int]] = []
    # A member-only teaser the shopper may no longer buy (e.g. after a downgrade).
    locked = purchase_locks_for(
        shopper=shopper, variants=[v for v in variants.values() if v.is_visible]
    )
    for variant_id, quantity in stored.items():
        variant = variants.get(variant_id)
        if variant is None:
            continue
        line = CartLineView(variant=variant, quantity=quantity)
        if not (variant.is_visible and variant.is_active):
            line.problem = _("No longer available. Please remove it from your cart.")
        elif variant_id in locked:
            line.problem = _("%(reason)s Please remove it from your cart.") % {
                "reason": locked[variant_id]
            }
        elif variant.stock <= 0:
            line.problem = _("Sold out. Please remove it from your cart.")
        else:
            if quantity > variant.stock:
                line.problem = _("Only %(count)d left. Please lower the quantity.") % {
                    "count": variant.stock
                }
            sellable.append((variant, quantity))
        lines.append(line)
    quote = quote_build(
        shopper=shopper,
        items=sellable,
        shipping_method=shipping_method,
        options=options,
    )
    by_key = {quote_line.key: quote_line for quote_line in quote.lines}
    for line in lines:
        line.quote_line = by_key.get(str(line.variant.pk))
    return CartSummary(
        lines=lines,
        quote=quote,
        shipping_method=shipping_method,
        vanished=len(stored) - len(lines),
        problems=[line.problem for line in lines if line.problem],
    )


def cart_item_count(*, cart: CartRef) -> int:
    """Units in the cart, for the header: no query for visitors, one for members."""
    return storage.stored_count(cart)


def variant_for_options(
    *, shopper, product_id: int, option1: str = "", option2: str = ""
):
    """The active variant of a visible product with these option values, or None.

    An empty option value matches a variant whose option is empty, so products
    with one option (or none) are found too. One query.
    """
    return (
        Variant.objects.filter(
            product_id=product_id,
            product__in=products_visible(shopper=shopper).values("pk"),
            is_active=True,
            option1=(option1 or "").strip(),
            option2=(option2 or "").strip(),
        )
        .order_by("position", "pk")
        .first()
    )
