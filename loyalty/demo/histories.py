"""The first shoppers' histories, written by the real services."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from loyalty.demo.stories import (
    _STEPS,
    COMPLETED,
    DELIVERED,
    PAID,
    SHIPPED,
    DemoOrder,
    DemoPoints,
    DemoStory,
    featured_stories,
    spread_story,
)
from loyalty.models import Membership, PointsEntry
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
from shop.core.shopper import shopper_for_user
from shop.demo.history import (
    background_tasks_dropped,
    demo_clock,
    store_datetime,
)
from shop.demo.plan import shopper_email
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


def _history_needed_skus(stories: Sequence[DemoStory]) -> set[str]:
    return {
        sku for story in stories for order in story.orders for sku, _q in order.items
    }


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
