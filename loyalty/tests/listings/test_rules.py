"""The listing rules as the shopper context applies them: who sees and buys
what, when, at what cost in queries, and how changes reach the caches."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loyalty.listings.rules import listing_rules, shopper_listing
from loyalty.listings.selectors import (
    listing_locks,
    listing_restrict,
    members_only_invitations,
)
from loyalty.listings.services import listing_access_grant
from loyalty.models import ListingAccessGrant, ListingRule, MembershipPlan
from loyalty.selectors.programme import tiers_active
from loyalty.shopper import LoyaltyShopper
from loyalty.tests.listings.support import paid_member, rule_make, shop_with_secret
from loyalty.tests.prices_fixtures import member_in
from shop.accounts.tests.factories import StaffFactory
from shop.catalog.models import Category, Product
from shop.catalog.selectors import catalog_version, products_visible
from shop.catalog.tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

GOLD = "Members of Gold or higher can buy this."


def _slugs(shopper) -> list[str]:
    return sorted(products_visible(shopper=shopper).values_list("slug", flat=True))


def _guest(**kwargs) -> LoyaltyShopper:
    return LoyaltyShopper(AnonymousUser(), **kwargs)


@pytest.fixture
def shop():
    return shop_with_secret()


def test_without_rules_nothing_changes_and_nothing_is_read(shop):
    shopper = LoyaltyShopper(member_in("silver"))
    shopper.tier  # noqa: B018  (the membership, read for prices anyway)
    listing_rules()
    products = Product.objects.published()
    with CaptureQueriesContext(connection) as captured:
        assert listing_restrict(products, shopper=shopper) is products
        assert listing_locks([shop["secret"].pk], shopper=shopper) == {}
        assert shopper.segment == "tier:silver"
    assert len(captured) == 0


def test_rules_are_read_once_into_the_cache(shop):
    rule_make(target=shop["reserve"], audience="members")
    with CaptureQueriesContext(connection) as cold:
        listing_rules()
    with CaptureQueriesContext(connection) as warm:
        listing_rules()
    # The rules, then the category tree for the collection rule.
    assert (len(cold), len(warm)) == (2, 0)


def test_hidden_products_are_left_out_in_the_same_query(shop):
    rule_make(target=shop["reserve"], audience="tier", min_tier_code="gold")
    rule_make(target=shop["public"], audience="members")
    guest = _guest()
    listing_rules()
    with CaptureQueriesContext(connection) as captured:
        assert _slugs(guest) == []
    assert len(captured) == 1
    assert _slugs(LoyaltyShopper(member_in("silver"))) == ["public"]
    assert _slugs(LoyaltyShopper(member_in("gold"))) == ["public", "secret"]


def test_a_collection_covers_inactive_subcategories_too(shop):
    hidden_below = CategoryFactory(slug="old", parent=shop["lots"], is_active=False)
    ProductFactory(slug="old-lot", category=hidden_below)
    rule_make(target=shop["coffee"], audience="members")

    assert _slugs(_guest()) == []
    assert _slugs(LoyaltyShopper(member_in("member"))) == [
        "old-lot",
        "public",
        "secret",
    ]


def test_locks_cost_no_query_for_product_rules_and_one_for_collections(shop):
    secret, public = shop["secret"], shop["public"]
    rule_make(target=secret, audience="tier", min_tier_code="gold", mode="teaser")
    guest = _guest()
    listing_rules()
    with CaptureQueriesContext(connection) as by_product:
        assert listing_locks([secret.pk, public.pk], shopper=guest) == {secret.pk: GOLD}
    rule_make(target=shop["coffee"], audience="paid", mode="teaser")
    listing_rules()
    guest = _guest()
    with CaptureQueriesContext(connection) as by_category:
        locks = listing_locks([secret.pk, public.pk], shopper=guest)
    # The product rule comes first (lower pk); the public product is under the
    # collection rule alone.
    assert locks == {secret.pk: GOLD, public.pk: "Paid members can buy this."}
    assert (len(by_product), len(by_category)) == (0, 1)


def test_a_hidden_product_passed_to_the_locks_is_refused_too(shop):
    rule_make(target=shop["secret"], audience="members")
    assert listing_locks([shop["secret"].pk], shopper=_guest()) == {
        shop["secret"].pk: "This product is not available."
    }


def test_a_product_under_several_rules_must_pass_them_all(shop):
    rule_make(target=shop["coffee"], audience="members", mode="teaser")
    rule_make(
        target=shop["secret"], audience="tier", min_tier_code="gold", mode="teaser"
    )
    secret = shop["secret"].pk

    guest = _guest()
    silver = LoyaltyShopper(member_in("silver"))
    gold = LoyaltyShopper(member_in("gold"))

    # The guest fails the collection rule first (lower pk).
    assert listing_locks([secret], shopper=guest) == {
        secret: "Log in as a member to buy this."
    }
    assert listing_locks([secret], shopper=silver) == {secret: GOLD}
    assert listing_locks([secret], shopper=gold) == {}


def test_early_access_opens_for_the_audience_then_for_everyone(shop):
    now = timezone.now()
    starts, public = now + timedelta(days=1), now + timedelta(days=8)
    rule_make(
        target=shop["secret"],
        audience="tier",
        min_tier_code="gold",
        mode="teaser",
        starts_at=starts,
        public_from=public,
    )
    gold = LoyaltyShopper(member_in("gold"))
    guest = _guest()

    def seen(shopper, at):
        state = shopper_listing(shopper, now=at)
        return (
            [r.pk for r in state.hidden],
            [r.pk for r in state.locked],
            [r.pk for r in state.open],
        )

    rule = ListingRule.objects.get().pk
    assert seen(gold, now) == seen(guest, now) == ([rule], [], [])
    # The shopper keeps its reading only until the next date of a rule.
    assert seen(gold, starts) == ([], [], [rule])
    assert seen(guest, starts) == ([], [rule], [])
    assert seen(gold, public) == seen(guest, public) == ([], [], [])


def test_staff_see_and_buy_everything_even_before_the_start(shop):
    rule_make(
        target=shop["secret"],
        audience="code",
        starts_at=timezone.now() + timedelta(days=1),
    )
    staff = LoyaltyShopper(StaffFactory())

    assert _slugs(staff) == ["public", "secret"]
    assert listing_locks([shop["secret"].pk], shopper=staff) == {}
    assert members_only_invitations(shopper=staff) == []


def test_a_tier_code_missing_from_the_active_scheme_lets_nobody_in(shop):
    rule = rule_make(target=shop["secret"], audience="tier", min_tier_code="gold")
    ListingRule.objects.filter(pk=rule.pk).update(
        min_tier_code="platinum", mode="teaser"
    )
    vip = LoyaltyShopper(member_in("vip"))

    assert listing_locks([shop["secret"].pk], shopper=vip) == {
        shop["secret"].pk: "Only selected members can buy this."
    }


def test_a_paid_plan_lifting_the_tier_opens_tier_rules(shop):
    rule_make(target=shop["secret"], audience="tier", min_tier_code="gold")
    user = paid_member("member")
    MembershipPlan.objects.update(min_tier_code="gold")

    assert _slugs(LoyaltyShopper(user)) == ["public", "secret"]


def test_a_private_link_opens_by_session_code_or_by_grant(shop):
    rule = rule_make(target=shop["secret"], audience="code")
    user = member_in("member")

    assert _slugs(_guest()) == ["public"]
    assert _slugs(_guest(access_codes=(rule.access_code,))) == ["public", "secret"]
    assert _slugs(LoyaltyShopper(user)) == ["public"]
    assert listing_access_grant(rule=rule, user=user) == listing_access_grant(
        rule=rule, user=user
    )
    assert ListingAccessGrant.objects.count() == 1
    assert _slugs(LoyaltyShopper(user)) == ["public", "secret"]


def test_the_segment_separates_shoppers_who_see_different_products(shop):
    rule = rule_make(target=shop["secret"], audience="code")
    guest = _guest()
    linked = _guest(access_codes=(rule.access_code, "unknown-code"))
    gold = LoyaltyShopper(member_in("gold"))
    staff = LoyaltyShopper(StaffFactory())

    assert guest.segment.startswith("public|hide:")
    assert _guest(access_codes=("unknown-code",)).segment == guest.segment
    assert linked.segment == "public"
    assert gold.segment.startswith("tier:gold|hide:")
    assert staff.segment == "tier:member"


def test_saving_or_deleting_a_rule_reaches_the_next_request(shop):
    version = catalog_version()
    assert _slugs(_guest()) == ["public", "secret"]

    rule = rule_make(target=shop["secret"], audience="members")
    assert _slugs(_guest()) == ["public"]
    assert catalog_version() != version

    rule.product = shop["public"]
    rule.save()
    assert _slugs(_guest()) == ["secret"]

    rule.delete()
    assert _slugs(_guest()) == ["public", "secret"]


def test_moving_a_category_reaches_the_collection_rules(shop):
    rule_make(target=shop["reserve"], audience="members")
    elsewhere = CategoryFactory(slug="tea")
    assert _slugs(_guest()) == ["public"]

    lots = Category.objects.get(pk=shop["lots"].pk)
    lots.parent = elsewhere
    lots.save()

    assert _slugs(_guest()) == ["public", "secret"]


def test_invitations_name_the_tiers_to_reach_and_the_paid_plan(shop):
    rule_make(target=shop["secret"], audience="tier", min_tier_code="vip")
    rule_make(target=shop["public"], audience="tier", min_tier_code="gold")
    rule_make(target=shop["coffee"], audience="paid", mode="teaser")
    rule_make(target=shop["reserve"], audience="code")

    silver = LoyaltyShopper(member_in("silver"))
    gold = LoyaltyShopper(member_in("gold"))

    assert members_only_invitations(shopper=silver) == [
        "Reach Gold to unlock its member-only products.",
        "Reach VIP to unlock its member-only products.",
        "Join a paid membership to unlock its member-only products.",
    ]
    assert members_only_invitations(shopper=gold) == [
        "Reach VIP to unlock its member-only products.",
        "Join a paid membership to unlock its member-only products.",
    ]
    assert [t.code for t in tiers_active()] == ["member", "silver", "gold", "vip"]


def test_prices_are_untouched_by_the_rules(shop):
    rule_make(
        target=shop["secret"], audience="tier", min_tier_code="gold", mode="teaser"
    )
    guest = _guest()
    prices = guest.price_variants([shop["variants"]["secret"]])
    assert prices[shop["variants"]["secret"].pk].price.amount == Decimal("1280")
