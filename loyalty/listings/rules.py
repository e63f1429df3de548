"""The listing rules in force and what they mean for one shopper.

The rules every request needs are read once into plain facts
(`ListingRuleFacts`) and cached for `RULES_TIMEOUT` seconds, or until a rule
or a category changes (`listing_rules_cache_clear`, from the receivers). A
category rule carries the ids of its category and of every category below it,
active or not, so products are matched by `category_id` alone: no per-product
work and no tree walk in SQL.

What the rules mean for one shopper (`shopper_listing`):

- A rule applies from the moment it is active until `public_from`; from then
  on the product is public and the rule is ignored.
- Before `starts_at` nobody sees its products (early access not yet open),
  whatever the mode.
- From `starts_at` (or at once) its audience sees and buys them: any signed-in
  customer (`members`); a member whose tier ranks at least as high as the
  active scheme's tier `min_tier_code` (`tier`; a code missing from the
  active scheme lets nobody in); a member with a paid membership holding
  benefits now (`paid`); whoever opened the private link in this session or
  holds a `ListingAccessGrant` for it (`code`).
- Everyone else: `hidden` rules hide the products, `teaser` rules show them
  with a lock and the reason.
- A product under several rules must pass all of them.
- Staff (`user.is_staff`) see and buy everything, so merchants can preview.

`Tier.hidden_listing_access` plays no part: the audience of a rule says who
is in.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loyalty.models import (
    ListingAccessGrant,
    ListingAudience,
    ListingMode,
    ListingRule,
)
from loyalty.selectors.programme import tiers_active
from shop.catalog.models import Category

RULES_KEY = "loyalty:listing-rules:v1"
# Like the tiers: a change made here reaches other workers of a per-process
# cache within this many seconds; a shared cache (Redis) is cleared at once.
RULES_TIMEOUT = 60


@dataclass(frozen=True, slots=True)
class ListingRuleFacts:
    """What a request needs of a `ListingRule`, without the model."""

    pk: int
    audience: str
    min_tier_code: str
    access_code: str
    mode: str
    starts_at: datetime | None
    public_from: datetime | None
    product_id: int | None
    # The rule's category and every category below it; empty for a product rule.
    category_ids: frozenset[int] = frozenset()

    def in_force(self, now: datetime) -> bool:
        return self.public_from is None or now < self.public_from

    def started(self, now: datetime) -> bool:
        return self.starts_at is None or self.starts_at <= now

    def covers(self, product_id: int, category_id: int | None) -> bool:
        return product_id == self.product_id or category_id in self.category_ids


@dataclass(frozen=True, slots=True)
class ListingRules:
    """The cached rules; `token` changes whenever they are read again."""

    token: str
    rules: tuple[ListingRuleFacts, ...]


def _category_descendants(category_ids: set[int]) -> dict[int, frozenset[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found = {}
    for root in category_ids:
        ids, stack = set(), [root]
        while stack:
            pk = stack.pop()
            if pk not in ids:
                ids.add(pk)
                stack.extend(children.get(pk, ()))
        found[root] = frozenset(ids)
    return found


def _listing_rules_read() -> ListingRules:
    rows = list(
        ListingRule.objects.filter(is_active=True)
        .filter(Q(public_from__isnull=True) | Q(public_from__gt=timezone.now()))
        .order_by("pk")
        .values(
            "pk",
            "audience",
            "min_tier_code",
            "access_code",
            "mode",
            "starts_at",
            "public_from",
            "product_id",
            "category_id",
        )
    )
    category_ids = {row["category_id"] for row in rows if row["category_id"]}
    below = _category_descendants(category_ids) if category_ids else {}
    rules = []
    for row in rows:
        category_id = row.pop("category_id")
        rules.append(
            ListingRuleFacts(**row, category_ids=below.get(category_id, frozenset()))
        )
    return ListingRules(token=uuid.uuid4().hex, rules=tuple(rules))


def listing_rules() -> ListingRules:
    """Active rules not yet public, by pk; cached (one query, two with a
    category rule, when the cache is cold)."""
    found = cache.get(RULES_KEY)
    if found is None:
        found = _listing_rules_read()
        cache.set(RULES_KEY, found, RULES_TIMEOUT)
    return found


def listing_rules_cache_clear() -> None:
    cache.delete(RULES_KEY)


@dataclass(frozen=True)
class ShopperListing:
    """The rules as they stand for one shopper now.

    `hidden`: rules hiding their products from the shopper; `locked`: teaser
    rules whose products the shopper sees but may not buy; `open`: rules whose
    products the shopper may see and buy (started, and entitled or staff);
    `closed`: rules whose audience the shopper is not in, started or not.
    The reading holds from `since` until `valid_until` (the next date of a
    rule) for rules read under `token`.
    """

    token: str
    since: datetime
    valid_until: datetime | None
    hidden: tuple[ListingRuleFacts, ...] = ()
    locked: tuple[ListingRuleFacts, ...] = ()
    open: tuple[ListingRuleFacts, ...] = ()
    closed: tuple[ListingRuleFacts, ...] = ()


def is_staff(shopper) -> bool:
    user = getattr(shopper, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def _tier_named(code: str):
    return next((t for t in tiers_active() if t.code == code), None)


class _Entitlement:
    """Whether a shopper is in a rule's audience; reads the grants once, lazily."""

    def __init__(self, shopper):
        self.shopper = shopper
        self.codes = frozenset(getattr(shopper, "access_codes", ()) or ())
        self._grants: frozenset[int] | None = None

    def grants(self) -> frozenset[int]:
        if self._grants is None:
            user = self.shopper.user
            self._grants = frozenset(
                ListingAccessGrant.objects.filter(user_id=user.pk).values_list(
                    "rule_id", flat=True
                )
            )
        return self._grants

    def __call__(self, rule: ListingRuleFacts) -> bool:
        shopper = self.shopper
        if not shopper.is_member and rule.audience != ListingAudience.ACCESS_CODE:
            return False
        if rule.audience == ListingAudience.MEMBERS:
            return True
        if rule.audience == ListingAudience.TIER:
            tier, lowest = (
                getattr(shopper, "tier", None),
                _tier_named(rule.min_tier_code),
            )
            return tier is not None and lowest is not None and tier.rank >= lowest.rank
        if rule.audience == ListingAudience.PAID:
            return getattr(shopper, "paid_plan", None) is not None
        if rule.audience == ListingAudience.ACCESS_CODE:
            if rule.access_code and rule.access_code in self.codes:
                return True
            return shopper.is_member and rule.pk in self.grants()
        return False


def lock_reason(rule: ListingRuleFacts) -> str:
    """Why a shopper outside its audience may not buy a product of a teaser
    rule, in the active language."""
    if rule.audience == ListingAudience.TIER:
        lowest = _tier_named(rule.min_tier_code)
        reason = (
            _("Members of %(tier)s or higher can buy this.")
            % {"tier": lowest.display_name}
            if lowest is not None
            else _("Only selected members can buy this.")
        )
    elif rule.audience == ListingAudience.PAID:
        reason = _("Paid members can buy this.")
    elif rule.audience == ListingAudience.ACCESS_CODE:
        reason = _("Open the private link to buy this.")
    else:
        # Every signed-in customer is in a members rule's audience.
        reason = _("Log in as a member to buy this.")
    if rule.public_from is not None:
        day = date_format(timezone.localtime(rule.public_from), "DATE_FORMAT")
        reason = f"{reason} {_('Everyone can buy it from %(date)s.') % {'date': day}}"
    return reason


def _evaluate(shopper, cached: ListingRules, now: datetime) -> ShopperListing:
    rules = [rule for rule in cached.rules if rule.in_force(now)]
    edges = [
        moment
        for rule in rules
        for moment in (rule.starts_at, rule.public_from)
        if moment is not None and moment > now
    ]
    valid_until = min(edges, default=None)
    if not rules:
        return ShopperListing(token=cached.token, since=now, valid_until=valid_until)
    if is_staff(shopper):
        return ShopperListing(
            token=cached.token, since=now, valid_until=valid_until, open=tuple(rules)
        )
    entitled = _Entitlement(shopper)
    hidden, locked, opened, closed = [], [], [], []
    for rule in rules:
        allowed = entitled(rule)
        if not allowed:
            closed.append(rule)
        if not rule.started(now):
            hidden.append(rule)
        elif allowed:
            opened.append(rule)
        elif rule.mode == ListingMode.TEASER:
            locked.append(rule)
        else:
            hidden.append(rule)
    return ShopperListing(
        token=cached.token,
        since=now,
        valid_until=valid_until,
        hidden=tuple(hidden),
        locked=tuple(locked),
        open=tuple(opened),
        closed=tuple(closed),
    )


def shopper_listing(shopper, *, now: datetime | None = None) -> ShopperListing:
    """The rules as they stand for `shopper` now; kept on the shopper until the
    rules change or one of their dates passes."""
    now = now or timezone.now()
    cached = listing_rules()
    memo = getattr(shopper, "_listing_memo", None)
    if (
        memo is not None
        and memo.token == cached.token
        and memo.since <= now
        and (memo.valid_until is None or now < memo.valid_until)
    ):
        return memo
    memo = _evaluate(shopper, cached, now)
    shopper._listing_memo = memo
    return memo
