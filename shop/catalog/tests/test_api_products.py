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
from shop.catalog.search import refresh_search_documents
from shop.catalog.tests.factories import (
    AttributeFactory,
    AttributeValueFactory,
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from shop.core.money import Money, money_round
from shop.core.shopper import PublicShopper, VariantPrice

URL = "/api/products/"
MEMBER_SHOPPER = "shop.catalog.tests.test_api_products.MemberShopper"

pytestmark = pytest.mark.django_db


class MemberShopper(PublicShopper):
    """Signed-in members pay 90% and see "members-" products; others do not."""

    def restrict_products(self, products):
        if self.is_member:
            return products
        return products.exclude(slug__startswith="members-")

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
                compare_at=price.compare_at,
                label="會員價",
            )
            for pk, price in prices.items()
        }


@pytest.fixture
def client():
    return APIClient(headers={"Accept-Language": "en"})


def _slugs(response):
    assert response.status_code == 200, response.content
    return [p["slug"] for p in response.json()["results"]]


def _searchable():
    refresh_search_documents(product_ids=Product.objects.values_list("pk", flat=True))


def test_product_card(client):
    coffee = CategoryFactory(name="咖啡", slug="coffee")
    brand = BrandFactory(name="山頂咖啡", slug="hilltop")
    product = ProductFactory(
        title="耶加雪菲 淺焙",
        slug="yirgacheffe",
        category=coffee,
        brand=brand,
        published_at=timezone.now() - timedelta(days=1),
    )
    VariantFactory(
        product=product, price=Decimal("450"), compare_at_price=Decimal("520")
    )
    VariantFactory(product=product, price=Decimal("800"), stock=0)
    image = ProductImageFactory(product=product, alt_text="")
    ProductImageFactory(product=product, position=1)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    published_at = timezone.localtime(product.published_at).isoformat()
    assert body["results"] == [
        {
            "id": product.pk,
            "slug": "yirgacheffe",
            "title": "耶加雪菲 淺焙",
            "url": "http://testserver/p/yirgacheffe/",
            "brand": {"name": "山頂咖啡", "slug": "hilltop"},
            "category": {"id": coffee.pk, "name": "咖啡", "slug": "coffee"},
            "price": "450",
            "compare_at_price": "520",
            "currency": "TWD",
            "price_display": "NT$450",
            "price_label": "",
            "has_price_range": True,
            "in_stock": True,
            "purchase_locked_reason": "",
            "image": {
                "url": f"http://testserver{image.image.url}",
                "thumbnail_url": f"http://testserver{image.image.url}",
                "alt": "耶加雪菲 淺焙",
                "width": 800,
                "height": 800,
            },
            "published_at": published_at,
        }
    ]


def test_product_without_variants_or_pictures(client):
    product = ProductFactory(slug="coming-soon")

    card = client.get(URL).json()["results"][0]

    assert {
        key: card[key]
        for key in (
            "price",
            "compare_at_price",
            "currency",
            "price_display",
            "price_label",
            "in_stock",
            "image",
            "brand",
        )
    } == {
        "price": None,
        "compare_at_price": None,
        "currency": None,
        "price_display": None,
        "price_label": None,
        "in_stock": False,
        "image": None,
        "brand": None,
    }
    assert card["id"] == product.pk


def test_only_visible_products_are_listed(client):
    now = timezone.now()
    ProductFactory(slug="live")
    ProductFactory(slug="draft", status=Product.Status.DRAFT)
    ProductFactory(slug="archived", status=Product.Status.ARCHIVED)
    ProductFactory(slug="tomorrow", published_at=now + timedelta(days=1))

    assert _slugs(client.get(URL)) == ["live"]


def test_category_includes_its_subcategories(client):
    coffee = CategoryFactory(slug="coffee")
    drip = CategoryFactory(slug="drip", parent=coffee)
    tea = CategoryFactory(slug="tea")
    now = timezone.now()
    ProductFactory(slug="beans", category=coffee, published_at=now - timedelta(3))
    ProductFactory(slug="drip-bag", category=drip, published_at=now - timedelta(2))
    ProductFactory(slug="oolong", category=tea, published_at=now - timedelta(1))

    assert _slugs(client.get(URL, {"category": "coffee"})) == ["drip-bag", "beans"]
    assert _slugs(client.get(URL, {"category": "drip"})) == ["drip-bag"]
    assert _slugs(client.get(URL, {"category": ""})) == ["oolong", "drip-bag", "beans"]


def test_search_and_sorting(client):
    now = timezone.now()
    for slug, title, price, age in [
        ("latte", "Latte 拿鐵咖啡豆", "300", 1),
        ("mocha", "Mocha 摩卡咖啡豆", "500", 3),
        ("oolong", "Oolong 高山烏龍茶", "400", 2),
    ]:
        product = ProductFactory(
            slug=slug, title=title, published_at=now - timedelta(days=age)
        )
        VariantFactory(product=product, price=Decimal(price))
    _searchable()

    assert _slugs(client.get(URL, {"q": "咖啡"})) == ["latte", "mocha"]
    assert _slugs(client.get(URL, {"q": "  咖啡 ", "ordering": "price_desc"})) == [
        "mocha",
        "latte",
    ]
    assert _slugs(client.get(URL, {"ordering": "price_asc"})) == [
        "latte",
        "oolong",
        "mocha",
    ]
    assert _slugs(client.get(URL, {"ordering": "newest"})) == [
        "latte",
        "oolong",
        "mocha",
    ]
    assert _slugs(client.get(URL, {"ordering": "name"})) == [
        "latte",
        "mocha",
        "oolong",
    ]
    assert _slugs(client.get(URL, {"q": "!!!"})) == []


def test_filters(client):
    roast = AttributeFactory(slug="roast")
    light = AttributeValueFactory(attribute=roast, slug="light")
    dark = AttributeValueFactory(attribute=roast, slug="dark")
    hilltop = BrandFactory(slug="hilltop")
    now = timezone.now()
    specs = [
        ("a", "300", 5, light, hilltop, 1),
        ("b", "600", 0, dark, hilltop, 2),
        ("c", "900", 2, dark, None, 3),
    ]
    for slug, price, stock, value, brand, age in specs:
        product = ProductFactory(
            slug=slug, brand=brand, published_at=now - timedelta(days=age)
        )
        product.attribute_values.set([value])
        VariantFactory(product=product, price=Decimal(price), stock=stock)

    assert _slugs(client.get(URL, {"price_min": "500"})) == ["b", "c"]
    assert _slugs(client.get(URL, {"price_min": "300", "price_max": "600"})) == [
        "a",
        "b",
    ]
    assert _slugs(client.get(URL, {"in_stock": "true"})) == ["a", "c"]
    assert _slugs(client.get(URL, {"in_stock": "false"})) == ["a", "b", "c"]
    assert _slugs(client.get(URL, {"brand": "hilltop"})) == ["a", "b"]
    assert _slugs(client.get(URL, {"attr": "roast:dark"})) == ["b", "c"]
    assert _slugs(client.get(f"{URL}?attr=roast:dark&attr=roast:light")) == [
        "a",
        "b",
        "c",
    ]
    assert _slugs(client.get(URL, {"attr": "roast:dark", "in_stock": "1"})) == ["c"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"price_min": "cheap"}, {"price_min": ["Enter a number."]}),
        (
            {"price_min": "-5"},
            {"price_min": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"price_min": "900", "price_max": "100"},
            {"price_max": ["The highest price must not be below the lowest."]},
        ),
        ({"attr": "roast"}, {"attr": ["“roast” is not a valid choice."]}),
        ({"ordering": "cheapest"}, {"ordering": ['"cheapest" is not a valid choice.']}),
        ({"category": "no-such-thing"}, {"category": ["No such category."]}),
        ({"page_size": "101"}, {"page_size": ["Enter a whole number from 1 to 100."]}),
        (
            {"ordering": "cheapest", "price_max": "x"},
            {
                "ordering": ['"cheapest" is not a valid choice.'],
                "price_max": ["Enter a number."],
            },
        ),
    ],
)
def test_bad_parameters_are_field_errors(client, params, errors):
    ProductFactory()

    response = client.get(URL, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_page_size_and_pages(client):
    now = timezone.now()
    for age in range(5):
        ProductFactory(slug=f"p{age}", published_at=now - timedelta(hours=age + 1))

    response = client.get(URL, {"page_size": 2, "page": 2, "ordering": "newest"})

    assert _slugs(response) == ["p2", "p3"]
    body = response.json()
    assert body["count"] == 5
    assert (
        body["next"]
        == "http://testserver/api/products/?ordering=newest&page=3&page_size=2"
    )
    assert client.get(URL, {"page": 9}).status_code == 404


def _add_products(category, count):
    brand = BrandFactory()
    value = AttributeValueFactory()
    for _ in range(count):
        product = ProductFactory(category=category, brand=brand, title="手沖咖啡豆")
        product.attribute_values.set([value])
        for v in range(2):
            VariantFactory(product=product, price=Decimal(300 + v), stock=v)
        ProductImageFactory(product=product)
        ProductImageFactory(product=product)
    _searchable()
    return f"attr={value.attribute.slug}:{value.slug}&brand={brand.slug}"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "category=coffee&ordering=price_asc",
        "q=咖啡&in_stock=1&price_min=1",
        "category=coffee&{filters}&page_size=50",
    ],
)
def test_list_query_count_does_not_grow_with_products(client, query):
    category = CategoryFactory(slug="coffee")

    def queries(url):
        client.get(url)  # fills the category cache, as an earlier visitor would
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    filters = _add_products(category, 3)
    url = f"{URL}?{query.format(filters=filters)}"
    few = queries(url)
    _add_products(category, 1)
    more = queries(url)

    # count, page, variants, images
    assert few == more == 4


def test_token_member_gets_their_shopper_context(client, settings):
    settings.SHOPPER_CONTEXT_CLASS = MEMBER_SHOPPER
    now = timezone.now()
    public = ProductFactory(slug="public", published_at=now - timedelta(hours=1))
    VariantFactory(product=public, price=Decimal("1000"))
    hidden = ProductFactory(slug="members-only", published_at=now - timedelta(hours=2))
    VariantFactory(product=hidden, price=Decimal("2000"))

    anonymous = client.get(URL).json()["results"]
    assert [(p["slug"], p["price"], p["price_label"]) for p in anonymous] == [
        ("public", "1000", "")
    ]

    token = Token.objects.create(user=UserFactory())
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    member = client.get(URL).json()["results"]
    assert [(p["slug"], p["price"], p["price_label"]) for p in member] == [
        ("public", "900", "會員價"),
        ("members-only", "1800", "會員價"),
    ]
