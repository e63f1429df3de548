"""Members in a tier and qualifying spend for the tier tests, written directly.

The rows are what `loyalty.services.tiers` writes, so the nightly run, the
warnings and scheme previews read them as they would read real ones. Orders
that must go through the real flow use `order_with_lines` and
`order_mark_paid` instead (test_tiers_spend.py).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from loyalty.models import Membership, QualifyingSpend
from loyalty.tests.factories import member_create, tier

_keys = itertools.count(1)


def at(day: date, hour: int = 12) -> datetime:
    """`day` at `hour` o'clock in the store's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def member_holding(
    code: str,
    *,
    since: datetime | None = None,
    expires_on: date | None = None,
    **user_fields,
):
    """A customer holding tier `code` since `since`, valid through `expires_on`."""
    user_fields.setdefault("name", "Amy")
    user = member_create(**user_fields)
    Membership.objects.filter(user=user).update(
        tier=tier(code),
        tier_since=since or timezone.now(),
        tier_expires_on=expires_on,
    )
    return user


def spend_add(user, amount, *, on: date | datetime, orders: int = 1, order=None):
    """A qualifying-spend row of `amount` for `user`, counted on `on`."""
    membership = Membership.objects.get(user=user)
    counted_at = on if isinstance(on, datetime) else at(on)
    return QualifyingSpend.objects.create(
        membership=membership,
        order=order,
        amount=Decimal(amount),
        orders=orders,
        counted_at=counted_at,
        idempotency_key=f"test-spend:{next(_keys)}",
    )


def membership_of(user) -> Membership:
    return Membership.objects.select_related("tier").get(user=user)
