"""Product cards: one page of products made ready to show, in two queries.

A card needs each product's prices for this shopper, its first picture and
whether anything is in stock. Variants and pictures are read as plain rows
(`CardVariant`, `CardImage`) rather than model instances: a listing prices every
variant of the page, and clothes come in many sizes and colours.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from shop.catalog.models import Product, ProductImage, Variant


@dataclass(slots=True)
class CardVariant:
    """The part of an active variant a product card needs to price it.

    Listings price every variant of the page; reading these as plain rows
    rather than model instances keeps a page of clothes in many sizes cheap.
    It has what `ShopperContext.price_variants` relies on (pk, price,
    compare_at_price, currency) plus the product it belongs to.
    """

    pk: int
    product: Product
    sku: str
    option1: str
    option2: str
    price: Decimal
    compare_at_price: Decimal | None
    currency: str
    stock: int

    @property
    def product_id(self) -> int:
        return self.product.pk

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


@dataclass(slots=True)
class CardImage:
    """A product's first picture as a card shows it, read without the model.

    Offers what templates and serializers use of a ProductImage:
    `thumbnail_url`, `display_url`, `alt_text`, `width`, `height`, `product`.
    """

    pk: int
    product: Product
    image: str
    thumbnail: str
    display: str
    alt_text: str
    width: int
    height: int

    @property
    def thumbnail_url(self) -> str:
        return _IMAGE_STORAGE.url(self.thumbnail or self.image)

    @property
    def display_url(self) -> str:
        return _IMAGE_STORAGE.url(self.display or self.image)


_IMAGE_STORAGE = ProductImage._meta.get_field("image").storage


# The two card queries are plain SQL: they run on every listing, and building
# them through the ORM cost several times more than running them. Amounts are
# read as text so that they become Decimals without passing through floats.
def _card_variants_sql(product_ids: list[int]) -> tuple[str, list]:
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(product_ids))
    return (
        f"SELECT {qn('id')}, {qn('product_id')}, {qn('sku')}, {qn('option1')}, "
        f"{qn('option2')}, CAST({qn('price')} AS TEXT), "
        f"CAST({qn('compare_at_price')} AS TEXT), {qn('currency')}, {qn('stock')} "
        f"FROM {qn(Variant._meta.db_table)} "
        f"WHERE {qn('is_active')} = %s AND {qn('product_id')} IN ({marks}) "
        f"ORDER BY {qn('position')}, {qn('id')}",
        [True, *product_ids],
    )


def _card_images_sql(product_ids: list[int]) -> tuple[str, list]:
    """Only each product's first picture, so the rows do not grow with the
    number of pictures a product has."""
    qn = connection.ops.quote_name
    table = qn(ProductImage._meta.db_table)
    marks = ", ".join(["%s"] * len(product_ids))
    columns = ", ".join(
        f"i.{qn(c)}"
        for c in (
            "id",
            "product_id",
            "image",
            "thumbnail",
            "display",
            "alt_text",
            "width",
            "height",
        )  # fmt: skip
    )
    return (
        f"SELECT {columns} FROM {table} i WHERE i.{qn('product_id')} IN ({marks}) "
        f"AND i.{qn('id')} = (SELECT j.{qn('id')} FROM {table} j "
        f"WHERE j.{qn('product_id')} = i.{qn('product_id')} "
        f"ORDER BY j.{qn('position')}, j.{qn('id')} LIMIT 1)",
        product_ids,
    )


def product_cards(products, *, shopper) -> list[Product]:
    """Ready one page of products for display, in a fixed number of queries.

    Sets `.active_variants` (`CardVariant`s by position), `.card_price` (the
    VariantPrice of the variant cheapest for this shopper, or None without
    active variants), `.has_price_range` (variants differ in price),
    `.primary_image` (a `CardImage` of the first picture, or None),
    `.in_stock` and `.purchase_locked_reason` (why this shopper may see but not
    buy it, e.g. a member-only teaser; empty when buyable). Two queries
    whatever the page size, plus whatever the shopper context needs to price
    and check the whole page in one call each.
    """
    products = list(products)
    if not products:
        return products
    # A product may appear twice (featured and new): both copies get the fields.
    by_id = {product.pk: product for product in products}
    variants = defaultdict(list)
    first_images = {}
    with connection.cursor() as cursor:
        cursor.execute(*_card_variants_sql(list(by_id)))
        for pk, product_id, sku, option1, option2, price, compare_at, *rest in cursor:
            variants[product_id].append(
                CardVariant(
                    pk,
                    by_id[product_id],
                    sku,
                    option1,
                    option2,
                    Decimal(price),
                    Decimal(compare_at) if compare_at is not None else None,
                    *rest,
                )
            )
        cursor.execute(*_card_images_sql(list(by_id)))
        for pk, product_id, *rest in cursor:
            first_images[product_id] = CardImage(pk, by_id[product_id], *rest)
    for product in products:
        product.active_variants = variants.get(product.pk, [])
    prices = shopper.price_variants([v for p in products for v in p.active_variants])
    locks = shopper.purchase_locks(list(by_id))
    for product in products:
        set_card_fields(product, prices, first_images.get(product.pk))
        product.purchase_locked_reason = locks.get(product.pk, "")
    return products


def set_card_fields(product: Product, prices, primary_image) -> None:
    variant_prices = [prices[v.pk] for v in product.active_variants if v.pk in prices]
    product.card_price = min(
        variant_prices, key=lambda price: price.price.amount, default=None
    )
    product.has_price_range = len({p.price.amount for p in variant_prices}) > 1
    product.primary_image = primary_image
    product.in_stock = any(v.stock > 0 for v in product.active_variants)
