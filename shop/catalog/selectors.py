"""Catalogue reads: every page, API and feed that shows products starts here.

Each product read takes the shopper context (keyword-only, required) and starts
from `products_visible`, so a rule about who may see what (hidden listings,
early access) is applied everywhere by changing the shopper context alone.
Category reads live in `category_tree` and card preparation in `cards`; both
are re-exported here, so callers import every read from this module.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.signals import m2m_changed, post_delete, post_save

from shop.catalog.cards import CardImage, CardVariant, product_cards, set_card_fields
from shop.catalog.category_tree import (
    CategoryNode,
    category_descendant_ids,
    category_get,
    category_index,
    category_node,
    category_tree,
    category_tree_invalidate,
)
from shop.catalog.filters import ProductFilter
from shop.catalog.models import (
    Attribute,
    AttributeValue,
    Brand,
    Category,
    Product,
    ProductImage,
    Variant,
)
from shop.catalog.search import search_products

__all__ = [
    "AttributeFacet",
    "CardImage",
    "CardVariant",
    "CategoryNode",
    "attribute_facets",
    "brand_facets",
    "catalog_changed",
    "catalog_version",
    "category_descendant_ids",
    "category_get",
    "category_index",
    "category_node",
    "category_tree",
    "category_tree_invalidate",
    "home_products",
    "listing_facets",
    "product_cards",
    "product_detail",
    "product_listing",
    "products_featured",
    "products_new_arrivals",
    "products_visible",
    "with_listing_annotations",
]

CATALOG_VERSION_KEY = "catalog:version:v1"
FACETS_TIMEOUT = 120

ORDERINGS = {
    "newest": (F("published_at").desc(nulls_last=True), "-pk"),
    "price_asc": (
        F("min_price").asc(nulls_last=True),
        F("published_at").desc(nulls_last=True),
        "-pk",
    ),
    "price_desc": (
        F("min_price").desc(nulls_last=True),
        F("published_at").desc(nulls_last=True),
        "-pk",
    ),
    "name": ("title", "pk"),
}


def products_visible(*, shopper) -> QuerySet[Product]:
    """Published products this shopper may see: the base of every product read."""
    return shopper.restrict_products(Product.objects.published())


def _active_variants() -> QuerySet[Variant]:
    return Variant.objects.filter(is_active=True)


def _listing_annotations() -> dict:
    variants = Variant.objects.filter(is_active=True, product=OuterRef("pk"))
    return {
        "min_price": Subquery(variants.order_by("price").values("price")[:1]),
        "in_stock": Exists(variants.filter(stock__gt=0)),
    }


# Built once: annotate() resolves a copy of each expression, so sharing them is
# safe, and building the subqueries was a tenth of a listing's time.
_LISTING_ANNOTATIONS = _listing_annotations()


def with_listing_annotations(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Add `min_price` (cheapest active variant list price) and `in_stock`."""
    return queryset.annotate(**_LISTING_ANNOTATIONS)


def _search_base(*, shopper, category=None, query: str = "") -> QuerySet[Product]:
    products = products_visible(shopper=shopper)
    if category is not None:
        products = products.filter(category_id__in=category_descendant_ids(category))
    if query:
        products = search_products(products, query=query)
    return products


def product_listing(
    *,
    shopper,
    category: Category | None = None,
    query: str = "",
    params=None,
    ordering: str = "",
) -> tuple[ProductFilter, QuerySet[Product]]:
    """Visible products of a listing page, filtered, searched and sorted.

    `category` includes its descendants. `params` is a QueryDict (or dict) for
    `ProductFilter`; invalid values are reported in `filterset.errors` and
    ignored. `ordering` is a key of `filters.ORDERING_CHOICES`; empty, unknown
    or "relevance" means best match when searching and newest otherwise.
    Products carry `min_price` and `in_stock`; pass a page of them to
    `product_cards` for prices and pictures.
    """
    products = with_listing_annotations(
        _search_base(shopper=shopper, category=category, query=query)
    ).select_related("brand")
    products = products.defer("search_document", "size_guide")
    filterset = ProductFilter(params if params is not None else {}, queryset=products)
    products = filterset.qs
    if ordering in ORDERINGS:
        products = products.order_by(*ORDERINGS[ordering])
    elif not query:
        products = products.order_by(*ORDERINGS["newest"])
    return filterset, products


def product_detail(*, shopper, slug: str) -> Product:
    """A visible product with everything its page shows; raises Product.DoesNotExist.

    Sets `.active_variants` (by position), `.image_list`, `.attribute_list`
    (values with their attribute), `.variant_prices` ({variant pk:
    VariantPrice}), `.card_price` (cheapest), `.primary_image`, `.in_stock`
    and `.purchase_locked_reason` (why this shopper may see but not buy it;
    empty when buyable). Four queries, plus what the shopper context needs.
    """
    product = (
        products_visible(shopper=shopper)
        .select_related("category", "brand")
        .defer("search_document")
        .prefetch_related(
            Prefetch(
                "variants",
                queryset=_active_variants().order_by("position", "pk"),
                to_attr="active_variants",
            ),
            Prefetch(
                "images",
                queryset=ProductImage.objects.order_by("position", "pk"),
                to_attr="image_list",
            ),
            Prefetch(
                "attribute_values",
                queryset=AttributeValue.objects.select_related("attribute"),
                to_attr="attribute_list",
            ),
        )
        .get(slug=slug)
    )
    product.variant_prices = shopper.price_variants(product.active_variants)
    set_card_fields(
        product,
        product.variant_prices,
        product.image_list[0] if product.image_list else None,
    )
    locks = shopper.purchase_locks([product.pk])
    product.purchase_locked_reason = locks.get(product.pk, "")
    return product


def _card_base(*, shopper) -> QuerySet[Product]:
    return (
        products_visible(shopper=shopper)
        .select_related("brand")
        .defer("search_document", "size_guide", "description")
        .order_by(*ORDERINGS["newest"])
    )


def products_featured(*, shopper, limit: int = 8) -> list[Product]:
    """Featured products, newest first, as cards."""
    featured = _card_base(shopper=shopper).filter(is_featured=True)[:limit]
    return product_cards(featured, shopper=shopper)


def products_new_arrivals(*, shopper, limit: int = 8) -> list[Product]:
    """The most recently published products, as cards."""
    return product_cards(_card_base(shopper=shopper)[:limit], shopper=shopper)


def home_products(*, shopper, limit: int = 8) -> tuple[list[Product], list[Product]]:
    """(featured, new arrivals) as cards, priced together: four queries."""
    base = _card_base(shopper=shopper)
    featured = list(base.filter(is_featured=True)[:limit])
    new_arrivals = list(base[:limit])
    product_cards([*featured, *new_arrivals], shopper=shopper)
    return featured, new_arrivals


@dataclass
class AttributeFacet:
    attribute: object
    values: list[AttributeValue]


def attribute_facets(products_qs: QuerySet[Product]) -> list[AttributeFacet]:
    """Attributes with the values found among `products_qs`, each value with
    `.product_count`. One query.
    """
    values = (
        AttributeValue.objects.filter(products__in=_pks(products_qs))
        .annotate(product_count=Count("products"))
        .select_related("attribute")
        .order_by("attribute__position", "attribute__name", "position", "value")
    )
    facets: list[AttributeFacet] = []
    for value in values:
        if not facets or facets[-1].attribute.pk != value.attribute_id:
            facets.append(AttributeFacet(attribute=value.attribute, values=[]))
        facets[-1].values.append(value)
    return facets


def brand_facets(products_qs: QuerySet[Product]) -> list[Brand]:
    """Brands found among `products_qs`, each with `.product_count`. One query."""
    return list(
        Brand.objects.filter(products__in=_pks(products_qs))
        .annotate(product_count=Count("products"))
        .order_by("name")
    )


def listing_facets(
    *, shopper, category: Category | None = None, query: str = ""
) -> tuple[list[AttributeFacet], list[Brand]]:
    """Sidebar choices for a listing, from its products before filtering, so
    ticking one value does not hide the others.

    Two queries, then cached per shopper segment, category and query until the
    catalogue changes (see `catalog_changed`) or for `FACETS_TIMEOUT` seconds,
    which bounds how late a scheduled product shows up in the counts.
    """
    digest = hashlib.md5(query.encode(), usedforsecurity=False).hexdigest()
    key = ":".join(
        (
            "catalog:facets",
            catalog_version(),
            shopper.segment,
            str(category.pk if category is not None else 0),
            digest,
        )
    )
    facets = cache.get(key)
    if facets is None:
        base = _search_base(shopper=shopper, category=category, query=query)
        facets = (attribute_facets(base), brand_facets(base))
        cache.set(key, facets, FACETS_TIMEOUT)
    return facets


def catalog_version() -> str:
    """A token that changes whenever products, brands or attributes change."""
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        cache.add(CATALOG_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(CATALOG_VERSION_KEY, "")
    return version


def catalog_changed(**kwargs) -> None:
    """Drop cached listing data (facets); call after bulk writes that send no
    signal, such as `QuerySet.update()` or `bulk_create()`.
    """
    cache.delete(CATALOG_VERSION_KEY)


for _model in (Product, Brand, Attribute, AttributeValue):
    post_save.connect(catalog_changed, sender=_model, dispatch_uid=f"facets-{_model}")
    post_delete.connect(
        catalog_changed, sender=_model, dispatch_uid=f"facets-del-{_model}"
    )
m2m_changed.connect(
    catalog_changed,
    sender=Product.attribute_values.through,
    dispatch_uid="facets-attribute-values",
)


def _pks(products_qs: QuerySet[Product]) -> QuerySet:
    return products_qs.order_by().values("pk")
