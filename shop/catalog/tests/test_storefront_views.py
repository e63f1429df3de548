import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import loader
from django.utils import timezone, translation

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
from shop.catalog.tests.storefront_fixtures import HIDING_SHOPPER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    # Assertions read the English source strings, whatever translations exist.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def shop():
    now = timezone.now()
    coffee = CategoryFactory(name="咖啡", slug="coffee", description="自家烘焙。")
    beans = CategoryFactory(name="咖啡豆", slug="beans", parent=coffee)
    roast = AttributeFactory(name="烘焙度", slug="roast")
    light = AttributeValueFactory(attribute=roast, value="淺焙", slug="light")
    brand = BrandFactory(name="檜木", slug="hinoki")
    yirga = ProductFactory(
        slug="yirga",
        title="耶加雪菲手沖咖啡豆",
        category=beans,
        brand=brand,
        is_featured=True,
        option1_name="重量",
        option2_name="研磨",
        size_guide="半磅約 30 杯。",
        seo_description="花香調的淺焙咖啡豆。",
        published_at=now - timedelta(days=2),
    )
    yirga.attribute_values.set([light])
    VariantFactory(
        product=yirga,
        sku="Y-250-W",
        option1="250g",
        option2="原豆",
        price=Decimal("450"),
        compare_at_price=Decimal("520"),
        stock=3,
    )
    VariantFactory(
        product=yirga,
        sku="Y-500-W",
        option1="500g",
        option2="原豆",
        price=Decimal("820"),
        stock=0,
    )
    ProductImageFactory(product=yirga, alt_text="咖啡豆包裝")
    house = ProductFactory(
        slug="house",
        title="House Blend",
        category=coffee,
        published_at=now - timedelta(days=1),
    )
    VariantFactory(product=house, sku="H-1", price=Decimal("300"), stock=9)
    ProductFactory(slug="secret-draft", title="未上架", status=Product.Status.DRAFT)
    refresh_search_documents(product_ids=Product.objects.values_list("pk", flat=True))
    return {"coffee": coffee, "beans": beans, "yirga": yirga, "house": house}


def _text(response):
    return response.content.decode()


# --- Home ---------------------------------------------------------------------


def test_home_shows_categories_featured_and_new_arrivals(client, shop):
    response = client.get("/")
    html = _text(response)
    assert response.status_code == 200
    assert '<nav class="category-nav"' in html
    assert '<a href="/c/coffee/">咖啡</a>' in html
    assert html.count('href="/p/yirga/"') == 2  # featured and new arrivals
    assert html.count('href="/p/house/"') == 1
    assert "未上架" not in html
    assert '<link rel="canonical" href="http://testserver/">' in html


def test_home_without_products_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "New products are on their way" in _text(response)


# --- Listings -----------------------------------------------------------------


def test_product_list_shows_cards_with_prices_and_count(client, shop):
    response = client.get("/products/")
    html = _text(response)
    assert response.status_code == 200
    assert "2 products" in html
    assert "from NT$450" in html
    assert "NT$520" in html  # compare-at of the cheapest variant, struck through
    assert "NT$300" in html
    assert html.index('href="/p/house/"') < html.index('href="/p/yirga/"')
    assert "noindex" not in html
    assert '<link rel="canonical" href="http://testserver/products/">' in html


def test_category_page_has_breadcrumbs_subcategories_and_descendant_products(
    client, shop
):
    response = client.get("/c/coffee/")
    html = _text(response)
    assert response.status_code == 200
    assert "自家烘焙。" in html
    assert '<ul class="subcategories"><li><a href="/c/beans/">咖啡豆</a>' in html
    assert 'href="/p/yirga/"' in html and 'href="/p/house/"' in html
    assert '<a href="/c/coffee/" aria-current="page">咖啡</a>' in html

    beans = _text(client.get("/c/beans/"))
    assert '<li><a href="/c/coffee/">咖啡</a></li>' in beans
    assert '<li><span aria-current="page">咖啡豆</span></li>' in beans
    assert 'href="/p/house/"' not in beans
    # The root of the current category is highlighted in the navigation.
    assert '<a href="/c/coffee/" aria-current="page">咖啡</a>' in beans


def test_unknown_or_inactive_category_is_a_friendly_404(client, shop):
    CategoryFactory(slug="retired", is_active=False)
    for url in ("/c/nope/", "/c/retired/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in _text(response)
        assert 'action="/search/"' in _text(response)


def test_filters_sort_and_facets_render_and_keep_each_other(client, shop):
    response = client.get(
        "/c/coffee/", {"attr": "roast:light", "in_stock": "1", "sort": "price_asc"}
    )
    html = _text(response)
    assert response.status_code == 200
    assert "1 product" in html
    assert 'href="/p/yirga/"' in html and 'href="/p/house/"' not in html
    assert 'name="attr" value="roast:light" checked' in html
    assert 'name="in_stock" value="1" checked' in html
    assert '<option value="price_asc" selected>' in html
    assert 'Filter <span class="badge">2<span class="visually-hidden"> active' in html
    assert 'name="brand" value="hinoki"> 檜木 <span class="muted">(1)</span>' in html
    # Filtered pages are not for search engines; the canonical drops the filters.
    assert '<meta name="robots" content="noindex, follow">' in html
    assert '<link rel="canonical" href="http://testserver/c/coffee/">' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("price_min=xyz", "Enter a number."),
        ("price_min=500&price_max=100", "The highest price must not be below"),
        ("attr=<b>oops", "is not a valid choice."),
    ],
)
def test_bad_filter_values_show_a_form_error_not_a_500(client, shop, query, message):
    response = client.get(f"/products/?{query}")
    assert response.status_code == 200
    assert message in _text(response)
    assert "<b>oops" not in _text(response)


def test_cards_escape_what_merchants_typed(client):
    product = ProductFactory(
        slug="x", title='<b>"Bold"</b>', brand=BrandFactory(name="<i>Brand</i>")
    )
    VariantFactory(product=product, stock=0)
    html = _text(client.get("/products/"))
    assert '<h3 class="title">&lt;b&gt;&quot;Bold&quot;&lt;/b&gt;</h3>' in html
    assert '<span class="muted card-brand">&lt;i&gt;Brand&lt;/i&gt;</span>' in html
    assert '<span class="badge out">Sold out</span>' in html
    assert "<b>" not in html


def test_unknown_sort_falls_back_to_newest(client, shop):
    html = _text(client.get("/products/?sort=drop_table"))
    assert html.index('href="/p/house/"') < html.index('href="/p/yirga/"')
    assert '<option value="newest" selected>' in html


@pytest.mark.parametrize("page", ["abc", "0", "-1", "9999", "1.5"])
def test_a_page_that_does_not_exist_is_a_404(client, shop, page):
    assert client.get(f"/products/?page={page}").status_code == 404


def test_pagination_keeps_filters_in_its_links(client, settings):
    settings.CATALOG_PAGE_SIZE = 2
    category = CategoryFactory(slug="tea")
    now = timezone.now()
    for i in range(5):
        product = ProductFactory(
            slug=f"tea-{i}", category=category, published_at=now - timedelta(days=i)
        )
        VariantFactory(product=product, stock=1)

    first = _text(client.get("/c/tea/?in_stock=1"))
    assert "5 products" in first
    assert '<a rel="next" href="?in_stock=1&amp;page=2">' in first
    second = client.get("/c/tea/?in_stock=1&page=2")
    html = _text(second)
    assert second.status_code == 200
    assert '<a rel="prev" href="?in_stock=1">' in html
    assert '<a href="?in_stock=1&amp;page=3">3</a>' in html
    assert '<span aria-current="page">2</span>' in html
    assert '<link rel="canonical" href="http://testserver/c/tea/?page=2">' in html
    assert re.findall(r'href="/p/(tea-\d)/"', html) == ["tea-2", "tea-3"]
    last = _text(client.get("/c/tea/?page=last"))
    assert re.findall(r'href="/p/(tea-\d)/"', last) == ["tea-4"]


def test_empty_category_has_an_empty_state(client):
    CategoryFactory(slug="empty")
    response = client.get("/c/empty/")
    assert response.status_code == 200
    assert "There are no products here yet." in _text(response)


# --- Search -------------------------------------------------------------------


def test_search_finds_chinese_substrings(client, shop):
    response = client.get("/search/", {"q": "咖啡豆"})
    html = _text(response)
    assert response.status_code == 200
    assert "1 product" in html
    assert 'href="/p/yirga/"' in html
    assert 'value="咖啡豆"' in html  # kept in the header box and the filter form
    assert '<option value="relevance" selected>' in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert (
        '<link rel="canonical" href="http://testserver/search/?q=%E5%92%96%E5%95%A1%E8%B1%86">'
        in html
    )


def test_search_and_filters_survive_nul_characters(client, shop):
    # PostgreSQL refuses NUL in a string parameter; nothing may pass one on.
    assert client.get("/search/", {"q": "咖啡\x00豆"}).status_code == 200
    response = client.get("/products/", {"brand": "hin\x00oki", "attr": "a:\x00"})
    assert response.status_code == 200
    assert "is not a valid choice." in _text(response)


def test_search_pages_keep_their_order_filters_and_sorting(client, settings):
    settings.CATALOG_PAGE_SIZE = 2
    now = timezone.now()
    for i, price in enumerate([300, 500, 100, 400, 200]):
        product = ProductFactory(
            slug=f"bean-{i}", title=f"咖啡豆 {i}", published_at=now - timedelta(days=i)
        )
        VariantFactory(product=product, price=Decimal(price))
    refresh_search_documents(product_ids=Product.objects.values_list("pk", flat=True))

    def slugs(params):
        html = _text(client.get("/search/", {"q": "咖啡", **params}))
        return re.findall(r'href="/p/(bean-\d)/"', html)

    assert slugs({}) == ["bean-0", "bean-1"]
    assert slugs({"page": "3"}) == ["bean-4"]
    assert slugs({"sort": "price_asc"}) == ["bean-2", "bean-4"]
    assert slugs({"sort": "price_asc", "page": "2"}) == ["bean-0", "bean-3"]
    assert slugs({"sort": "price_desc", "price_max": "450"}) == ["bean-3", "bean-0"]
    html = _text(client.get("/search/", {"q": "咖啡", "price_max": "450"}))
    assert "4 products" in html


def test_search_without_results_says_so(client, shop):
    response = client.get("/search/", {"q": "抹茶"})
    assert response.status_code == 200
    assert "Nothing found for “抹茶”" in _text(response)


def test_search_without_a_query_asks_for_one(client, shop):
    response = client.get("/search/?q=+")
    assert response.status_code == 200
    assert "Type what you are looking for" in _text(response)


def test_search_never_shows_unpublished_products(client, shop):
    html = _text(client.get("/search/", {"q": "未上架"}))
    assert "secret-draft" not in html
    assert "Nothing found for “未上架”" in html


# --- Product detail -------------------------------------------------------------


def test_product_detail_shows_price_picker_stock_and_size_guide(client, shop):
    response = client.get("/p/yirga/")
    html = _text(response)
    assert response.status_code == 200
    assert "<title>耶加雪菲手沖咖啡豆 | " in html
    assert '<meta name="description" content="花香調的淺焙咖啡豆。">' in html
    assert '<link rel="canonical" href="http://testserver/p/yirga/">' in html
    assert '<span class="now" data-price>NT$450</span>' in html
    assert "NT$520</span></s>" in html
    assert "Only 3 left" in html
    assert "<legend>重量</legend>" in html
    assert 'name="option1" value="250g" checked' in html
    sold_out = '<label class="choice sold-out"><input type="radio" name="option1"'
    assert f'{sold_out} value="500g" required>' in html
    assert "<summary>Size guide</summary>" in html and "半磅約 30 杯。" in html
    assert "<dt>烘焙度</dt><dd>淺焙</dd>" in html
    assert 'alt="咖啡豆包裝"' in html
    assert '<li><a href="/c/beans/">咖啡豆</a></li>' in html


def test_variant_picker_works_without_javascript(client, shop):
    html = _text(client.get("/p/yirga/", {"option1": "500g", "option2": "原豆"}))
    assert '<span class="now" data-price>NT$820</span>' in html
    assert '<span class="badge out">Sold out</span>' in html
    assert 'name="option1" value="500g" checked' in html


def test_variant_picker_says_when_a_combination_does_not_exist(client, shop):
    html = _text(client.get("/p/yirga/", {"option1": "500g", "option2": "研磨"}))
    assert "That combination is not available" in html
    assert '<span class="now" data-price>NT$450</span>' in html
    assert "That combination is not available" not in _text(client.get("/p/yirga/"))


def test_product_detail_says_before_purchase_when_it_cannot_be_returned(client, shop):
    yirga = Product.objects.get(slug="yirga")
    assert "Not returnable" not in client.get("/p/yirga/").content.decode()

    yirga.non_returnable_reason = "Opened coffee cannot be returned."
    yirga.save()
    html = client.get("/p/yirga/").content.decode()

    assert (
        '<p class="non-returnable" role="note"><strong>Not returnable</strong>: '
        "Opened coffee cannot be returned.</p>"
    ) in html


def test_product_detail_json_ld_describes_every_offer(client, shop):
    html = _text(client.get("/p/yirga/"))
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(raw.group(1))
    assert data["@type"] == "Product"
    assert data["name"] == "耶加雪菲手沖咖啡豆"
    assert data["brand"] == {"@type": "Brand", "name": "檜木"}
    assert data["image"][0].startswith("http://testserver/media/")
    assert [
        (o["sku"], o["price"], o["priceCurrency"], o["availability"])
        for o in data["offers"]
    ] == [
        ("Y-250-W", "450", "TWD", "https://schema.org/InStock"),
        ("Y-500-W", "820", "TWD", "https://schema.org/OutOfStock"),
    ]


def test_json_ld_cannot_close_its_script_element(client):
    ProductFactory(slug="evil", title="</script><script>alert(1)</script>")
    html = _text(client.get("/p/evil/"))
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


@pytest.mark.parametrize("slug", ["nope", "secret-draft"])
def test_unknown_or_unpublished_product_is_a_friendly_404(client, shop, slug):
    response = client.get(f"/p/{slug}/")
    assert response.status_code == 404
    assert "Page not found" in _text(response)
    assert "未上架" not in _text(response)


def test_product_without_variants_is_shown_as_unavailable(client):
    ProductFactory(slug="soon", title="即將到貨")
    html = _text(client.get("/p/soon/"))
    assert "Currently unavailable" in html


def test_a_hidden_listing_never_shows_on_any_page(client, settings):
    settings.SHOPPER_CONTEXT_CLASS = HIDING_SHOPPER
    category = CategoryFactory(slug="tea")
    for slug in ("members-oolong", "oolong"):
        product = ProductFactory(
            slug=slug, title=f"烏龍茶 {slug}", category=category, is_featured=True
        )
        VariantFactory(product=product)
    refresh_search_documents(product_ids=Product.objects.values_list("pk", flat=True))

    for url in ("/", "/products/", "/c/tea/", "/search/?q=烏龍"):
        html = _text(client.get(url))
        assert 'href="/p/oolong/"' in html, url
        assert "members-oolong" not in html, url
    assert client.get("/p/members-oolong/").status_code == 404
    assert "members-oolong" not in _text(client.get("/sitemap.xml"))


def test_storefront_pages_refuse_writes(client, shop):
    assert client.post("/products/").status_code == 405


# --- Error pages ----------------------------------------------------------------


def test_500_page_renders_without_context_or_request():
    with translation.override("en"):
        html = loader.get_template("500.html").render({})
    assert "Something went wrong" in html
    assert "Hinoki Living" in html
    assert '<a class="button" href="/">' in html
