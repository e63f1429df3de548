"""Member privileges in the demo: what a merchant would have set up, and a few
members who use them.

Everything goes through the services the back office calls, and each part is
found by a natural key (coupon code, plan name, rule name, a member's existing
purchase), so running the seed again changes nothing:

- member-only listings: a coffee only 金卡 and VIP members see (hidden), a
  notebook 銀卡 and up may buy a week before everyone (teaser), a card case
  behind a private link;
- member days on the 8th and 18th, with extra discount and points for 銀卡 and
  up (start the demo with `LOYALTY_MEMBER_DAY_FORCE=1` to make today one);
- coupons: WELCOME100, GOLD15, FREESHIP, a member-day-only MEMBERDAY10, and a
  NT$50 voucher in every member's wallet;
- top-up plans (NT$1,000 → NT$1,100, NT$3,000 → NT$3,400), member1 has
  bought the first;
- Plus, a paid membership (monthly and yearly); member4 holds the monthly one;
- birthday gifts on the birthday itself; member2 (金卡) has a birthday today,
  so `manage.py loyalty_nightly` puts NT$300 in their wallet.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from loyalty.coupons.services import coupons_issue_bulk
from loyalty.listings.services import listing_rule_save
from loyalty.models import (
    BirthdayGiftDay,
    Coupon,
    CouponKind,
    ListingAudience,
    ListingMode,
    ListingRule,
    LoyaltyProgramme,
    MembershipPlan,
    PaidMembership,
    PlanPeriod,
    Purchase,
    PurchaseKind,
    TopUpPlan,
)
from loyalty.plans.selectors import membership_plans_cache_clear
from loyalty.purchases.services import purchase_mark_paid, purchase_start
from loyalty.selectors.programme import programme_cache_clear, tiers_active
from shop.accounts.models import User
from shop.catalog.models import Product
from shop.demo.history import background_tasks_dropped
from shop.demo.plan import shopper_email

GATEWAY = "card"
VOUCHER_KEY = "demo-welcome-voucher"
# Benefits on a member day by tier code: (extra discount %, points multiplier).
MEMBER_DAY_BENEFITS = {
    "silver": (Decimal("2"), Decimal("1.5")),
    "gold": (Decimal("3"), Decimal("2")),
    "vip": (Decimal("5"), Decimal("2")),
}
LISTINGS = (
    # (rule name, SKU of the product's first variant, audience, tier, mode, days)
    (
        "金卡限定 衣索比亞 罕貝拉",
        "CB-0002-01",
        ListingAudience.TIER,
        "gold",
        "hidden",
        0,
    ),
    ("旅人筆記本 銀卡搶先", "NB-0002-01", ListingAudience.TIER, "silver", "teaser", 7),
    ("植鞣皮卡夾 私人連結", "AC-0002-01", ListingAudience.ACCESS_CODE, "", "hidden", 0),
)


def _programme_set_up() -> None:
    settings_row = LoyaltyProgramme.objects.get(pk=1)
    if not settings_row.member_day_dates and settings_row.member_day_weekday is None:
        settings_row.member_day_dates = "8,18"
    settings_row.birthday_gift_day = BirthdayGiftDay.BIRTHDAY
    settings_row.save()
    for tier in tiers_active():
        percent, multiplier = MEMBER_DAY_BENEFITS.get(tier.code, (None, None))
        if percent is None or tier.member_day_points_multiplier != 1:
            continue
        tier.member_day_extra_percent = max(tier.member_day_extra_percent, percent)
        tier.member_day_points_multiplier = multiplier
        tier.save(
            update_fields=["member_day_extra_percent", "member_day_points_multiplier"]
        )
    programme_cache_clear()


def _listings_seed(now: datetime.datetime) -> list[str]:
    notes = []
    for name, sku, audience, tier_code, mode, public_in_days in LISTINGS:
        product = Product.objects.filter(variants__sku=sku).first()
        if product is None:
            continue
        rule = ListingRule.objects.filter(name=name).first()
        if rule is None:
            rule = listing_rule_save(
                rule=ListingRule(
                    name=name,
                    product=product,
                    audience=audience,
                    min_tier_code=tier_code,
                    mode=ListingMode(mode),
                    public_from=now + datetime.timedelta(days=public_in_days)
                    if public_in_days
                    else None,
                )
            )
        where = (
            reverse("loyalty:listing_access", args=[rule.access_code])
            if rule.audience == ListingAudience.ACCESS_CODE
            else product.get_absolute_url()
        )
        notes.append(f"Member-only listing “{rule.name}”: {where}")
    return notes


def _coupons_seed(now: datetime.datetime) -> list[str]:
    coupons = (
        dict(
            code="WELCOME100",
            name="新會員 NT$100 折價券",
            kind=CouponKind.FIXED,
            value=Decimal("100"),
            min_spend=Decimal("1000"),
        ),
        dict(
            code="GOLD15",
            name="金卡 85 折",
            kind=CouponKind.PERCENT,
            value=Decimal("15"),
            max_discount=Decimal("500"),
            min_tier_code="gold",
            usage_limit=100,
        ),
        dict(code="FREESHIP", name="免運券", kind=CouponKind.FREE_SHIPPING),
        dict(
            code="MEMBERDAY10",
            name="會員日 9 折",
            kind=CouponKind.PERCENT,
            value=Decimal("10"),
            member_day_only=True,
            combines_with_member_day=True,
        ),
    )
    for fields in coupons:
        Coupon.objects.get_or_create(code=fields["code"], defaults=fields)
    voucher, _created = Coupon.objects.get_or_create(
        name="會員禮 NT$50 折價券",
        code="",
        defaults={
            "kind": CouponKind.FIXED,
            "value": Decimal("50"),
            "min_spend": Decimal("500"),
            "valid_days": 60,
        },
    )
    issued = coupons_issue_bulk(
        coupon=voucher,
        issue_key=VOUCHER_KEY,
        source="campaign",
        users=User.objects.filter(is_staff=False, membership__isnull=False),
        now=now,
    )
    return [
        "Coupons: WELCOME100, GOLD15 (金卡 and up), FREESHIP, MEMBERDAY10 "
        f"(member days only); a NT$50 voucher given to {issued} members"
    ]


def _plans_seed() -> tuple[TopUpPlan, MembershipPlan]:
    topup, _created = TopUpPlan.objects.get_or_create(
        name="儲值 NT$1,000 送 NT$100",
        defaults={
            "price": Decimal("1000"),
            "bonus": Decimal("100"),
            "position": 1,
            "bonus_valid_days": 180,
        },
    )
    TopUpPlan.objects.get_or_create(
        name="儲值 NT$3,000 送 NT$400",
        defaults={
            "price": Decimal("3000"),
            "bonus": Decimal("400"),
            "position": 2,
            "bonus_valid_days": 365,
        },
    )
    plus, _created = MembershipPlan.objects.get_or_create(
        code="plus",
        defaults={
            "name": "Plus 月費會員",
            "price": Decimal("99"),
            "period": PlanPeriod.MONTH,
            "free_shipping": True,
            "extra_discount_percent": Decimal("2"),
            "min_tier_code": "silver",
            "position": 1,
        },
    )
    MembershipPlan.objects.get_or_create(
        code="plus-year",
        defaults={
            "name": "Plus 年費會員",
            "price": Decimal("990"),
            "period": PlanPeriod.YEAR,
            "free_shipping": True,
            "extra_discount_percent": Decimal("2"),
            "min_tier_code": "silver",
            "position": 2,
        },
    )
    membership_plans_cache_clear()
    return topup, plus


def _bought(user: User, *, kind: str, plan) -> None:
    """`user` buys `plan` through the sandbox card, unless they already did."""
    if Purchase.objects.filter(user=user, kind=kind).exists():
        return
    purchase = purchase_start(user=user, kind=kind, plan=plan, gateway_code=GATEWAY)
    purchase_mark_paid(
        purchase=purchase,
        transaction_id=f"DEMO-{purchase.number}",
        note="Paid in the demo with the sandbox card.",
    )


def _member(number: int) -> User | None:
    return User.objects.filter(email=shopper_email(number), is_staff=False).first()


def privileges_seed(*, customers: int) -> list[str]:
    """Set up the privileges and the featured members' use of them; notes back."""
    now = timezone.now()
    with transaction.atomic():
        _programme_set_up()
        notes = _listings_seed(now)
        notes += _coupons_seed(now)
        topup, plus = _plans_seed()
    # The purchases happened before today's visit: nobody is emailed.
    with background_tasks_dropped():
        member1, member4 = _member(1), _member(4)
        if member1 is not None and customers >= 1:
            _bought(member1, kind=PurchaseKind.TOPUP, plan=topup)
            notes.append(f"{member1.email}: bought {topup.name}")
        if member4 is not None and customers >= 4:
            _bought(member4, kind=PurchaseKind.MEMBERSHIP, plan=plus)
            notes.append(f"{member4.email}: paid member ({plus.name})")
    member2 = _member(2)
    if member2 is not None and customers >= 2:
        today = timezone.localdate(now)
        # Set long ago, so the anti-gaming rules give the gift.
        User.objects.filter(pk=member2.pk).update(
            birthday=_birthday_on(today),
            birthday_set_at=now - datetime.timedelta(days=800),
        )
        notes.append(
            f"{member2.email}: birthday today; `manage.py loyalty_nightly` gives "
            "the 金卡 birthday gift (NT$300 shopping credit)"
        )
    return notes


def _birthday_on(today: datetime.date) -> datetime.date:
    # 1992 is a leap year, so 29 February is a birthday too.
    return today.replace(year=1992)


def privileges_reset(members) -> None:
    """Forget the demo members' purchases and paid periods (not the shop's offers)."""
    PaidMembership.objects.filter(user__membership__in=members).delete()
    Purchase.objects.filter(user__membership__in=members).delete()
