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

3. The member privileges a merchant would have set up (member-only
   listings, member days, coupons, top-up and paid-membership plans, birthday
   gifts) and a few members using them: see `privileges`.

The parts: `stories` (what each shopper's history is), `memberships`,
`histories` (written through the services), `privileges` and `summary` (the
notes printed after the step); this module registers the step.
"""

from __future__ import annotations

from django.db import transaction

from loyalty.demo.histories import histories_seed
from loyalty.demo.memberships import memberships_seed
from loyalty.demo.privileges import privileges_reset, privileges_seed
from loyalty.demo.stories import _expiring_month_start, featured_stories
from loyalty.demo.summary import _featured_notes, member_state
from loyalty.models import (
    Membership,
    PointsDraw,
    PointsEntry,
    PointsLot,
    QualifyingSpend,
    TierChange,
)
from shop.demo.extensions import DemoStep, DemoStepResult, register_demo_step
from shop.demo.services import DEMO_SHOPPER_EMAIL_REGEX
from shop.demo.services.batches import Progress, no_progress

__all__ = [
    "_expiring_month_start",
    "featured_stories",
    "histories_seed",
    "loyalty_demo_reset",
    "loyalty_demo_seed",
    "member_state",
    "memberships_seed",
]


def loyalty_demo_seed(
    *, customers: int, progress: Progress = no_progress
) -> DemoStepResult:
    """Memberships for every demo shopper, then the first shoppers' histories."""
    created = memberships_seed(customers=customers, progress=progress)
    _written, notes = histories_seed(customers=customers)
    notes += privileges_seed(customers=customers)
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
        privileges_reset(members)
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
