"""The shopper context: who is buying, what they may see, what they pay.

The storefront never decides visibility or price by itself. Middleware puts a
shopper context on every request (`request.shopper`); catalogue selectors take
it as a required keyword argument and ask it to narrow product querysets and to
price many variants at once. The class is named in
`settings.SHOPPER_CONTEXT_CLASS`, so the loyalty app can plug in member tiers,
hidden listings and member prices without the storefront importing it.

`PublicShopper` is the built-in implementation: everybody sees every published
product and pays the list price.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from shop.core.money import Money


@dataclass(frozen=True, slots=True)
class VariantPrice:
    """What one variant costs this shopper, and what to show beside it."""

    price: Money
    list_price: Money
    compare_at: Money | None = None
    # e.g. "金卡會員價": why `price` differs from `list_price`.
    label: str = ""
    # A better price the shopper could get, shown as an incentive ("VIP price NT$900").
    teaser_label: str = ""
    teaser_price: Money | None = None

    @property
    def is_discounted(self) -> bool:
        return (
            self.compare_at is not None and self.price.amount < self.compare_at.amount
        )

    @property
    def teaser(self) -> str:
        """The teaser in words, e.g. "金卡會員價 NT$1,216"; empty without one."""
        if not self.teaser_label or self.teaser_price is None:
            return ""
        return f"{self.teaser_label} {self.teaser_price}"


class PricedVariant(Protocol):
    pk: Any
    price: Any
    compare_at_price: Any
    currency: str


@runtime_checkable
class ShopperContext(Protocol):
    user: Any

    @property
    def is_member(self) -> bool: ...

    @property
    def segment(self) -> str:
        """A short key shared by all shoppers who see the same catalogue and prices."""

    def restrict_products(self, products: QuerySet) -> QuerySet:
        """Narrow an already-published product queryset to what this shopper may see."""

    def purchase_locks(self, product_ids: Iterable[Any]) -> dict[Any, str]:
        """Products this shopper may see but not buy: pk → why, shown instead of
        the buy button ("Reach Gold to buy"); at most one query for all of them.

        Cart and checkout refuse these with the reason. A product hidden from
        the shopper, should one be passed, is refused too.
        """

    def price_variants(
        self, variants: Iterable[PricedVariant]
    ) -> dict[Any, VariantPrice]:
        """Prices of many variants at once, by variant pk; no query per variant."""


class PublicShopper:
    """Everyone sees every published product at its list price."""

    def __init__(self, user=None):
        self.user = user

    @classmethod
    def from_request(cls, request) -> PublicShopper:
        return cls(getattr(request, "user", None))

    @property
    def is_member(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    @property
    def segment(self) -> str:
        return "public"

    def restrict_products(self, products: QuerySet) -> QuerySet:
        return products

    def purchase_locks(self, product_ids: Iterable[Any]) -> dict[Any, str]:
        return {}

    def price_variants(
        self, variants: Iterable[PricedVariant]
    ) -> dict[Any, VariantPrice]:
        prices = {}
        for variant in variants:
            list_price = Money(variant.price, variant.currency)
            compare_at = (
                Money(variant.compare_at_price, variant.currency)
                if variant.compare_at_price is not None
                else None
            )
            prices[variant.pk] = VariantPrice(
                price=list_price, list_price=list_price, compare_at=compare_at
            )
        return prices


def shopper_context_class() -> type:
    # import_string caches the module; reading the setting each time lets tests
    # override it.
    return import_string(settings.SHOPPER_CONTEXT_CLASS)


def shopper_for_request(request) -> ShopperContext:
    """The request's shopper context, built once per request from its current user."""
    shopper = getattr(request, "_shopper_context", None)
    if shopper is None or shopper.user is not getattr(request, "user", None):
        shopper = shopper_context_class().from_request(request)
        request._shopper_context = shopper
    return shopper


def shopper_for_user(user) -> ShopperContext:
    """A shopper context outside a request (tasks, feeds, commands)."""
    return shopper_context_class()(user)
