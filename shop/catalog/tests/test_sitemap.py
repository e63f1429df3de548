import re
from datetime import timedelta

import pytest
from django.utils import timezone

from shop.catalog.models import Product
from shop.catalog.tests.factories import CategoryFactory, ProductFactory
from shop.catalog.tests.storefront_fixtures import HIDING_SHOPPER

pytestmark = pytest.mark.django_db


def _locations(response):
    return re.findall(r"<loc>(.*?)</loc>", response.content.decode())


def test_sitemap_lists_home_categories_and_visible_products_only(client, settings):
    settings.SHOPPER_CONTEXT_CLASS = HIDING_SHOPPER
    coffee = CategoryFactory(slug="coffee", position=0)
    CategoryFactory(slug="beans", parent=coffee)
    CategoryFactory(slug="tea", position=1)
    CategoryFactory(slug="retired", is_active=False)
    ProductFactory(slug="live", category=coffee)
    ProductFactory(slug="members-only", category=coffee)
    ProductFactory(slug="draft", category=coffee, status=Product.Status.DRAFT)
    ProductFactory(slug="archived", category=coffee, status=Product.Status.ARCHIVED)
    ProductFactory(
        slug="tomorrow",
        category=coffee,
        published_at=timezone.now() + timedelta(days=1),
    )

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert _locations(response) == [
        "http://testserver/",
        "http://testserver/products/",
        "http://testserver/c/coffee/",
        "http://testserver/c/beans/",
        "http://testserver/c/tea/",
        "http://testserver/p/live/",
    ]


def test_sitemap_uses_the_request_host_and_product_update_time(client):
    product = ProductFactory(slug="live")
    response = client.get("/sitemap.xml", headers={"host": "localhost"})
    html = response.content.decode()
    assert "<loc>http://localhost/p/live/</loc>" in html
    # The shop's own calendar day, not UTC's (they differ after 16:00 UTC).
    lastmod = timezone.localdate(product.updated_at).isoformat()
    assert f"<lastmod>{lastmod}</lastmod>" in html


def test_sitemap_query_count_does_not_grow_with_products(
    client, django_assert_num_queries
):
    category = CategoryFactory()
    ProductFactory.create_batch(2, category=category)
    client.get("/sitemap.xml")  # the site record and category tree get cached
    with django_assert_num_queries(2):
        assert len(_locations(client.get("/sitemap.xml"))) == 5
    ProductFactory.create_batch(5, category=category)
    with django_assert_num_queries(2):
        assert len(_locations(client.get("/sitemap.xml"))) == 10
