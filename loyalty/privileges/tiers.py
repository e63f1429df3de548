"""The tier whose benefits a member gets, for many members at once."""

from __future__ import annotations

from loyalty.models import Tier
from loyalty.plans.selectors import membership_plans
from loyalty.selectors.programme import tiers_active


class TierResolver:
    """The tier whose benefits a member gets: their tier as in the active scheme,
    lifted to a paid plan's minimum tier while the plan runs.

    Reads the cached tiers and plans once, for a whole batch of members.
    """

    def __init__(self):
        tiers = tiers_active()
        self.base = tiers[0] if tiers else None
        self.by_pk = {tier.pk: tier for tier in tiers}
        self.by_code = {tier.code: tier for tier in tiers}
        self.plans = membership_plans()

    def __call__(self, *, tier_id, tier_code: str, paid_plan_id=None) -> Tier | None:
        tier = self.by_pk.get(tier_id) or self.by_code.get(tier_code) or self.base
        plan = self.plans.get(paid_plan_id) if paid_plan_id else None
        floor = self.by_code.get(plan.min_tier_code) if plan is not None else None
        if floor is not None and (tier is None or floor.rank > tier.rank):
            return floor
        return tier
