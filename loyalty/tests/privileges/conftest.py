"""Fixtures of the member-day and birthday-gift tests: a settable clock, tiers."""

from decimal import Decimal

import pytest

from loyalty.models import Tier
from loyalty.selectors.programme import programme_cache_clear
from loyalty.tests.points_support import clock_install
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401


@pytest.fixture
def clock(monkeypatch):
    return clock_install(monkeypatch)


def tier_set(code: str, **fields) -> None:
    """Change the active scheme's tier `code` (and drop the cached tiers)."""
    Tier.objects.filter(scheme__status="active", code=code).update(**fields)
    programme_cache_clear()


@pytest.fixture
def gold_benefits(db):
    """Gold: no member price (so amounts stay round), 5% extra and 2× points on
    member days, ×2 points always."""
    tier_set(
        "gold",
        discount_percent=Decimal("0"),
        member_day_extra_percent=Decimal("5"),
        member_day_points_multiplier=Decimal("2"),
    )
