"""Which products a shopper may see and buy under the listing rules.

The shopper context (`loyalty.shopper.LoyaltyShopper`) calls `listing_restrict`
from `restrict_products` and `listing_locks` from `purchase_locks`, so the
catalogue selectors apply the rules on every surface: listings, search,
category counts and facets, product pages, the API, the sitemap (as a guest),
cart and checkout. The rules themselves are stated in `loyalty.listings.rules`:
in short, an active rule applies until `public_from`; before `starts_at` its
products are hidden from everyone; from then on its audience (members, a tier
or higher, paid members, holders of the private link) sees and buys them;
everyone else does not see them (`hidden`) or sees them locked (`teaser`);
staff see and buy everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from loyalty.listings.rules import (
    ListingRuleFacts,
    is_staff,
    lock_reason,
    shopper_listing,
)
from loyalty.models import ListingAudience, ListingRule
from loyalty.selectors.programme import tiers_active
from shop.catalog.models import Product
from shop.catalog.selectors import (
    ORDERINGS,
    products_visible,
    with_listing_annotations,
)


def _targets(rules: Iterable[ListingRuleFacts]) -> Q | None:
    """Products of `rules` as one condition, or None without rules."""
    product_ids, category_ids = set(), set()
    for rule in rules:
        if rule.product_id is not None:
            product_ids.add(rule.product_id)
        category_ids.update(rule.category_ids)
    condition = None
    if product_ids:
        condition = Q(pk__in=sorted(product_ids))
    if category_ids:
        by_category = Q(category_id__in=sorted(category_ids))
        condition = by_category if condition is None else condition | by_category
    return condition


def listing_restrict(products: QuerySet, *, shopper) -> QuerySet:
    """`products` without those hidden from `shopper`.

    The same query with one more condition (ids from the cached rules): no
    extra query, no per-row work. Unchanged while no rule hides anything.
    """
    hidden = _targets(shopper_listing(shopper).hidden)
    return products if hidden is None else products.exclude(hidden)


def listing_locks(product_ids, *, shopper) -> dict[int, str]:
    """Products among `product_ids` that `shopper` may not buy: pk → why.

    Teaser products carry the reason shown instead of the buy button (e.g.
    "Members of 金卡 or higher can buy this."); a hidden product, should a
    caller pass one, is refused too. No query when only product rules apply,
    one (the products' categories) when a category rule does.
    """
    state = shopper_listing(shopper)
    rules = [*state.hidden, *state.locked]
    product_ids = {int(pk) for pk in product_ids}
    if not rules or not product_ids:
        return {}
    if any(rule.category_ids for rule in rules):
        categories = dict(
            Product.objects.filter(pk__in=sorted(product_ids)).values_list(
                "pk", "category_id"
            )
        )
    else:
        categories = dict.fromkeys(product_ids)
    hidden_reason = _("This product is not available.")
    locks = {}
    for pk in sorted(categories):
        category_id = categories[pk]
        if any(rule.covers(pk, category_id) for rule in state.hidden):
            locks[pk] = hidden_reason
            continue
        rule = next((r for r in state.locked if r.covers(pk, category_id)), None)
        if rule is not None:
            locks[pk] = lock_reason(rule)
    return locks


def listing_segment(shopper) -> str:
    """A key part shared by shoppers from whom the same rules hide products;
    empty when nothing is hidden from this one (listing caches use it)."""
    hidden = shopper_listing(shopper).hidden
    if not hidden:
        return ""
    ids = ",".join(str(rule.pk) for rule in hidden)
    return "hide:" + hashlib.md5(ids.encode(), usedforsecurity=False).hexdigest()[:12]


def members_only_products(*, shopper) -> QuerySet[Product]:
    """The member-only products `shopper` may see and buy now, newest first.

    Products under a rule open to the shopper, less any another rule hides or
    locks; annotated like a listing (`min_price`, `in_stock`) for
    `product_cards`. Empty when no rule is open to the shopper.
    """
    state = shopper_listing(shopper)
    opened = _targets(state.open)
    if opened is None:
        return Product.objects.none()
    products = products_visible(shopper=shopper).filter(opened)
    locked = _targets(state.locked)
    if locked is not None:
        products = products.exclude(locked)
    return (
        with_listing_annotations(products)
        .select_related("brand")
        .defer("search_document", "size_guide", "description")
        .order_by(*ORDERINGS["newest"])
    )


def members_only_invitations(*, shopper) -> list[str]:
    """How `shopper` could unlock member-only products they cannot buy now.

    One line per tier to reach (lowest first) and one for a paid membership,
    without naming a product; private-link rules are never mentioned. Empty
    for staff and for a shopper with nothing left to unlock.
    """
    if is_staff(shopper):
        return []
    rules = shopper_listing(shopper).closed
    codes = {r.min_tier_code for r in rules if r.audience == ListingAudience.TIER}
    lines = [
        _("Reach %(tier)s to unlock its member-only products.")
        % {"tier": tier.display_name}
        for tier in tiers_active()
        if tier.code in codes
    ]
    if any(r.audience == ListingAudience.PAID for r in rules):
        lines.append(_("Join a paid membership to unlock its member-only products."))
    return lines


def listing_rule_for_code(code: str) -> ListingRule | None:
    """The active rule whose private link has `code`, with its target; or None."""
    if not code:
        return None
    return (
        ListingRule.objects.filter(access_code=code, is_active=True)
        .select_related("product", "category")
        .first()
    )
