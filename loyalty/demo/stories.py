"""The demo shoppers' stories: the README's three, and a spread for the others."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from loyalty.dates import add_months

# Steps an order goes through, in order; a history order stops at one of them.
PLACED, PAID, SHIPPED, DELIVERED, COMPLETED = (
    "placed",
    "paid",
    "shipped",
    "delivered",
    "completed",
)
_STEPS = (PLACED, PAID, SHIPPED, DELIVERED, COMPLETED)


@dataclass(frozen=True)
class DemoOrder:
    """An order `days_ago` days ago (at `hour` o'clock), taken up to `until`."""

    days_ago: int
    items: tuple[tuple[str, int], ...]  # (SKU, quantity)
    until: str = COMPLETED
    payment_method: str = "atm"
    hour: int = 21
    # Days from placing to shipping and from shipping to delivery.
    ship_after: int = 1
    deliver_after: int = 1


@dataclass(frozen=True)
class DemoPoints:
    """A points adjustment by the merchant, as of `at` (a date in the past)."""

    key: str
    at: datetime.date
    points: int
    reason: str


@dataclass(frozen=True)
class DemoStory:
    number: int
    orders: tuple[DemoOrder, ...] = ()
    points: tuple[DemoPoints, ...] = ()
    # Top the available points up to this after the orders (member1's 300).
    available_points: int | None = None
    top_up_reason: str = ""
    top_up_days_ago: int = 30


def _expiring_month_start(today: datetime.date) -> datetime.date:
    """The first day of the month, a year back, whose points expire soonest.

    With the default rule (end of the month twelve months after earning),
    points earned in this month last year expire at the end of this month; on
    the month's last day that is tonight, so the next month's are taken.
    """
    tomorrow = today + datetime.timedelta(days=1)
    month = today if tomorrow.month == today.month else tomorrow
    return add_months(month.replace(day=1), -12)


def featured_stories(today: datetime.date) -> list[DemoStory]:
    """The three shoppers of the README's story, as of `today`."""
    last_year = _expiring_month_start(today)
    last_year_days_ago = (today - last_year).days
    return [
        DemoStory(
            number=1,
            orders=(
                # NT$2,520 → 24 points, available since the order completed.
                DemoOrder(
                    days_ago=45,
                    items=(("OL-0001-02", 1), ("DB-0001-02", 1), ("CB-0001-01", 1)),
                ),
                # NT$1,480 → 14 points, pending until the cooling-off period ends.
                DemoOrder(
                    days_ago=4,
                    items=(("TP-0001-01", 1),),
                    until=DELIVERED,
                    ship_after=1,
                    deliver_after=1,
                ),
            ),
            available_points=300,
            top_up_reason="舊集點卡點數轉入",
            top_up_days_ago=30,
        ),
        DemoStory(
            number=2,
            points=(
                DemoPoints(
                    key="anniversary",
                    at=last_year,
                    points=200,
                    reason="週年慶加碼點數",
                ),
            ),
            orders=(
                # Last year's order: its points expire with the bonus above.
                DemoOrder(
                    days_ago=last_year_days_ago - 1,
                    items=(("OL-0001-02", 2), ("CB-0001-01", 1)),
                ),
                DemoOrder(
                    days_ago=120,
                    items=(("TP-0001-01", 2), ("PT-0001-02", 2), ("BG-0001-03", 1)),
                ),
                # Mid-Autumn gifts: the order that reaches 金卡.
                DemoOrder(
                    days_ago=60,
                    items=(
                        ("OL-0001-02", 2),
                        ("BT-0001-02", 3),
                        ("PN-0001-01", 2),
                        ("DB-0001-02", 4),
                    ),
                ),
                DemoOrder(days_ago=12, items=(("CB-0001-01", 2), ("AC-0001-02", 1))),
            ),
        ),
        DemoStory(
            number=3,
            orders=(
                DemoOrder(days_ago=300, items=(("PS-0001-01", 20),)),
                DemoOrder(days_ago=200, items=(("OL-0001-02", 10),)),
                DemoOrder(days_ago=75, items=(("BT-0001-02", 10), ("DB-0001-02", 10))),
                DemoOrder(days_ago=25, items=(("PS-0001-01", 20),)),
            ),
        ),
    ]


# What the spread of other shoppers buys: well-stocked variants of the first
# sixteen products (one per category).
SPREAD_SKUS = (
    "DB-0001-01",
    "DB-0001-02",
    "OL-0001-02",
    "BT-0001-01",
    "BT-0001-02",
    "BC-0001-01",
    "TP-0001-01",
    "PT-0001-02",
    "PT-0001-03",
    "TW-0001-01",
    "DN-0001-01",
    "DN-0001-02",
    "NB-0001-02",
    "PN-0001-01",
    "BG-0001-03",
    "AC-0001-02",
)
# (weight, orders, most lines per order, largest quantity per line): a third
# without orders, most with one or two small ones, some regulars (銀卡 by a
# NT$3,000 order or NT$5,000 a year) and a few big spenders (金卡).
_PROFILES = (
    (30, 0, 0, 0),
    (35, 1, 2, 1),
    (15, 2, 2, 1),
    (12, 3, 3, 2),
    (8, 4, 3, 3),
)


def spread_story(number: int, *, joined_days_ago: int) -> DemoStory:
    """A plausible history for shopper `number`, the same on every run."""
    rng = random.Random(f"loyalty-demo:{number}")
    _weight, count, lines, most = rng.choices(
        _PROFILES, weights=[profile[0] for profile in _PROFILES]
    )[0]
    if not count:
        return DemoStory(number=number)
    oldest = max(2, min(joined_days_ago - 1, 330))
    days = sorted({rng.randint(1, oldest) for _ in range(count)}, reverse=True)
    orders = []
    for days_ago in days:
        skus = rng.sample(SPREAD_SKUS, rng.randint(1, lines))
        items = tuple((sku, rng.randint(1, most)) for sku in skus)
        if days_ago <= 2:
            until = PAID
        elif days_ago <= 11:
            until = DELIVERED
        else:
            until = COMPLETED
        payment = "cod" if until != PAID and rng.random() < 0.2 else "atm"
        orders.append(
            DemoOrder(
                days_ago=days_ago,
                items=items,
                until=until,
                payment_method=payment,
                hour=rng.randint(9, 22),
            )
        )
    return DemoStory(number=number, orders=tuple(orders))
