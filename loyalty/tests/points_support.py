"""Shared pieces of the points ledger tests: a settable clock, members, orders.

Orders are driven through `shop.orders.services`, so the loyalty receivers
run as they do in the shop.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from loyalty.models import (
    LoyaltyProgramme,
    Membership,
    PointsEntry,
    PointsLot,
)
from loyalty.selectors.programme import programme_cache_clear
from loyalty.services.points import points_lot_differences, points_reconcile
from loyalty.tests.factories import member_create, tier
from shop.catalog.tests.factories import VariantFactory
from shop.orders.models import (
    AdjustmentKind,
    OrderAdjustment,
    OrderAdjustmentAllocation,
)
from shop.orders.services import (
    order_complete,
    order_mark_delivered,
    order_mark_paid,
    order_ship,
)
from shop.orders.tests.factories import order_with_lines

TAIPEI = ZoneInfo("Asia/Taipei")
UTC = ZoneInfo("UTC")


def taipei(text: str) -> datetime:
    """`2027-01-15 10:00` on the shop's clock (Asia/Taipei, settings.TIME_ZONE)."""
    return datetime.fromisoformat(text).replace(tzinfo=TAIPEI)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Clock:
    """What `timezone.now()` answers while the `clock` fixture is on."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, text: str) -> datetime:
        self.now = taipei(text)
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def clock_install(monkeypatch, start: str = "2027-01-15 10:00") -> Clock:
    """Make `timezone.now()` a Clock at `start` (Taipei) for the test.

    Each test module wraps it in its own `clock` fixture.
    """
    fake = Clock(taipei(start))
    monkeypatch.setattr(timezone, "now", fake)
    return fake


def programme_set(**fields) -> None:
    LoyaltyProgramme.objects.get_or_create(pk=1)
    LoyaltyProgramme.objects.filter(pk=1).update(**fields)
    programme_cache_clear()


def member(**fields):
    """A customer with a membership in the base tier (multiplier 1)."""
    return member_create(**fields)


def membership_of(user) -> Membership:
    return Membership.objects.get(user=user)


def set_tier(user, code: str) -> None:
    Membership.objects.filter(user=user).update(tier=tier(code))


def balances(user) -> tuple[int, int]:
    """(available, pending) as cached on the membership."""
    found = membership_of(user)
    return found.points_available, found.points_pending


def lots_of(user, **filters) -> list[tuple]:
    """(status, points, remaining) of the member's lots, oldest first."""
    return list(
        PointsLot.objects.filter(membership__user=user, **filters)
        .order_by("pk")
        .values_list("status", "points", "remaining")
    )


def entries_of(user, **filters) -> list[tuple]:
    """(kind, points, pending_points) of the member's ledger rows, oldest first."""
    return list(
        PointsEntry.objects.filter(membership__user=user, **filters)
        .order_by("pk")
        .values_list("kind", "points", "pending_points")
    )


def assert_consistent() -> None:
    """Every cached balance equals its ledger sum and is held by the lots."""
    assert points_reconcile() == []
    assert points_lot_differences() == []


def variant(price: str, stock: int = 50):
    return VariantFactory(price=Decimal(price), stock=stock)


def member_order(
    user,
    *,
    prices=("1280", "450"),
    quantities=(2, 1),
    shipping_fee: Decimal = Decimal("80"),
    discount: Decimal = Decimal("0"),
    tenders: dict[str, list[str]] | None = None,
    payment_method: str = "atm",
):
    """An order of `user` with one line per price (× quantity), like placement's.

    `tenders` adds TENDER adjustments by code with their per-line allocations,
    e.g. {"points": ["-88", "-12"]} (data {"points": N} for the points one,
    at the default NT$1 a point).
    """
    items = [
        (variant(price), quantity)
        for price, quantity in zip(prices, quantities, strict=True)
    ]
    order = order_with_lines(
        items=items,
        shipping_fee=shipping_fee,
        discount=discount,
        payment_method=payment_method,
        user=user,
        email=user.email,
    )
    lines = list(order.lines.order_by("pk"))
    position = order.adjustments.count()
    for code, shares in (tenders or {}).items():
        amounts = [Decimal(share) for share in shares]
        total = sum(amounts, Decimal(0))
        adjustment = OrderAdjustment.objects.create(
            order=order,
            code=code,
            label=code,
            kind=AdjustmentKind.TENDER,
            amount=total,
            data={"points": int(-total)} if code == "points" else {},
            position=position,
        )
        position += 1
        OrderAdjustmentAllocation.objects.bulk_create(
            OrderAdjustmentAllocation(adjustment=adjustment, line=line, amount=amount)
            for line, amount in zip(lines, amounts, strict=True)
        )
        order.total += total
    order.save(update_fields=["total"])
    return order


def pay(order):
    return order_mark_paid(order=order)


def deliver(order):
    order = order_ship(order=order, carrier="黑貓宅急便", tracking_number="9001")
    return order_mark_delivered(order=order)


def complete(order, now: datetime):
    return order_complete(order=order, now=now)
