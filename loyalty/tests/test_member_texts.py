"""The member area's sentences: progress to the next tier and to keeping it, and
the benefits table's rules in words."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from loyalty.models import QualifyWindow, TierValidity
from loyalty.selectors.member import (
    decimal_text,
    progress_keep_text,
    progress_next_text,
    tier_keep_text,
    tier_qualify_text,
)
from loyalty.selectors.tiers import TierProgress
from loyalty.tests.factories import tier

pytestmark = pytest.mark.django_db


def replace(model, **fields):
    """A copy of a tier with some fields changed (the cached one stays as it is)."""
    changed = copy.copy(model)
    for name, value in fields.items():
        setattr(changed, name, value)
    return changed


def progress(**fields) -> TierProgress:
    # Tier codes in the parameters (collected before the database exists).
    for name in ("tier", "next_tier"):
        if isinstance(fields.get(name), str):
            fields[name] = tier(fields[name])
    base = {
        "tier": tier("silver"),
        "expires_on": date(2027, 3, 31),
        "next_tier": tier("gold"),
        "next_spend_needed": Decimal("1240.00"),
        "next_orders_needed": None,
        "next_percent": 91,
        "window_starts_on": date(2026, 4, 1),
        "window_ends_on": None,
        "spend_in_window": Decimal("13760.00"),
        "orders_in_window": 7,
        "retain_spend_needed": Decimal("1240.00"),
        "retain_percent": 58,
        "retain_by": date(2027, 3, 31),
        "spend_in_validity": Decimal("1760.00"),
    }
    return TierProgress(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({}, "Spend NT$1,240 more to reach Gold"),
        (
            {"window_ends_on": date(2027, 12, 31)},
            "Spend NT$1,240 more by Dec. 31, 2027 to reach Gold",
        ),
        (
            {"next_tier": "vip", "next_orders_needed": 3},
            "Spend NT$1,240 more or place 3 more orders to reach VIP",
        ),
        (
            {"next_tier": "vip", "next_orders_needed": 1},
            "Spend NT$1,240 more or place 1 more order to reach VIP",
        ),
        (
            {"next_spend_needed": None, "next_orders_needed": 2},
            "Place 2 more orders to reach Gold",
        ),
        (
            {"next_spend_needed": Decimal("0.00"), "next_percent": 100},
            "You qualify for Gold; your tier is updated shortly.",
        ),
        ({"tier": "vip", "next_tier": None}, "You are in the highest tier."),
    ],
)
def test_the_way_to_the_next_tier(fields, text):
    assert progress_next_text(progress(**fields)) == text


def test_both_conditions_are_joined_with_and():
    vip = replace(tier("vip"), qualify_requires_both=True)

    text = progress_next_text(progress(next_tier=vip, next_orders_needed=3))

    assert text == "Spend NT$1,240 more and place 3 more orders to reach VIP"


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({}, "Spend NT$1,240 more by March 31, 2027 to keep Silver"),
        (
            {"retain_spend_needed": Decimal("0.00")},
            "You have spent enough to keep Silver after March 31, 2027.",
        ),
        (
            {"retain_spend_needed": None},
            "Silver is valid until March 31, 2027; qualify again to keep it.",
        ),
        ({"tier": "member", "expires_on": None, "retain_spend_needed": None}, ""),
    ],
)
def test_keeping_the_tier(fields, text):
    assert progress_keep_text(progress(**fields)) == text


def test_the_rules_in_words():
    gold = tier("gold")

    assert tier_qualify_text(
        replace(gold, qualify_window=QualifyWindow.CALENDAR_YEAR)
    ) == ("Spend NT$15,000 in one calendar year")
    assert tier_qualify_text(
        replace(gold, qualify_spend=None, qualify_orders=5, qualify_window_months=6)
    ) == ("Place 5 orders within 6 months")
    assert tier_qualify_text(
        replace(gold, qualify_spend=None, qualify_single_order=Decimal("8000"))
    ) == ("Spend NT$8,000 in one order")
    assert tier_keep_text(replace(gold, validity=TierValidity.YEAR_END)) == (
        "Valid until the end of the year; spend NT$10,000 in that time to keep it"
    )
    assert tier_keep_text(replace(gold, retain_spend=None)) == (
        "Valid 12 months from reaching it; qualify again to keep it"
    )
    assert tier_keep_text(replace(gold, validity=TierValidity.FOREVER)) == (
        "Never expires"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1.50"), "1.5"),
        (Decimal("2.00"), "2"),
        (Decimal("100"), "100"),
        (Decimal("0.25"), "0.25"),
    ],
)
def test_decimals_lose_their_trailing_zeros(value, text):
    assert decimal_text(value) == text
