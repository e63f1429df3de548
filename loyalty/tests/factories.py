"""Members for the loyalty tests."""

from loyalty.models import Tier
from loyalty.selectors.programme import tiers_active
from loyalty.services.membership import membership_ensure
from shop.accounts.tests.factories import UserFactory


def member_create(**user_fields):
    """A customer with a membership in the base tier."""
    user = UserFactory(**user_fields)
    membership_ensure(user=user)
    return user


def tier(code: str) -> Tier:
    """The active scheme's tier with `code` (member, silver, gold, vip)."""
    return next(t for t in tiers_active() if t.code == code)
