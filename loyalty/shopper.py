"""The shopper context of the loyalty programme (`settings.SHOPPER_CONTEXT_CLASS`).

A signed-in customer shops as a member of their tier: member prices on every
listing, product page, cart, quote and order, the tier's free-shipping
threshold at checkout, and teasers of the next tier's price. Guests pay the
list price and are teased with the member price. Staff browsing the shop pay
like any member and see every member-only listing, to preview it. A paid
membership lifts the tier to its plan's minimum while it runs; member-only
listings are narrowed here for every surface; `member_day` says whether today
is a member day.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from loyalty.listings.selectors import (
    listing_locks,
    listing_restrict,
    listing_segment,
)
from loyalty.models import Membership, MembershipPlan, PaidMembership, Tier
from loyalty.plans.selectors import membership_plans, paid_membership_annotations
from loyalty.prices import tier_in_force, variant_prices_for_tier
from loyalty.privileges.memberday import member_day_today
from loyalty.selectors.programme import tier_base, tiers_active
from shop.core.shopper import PricedVariant, PublicShopper, VariantPrice


def shopper_membership(shopper, *fields: str) -> Membership | None:
    """The shopper's membership: the one the loyalty shopper context already
    read for the request, else `fields` of it read now (None without one)."""
    membership = getattr(shopper, "membership", None)
    if isinstance(membership, Membership):
        return membership
    return (
        Membership.objects.filter(user=shopper.user)
        .only("pk", "user_id", *fields)
        .first()
    )


class LoyaltyShopper(PublicShopper):
    """A shopper with their membership and tier, read lazily in one query.

    `membership` is None for guests and for a customer whose membership row
    does not exist yet (it is created on their first loyalty event, never on a
    page view); such a customer shops in the base tier. `tier` is the active
    scheme's tier the member holds, None for guests.
    """

    def __init__(self, user=None, *, access_codes: tuple[str, ...] = ()):
        super().__init__(user)
        # Private-link codes opened in this session (member-only listings).
        self.access_codes = tuple(access_codes)
        self._loaded = False
        self._membership: Membership | None = None
        self._tier: Tier | None = None
        self._paid_membership: PaidMembership | None = None

    @classmethod
    def from_request(cls, request) -> LoyaltyShopper:
        from loyalty.listings.access import session_access_codes

        return cls(
            getattr(request, "user", None),
            access_codes=session_access_codes(request),
        )

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self.is_member:
            return
        self._membership = (
            Membership.objects.filter(user_id=self.user.pk)
            .select_related("tier")
            .annotate(**paid_membership_annotations())
            .first()
        )
        if self._membership is not None:
            self._tier = tier_in_force(self._membership.tier)
        else:
            self._tier = tier_base()
        plan = self.paid_plan
        floor_code = plan.min_tier_code if plan is not None else ""
        floor = next((t for t in tiers_active() if t.code == floor_code), None)
        if floor is not None and floor.rank > self._tier.rank:
            self._tier = floor

    @property
    def paid_plan(self) -> MembershipPlan | None:
        """The plan of the paid membership holding benefits now, or None."""
        self._load()
        plan_id = getattr(self._membership, "paid_plan_id", None)
        return membership_plans().get(plan_id) if plan_id else None

    @property
    def paid_membership(self) -> PaidMembership | None:
        """The paid membership period holding benefits now (one query, once)."""
        self._load()
        paid_id = getattr(self._membership, "paid_membership_id", None)
        if paid_id and self._paid_membership is None:
            self._paid_membership = PaidMembership.objects.select_related("plan").get(
                pk=paid_id
            )
        return self._paid_membership

    @property
    def member_day(self):
        """Today's date if it is a member day and the shopper is a member."""
        return member_day_today() if self.is_member else None

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
        # Listing caches are keyed by it: shoppers who see the same products at
        # the same prices share them.
        tier = self.tier
        parts = [f"tier:{tier.code}" if tier is not None else "public"]
        if self.paid_plan is not None:
            parts.append("paid")
        # Private links, grants, staff and early-access dates matter only
        # through the listing rules they open: shoppers from whom the same
        # rules hide products see the same products.
        listing = listing_segment(self)
        if listing:
            parts.append(listing)
        return "|".join(parts)

    def restrict_products(self, products: QuerySet) -> QuerySet:
        return listing_restrict(products, shopper=self)

    def purchase_locks(self, product_ids) -> dict[int, str]:
        return listing_locks(product_ids, shopper=self)

    def price_variants(
        self, variants: Iterable[PricedVariant]
    ) -> dict[Any, VariantPrice]:
        return variant_prices_for_tier(variants, tier=self.tier)
