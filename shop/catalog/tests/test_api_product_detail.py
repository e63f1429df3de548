from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shop.accounts.tests.factories import UserFactory
from shop.catalog.models import Product
from shop.catalog.tests.factories import (
    AttributeFactory,
    AttributeValueFactory,
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from shop.catalog.tests.test_api_products import MEMBER_SHOPPER

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient(headers={"Accept-Language": "en"})


def url(slug):
    return f"/api/products/{slug}/"


def test_product_detail(client):
    apparel = CategoryFactory(name="服飾", slug="apparel")
    brand = BrandFactory(name="島嶼", slug="island")
    product = ProductFactory(
        title="有機棉T恤",
        slug="有機棉t恤",
        category=apparel,
        brand=brand,
        description="柔軟透氣。",
        size_guide="S 胸圍 96 公分",
        seo_title="有機棉T恤｜島嶼",
        seo_description="台灣製造",
        option1_name="尺寸",
        option2_name="顏色",
        published_at=timezone.now() - timedelta(days=2),
    )
    small = VariantFactory(
        product=product,
        sku="TEE-S-W",
        option1="S",
        option2="白",
        price=Decimal("590"),
        compare_at_price=Decimal("790"),
        stock=3,
        weight_grams=180,
        position=1,
    )
    large = VariantFactory(
        product=product,
        sku="TEE-L-W",
        option1="L",
        option2="白",
        price=Decimal("650"),
        stock=0,
        weight_grams=200,
        position=2,
    )
    VariantFactory(product=product, sku="TEE-XL-OFF", option1="XL", is_active=False)
    VariantFactory(product=product, sku="TEE-M-W", option1="M", stock=40, position=3)
    second = ProductImageFactory(product=product, alt_text="背面", position=2)
    first = ProductImageFactory(product=product, alt_text="正面", position=1)
    fabric = AttributeFactory(name="材質", slug="fabric", position=1)
    origin = AttributeFactory(name="產地", slug="origin", position=2)
    product.attribute_values.set(
        [
            AttributeValueFactory(attribute=origin, value="台灣", slug="taiwan"),
            AttributeValueFactory(attribute=fabric, value="有機棉", slug="organic"),
        ]
    )

    response = client.get(url("有機棉t恤"))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == product.pk
    assert (body["title"], body["description"], body["size_guide"]) == (
        "有機棉T恤",
        "柔軟透氣。",
        "S 胸圍 96 公分",
    )
    assert (body["seo_title"], body["seo_description"]) == (
        "有機棉T恤｜島嶼",
        "台灣製造",
    )
    assert body["url"] == "http://testserver/p/%E6%9C%89%E6%A9%9F%E6%A3%89t%E6%81%A4/"
    assert body["brand"] == {"name": "島嶼", "slug": "island"}
    assert body["category"] == {"id": apparel.pk, "name": "服飾", "slug": "apparel"}
    assert (body["price"], body["has_price_range"], body["in_stock"]) == (
        "590",
        True,
        True,
    )
    assert body["option_names"] == ["尺寸", "顏色"]
    assert body["variants"] == [
        {
            "id": small.pk,
            "sku": "TEE-S-W",
            "options": [
                {"name": "尺寸", "value": "S"},
                {"name": "顏色", "value": "白"},
            ],
            "price": "590",
            "list_price": "590",
            "compare_at_price": "790",
            "is_discounted": True,
            "currency": "TWD",
            "price_display": "NT$590",
            "price_label": "",
            "in_stock": True,
            "stock_state": "low_stock",
            "stock_label": "Only 3 left",
            "weight_grams": 180,
        },
        {
            "id": large.pk,
            "sku": "TEE-L-W",
            "options": [
                {"name": "尺寸", "value": "L"},
                {"name": "顏色", "value": "白"},
            ],
            "price": "650",
            "list_price": "650",
            "compare_at_price": None,
            "is_discounted": False,
            "currency": "TWD",
            "price_display": "NT$650",
            "price_label": "",
            "in_stock": False,
            "stock_state": "out_of_stock",
            "stock_label": "Sold out",
            "weight_grams": 200,
        },
        {
            "id": product.variants.get(sku="TEE-M-W").pk,
            "sku": "TEE-M-W",
            "options": [{"name": "尺寸", "value": "M"}],
            "price": "1280",
            "list_price": "1280",
            "compare_at_price": None,
            "is_discounted": False,
            "currency": "TWD",
            "price_display": "NT$1,280",
            "price_label": "",
            "in_stock": True,
            "stock_state": "in_stock",
            "stock_label": "In stock",
            "weight_grams": 0,
        },
    ]
    assert body["images"] == [
        {
            "url": f"http://testserver{image.image.url}",
            "thumbnail_url": f"http://testserver{image.image.url}",
            "alt": alt,
            "width": 800,
            "height": 800,
        }
        for image, alt in ((first, "正面"), (second, "背面"))
    ]
    assert body["image"]["alt"] == "正面"
    assert body["attributes"] == [
        {
            "attribute": "材質",
            "attribute_slug": "fabric",
            "value": "有機棉",
            "value_slug": "organic",
            "filter": "fabric:organic",
        },
        {
            "attribute": "產地",
            "attribute_slug": "origin",
            "value": "台灣",
            "value_slug": "taiwan",
            "filter": "origin:taiwan",
        },
    ]


def test_usd_prices_keep_their_cents(client):
    product = ProductFactory(slug="import")
    VariantFactory(product=product, price=Decimal("12.5"), currency="USD")

    variant = client.get(url("import")).json()["variants"][0]

    assert (variant["price"], variant["currency"], variant["price_display"]) == (
        "12.50",
        "USD",
        "US$12.50",
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": Product.Status.DRAFT},
        {"status": Product.Status.ARCHIVED},
        {"published_at": None},
    ],
)
def test_unpublished_products_are_not_found(client, kwargs):
    ProductFactory(slug="not-yet", **kwargs)

    response = client.get(url("not-yet"))

    assert response.status_code == 404
    assert response.json() == {"detail": "No such product."}


def test_unknown_slug_is_not_found(client):
    response = client.get(url("no-such-product"))

    assert response.status_code == 404
    assert response.json() == {"detail": "No such product."}


def test_hidden_listing_needs_the_right_shopper(client, settings):
    settings.SHOPPER_CONTEXT_CLASS = MEMBER_SHOPPER
    product = ProductFactory(slug="members-blend")
    VariantFactory(product=product, price=Decimal("1000"))

    assert client.get(url("members-blend")).status_code == 404

    token = Token.objects.create(user=UserFactory())
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(url("members-blend"))

    assert response.status_code == 200
    variant = response.json()["variants"][0]
    assert (variant["price"], variant["list_price"], variant["price_label"]) == (
        "900",
        "1000",
        "會員價",
    )


def test_detail_query_count_does_not_grow_with_variants_and_pictures(client):
    product = ProductFactory(slug="tee", brand=BrandFactory())

    def queries():
        client.get(url("tee"))  # fills the category cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("tee")).status_code == 200
        return len(captured)

    def add_one_of_each():
        VariantFactory(product=product)
        ProductImageFactory(product=product)
        product.attribute_values.add(AttributeValueFactory())

    add_one_of_each()
    few = queries()
    add_one_of_each()
    add_one_of_each()
    more = queries()

    # product with category and brand, variants, images, attribute values
    assert few == more == 4
