"""Each coupon rule, priced through the checkout quote with exact amounts."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from loyalty.coupons.selectors import coupon_check
from loyalty.errors import CouponError
from loyalty.models import CouponKind, Membership, Tier
from loyalty.prices import tier_price_set
from loyalty.selectors.programme import programme_cache_clear
from loyalty.services import points
from loyalty.tests.coupons.support import (
    coupon_create,
    coupon_line,
    quote_of,
    variant,
)
from loyalty.tests.factories import member_create, tier
from loyalty.tests.points_support import TAIPEI, clock_install, programme_set
from shop.catalog.tests.factories import CategoryFactory
from shop.checkout.pricing import Adjustment
from shop.checkout.tests.conftest import shipping_methods  # noqa: F401
from shop.core.money import Money
from shop.core.shopper import shopper_for_user

pytestmark = pytest.mark.django_db


def refusal(user, items, **kwargs) -> CouponError:
    with pytest.raises(CouponError) as caught:
        quote_of(user, items, **kwargs)
    assert caught.value.field == "coupon"
    return caught.value


def test_a_percentage_is_capped_and_spread_over_the_lines(user):
    a, b = variant("1000"), variant("500")
    coupon_create(max_discount=Decimal("120"))

    quote = quote_of(user, [(a, 2), (b, 1)], coupon="SUMMER10")

    # 10% of NT$2,500 is 250, capped at 120; shared 2000 : 500.
    assert coupon_line(quote) == (
        "Coupon SUMMER10",
        Decimal("-120"),
        {a.pk: Decimal("-96"), b.pk: Decimal("-24")},
    )
    assert quote.discount_total.amount == Decimal("-120")
    assert quote.total.amount == Decimal("2380")


def test_a_percentage_is_rounded_to_whole_dollars(user):
    a = variant("1333")
    coupon_create(value=Decimal("15"))
    # 15% of 1,333 is 199.95.
    assert coupon_line(quote_of(user, [(a, 1)], coupon="SUMMER10"))[1] == Decimal(
        "-200"
    )


def test_the_shares_of_the_lines_sum_exactly(user):
    items = [(variant("1000"), 1), (variant("1000"), 1), (variant("1000"), 1)]
    coupon_create(kind=CouponKind.FIXED, value=Decimal("100"))

    _label, amount, shares = coupon_line(quote_of(user, items, coupon="SUMMER10"))

    assert amount == Decimal("-100")
    assert list(shares.values()) == [Decimal("-34"), Decimal("-33"), Decimal("-33")]
    assert sum(shares.values()) == amount


def test_a_fixed_amount_larger_than_the_eligible_items_takes_only_them(user):
    shoes, bags = CategoryFactory(name="Shoes"), CategoryFactory(name="Bags")
    a, b = variant("1000", category=shoes), variant("500", category=bags)
    coupon_create(kind=CouponKind.FIXED, value=Decimal("800"), categories=[bags])

    quote = quote_of(user, [(a, 1), (b, 1)], coupon="SUMMER10")

    assert coupon_line(quote) == ("Coupon SUMMER10", Decimal("-500"), {b.pk: -500})
    assert quote.total.amount == Decimal("1000")


def test_a_category_covers_its_subcategories_and_a_product_list_its_products(user):
    shoes = CategoryFactory(name="Shoes")
    boots = CategoryFactory(name="Boots", parent=shoes)
    other = CategoryFactory(name="Bags")
    a, b, c = (
        variant("1000", category=boots),
        variant("500", category=other),
        variant("300", category=other),
    )
    coupon_create(categories=[shoes], products=[c.product])

    quote = quote_of(user, [(a, 1), (b, 1), (c, 1)], coupon="summer10")

    # 10% of 1,000 + 300; the NT$500 bag is left out.
    assert coupon_line(quote)[1:] == (
        Decimal("-130"),
        {a.pk: Decimal("-100"), c.pk: Decimal("-30")},
    )


def test_items_at_a_member_price_can_be_left_out(user):
    a, b = variant("1000"), variant("500")
    tier_price_set(variant=a, tier_code="member", price=Decimal("900"))
    coupon_create(combines_with_member_prices=False)

    quote = quote_of(user, [(a, 1), (b, 1)], coupon="SUMMER10")
    assert coupon_line(quote)[1:] == (Decimal("-50"), {b.pk: Decimal("-50")})

    error = refusal(user, [(a, 1)], coupon="SUMMER10")
    assert error.message == "This coupon does not apply to items at a member price."
    assert error.code == "member_price"


def test_member_priced_items_count_when_the_coupon_allows_it(user):
    a, b = variant("1000"), variant("500")
    tier_price_set(variant=a, tier_code="member", price=Decimal("900"))
    coupon_create()

    quote = quote_of(user, [(a, 1), (b, 1)], coupon="SUMMER10")

    assert coupon_line(quote)[1] == Decimal("-140")


def test_the_minimum_spend(user):
    a = variant("1000")
    coupon_create(min_spend=Decimal("3000"))
    assert refusal(user, [(a, 2)], coupon="SUMMER10").message == (
        "Spend NT$1,000 more to use this coupon."
    )
    assert coupon_line(quote_of(user, [(a, 3)], coupon="SUMMER10"))[1] == Decimal(
        "-300"
    )


def test_the_minimum_spend_counts_the_covered_items_only(user):
    bags = CategoryFactory(name="Bags")
    a, b = variant("5000"), variant("500", category=bags)
    coupon_create(min_spend=Decimal("1000"), categories=[bags])
    assert refusal(user, [(a, 1), (b, 1)], coupon="SUMMER10").message == (
        "Spend NT$500 more on the items this coupon covers to use it."
    )


def test_the_validity_window(user):
    a = variant("1000")
    coupon = coupon_create(
        starts_at=datetime(2099, 1, 20, tzinfo=TAIPEI),
        ends_at=datetime(2099, 2, 1, tzinfo=TAIPEI),
    )
    assert refusal(user, [(a, 1)], coupon="SUMMER10").message == (
        "This coupon can be used from 01/20/2099."
    )
    coupon.starts_at = datetime(2020, 1, 1, tzinfo=TAIPEI)
    coupon.ends_at = datetime(2020, 3, 1, tzinfo=TAIPEI)
    coupon.save()
    error = refusal(user, [(a, 1)], coupon="SUMMER10")
    assert (error.message, error.code) == (
        "This coupon ended on 03/01/2020.",
        "expired",
    )


def test_the_lowest_tier(user):
    a = variant("1000")
    coupon_create(min_tier_code="gold")
    error = refusal(user, [(a, 1)], coupon="SUMMER10")
    assert (error.message, error.code) == (
        "This coupon is for Gold members and above.",
        "tier",
    )
    gold = member_create(email="gold@example.com")
    Membership.objects.filter(user=gold).update(tier=tier("vip"))
    # A VIP is above Gold; VIP member prices are 10% off: 10% of 900.
    assert coupon_line(quote_of(gold, [(a, 1)], coupon="SUMMER10"))[1] == Decimal("-90")


def test_guests_log_in_for_a_members_coupon_but_may_use_an_open_one():
    a = variant("1000")
    coupon_create()
    assert refusal(None, [(a, 1)], coupon="SUMMER10").message == (
        "Log in to use this coupon."
    )
    coupon_create(code="EVERYONE", members_only=False, kind=CouponKind.FIXED, value=50)
    assert coupon_line(quote_of(None, [(a, 1)], coupon="everyone"))[1] == Decimal("-50")


def test_unknown_switched_off_and_used_up_coupons(user):
    a = variant("1000")
    assert refusal(user, [(a, 1)], coupon="NOPE").message == (
        "There is no coupon “NOPE”. Check the code and try again."
    )
    coupon = coupon_create(is_active=False)
    assert refusal(user, [(a, 1)], coupon="SUMMER10").message == (
        "This coupon is no longer valid."
    )
    coupon.is_active = True
    coupon.usage_limit = 3
    coupon.times_used = 3
    coupon.save()
    assert refusal(user, [(a, 1)], coupon="SUMMER10").message == (
        "This coupon has been fully redeemed."
    )


def test_member_day_only_coupons(user, settings, monkeypatch):
    clock_install(monkeypatch, "2027-01-15 10:00")
    programme_set(member_day_dates="8,18")
    settings.LOYALTY_MEMBER_DAY_FORCE = False
    a = variant("1000")
    coupon_create(member_day_only=True)

    assert refusal(user, [(a, 1)], coupon="SUMMER10").message == (
        "This coupon can only be used on a member day. The next one is 01/18/2027."
    )

    settings.LOYALTY_MEMBER_DAY_FORCE = True
    assert coupon_line(quote_of(user, [(a, 1)], coupon="SUMMER10"))[1] == Decimal(
        "-100"
    )


def test_a_coupon_that_does_not_combine_with_the_member_day_discount(user, settings):
    settings.LOYALTY_MEMBER_DAY_FORCE = True
    Tier.objects.filter(code="member").update(member_day_extra_percent=Decimal("5"))
    programme_cache_clear()
    a = variant("1000")
    coupon = coupon_create(combines_with_member_day=False)

    error = refusal(user, [(a, 1)], coupon="SUMMER10")
    assert (error.message, error.code) == (
        "This coupon cannot be combined with the member-day discount.",
        "member_day",
    )

    coupon.combines_with_member_day = True
    coupon.save()
    quote = quote_of(user, [(a, 1)], coupon="SUMMER10")
    # 10% of what the item costs after the member day's 5%.
    assert [(x.code, x.amount.amount) for x in quote.adjustments] == [
        ("member_day", Decimal("-50")),
        ("coupon", Decimal("-95")),
    ]


def test_a_member_day_of_points_only_is_no_discount_to_combine(user):
    a = variant("1000")
    coupon = coupon_create(combines_with_member_day=False)
    quote = quote_of(user, [(a, 1)])
    quote.adjustments.insert(
        0,
        Adjustment(
            code="member_day",
            label="Member day: 2× points for Member",
            amount=Money(Decimal("0"), "TWD"),
            data={"points_multiplier": "2.00"},
        ),
    )
    verdict = coupon_check(
        coupon, quote=quote, shopper=shopper_for_user(user), now=timezone.now()
    )
    assert (verdict.ok, verdict.amount) == (True, Decimal("100"))


def test_free_shipping(user, shipping_methods):  # noqa: F811
    a = variant("1000")
    coupon_create(code="FREESHIP", kind=CouponKind.FREE_SHIPPING, value=0)
    home = shipping_methods["home"]

    without = quote_of(user, [(a, 1)], method=home)
    assert without.shipping_total.amount == Decimal("100")

    quote = quote_of(user, [(a, 1)], method=home, coupon="FREESHIP")
    coupon, shipping = (a for a in quote.adjustments if a.code != "points")
    assert (coupon.code, coupon.amount.amount, coupon.data["free_shipping"]) == (
        "coupon",
        Decimal("0"),
        True,
    )
    assert (shipping.label, shipping.amount.amount) == (
        "Free shipping with Coupon FREESHIP (宅配到府)",
        Decimal("0"),
    )
    assert shipping.data["waived_fee"] == "100"
    assert quote.total.amount == Decimal("1000")


def test_a_coupon_that_does_not_combine_with_points(user):
    points.points_adjust(user=user, points=530, reason="Welcome", actor=None)
    a = variant("1000")
    coupon_create(combines_with_points=False)

    error = refusal(user, [(a, 1)], coupon="SUMMER10", points=100)
    assert (error.message, error.code) == (
        "This coupon cannot be combined with points.",
        "no_points",
    )

    quote = quote_of(user, [(a, 1)], coupon="SUMMER10")
    offer = next(o for o in quote.offers if o.key == "points")
    assert (offer.context["usable"], offer.context["reason"]) == (
        False,
        "This coupon cannot be combined with points.",
    )
    assert (
        "Cannot be combined with points."
        in (next(o for o in quote.offers if o.key == "coupon").context["terms"])
    )


def test_points_pay_what_is_left_after_a_coupon_that_combines(user):
    points.points_adjust(user=user, points=530, reason="Welcome", actor=None)
    a = variant("1000")
    coupon_create()

    quote = quote_of(user, [(a, 1)], coupon="SUMMER10", points=100)

    assert [(x.code, x.amount.amount) for x in quote.adjustments] == [
        ("coupon", Decimal("-100")),
        ("points", Decimal("-100")),
    ]
    assert quote.total.amount == Decimal("800")


def test_the_offer_lists_the_wallet_and_says_which_vouchers_apply(user):
    from loyalty.coupons.services import coupon_issue

    a = variant("1000")
    fits = coupon_create(code="", name="Birthday NT$100", kind="fixed", value=100)
    too_big = coupon_create(code="", name="Big spender", min_spend=Decimal("5000"))
    first = coupon_issue(coupon=fits, user=user, issue_key="t:1", source="test")
    second = coupon_issue(coupon=too_big, user=user, issue_key="t:1", source="test")

    quote = quote_of(user, [(a, 1)])

    [offer] = [o for o in quote.offers if o.key == "coupon"]
    assert [
        (v["option"], v["name"], v["benefit"], v["applies"], v["reason"])
        for v in offer.context["vouchers"]
    ] == [
        (f"v:{first.pk}", "Birthday NT$100", "NT$100 off", True, ""),
        (
            f"v:{second.pk}",
            "Big spender",
            "10% off",
            False,
            "Spend NT$4,000 more to use this coupon.",
        ),
    ]
    assert coupon_line(quote_of(user, [(a, 1)], coupon=f"v:{first.pk}")) == (
        "Coupon Birthday NT$100",
        Decimal("-100"),
        {a.pk: Decimal("-100")},
    )


def test_someone_elses_voucher_is_not_in_the_wallet(user):
    from loyalty.coupons.services import coupon_issue

    other = member_create(email="other@example.com")
    coupon = coupon_create(code="")
    voucher = coupon_issue(coupon=coupon, user=other, issue_key="t:1", source="t")
    a = variant("1000")
    assert refusal(user, [(a, 1)], coupon=f"v:{voucher.pk}").message == (
        "This voucher is not in your wallet."
    )
    assert refusal(user, [(a, 1)], coupon="v:abc").message == (
        "This voucher is not in your wallet."
    )
    assert refusal(None, [(a, 1)], coupon=f"v:{voucher.pk}").message == (
        "Log in to use your vouchers."
    )


def test_no_coupon_box_when_the_shop_has_no_coupons(user):
    a = variant("1000")
    assert [o.key for o in quote_of(user, [(a, 1)]).offers] == []
    coupon_create()
    assert [o.key for o in quote_of(user, [(a, 1)]).offers] == ["coupon"]
