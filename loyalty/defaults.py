"""The programme a new shop starts with: settings row and a four-tier scheme.

Used by the data migration, the demo and tests; the merchant changes all of it
in the back office (a new scheme version for the tiers).
"""

from decimal import Decimal

from django.utils import timezone

DEFAULT_TIERS = [
    {
        "code": "member",
        "rank": 0,
        "name": "一般會員",
        "name_zh_hans": "普通会员",
        "name_en": "Member",
        "validity": "forever",
    },
    {
        "code": "silver",
        "rank": 1,
        "name": "銀卡",
        "name_zh_hans": "银卡",
        "name_en": "Silver",
        "qualify_spend": Decimal("5000"),
        "qualify_single_order": Decimal("3000"),
        "retain_spend": Decimal("3000"),
        "discount_percent": Decimal("3"),
        "points_multiplier": Decimal("1.5"),
        "free_shipping_threshold": Decimal("799"),
        "birthday_gift_amount": Decimal("100"),
    },
    {
        "code": "gold",
        "rank": 2,
        "name": "金卡",
        "name_zh_hans": "金卡",
        "name_en": "Gold",
        "qualify_spend": Decimal("15000"),
        "retain_spend": Decimal("10000"),
        "discount_percent": Decimal("5"),
        "points_multiplier": Decimal("2"),
        "free_shipping_threshold": Decimal("0"),
        "birthday_gift_amount": Decimal("300"),
        "member_day_extra_percent": Decimal("3"),
        "hidden_listing_access": True,
    },
    {
        "code": "vip",
        "rank": 3,
        "name": "VIP",
        "name_zh_hans": "VIP",
        "name_en": "VIP",
        "qualify_spend": Decimal("40000"),
        "qualify_orders": 20,
        "qualify_requires_both": False,
        "retain_spend": Decimal("30000"),
        "discount_percent": Decimal("10"),
        "points_multiplier": Decimal("3"),
        "free_shipping_threshold": Decimal("0"),
        "birthday_gift_amount": Decimal("800"),
        "member_day_extra_percent": Decimal("5"),
        "hidden_listing_access": True,
    },
]


def default_programme_create(apps=None) -> None:
    """Create the settings row and the active default scheme, unless present."""
    if apps is None:
        from django.apps import apps
    LoyaltyProgramme = apps.get_model("loyalty", "LoyaltyProgramme")
    TierScheme = apps.get_model("loyalty", "TierScheme")
    Tier = apps.get_model("loyalty", "Tier")
    LoyaltyProgramme.objects.get_or_create(pk=1)
    if TierScheme.objects.filter(status="active").exists():
        return
    now = timezone.now()
    scheme = TierScheme.objects.create(
        name="會員等級 2026",
        status="active",
        effective_from=timezone.localdate(now),
        activated_at=now,
    )
    Tier.objects.bulk_create(Tier(scheme=scheme, **tier) for tier in DEFAULT_TIERS)
