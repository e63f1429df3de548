"""Shops, rules and shoppers for the member-only listing tests.

Tests run with LANGUAGE_CODE="en": tiers read Member, Silver, Gold, VIP.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from loyalty.listings.access import SESSION_KEY
from loyalty.listings.services import listing_rule_save
from loyalty.models import (
    ListingRule,
    MembershipPlan,
    PaidMembership,
    Purchase,
    PurchaseKind,
    PurchaseStatus,
)
from loyalty.shopper import LoyaltyShopper
from loyalty.tests.prices_fixtures import member_in
from shop.catalog.search import refresh_search_documents
from shop.catalog.tests.factories import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    VariantFactory,
)

_numbers = itertools.count(1)


def shop_with_secret():
    """咖啡 (coffee) › 典藏 (reserve) › 批次 (lots): a secret product two levels
    down, a public one in coffee; each with its own brand (for the facets)."""
    coffee = CategoryFactory(slug="coffee", name="咖啡")
    reserve = CategoryFactory(slug="reserve", name="典藏", parent=coffee)
    lots = CategoryFactory(slug="lots", name="批次", parent=reserve)
    secret = ProductFactory(
        slug="secret",
        title="Geisha 藝伎",
        category=lots,
        brand=BrandFactory(slug="secret-brand", name="Secret Roasters"),
    )
    public = ProductFactory(
        slug="public",
        title="House Blend",
        category=coffee,
        brand=BrandFactory(slug="plain-brand", name="Plain Roasters"),
    )
    variants = {
        "secret": VariantFactory(product=secret, price=Decimal("1280"), stock=5),
        "public": VariantFactory(product=public, price=Decimal("480"), stock=5),
    }
    refresh_search_documents(product_ids=[secret.pk, public.pk])
    return {
        "coffee": coffee,
        "reserve": reserve,
        "lots": lots,
        "secret": secret,
        "public": public,
        "variants": variants,
    }


def rule_make(*, target, **fields) -> ListingRule:
    """A rule on a product or a category, saved through the service."""
    key = "product" if target.__class__.__name__ == "Product" else "category"
    fields.setdefault("name", "Members only")
    return listing_rule_save(rule=ListingRule(**{key: target}, **fields))


def paid_member(code: str = "member", **user_fields):
    """A member in tier `code` holding an active paid membership."""
    user = member_in(code, **user_fields)
    plan, _created = MembershipPlan.objects.get_or_create(
        code="plus", defaults={"name": "Plus", "price": Decimal("99")}
    )
    now = timezone.now()
    purchase = Purchase.objects.create(
        number=f"MP{next(_numbers):06d}",
        user=user,
        kind=PurchaseKind.MEMBERSHIP,
        membership_plan=plan,
        description="Plus",
        amount=Decimal("99"),
        currency="TWD",
        gateway="sandbox",
        status=PurchaseStatus.PAID,
        paid_at=now,
    )
    PaidMembership.objects.create(
        user=user,
        plan=plan,
        purchase=purchase,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=29),
    )
    return user


def shopper_of(client, user=None) -> LoyaltyShopper:
    """The shopper context a request of `client` would build."""
    return LoyaltyShopper(user, access_codes=tuple(client.session.get(SESSION_KEY, ())))
