"""The members' figures printed under the demo summary."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum

from loyalty.models import Membership, QualifyingSpend
from loyalty.selectors.programme import tiers_active
from shop.accounts.models import User
from shop.core.money import format_money
from shop.demo.plan import shopper_email


def member_state(user: User) -> dict:
    """A member's tier, qualifying spend (all of it) and points, for the summary."""
    membership = Membership.objects.select_related("tier").get(user=user)
    spend = QualifyingSpend.objects.filter(membership=membership).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    return {
        "tier": membership.tier.code,
        "tier_name": membership.tier.name,
        "spend": spend,
        "available": membership.points_available,
        "pending": membership.points_pending,
    }


def _featured_notes(customers: int) -> list[str]:
    notes = []
    for number in range(1, min(customers, 3) + 1):
        user = User.objects.filter(email=shopper_email(number)).first()
        if user is None or not Membership.objects.filter(user=user).exists():
            continue
        state = member_state(user)
        notes.append(
            f"{user.email}: {state['tier_name']}, spend "
            f"{format_money(state['spend'], settings.SHOP_CURRENCY)}, "
            f"{state['available']} points + {state['pending']} pending"
        )
    counts = dict(
        Membership.objects.order_by()
        .values_list("tier__code")
        .annotate(members=Count("id"))
    )
    if counts:
        notes.append(
            "Members by tier: "
            + ", ".join(
                f"{tier.name} {counts.get(tier.code, 0)}" for tier in tiers_active()
            )
        )
    return notes
