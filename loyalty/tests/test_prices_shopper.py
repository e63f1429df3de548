"""Member prices from the loyalty shopper context: exact amounts, labels, teasers."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loyalty.listings.rules import listing_rules
from loyalty.models import Membership, SchemeStatus, Tier, TierPrice, TierScheme
from loyalty.prices import (
    tier_price_remove,
    tier_price_set,
    tier_prices_exist,
    variant_prices_for_tier,
)
from loyalty.selectors.programme import tiers_active
from loyalty.shopper import LoyaltyShopper
from loyalty.tests.factories import tier
from loyalty.tests.prices_fixtures import LIST_PRICE, member_in
from shop.accounts.tests.factories import StaffFactory, UserFactory
from shop.catalog.tests.factories import VariantFactory
from shop.core.money import Money
from shop.core.shopper import ShopperContext, shopper_for_user

pytestmark = pytest.mark.django_db


def twd(amount) -> Money:
    return Money(Decimal(amount), "TWD")


@pytest.fixture
def beans():
    return VariantFactory(price=LIST_PRICE, sku="BEANS")


def price_of(shopper, variant):
    return shopper.price_variants([variant])[variant.pk]


def test_it_is_the_default_shopper_context_and_keeps_the_protocol(settings):
    assert settings.SHOPPER_CONTEXT_CLASS == "loyalty.shopper.LoyaltyShopper"
    shopper = shopper_for_user(UserFactory())
    assert isinstance(shopper, LoyaltyShopper)
    assert isinstance(shopper, ShopperContext)


def test_a_guest_pays_the_list_price_and_is_teased_with_the_first_lower_tier(beans):
    shopper = LoyaltyShopper(AnonymousUser())

    price = price_of(shopper, beans)

    assert (shopper.membership, shopper.tier, shopper.segment) == (
        None,
        None,
        "public",
    )
    # 一般會員 has no discount: 銀卡 (3 %) is the first tier that pays less.
    assert (price.price, price.list_price, price.compare_at, price.label) == (
        twd("1280"),
        twd("1280"),
        None,
        "",
    )
    assert (price.teaser_label, price.teaser_price) == (
        "Silver members pay",
        twd("1242"),
    )
    assert price.teaser == "Silver members pay NT$1,242"
    assert LoyaltyShopper(None).segment == "public"


def test_a_base_member_pays_the_list_price_and_sees_the_next_tier(beans):
    shopper = LoyaltyShopper(member_in("member"))

    price = price_of(shopper, beans)

    assert shopper.segment == "tier:member"
    assert (price.price, price.label, price.compare_at) == (twd("1280"), "", None)
    assert price.teaser == "Silver members pay NT$1,242"


def test_silver_takes_three_percent_rounded_half_up(beans):
    shopper = LoyaltyShopper(member_in("silver"))

    price = price_of(shopper, beans)

    # 1,280 × 0.97 = 1,241.6 → NT$1,242.
    assert shopper.segment == "tier:silver"
    assert (price.price, price.list_price, price.compare_at, price.label) == (
        twd("1242"),
        twd("1280"),
        twd("1280"),
        "Silver price",
    )
    assert price.is_discounted
    # The next tier up, 金卡 (5 %): 1,280 × 0.95 = 1,216.
    assert (price.teaser_label, price.teaser_price) == (
        "Gold members pay",
        twd("1216"),
    )


def test_rounding_is_half_up_not_to_even():
    # 30 × 0.95 = 28.5: half up is 29 (to even would be 28).
    cheap = VariantFactory(price=Decimal("30"))
    price = price_of(LoyaltyShopper(member_in("gold")), cheap)
    assert price.price == twd("29")


def test_gold_with_an_explicit_price_pays_it(beans):
    tier_price_set(variant=beans, tier_code="gold", price=Decimal("1100"))
    other = VariantFactory(price=LIST_PRICE)
    shopper = LoyaltyShopper(member_in("gold"))

    prices = shopper.price_variants([beans, other])

    assert (prices[beans.pk].price, prices[beans.pk].label) == (
        twd("1100"),
        "Gold price",
    )
    # VIP's 10 % (NT$1,152) is not below NT$1,100: no teaser.
    assert prices[beans.pk].teaser == ""
    # Without an explicit price the tier's discount applies; VIP teases.
    assert (prices[other.pk].price, prices[other.pk].teaser) == (
        twd("1216"),
        "VIP members pay NT$1,152",
    )


def test_explicit_prices_tease_guests_and_lower_tiers(beans):
    tier_price_set(variant=beans, tier_code="gold", price=Decimal("990"))

    guest = price_of(LoyaltyShopper(None), beans)
    silver = price_of(LoyaltyShopper(member_in("silver")), beans)

    assert guest.teaser == "Silver members pay NT$1,242"
    assert (silver.price, silver.teaser) == (twd("1242"), "Gold members pay NT$990")


def test_a_member_never_pays_above_the_list_price():
    variant = VariantFactory(price=Decimal("500"))
    TierPrice.objects.create(variant=variant, tier_code="silver", price=Decimal("600"))

    price = price_of(LoyaltyShopper(member_in("silver")), variant)

    assert (price.price, price.label, price.compare_at) == (twd("500"), "", None)


def test_the_top_tier_gets_no_teaser(beans):
    price = price_of(LoyaltyShopper(member_in("vip")), beans)
    assert (price.price, price.label, price.teaser) == (twd("1152"), "VIP price", "")


def test_a_sale_price_keeps_its_compare_at_price():
    variant = VariantFactory(price=Decimal("1000"), compare_at_price=Decimal("1500"))
    price = price_of(LoyaltyShopper(member_in("silver")), variant)
    assert (price.price, price.compare_at, price.list_price) == (
        twd("970"),
        twd("1500"),
        twd("1000"),
    )


def test_staff_shop_like_any_member_and_unenrolled_customers_in_the_base_tier(beans):
    staff = StaffFactory()
    assert LoyaltyShopper(staff).segment == "tier:member"  # no membership row yet
    shopper = LoyaltyShopper(member_in("gold", is_staff=True))
    assert (shopper.segment, price_of(shopper, beans).price) == (
        "tier:gold",
        twd("1216"),
    )

    unenrolled = LoyaltyShopper(UserFactory())
    assert (unenrolled.membership, unenrolled.tier.code) == (None, "member")
    assert price_of(unenrolled, beans).price == twd("1280")
    assert not Membership.objects.filter(user=unenrolled.user).exists()


def test_a_member_of_a_retired_scheme_version_gets_the_tier_in_force(beans):
    old = TierScheme.objects.create(name="2025", status=SchemeStatus.RETIRED)
    old_silver = Tier.objects.create(
        scheme=old, code="silver", rank=1, name="銀卡", discount_percent=50
    )
    user = member_in("silver")
    Membership.objects.filter(user=user).update(tier=old_silver)

    shopper = LoyaltyShopper(user)

    assert shopper.tier == tier("silver")
    assert price_of(shopper, beans).price == twd("1242")


def test_the_membership_is_read_once_lazily(beans):
    user = member_in("silver")
    tiers_active()  # cached, as after any earlier request
    tier_prices_exist()
    listing_rules()
    shopper = LoyaltyShopper(user)
    with CaptureQueriesContext(connection) as built:
        LoyaltyShopper(user)
    with CaptureQueriesContext(connection) as used:
        assert shopper.segment == "tier:silver"
        shopper.price_variants([beans])
        shopper.price_variants([beans])
        assert shopper.membership.user_id == user.pk
    assert (len(built), len(used)) == (0, 1)


def test_explicit_prices_are_read_in_one_query_and_skipped_without_any(beans):
    variants = [beans, *VariantFactory.create_batch(5, price=LIST_PRICE)]
    shopper = LoyaltyShopper(member_in("gold"))
    shopper.price_variants(variants)  # membership, tiers and the "none" fact

    with CaptureQueriesContext(connection) as without:
        shopper.price_variants(variants)
    tier_price_set(variant=variants[2], tier_code="gold", price=Decimal("1000"))
    shopper.price_variants(variants)  # learns that explicit prices exist
    with CaptureQueriesContext(connection) as with_prices:
        prices = shopper.price_variants(variants)
    assert prices[variants[2].pk].price == twd("1000")
    assert (len(without), len(with_prices)) == (0, 1)

    assert tier_price_remove(variant=variants[2], tier_code="gold") is True
    assert price_of(shopper, variants[2]).price == twd("1216")
    assert tier_prices_exist() is False
    assert tier_price_remove(variant=variants[2], tier_code="gold") is False


def test_setting_a_price_for_an_unknown_tier_is_refused(beans):
    from loyalty.errors import LoyaltyError

    with pytest.raises(LoyaltyError):
        tier_price_set(variant=beans, tier_code="platinum", price=Decimal("1"))
    with pytest.raises(LoyaltyError):
        tier_price_set(variant=beans, tier_code="gold", price=Decimal("-1"))
    assert not TierPrice.objects.exists()


def test_no_variants_no_query():
    tiers_active()
    with CaptureQueriesContext(connection) as captured:
        assert variant_prices_for_tier([], tier=tier("gold")) == {}
    assert len(captured) == 0
