"""The quote: the one source of every price shown in cart, checkout, API and order.

`quote_build` prices the lines through the shopper context (member prices come
from there), then runs the adjusters named in `settings.CHECKOUT_ADJUSTERS` in
order. Each adjuster returns adjustments with a label, a signed amount and,
for order-level amounts, their allocation to lines, so that a partial return
can later refund exactly what each unit cost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from shop.core.money import Money
from shop.core.shopper import ShopperContext, VariantPrice
from shop.orders.models import AdjustmentKind


@dataclass
class QuoteLine:
    variant: Any
    quantity: int
    price: VariantPrice

    @property
    def key(self) -> str:
        return str(self.variant.pk)

    @property
    def unit_price(self) -> Money:
        # Rounded to what the currency is charged in (whole NT$), so the unit
        # price shown, the line totals and the amount charged all agree.
        return self.price.price.rounded()

    @property
    def subtotal(self) -> Money:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Adjustment:
    code: str
    label: str
    amount: Money
    kind: str = AdjustmentKind.DISCOUNT
    # line key → signed share of `amount`; empty when kept on the order (shipping)
    allocations: dict[str, Decimal] = field(default_factory=dict)
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CheckoutOffer:
    """A choice an adjuster offers the shopper at checkout, e.g. paying with points.

    The shopper's answer comes back as `options[key]` (checkout keeps it in
    the session, the API takes it in the body) and reaches the adjusters in
    `QuoteContext.options`. The review page renders `template_name` with
    `offer`; `context` holds what that form shows and must be JSON-able, as
    the API returns it too. Shop code knows no offer by name.
    """

    key: str
    template_name: str
    context: dict = field(default_factory=dict)


@dataclass
class QuoteContext:
    """What the shopper chose at checkout that adjusters may look at."""

    shopper: ShopperContext
    shipping_method: Any = None
    options: dict = field(default_factory=dict)


@dataclass
class Quote:
    currency: str
    lines: list[QuoteLine]
    adjustments: list[Adjustment] = field(default_factory=list)
    # Hints for the shopper, e.g. "NT$120 more for free shipping".
    notes: list[str] = field(default_factory=list)
    # Choices adjusters offer at checkout (see CheckoutOffer).
    offers: list[CheckoutOffer] = field(default_factory=list)

    def _sum(self, amounts: Iterable[Decimal]) -> Money:
        return Money(sum(amounts, Decimal(0)), self.currency)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def subtotal(self) -> Money:
        return self._sum(line.subtotal.amount for line in self.lines)

    @property
    def discount_total(self) -> Money:
        return self._sum(
            a.amount.amount
            for a in self.adjustments
            if a.kind == AdjustmentKind.DISCOUNT
        )

    @property
    def tender_total(self) -> Money:
        return self._sum(
            a.amount.amount for a in self.adjustments if a.kind == AdjustmentKind.TENDER
        )

    @property
    def shipping_total(self) -> Money:
        return self._sum(
            a.amount.amount
            for a in self.adjustments
            if a.kind == AdjustmentKind.SHIPPING
        )

    @property
    def total(self) -> Money:
        """What the payment method collects: lines, plus every adjustment."""
        return self.subtotal + self._sum(a.amount.amount for a in self.adjustments)

    def line_net(self, key: str) -> Money:
        """A line's subtotal after its share of every allocated adjustment."""
        line = next(line for line in self.lines if line.key == key)
        shares = (a.allocations.get(key, Decimal(0)) for a in self.adjustments)
        return line.subtotal + self._sum(shares)

    def merchandise_after_discounts(self) -> Money:
        """Lines after discounts (not shipping or tenders): free shipping checks it."""
        return self.subtotal + self.discount_total

    def line_weights(self) -> dict[str, Decimal]:
        """Current value of each line: the weights to spread an order-level amount."""
        return {line.key: self.line_net(line.key).amount for line in self.lines}


class Adjuster(Protocol):
    def adjust(self, quote: Quote, context: QuoteContext) -> Iterable[Adjustment]: ...


def adjusters() -> list[Adjuster]:
    return [import_string(path)() for path in settings.CHECKOUT_ADJUSTERS]


def quote_build(
    *,
    shopper: ShopperContext,
    items: Sequence[tuple[Any, int]],
    shipping_method=None,
    options: dict | None = None,
) -> Quote:
    """Price `items` ((variant, quantity) pairs) for `shopper` and run the adjusters."""
    variants = [variant for variant, _quantity in items]
    prices = shopper.price_variants(variants)
    currency = variants[0].currency if variants else settings.SHOP_CURRENCY
    quote = Quote(
        currency=currency,
        lines=[QuoteLine(v, quantity, prices[v.pk]) for v, quantity in items],
    )
    context = QuoteContext(
        shopper=shopper, shipping_method=shipping_method, options=options or {}
    )
    for adjuster in adjusters():
        quote.adjustments.extend(adjuster.adjust(quote, context))
    return quote
