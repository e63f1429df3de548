"""A shopper context for tests: members pay 10% less; "members-only" products hide."""

from decimal import Decimal

from shop.core.money import Money, money_round
from shop.core.shopper import PublicShopper, VariantPrice

MEMBERS_ONLY_PREFIX = "members-only-"


class MemberPriceShopper(PublicShopper):
    """What the loyalty app will plug in, reduced to two rules the tests can check."""

    @property
    def segment(self) -> str:
        return "member" if self.is_member else "public"

    def restrict_products(self, products):
        if self.is_member:
            return products
        return products.exclude(slug__startswith=MEMBERS_ONLY_PREFIX)

    def price_variants(self, variants):
        prices = super().price_variants(variants)
        if not self.is_member:
            return prices
        return {
            pk: VariantPrice(
                price=Money(
                    money_round(price.list_price.amount * Decimal("0.9"), "TWD"), "TWD"
                ),
                list_price=price.list_price,
                compare_at=price.list_price,
                label="會員價",
            )
            for pk, price in prices.items()
        }
