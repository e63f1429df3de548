"""Plans, paid purchases and paid members for the paid membership tests.

Times are fixed in the shop's zone (Asia/Taipei) so that period ends read as
the dates a member is told.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from loyalty.models import (
    MembershipPlan,
    PlanPeriod,
    Purchase,
    PurchaseKind,
    PurchaseStatus,
)
from loyalty.plans.selectors import membership_plans_cache_clear
from loyalty.plans.services import paid_membership_activate

TAIPEI = ZoneInfo("Asia/Taipei")
_numbers = itertools.count(1)


def at(year, month, day, hour=0, minute=0) -> datetime:
    """An instant in the shop's time zone."""
    return datetime(year, month, day, hour, minute, tzinfo=TAIPEI)


def plan_create(
    code="plus",
    *,
    name="Plus",
    period=PlanPeriod.MONTH,
    price="199",
    free_shipping=True,
    extra_discount_percent="5",
    min_tier_code="",
    **fields,
) -> MembershipPlan:
    plan = MembershipPlan.objects.create(
        code=code,
        name=name,
        period=period,
        price=Decimal(price),
        free_shipping=free_shipping,
        extra_discount_percent=Decimal(extra_discount_percent),
        min_tier_code=min_tier_code,
        **fields,
    )
    membership_plans_cache_clear()
    return plan


def purchase_paid(*, user, plan, paid_at: datetime) -> Purchase:
    """A membership purchase of `plan` by `user`, paid at `paid_at`."""
    return Purchase.objects.create(
        number=f"P{next(_numbers):07d}",
        user=user,
        kind=PurchaseKind.MEMBERSHIP,
        membership_plan=plan,
        description=plan.name,
        amount=plan.price,
        currency="TWD",
        gateway="card",
        status=PurchaseStatus.PAID,
        paid_at=paid_at,
    )


def paid_member_create(*, user, plan, paid_at: datetime):
    """`user`'s paid period of `plan`, paid at `paid_at`."""
    return paid_membership_activate(
        purchase=purchase_paid(user=user, plan=plan, paid_at=paid_at)
    )
