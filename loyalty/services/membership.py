"""Creating memberships and locking them for balance changes."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from loyalty.models import Membership, Tier, TierChange
from loyalty.selectors.programme import tier_base


def membership_ensure(*, user) -> Membership:
    """The member's membership, created in the base tier on first use.

    Every registered customer has one: sign-up creates it, and any loyalty
    event for an older account creates it here. Safe under concurrency: a
    racing creator's row is returned.
    """
    found = Membership.objects.filter(user=user).select_related("tier").first()
    if found is not None:
        return found
    now = timezone.now()
    base = tier_base()
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, tier=base, tier_since=now)
            TierChange.objects.create(
                membership=membership,
                kind=TierChange.Kind.JOINED,
                to_tier=base,
                created_at=now,
            )
    except IntegrityError:
        return Membership.objects.select_related("tier").get(user=user)
    return membership


def membership_lock(*, user) -> Membership:
    """The member's membership row, locked for the rest of the transaction.

    Every change to a member's balances, spend or tier takes this lock first,
    so two checkouts or a checkout and a beat task never interleave.
    """
    membership = membership_ensure(user=user)
    # No join in the locking query: PostgreSQL re-checks a row that another
    # transaction changed while this one waited against the rows it joined
    # before, so a member whose tier just changed would not be found. The
    # tier is read after the lock.
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    locked.tier = Tier.objects.select_related("scheme").get(pk=locked.tier_id)
    return locked
