"""Member prices on the storefront: what listings, product pages, cart and
checkout show, and their query budgets (DESIGN §4: the count must not grow
with the number of products, variants or cart lines).
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loyalty.prices import tier_price_set
from loyalty.tests.prices_fixtures import LIST_PRICE, member_in, store_pickup
from shop.catalog.tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def _add_products(category, count, *, variants=2, tier_prices=True):
    """Products of `variants` sizes at NT$1,280; the first size has a 金卡 price."""
    for _ in range(count):
        product = ProductFactory(category=category, title="手沖咖啡豆")
        for v in range(variants):
            variant = VariantFactory(
                product=product, price=LIST_PRICE, stock=5, option1=f"S{v}"
            )
            if tier_prices and v == 0:
                tier_price_set(variant=variant, tier_code="gold", price=Decimal("1100"))
        ProductImageFactory(product=product)


def _queries(client, url) -> tuple[int, str]:
    # A first visit fills the category-tree, facet and loyalty caches, as any
    # earlier visitor would.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


# --- What the pages show ------------------------------------------------------


def test_listing_cards_show_the_member_price_label_and_teaser(client):
    category = CategoryFactory(slug="coffee")
    product = ProductFactory(category=category, slug="beans", title="耶加雪菲")
    VariantFactory(product=product, price=LIST_PRICE, stock=5)

    guest = client.get("/c/coffee/").content.decode()
    assert '<span class="now">NT$1,280</span>' in guest
    assert '<p class="teaser teaser-next">Silver members pay NT$1,242</p>' in guest

    client.force_login(member_in("silver"))
    silver = client.get("/c/coffee/").content.decode()
    assert (
        '<p class="price sale"><span class="now">NT$1,242</span> <s class="was">'
        '<span class="visually-hidden">Original price: </span>NT$1,280</s></p>'
        '<p class="teaser price-label">Silver price</p>'
        '<p class="teaser teaser-next">Gold members pay NT$1,216</p>'
    ) in silver


def test_a_price_range_teases_from_the_cheapest_variant(client):
    product = ProductFactory(slug="beans")
    VariantFactory(product=product, price=LIST_PRICE, stock=5)
    VariantFactory(product=product, price=Decimal("2000"), stock=5)
    page = client.get("/products/").content.decode()
    assert "from NT$1,280" in page
    assert "Silver members pay from NT$1,242" in page


def test_the_product_page_shows_the_member_price_and_each_variants_teaser(client):
    product = ProductFactory(slug="beans", option1_name="Size")
    small = VariantFactory(product=product, price=LIST_PRICE, stock=5, option1="S")
    large = VariantFactory(product=product, price=Decimal("2000"), stock=5, option1="L")
    tier_price_set(variant=small, tier_code="gold", price=Decimal("1100"))

    guest = client.get("/p/beans/")
    html = guest.content.decode()
    assert "<span data-teaser-text>Silver members pay NT$1,242</span>" in html
    assert '?next=/p/beans/">Log in or join for member prices</a>' in html
    assert [(row["price"], row["price_label"], row["teaser"]) for row in
            guest.context["variant_data"]] == [
        ("NT$1,280", "", "Silver members pay NT$1,242"),
        ("NT$2,000", "", "Silver members pay NT$1,940"),
    ]  # fmt: skip

    client.force_login(member_in("gold"))
    gold = client.get("/p/beans/")
    html = gold.content.decode()
    assert '<span class="now" data-price>NT$1,100</span>' in html
    assert '<p class="teaser price-label" data-price-label>Gold price</p>' in html
    assert "Log in or join" not in html
    assert [(row["price"], row["price_label"], row["teaser"]) for row in
            gold.context["variant_data"]] == [
        ("NT$1,100", "Gold price", ""),
        ("NT$1,900", "Gold price", "VIP members pay NT$1,800"),
    ]  # fmt: skip
    assert large.pk == gold.context["variant_data"][1]["id"]


def test_cart_and_review_show_the_member_price_and_its_label(client):
    store_pickup()
    variant = VariantFactory(price=LIST_PRICE, stock=5)
    client.force_login(member_in("silver", name="林小美", phone="+886912345678"))
    client.post("/cart/add/", {"variant": variant.pk})

    cart = client.get("/cart/").content.decode()
    assert '<span class="now">NT$1,242</span>' in cart
    assert '<p class="teaser">Silver price</p>' in cart

    _to_review(client)
    review = client.get("/checkout/review/").content.decode()
    assert '<span class="teaser">Silver price</span>' in review
    assert '<td class="unit-price">NT$1,242</td>' in review


# --- Query budgets --------------------------------------------------------------


@pytest.mark.parametrize("url", ["/products/", "/c/coffee/"])
def test_member_listing_queries_do_not_grow_with_products(client, url):
    category = CategoryFactory(slug="coffee")
    client.force_login(member_in("gold"))
    _add_products(category, 3)
    few, html = _queries(client, url)
    assert html.count('<p class="teaser price-label">Gold price</p>') == 3
    _add_products(category, 1)
    more, html = _queries(client, url)
    assert html.count("NT$1,100") == 4
    # Session and user, the membership, then the page (count, products,
    # variants, pictures) and the page's explicit tier prices.
    assert few == more == 8


def test_guest_listing_with_tier_prices_costs_one_query_more(client):
    category = CategoryFactory(slug="coffee")
    _add_products(category, 3, tier_prices=False)
    without, _html = _queries(client, "/c/coffee/")
    _add_products(category, 1)
    # Count, products, variants, pictures (+ the page's tier prices).
    assert (without, _queries(client, "/c/coffee/")[0]) == (4, 5)


def test_guest_listing_with_cold_caches(client):
    category = CategoryFactory(slug="coffee")
    _add_products(category, 2, tier_prices=False)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/c/coffee/").status_code == 200
    # The storefront's 7 (see shop/catalog/tests/test_storefront_queries.py)
    # plus the active tiers, whether any tier price exists, the member-only
    # listing rules and the programme settings (member-day banner), all cached.
    assert len(captured) == 11


def test_member_product_page_queries_do_not_grow_with_variants(client):
    client.force_login(member_in("gold"))
    one = ProductFactory(slug="one", option1_name="Size")
    small = VariantFactory(product=one, option1="S", price=LIST_PRICE)
    tier_price_set(variant=small, tier_code="gold", price=Decimal("1100"))
    ProductImageFactory(product=one)
    five = ProductFactory(slug="five", option1_name="Size")
    for size in ("S", "M", "L", "XL", "XXL"):
        variant = VariantFactory(product=five, option1=size, price=LIST_PRICE)
        tier_price_set(variant=variant, tier_code="gold", price=Decimal("1100"))
        ProductImageFactory(product=five)

    one_count, html = _queries(client, "/p/one/")
    assert "Gold price" in html
    five_count, _html = _queries(client, "/p/five/")
    # Session, user, membership, the product's four, its tier prices.
    assert one_count == five_count == 8


def _fill_cart(client, count):
    for _ in range(count):
        variant = VariantFactory(price=LIST_PRICE, stock=5)
        tier_price_set(variant=variant, tier_code="gold", price=Decimal("1100"))
        ProductImageFactory(product=variant.product)
        assert client.post("/cart/add/", {"variant": variant.pk}).status_code == 302


def _to_review(client):
    response = client.post(
        "/checkout/",
        {
            "name": "林小美",
            "phone": "0912345678",
            "shipping_method": "store",
            "payment_method": "cod",
        },
    )
    assert response.status_code == 302
    assert response.url == "/checkout/review/"


def test_member_cart_and_review_queries_do_not_grow_with_lines(client):
    store_pickup()
    client.force_login(member_in("gold", name="林小美", phone="+886912345678"))
    _fill_cart(client, 3)
    _to_review(client)
    cart_three, html = _queries(client, "/cart/")
    assert html.count("NT$1,100") >= 3
    review_three, html = _queries(client, "/checkout/review/")
    assert html.count('<span class="teaser">Gold price</span>') == 3

    _fill_cart(client, 1)
    cart_four, _html = _queries(client, "/cart/")
    review_four, html = _queries(client, "/checkout/review/")
    assert html.count('<span class="teaser">Gold price</span>') == 4

    # Each: user, shipping methods, cart lines, variants, pictures, the
    # membership, the lines' tier prices, the header's item count, the
    # member's usable vouchers (the coupon offer).
    assert (cart_three, review_three) == (cart_four, review_four) == (9, 9)
