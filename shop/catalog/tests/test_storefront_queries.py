"""Query budgets of the storefront pages (DESIGN §4): the count must not grow
with the number of products, variants or pictures, and an anonymous visit
never reads a session or a user.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.catalog.models import Product
from shop.catalog.search import refresh_search_documents
from shop.catalog.tests.factories import (
    AttributeValueFactory,
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

LISTING_BUDGET = 8


def _queries(client, url):
    # A first visit fills the category-tree and facet caches, as any earlier
    # visitor would; the count, the page, its variants and its pictures remain.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [s for s in sql if "django_session" in s or "accounts_user" in s]
    return len(sql)


def _add_products(category, count, *, variants=2, images=2):
    brand = BrandFactory()
    value = AttributeValueFactory()
    for _ in range(count):
        product = ProductFactory(category=category, title="手沖咖啡豆", brand=brand)
        product.attribute_values.set([value])
        for v in range(variants):
            VariantFactory(product=product, price=Decimal(300 + v), stock=v + 1)
        for _ in range(images):
            ProductImageFactory(product=product)
    refresh_search_documents(product_ids=Product.objects.values_list("pk", flat=True))
    return f"attr={value.attribute.slug}:{value.slug}&brand={brand.slug}"


@pytest.mark.parametrize("url", ["/c/coffee/", "/products/", "/search/?q=咖啡"])
def test_listing_queries_do_not_grow_with_products(client, url):
    category = CategoryFactory(slug="coffee")
    _add_products(category, 3)
    few = _queries(client, url)
    _add_products(category, 1)
    more = _queries(client, url)
    assert few == more == 4


def test_listing_queries_do_not_grow_with_page_size(client, settings):
    category = CategoryFactory(slug="coffee")
    filters = _add_products(category, 41, variants=1, images=1)
    url = f"/c/coffee/?in_stock=1&sort=price_asc&price_min=1&{filters}"
    settings.CATALOG_PAGE_SIZE = 20
    twenty = _queries(client, url)
    settings.CATALOG_PAGE_SIZE = 40
    forty = _queries(client, url)
    assert (
        client.get(url).content.decode().count('<article class="product-card">') == 40
    )
    assert twenty == forty == 4


def test_listing_with_cold_caches_stays_within_budget(client, settings):
    # The storefront's own queries; the loyalty shopper's two cached reads (its
    # tiers, whether tier prices exist) are counted in loyalty's price tests.
    settings.SHOPPER_CONTEXT_CLASS = "shop.core.shopper.PublicShopper"
    category = CategoryFactory(slug="coffee")
    _add_products(category, 2)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/c/coffee/").status_code == 200
    # Plus the category tree and the two facet queries.
    assert len(captured) == 7 <= LISTING_BUDGET


def test_product_detail_queries_do_not_grow_with_variants_or_images(client):
    one = ProductFactory(slug="one", option1_name="尺寸")
    VariantFactory(product=one, option1="S")
    ProductImageFactory(product=one)
    five = ProductFactory(slug="five", option1_name="尺寸", option2_name="顏色")
    for size in ("S", "M", "L", "XL", "XXL"):
        VariantFactory(product=five, option1=size, option2="黑")
        ProductImageFactory(product=five)
    five.attribute_values.set(AttributeValueFactory.create_batch(5))

    assert _queries(client, "/p/one/") == _queries(client, "/p/five/") == 4


def test_home_queries_do_not_grow_with_products(client):
    category = CategoryFactory()
    _add_products(category, 2)
    Product.objects.update(is_featured=True)
    few = _queries(client, "/")
    _add_products(category, 8)
    Product.objects.update(is_featured=True)
    assert few == _queries(client, "/") == 4
