"""The loyalty programme's part of the demo shop, run by `manage.py seed_demo`.

Registered with the shop's demo seam (`shop.demo.extensions`) when `seed_demo`
imports it, so the shop never imports loyalty.

1. Every demo shopper gets a membership in the base tier, written set-based
   (10,000 shoppers in well under a second): a membership row and a "joined"
   tier change per shopper, dated when the shopper signed up.
2. The first shoppers get a history written by the real services: orders
   placed through checkout, paid, shipped, delivered and completed through the
   order services (so points, lots, qualifying spend and tier upgrades come
   from the ledgers and the order events), and points adjustments through
   `points_adjust`. The services run as of the days in the past the story
   needs (`shop.demo.history.demo_clock`). Three shoppers tell the README's story:

   - member1@example.com: 一般會員, NT$4,000 of qualifying spend (one more order
     of NT$1,000 reaches 銀卡 at NT$5,000), 300 points available and 14 pending
     from an order delivered two days ago, still in its cooling-off period;
   - member2@example.com: 金卡 since two months ago, with points earned last
     year that expire at the end of this month;
   - member3@example.com: VIP, a company buying gifts four times a year.

   member4 … member20 get a spread: about a third without orders, most with
   one or two, some 銀卡 and a few 金卡. The other shoppers are members in the
   base tier without orders.

A shopper who already has an order or a points entry keeps what they have,
so running the seed again changes nothing. The histories need the first
sixteen demo products (`seed_demo --products 16` or more); without them only
the memberships are written. No email is sent while the history is written.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from loyalty.models import (
    Membership,
    PointsDraw,
    PointsEntry,
    PointsLot,
    QualifyingSpend,
    TierChange,
)
from loyalty.selectors.programme import tier_base, tiers_active
from loyalty.services.points import points_adjust
from shop.accounts.models import User
from shop.catalog.models import Variant
from shop.checkout.details import (
    contact_validate,
    shipping_address_values,
    shipping_validate,
)
from shop.checkout.models import ShippingMethod
from shop.checkout.services import order_place
from shop.core.errors import ShopError
from shop.core.money import format_money
from shop.core.shopper import shopper_for_user
from shop.demo.extensions import DemoStep, DemoStepResult, register_demo_step
from shop.demo.history import (
    background_tasks_dropped,
    demo_clock,
    store_datetime,
)
from shop.demo.plan import shopper_email
from shop.demo.services import DEMO_SHOPPER_EMAIL_REGEX
from shop.demo.services.batches import Progress, no_progress
from shop.orders.models import Order
from shop.orders.selectors import order_cooling_off_ends
from shop.orders.services import (
    order_complete,
    order_mark_delivered,
    order_mark_paid,
    order_ship,
)

# Shoppers with a written history (about thirty orders in all, a few seconds);
# the others, and every shopper of a big demo, only get their membership.
HISTORY_SHOPPERS = 20
# Each history variant keeps at least this much stock, so the demo can still buy it.
STOCK_RESERVE = 10
CARRIER = "黑貓宅急便"
MERCHANT_EMAIL = "merchant@example.com"

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


def _months_back(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _expiring_month_start(today: datetime.date) -> datetime.date:
    """The first day of the month, a year back, whose points expire soonest.

    With the default rule (end of the month twelve months after earning),
    points earned in this month last year expire at the end of this month; on
    the month's last day that is tonight, so the next month's are taken.
    """
    tomorrow = today + datetime.timedelta(days=1)
    return _months_back(today if tomorrow.month == today.month else tomorrow, 12)


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


def _history_needed_skus(stories: Sequence[DemoStory]) -> set[str]:
    return {
        sku for story in stories for order in story.orders for sku, _q in order.items
    }


# --- Memberships -------------------------------------------------------------


def memberships_seed(*, customers: int = 0, progress: Progress = no_progress) -> int:
    """A base-tier membership for every demo shopper without one; returns how many.

    Joined and in the base tier since the shopper signed up, with the "joined"
    history row `membership_ensure` would write. Set-based: two
    `INSERT … SELECT` statements whatever the number of shoppers (10,000 in a
    fraction of a second), no service and no Python object per shopper.
    `progress` counts up to `customers` (the shoppers asked for).
    """
    base = tier_base()
    shoppers = User.objects.filter(
        email__regex=DEMO_SHOPPER_EMAIL_REGEX,
        is_staff=False,
        membership__isnull=True,
    ).order_by("pk")
    unjoined = Membership.objects.filter(
        user__email__regex=DEMO_SHOPPER_EMAIL_REGEX,
        user__is_staff=False,
        tier_changes__isnull=True,
    ).order_by("pk")
    users_sql, users_params = shoppers.values(
        "pk", "date_joined"
    ).query.sql_with_params()
    members_sql, members_params = unjoined.values(
        "pk", "joined_at"
    ).query.sql_with_params()
    quote = connection.ops.quote_name
    # Both subqueries name their key column "pk" (values("pk", …)).
    pk = quote("pk")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Membership._meta.db_table)} (user_id, tier_id,"
            " tier_since, joined_at, points_available, points_pending,"
            " total_spend, order_count)"
            f" SELECT u.{pk}, %s, u.date_joined, u.date_joined, 0, 0, 0, 0"
            f" FROM ({users_sql}) u",
            [base.pk, *users_params],
        )
        created = max(cursor.rowcount, 0)
        cursor.execute(
            f"INSERT INTO {quote(TierChange._meta.db_table)} (membership_id, kind,"
            " to_tier_id, reason, created_at)"
            f" SELECT m.{pk}, %s, %s, '', m.joined_at FROM ({members_sql}) m",
            [TierChange.Kind.JOINED.value, base.pk, *members_params],
        )
    progress(customers)
    return created


# --- Histories ---------------------------------------------------------------


class _Skip(Exception):
    """This shopper's history cannot be written (a variant ran out, say)."""


@dataclass
class _Writer:
    merchant: User | None
    variants: dict[str, Variant]
    method: ShippingMethod
    now: datetime.datetime

    def story(self, story: DemoStory, user: User) -> None:
        """Write the story's orders and points in the order they happened."""
        today = timezone.localdate(self.now)
        events = [
            (self._placed_at(order, index, today), index, order)
            for index, order in enumerate(story.orders)
        ]
        events += [
            (store_datetime(points.at, 11), -1, points) for points in story.points
        ]
        if story.available_points is not None:
            at = self.now - datetime.timedelta(days=story.top_up_days_ago)
            events.append((at, -1, story))
        for at, index, event in sorted(events, key=lambda item: item[0]):
            if isinstance(event, DemoOrder):
                self.order(event, user, index, at)
            elif isinstance(event, DemoPoints):
                with demo_clock(at):
                    points_adjust(
                        user=user,
                        points=event.points,
                        reason=event.reason,
                        actor=self.merchant,
                        idempotency_key=f"demo:{user.pk}:{event.key}",
                    )
            else:
                self.top_up(event, user, at)

    def top_up(self, story: DemoStory, user: User, at: datetime.datetime) -> None:
        """Bring the available points up to the story's figure, as of `at`."""
        membership = Membership.objects.get(user=user)
        top_up = story.available_points - membership.points_available
        if top_up > 0:
            with demo_clock(at):
                points_adjust(
                    user=user,
                    points=top_up,
                    reason=story.top_up_reason,
                    actor=self.merchant,
                    idempotency_key=f"demo:{user.pk}:top-up",
                )

    def _placed_at(
        self, planned: DemoOrder, index: int, today: datetime.date
    ) -> datetime.datetime:
        day = today - datetime.timedelta(days=planned.days_ago)
        return min(store_datetime(day, planned.hour, 17 + index), self.now)

    def order(
        self, planned: DemoOrder, user: User, index: int, at: datetime.datetime
    ) -> Order:
        """Place the order at `at` and take it as far as `planned.until`."""
        items = {}
        for sku, quantity in planned.items:
            variant = self.variants[sku]
            variant.refresh_from_db(fields=["stock"])
            if variant.stock - quantity < STOCK_RESERVE:
                raise _Skip(f"{sku} has too little stock left")
            items[variant.pk] = quantity
        address = user.addresses.order_by("-is_default", "pk").first()
        if address is None:
            raise _Skip("no address")
        with demo_clock(at):
            contact = contact_validate(
                email=user.email, name=user.name, phone=user.phone
            )
            order = order_place(
                shopper=shopper_for_user(user),
                items=items,
                contact=contact,
                shipping=shipping_validate(
                    method=self.method,
                    contact=contact,
                    **shipping_address_values(address),
                ),
                payment_method=planned.payment_method,
                idempotency_key=f"demo-history-{user.pk}-{index}-order",
            )
        if not order.placed_just_now:
            return order
        steps = _STEPS[1 : _STEPS.index(planned.until) + 1]
        cod = planned.payment_method == "cod"
        when = at
        for step in steps:
            if step == PAID:
                if cod:
                    continue  # cash on delivery is paid when the parcel arrives
                when = at + datetime.timedelta(hours=1, minutes=12)
                with demo_clock(min(when, self.now)):
                    order_mark_paid(order=order, actor=self.merchant, reference="")
            elif step == SHIPPED:
                when = at + datetime.timedelta(days=planned.ship_after, hours=-7)
                with demo_clock(min(when, self.now)):
                    order_ship(
                        order=order,
                        carrier=CARRIER,
                        tracking_number=f"9{order.pk:05d}{index:02d}{user.pk:05d}",
                        actor=self.merchant,
                    )
            elif step == DELIVERED:
                when = when + datetime.timedelta(days=planned.deliver_after, hours=4)
                with demo_clock(min(when, self.now)):
                    order_mark_delivered(order=order)
            elif step == COMPLETED:
                ends = order_cooling_off_ends(order=order)
                when = ends + datetime.timedelta(hours=5)
                if when > self.now:
                    break  # still in its cooling-off period: stays delivered
                with demo_clock(when):
                    order_complete(order=order)
        return order


def histories_seed(
    *, customers: int, today: datetime.date | None = None
) -> tuple[int, list[str]]:
    """Write the histories of shoppers 1 … min(customers, 20) that have none.

    Returns (shoppers given a history, notes for the summary).
    """
    count = min(customers, HISTORY_SHOPPERS)
    if not count:
        return 0, []
    now = timezone.now()
    today = today or timezone.localdate(now)
    users = {
        user.email: user
        for user in User.objects.filter(
            email__in=[shopper_email(n) for n in range(1, count + 1)], is_staff=False
        )
    }
    busy = set(
        Order.objects.filter(user__in=users.values()).values_list("user_id", flat=True)
    ) | set(
        PointsEntry.objects.filter(membership__user__in=users.values()).values_list(
            "membership__user_id", flat=True
        )
    )
    stories = {story.number: story for story in featured_stories(today)}
    for number in range(1, count + 1):
        user = users.get(shopper_email(number))
        if number not in stories and user is not None:
            joined = (now - user.date_joined).days
            stories[number] = spread_story(number, joined_days_ago=joined)
    to_write = [
        (stories[n], users[shopper_email(n)])
        for n in range(1, count + 1)
        if shopper_email(n) in users
        and users[shopper_email(n)].pk not in busy
        and (stories[n].orders or stories[n].points)
    ]
    if not to_write:
        return 0, []
    needed = _history_needed_skus([story for story, _user in to_write])
    variants = {
        variant.sku: variant
        for variant in Variant.objects.filter(sku__in=needed).select_related("product")
    }
    method = ShippingMethod.objects.filter(code="home", is_active=True).first()
    if len(variants) < len(needed) or method is None:
        return 0, [
            "Loyalty histories skipped: they need the first 16 demo products "
            "(seed_demo --products 16 or more) and the home-delivery method."
        ]
    writer = _Writer(
        merchant=User.objects.filter(email=MERCHANT_EMAIL).first(),
        variants=variants,
        method=method,
        now=now,
    )
    written, skipped = 0, []
    # The history is the past: nobody is emailed about it.
    with background_tasks_dropped():
        for story, user in to_write:
            try:
                with transaction.atomic():
                    writer.story(story, user)
            except _Skip as exc:
                skipped.append(f"{user.email}: {exc}")
                continue
            except ShopError as exc:
                # e.g. a variant the merchant took off sale; the others go on.
                skipped.append(f"{user.email}: {exc.message}")
                continue
            written += 1
    notes = [f"Loyalty history skipped for {line}" for line in skipped]
    return written, notes


# --- Summary -----------------------------------------------------------------


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


# --- The step ------------------------------------------------------------------


def loyalty_demo_seed(
    *, customers: int, progress: Progress = no_progress
) -> DemoStepResult:
    """Memberships for every demo shopper, then the first shoppers' histories."""
    created = memberships_seed(customers=customers, progress=progress)
    _written, notes = histories_seed(customers=customers)
    return DemoStepResult(
        label="Members",
        total=Membership.objects.count(),
        created=created,
        notes=tuple(notes + _featured_notes(customers)),
    )


def loyalty_demo_reset() -> int:
    """Delete the demo shoppers' memberships and every loyalty row of theirs.

    Ledger rows first: entries and draws protect the lots they moved. Tier
    schemes and the programme settings stay, like the shop's categories.
    """
    members = Membership.objects.filter(
        user__email__regex=DEMO_SHOPPER_EMAIL_REGEX, user__is_staff=False
    )
    with transaction.atomic():
        PointsDraw.objects.filter(entry__membership__in=members).delete()
        PointsEntry.objects.filter(membership__in=members).delete()
        PointsLot.objects.filter(membership__in=members).delete()
        QualifyingSpend.objects.filter(membership__in=members).delete()
        TierChange.objects.filter(membership__in=members).delete()
        deleted, _rows = members.delete()
    return deleted


register_demo_step(
    DemoStep(
        key="loyalty",
        label="Members",
        order=10,
        seed=loyalty_demo_seed,
        reset=loyalty_demo_reset,
    )
)
