"""The shopper context of the loyalty programme (`settings.SHOPPER_CONTEXT_CLASS`).

A signed-in customer shops as a member of their tier: member prices on every
listing, product page, cart, quote and order, the tier's free-shipping
threshold at checkout, and teasers of the next tier's price. Guests pay the
list price and are teased with the member price. Staff browsing the shop are
treated like any member.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from loyalty.models import Membership, Tier
from loyalty.prices import tier_in_force, variant_prices_for_tier
from loyalty.selectors.programme import tier_base
from shop.core.shopper import PricedVariant, PublicShopper, VariantPrice


class LoyaltyShopper(PublicShopper):
    """A shopper with their membership and tier, read lazily in one query.

    `membership` is None for guests and for a customer whose membership row
    does not exist yet (it is created on their first loyalty event, never on a
    page view); such a customer shops in the base tier. `tier` is the active
    scheme's tier the member holds, None for guests.
    """

    def __init__(self, user=None):
        super().__init__(user)
        self._loaded = False
        self._membership: Membership | None = None
        self._tier: Tier | None = None

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self.is_member:
            return
        self._membership = (
            Membership.objects.filter(user_id=self.user.pk)
            .select_related("tier")
            .first()
        )
        if self._membership is not None:
            self._tier = tier_in_force(self._membership.tier)
        else:
            self._tier = tier_base()

    @property
    def membership(self) -> Membership | None:
        self._load()
        return self._membership

    @property
    def tier(self) -> Tier | None:
        self._load()
        return self._tier

    @property
    def segment(self) -> str:
        # Listing caches are keyed by it: members of one tier share them.
        tier = self.tier
        return f"tier:{tier.code}" if tier is not None else "public"

    def restrict_products(self, products: QuerySet) -> QuerySet:
        # Everyone sees every published product for now. Member-only listings
        # (`Tier.hidden_listing_access`) narrow `products` here, by `self.tier`;
        # `segment` already separates the tiers' cached listings.
        return products

    def price_variants(
        self, variants: Iterable[PricedVariant]
    ) -> dict[Any, VariantPrice]:
        return variant_prices_for_tier(variants, tier=self.tier)
