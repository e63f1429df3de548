"""Catalogue reads: every page, API and feed that shows products starts here.

Each product read takes the shopper context (keyword-only, required) and starts
from `products_visible`, so a rule about who may see what (hidden listings,
early access) is applied everywhere by changing the shopper context alone.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

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
from django.dispatch import receiver

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

CATEGORY_TREE_CACHE_KEY = "catalog:category-tree:v1"
CATEGORY_TREE_TOKEN_KEY = "catalog:category-tree-token:v1"
# Invalidation on save reaches only this process's cache when the cache is
# per-process (the local-memory default), so other processes refresh within this.
CATEGORY_TREE_TIMEOUT = 300
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


# --- Categories ----------------------------------------------------------------


@dataclass
class CategoryNode:
    category: Category
    url: str
    children: list[CategoryNode] = field(default_factory=list)
    parent: CategoryNode | None = field(default=None, repr=False)

    @property
    def ancestors(self) -> list[CategoryNode]:
        """From the root down to the parent of this node."""
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def root(self) -> CategoryNode:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def descendant_ids(self) -> list[int]:
        """This category's id and every id below it."""
        ids = [self.category.pk]
        for child in self.children:
            ids.extend(child.descendant_ids())
        return ids


@dataclass
class CategoryIndex:
    roots: list[CategoryNode]
    by_slug: dict[str, CategoryNode]
    by_id: dict[int, CategoryNode]


def _build_category_index() -> CategoryIndex:
    categories = list(
        Category.objects.filter(is_active=True)
        .only(
            "pk",
            "parent_id",
            "name",
            "slug",
            "description",
            "image",
            "position",
            "seo_title",
            "seo_description",
        )  # fmt: skip
        .order_by("position", "name", "pk")
    )
    nodes = {
        c.pk: CategoryNode(category=c, url=c.get_absolute_url()) for c in categories
    }
    roots = []
    for node in nodes.values():
        parent_id = node.category.parent_id
        if parent_id is None:
            roots.append(node)
        elif parent_id in nodes:
            node.parent = nodes[parent_id]
            nodes[parent_id].children.append(node)
    # A category under an inactive parent is unreachable, so it is hidden too.
    reachable: dict[int, CategoryNode] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        reachable[node.category.pk] = node
        stack.extend(node.children)
    return CategoryIndex(
        roots=roots,
        by_slug={node.category.slug: node for node in reachable.values()},
        by_id=reachable,
    )


# (token, index) of the tree this process last unpickled: every page shows the
# tree, and reading a short token from the cache is far cheaper than the tree.
_local_category_index: tuple[str, CategoryIndex] | None = None


def category_index() -> CategoryIndex:
    """The active category tree with lookups by slug and id, from the cache."""
    global _local_category_index
    token = cache.get(CATEGORY_TREE_TOKEN_KEY)
    local = _local_category_index
    if token is not None and local is not None and local[0] == token:
        return local[1]
    index = cache.get(CATEGORY_TREE_CACHE_KEY) if token is not None else None
    if index is None:
        index = _build_category_index()
        token = uuid.uuid4().hex
        cache.set_many(
            {CATEGORY_TREE_CACHE_KEY: index, CATEGORY_TREE_TOKEN_KEY: token},
            CATEGORY_TREE_TIMEOUT,
        )
    _local_category_index = (token, index)
    return index


@receiver(post_save, sender=Category, dispatch_uid="catalog-category-tree-saved")
@receiver(post_delete, sender=Category, dispatch_uid="catalog-category-tree-deleted")
def _category_tree_changed(**kwargs):
    category_tree_invalidate()


def category_tree_invalidate() -> None:
    """Forget the cached tree; call after bulk category writes that send no signal."""
    cache.delete_many([CATEGORY_TREE_TOKEN_KEY, CATEGORY_TREE_CACHE_KEY])


def category_tree() -> list[CategoryNode]:
    """Active categories as nested nodes (`.category`, `.url`, `.children`).

    One query when the cache is cold; cached for a few minutes and dropped
    whenever a category is saved or deleted.
    """
    return category_index().roots


def category_node(category_or_id) -> CategoryNode | None:
    """The tree node of an active category, or None."""
    pk = getattr(category_or_id, "pk", category_or_id)
    return category_index().by_id.get(pk)


def category_get(*, slug: str) -> Category:
    """The active category with this slug; raises Category.DoesNotExist."""
    node = category_index().by_slug.get(slug)
    if node is None:
        raise Category.DoesNotExist(slug)
    return node.category


def category_descendant_ids(category) -> list[int]:
    """The category's id and those of its active descendants."""
    node = category_node(category)
    return node.descendant_ids() if node is not None else [category.pk]


# --- Products ------------------------------------------------------------------


def products_visible(*, shopper) -> QuerySet[Product]:
    """Published products this shopper may see: the base of every product read."""
    return shopper.restrict_products(Product.objects.published())


def _active_variants() -> QuerySet[Variant]:
    return Variant.objects.filter(is_active=True)


def with_listing_annotations(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Add `min_price` (cheapest active variant list price) and `in_stock`."""
    variants = _active_variants().filter(product=OuterRef("pk"))
    return queryset.annotate(
        min_price=Subquery(variants.order_by("price").values("price")[:1]),
        in_stock=Exists(variants.filter(stock__gt=0)),
    )


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


_CARD_VARIANT_FIELDS = (
    "pk", "product_id", "sku", "option1", "option2", "price", "compare_at_price",
    "currency", "stock",
)  # fmt: skip


def product_cards(products, *, shopper) -> list[Product]:
    """Ready one page of products for display, in a fixed number of queries.

    Sets `.active_variants` (`CardVariant`s by position), `.card_price` (the
    VariantPrice of the variant cheapest for this shopper, or None without
    active variants), `.has_price_range` (variants differ in price),
    `.primary_image` (the first ProductImage, or None) and `.in_stock`. Two
    queries whatever the page size, plus whatever the shopper context needs to
    price the whole page in one call.
    """
    products = list(products)
    if not products:
        return products
    by_id = {product.pk: product for product in products}
    variants = defaultdict(list)
    rows = (
        _active_variants()
        .filter(product_id__in=list(by_id))
        .values_list(*_CARD_VARIANT_FIELDS)
    )
    for pk, product_id, *rest in rows:
        variants[product_id].append(CardVariant(pk, by_id[product_id], *rest))
    # Only the first picture of each product, so the rows fetched do not grow
    # with the number of pictures a product has.
    first_image = (
        ProductImage.objects.filter(product_id=OuterRef("product_id"))
        .order_by("position", "pk")
        .values("pk")[:1]
    )
    first_images = {
        image.product_id: image
        for image in ProductImage.objects.filter(
            product_id__in=list(by_id), pk=Subquery(first_image)
        )
    }
    for product in products:
        product.active_variants = variants.get(product.pk, [])
    prices = shopper.price_variants([v for p in products for v in p.active_variants])
    for product in products:
        _set_card_fields(product, prices, first_images.get(product.pk))
    return products


def _set_card_fields(product: Product, prices, primary_image) -> None:
    variant_prices = [prices[v.pk] for v in product.active_variants if v.pk in prices]
    product.card_price = min(
        variant_prices, key=lambda price: price.price.amount, default=None
    )
    product.has_price_range = len({p.price.amount for p in variant_prices}) > 1
    product.primary_image = primary_image
    product.in_stock = any(v.stock > 0 for v in product.active_variants)


def product_detail(*, shopper, slug: str) -> Product:
    """A visible product with everything its page shows; raises Product.DoesNotExist.

    Sets `.active_variants` (by position), `.image_list`, `.attribute_list`
    (values with their attribute), `.variant_prices` ({variant pk:
    VariantPrice}), `.card_price` (cheapest), `.primary_image` and `.in_stock`.
    Four queries.
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
    _set_card_fields(
        product,
        product.variant_prices,
        product.image_list[0] if product.image_list else None,
    )
    return product


def products_featured(*, shopper, limit: int = 8) -> list[Product]:
    """Featured products, newest first, as cards."""
    products = (
        products_visible(shopper=shopper)
        .filter(is_featured=True)
        .select_related("brand")
        .defer("search_document", "size_guide", "description")
        .order_by(*ORDERINGS["newest"])[:limit]
    )
    return product_cards(products, shopper=shopper)


def products_new_arrivals(*, shopper, limit: int = 8) -> list[Product]:
    """The most recently published products, as cards."""
    products = (
        products_visible(shopper=shopper)
        .select_related("brand")
        .defer("search_document", "size_guide", "description")
        .order_by(*ORDERINGS["newest"])[:limit]
    )
    return product_cards(products, shopper=shopper)


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
