"""Helpers shared by the storefront tests (selectors, search, views, sitemap)."""

from decimal import Decimal

from shop.core.money import Money
from shop.core.shopper import PublicShopper, VariantPrice

HIDING_SHOPPER = "shop.catalog.tests.storefront_fixtures.HidingShopper"
MEMBER_PRICE_SHOPPER = "shop.catalog.tests.storefront_fixtures.MemberPriceShopper"


class HidingShopper(PublicShopper):
    """A shopper context with one hidden listing: slugs starting with "members-"."""

    def restrict_products(self, products):
        return products.exclude(slug__startswith="members-")


class MemberPriceShopper(PublicShopper):
    """Variants whose SKU ends in "-VIP" cost 100 here; counts its calls."""

    calls = 0

    def price_variants(self, variants):
        type(self).calls += 1
        prices = super().price_variants(variants)
        for variant in variants:
            if variant.sku.endswith("-VIP"):
                list_price = prices[variant.pk].list_price
                prices[variant.pk] = VariantPrice(
                    price=Money(Decimal("100"), variant.currency),
                    list_price=list_price,
                    label="VIP",
                )
        return prices
