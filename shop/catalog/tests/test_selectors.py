from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop.catalog import selectors
from shop.catalog.models import Category, Product
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
from shop.catalog.tests.storefront_fixtures import (
    HIDING_SHOPPER,
    MEMBER_PRICE_SHOPPER,
    MemberPriceShopper,
)
from shop.core.money import Money
from shop.core.shopper import PublicShopper, shopper_for_user

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def _slugs(products):
    return [p.slug for p in products]


def _listing(params="", **kwargs):
    return selectors.product_listing(
        shopper=PublicShopper(), params=QueryDict(params), **kwargs
    )


# --- Visibility -------------------------------------------------------------


def test_only_active_products_past_their_publish_time_are_visible():
    now = timezone.now()
    category = CategoryFactory()
    ProductFactory(slug="live", category=category, published_at=now - HOUR)
    ProductFactory(slug="draft", category=category, status=Product.Status.DRAFT)
    ProductFactory(slug="archived", category=category, status=Product.Status.ARCHIVED)
    ProductFactory(slug="future", category=category, published_at=now + HOUR)
    ProductFactory(slug="never-scheduled", category=category, published_at=None)
    shopper = PublicShopper()

    assert _slugs(selectors.products_visible(shopper=shopper)) == ["live"]
    assert _slugs(_listing(category=category)[1]) == ["live"]
    assert _slugs(selectors.products_new_arrivals(shopper=shopper)) == ["live"]
    for slug in ("draft", "archived", "future", "never-scheduled"):
        with pytest.raises(Product.DoesNotExist):
            selectors.product_detail(shopper=shopper, slug=slug)


def test_shopper_context_hides_a_listing_from_listing_search_detail_and_home(
    settings,
):
    settings.SHOPPER_CONTEXT_CLASS = HIDING_SHOPPER
    category = CategoryFactory(name="茶")
    ProductFactory(slug="members-oolong", title="會員限定烏龍茶", category=category)
    ProductFactory(
        slug="public-oolong", title="烏龍茶", category=category, is_featured=True
    )
    refresh_search_documents(product_ids=Product.objects.values_list("pk", flat=True))
    shopper = shopper_for_user(None)

    assert _slugs(selectors.products_visible(shopper=shopper)) == ["public-oolong"]
    _, listed = selectors.product_listing(shopper=shopper, category=category)
    assert _slugs(listed) == ["public-oolong"]
    _, found = selectors.product_listing(shopper=shopper, query="烏龍")
    assert _slugs(found) == ["public-oolong"]
    assert _slugs(selectors.products_featured(shopper=shopper)) == ["public-oolong"]
    with pytest.raises(Product.DoesNotExist):
        selectors.product_detail(shopper=shopper, slug="members-oolong")
    # The same data through the public context shows both, so the filter came
    # from the shopper context and nowhere else.
    _, everyone = selectors.product_listing(shopper=PublicShopper(), query="烏龍")
    assert sorted(_slugs(everyone)) == ["members-oolong", "public-oolong"]


# --- Categories -------------------------------------------------------------


def test_category_tree_nests_active_categories_in_order():
    coffee = CategoryFactory(name="咖啡", slug="coffee", position=1)
    tea = CategoryFactory(name="茶", slug="tea", position=0)
    beans = CategoryFactory(name="咖啡豆", slug="beans", parent=coffee, position=0)
    CategoryFactory(name="濾掛", slug="drip", parent=coffee, position=1)
    CategoryFactory(name="單品", slug="single", parent=beans)
    hidden = CategoryFactory(name="停售", slug="retired", is_active=False)
    CategoryFactory(name="停售子類", slug="retired-child", parent=hidden)

    tree = selectors.category_tree()

    def shape(nodes):
        return [(n.category.slug, shape(n.children)) for n in nodes]

    assert shape(tree) == [
        ("tea", []),
        ("coffee", [("beans", [("single", [])]), ("drip", [])]),
    ]
    assert tree[1].children[0].url == "/c/beans/"
    single = tree[1].children[0].children[0]
    assert [n.category.slug for n in single.ancestors] == ["coffee", "beans"]
    assert single.root.category == coffee
    assert tea.pk == tree[0].category.pk


def test_category_tree_is_cached_and_dropped_when_a_category_changes():
    CategoryFactory(name="咖啡", slug="coffee")
    with CaptureQueriesContext(connection) as cold:
        selectors.category_tree()
    with CaptureQueriesContext(connection) as warm:
        selectors.category_tree()
    assert (len(cold), len(warm)) == (1, 0)

    CategoryFactory(name="茶", slug="tea")
    assert [n.category.slug for n in selectors.category_tree()] == ["coffee", "tea"]
    Category.objects.get(slug="tea").delete()
    assert [n.category.slug for n in selectors.category_tree()] == ["coffee"]


def test_category_get_finds_active_categories_only():
    parent = CategoryFactory(slug="retired", is_active=False)
    CategoryFactory(slug="orphan", parent=parent)
    CategoryFactory(slug="coffee")

    assert selectors.category_get(slug="coffee").slug == "coffee"
    for slug in ("retired", "orphan", "missing"):
        with pytest.raises(Category.DoesNotExist):
            selectors.category_get(slug=slug)


def test_category_descendant_ids_include_the_category_and_its_subtree():
    coffee = CategoryFactory()
    beans = CategoryFactory(parent=coffee)
    single = CategoryFactory(parent=beans)
    CategoryFactory(parent=beans, is_active=False)
    CategoryFactory()

    assert sorted(selectors.category_descendant_ids(coffee)) == sorted(
        [coffee.pk, beans.pk, single.pk]
    )
    assert selectors.category_descendant_ids(single) == [single.pk]


# --- Listing: category, filters, sorting ------------------------------------


@pytest.fixture
def catalogue():
    """Five coffee products with known prices, stock, brands and attributes."""
    now = timezone.now()
    coffee = CategoryFactory(name="咖啡", slug="coffee")
    beans = CategoryFactory(name="咖啡豆", slug="beans", parent=coffee)
    tea = CategoryFactory(name="茶", slug="tea")
    roast = AttributeFactory(name="烘焙度", slug="roast", position=0)
    light = AttributeValueFactory(
        attribute=roast, value="淺焙", slug="light", position=0
    )
    medium = AttributeValueFactory(
        attribute=roast, value="中焙", slug="medium", position=1
    )
    origin = AttributeFactory(name="產地", slug="origin", position=1)
    ethiopia = AttributeValueFactory(
        attribute=origin, value="衣索比亞", slug="et", position=0
    )
    kenya = AttributeValueFactory(attribute=origin, value="肯亞", slug="ke", position=1)
    hinoki, mori = BrandFactory(slug="hinoki"), BrandFactory(slug="mori")

    def make(slug, title, price, stock, *, category=beans, brand=None, attrs=(), age):
        product = ProductFactory(
            slug=slug,
            title=title,
            category=category,
            brand=brand,
            published_at=now - timedelta(days=age),
        )
        VariantFactory(product=product, price=Decimal(price), stock=stock)
        product.attribute_values.set(attrs)
        return product

    make("yirga", "Yirgacheffe", 450, 5, brand=hinoki, attrs=[light, ethiopia], age=5)
    make("sidamo", "Sidamo", 380, 0, brand=hinoki, attrs=[medium, ethiopia], age=4)
    make("aa", "Kenya AA", 520, 3, brand=mori, attrs=[light, kenya], age=3)
    make("house", "House blend", 300, 9, category=coffee, attrs=[medium], age=2)
    make("oolong", "Oolong", 600, 2, category=tea, age=1)
    # A second, cheaper variant that is off sale must not set the price.
    VariantFactory(
        product=Product.objects.get(slug="aa"), price=Decimal("10"), is_active=False
    )
    return {"coffee": coffee, "beans": beans, "tea": tea}


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("", ["oolong", "house", "aa", "sidamo", "yirga"]),
        ("newest", ["oolong", "house", "aa", "sidamo", "yirga"]),
        ("price_asc", ["house", "sidamo", "yirga", "aa", "oolong"]),
        ("price_desc", ["oolong", "aa", "yirga", "sidamo", "house"]),
        ("name", ["house", "aa", "oolong", "sidamo", "yirga"]),
        ("nonsense", ["oolong", "house", "aa", "sidamo", "yirga"]),
    ],
)
def test_listing_sorts(catalogue, ordering, expected):
    _, products = _listing(ordering=ordering)
    assert _slugs(products) == expected


def test_listing_annotates_cheapest_active_price_and_stock(catalogue):
    _, products = _listing(ordering="price_asc")
    assert [(p.slug, p.min_price, p.in_stock) for p in products] == [
        ("house", Decimal("300.00"), True),
        ("sidamo", Decimal("380.00"), False),
        ("yirga", Decimal("450.00"), True),
        ("aa", Decimal("520.00"), True),
        ("oolong", Decimal("600.00"), True),
    ]


def test_category_listing_includes_descendants(catalogue):
    _, coffee = _listing(category=catalogue["coffee"], ordering="name")
    _, beans = _listing(category=catalogue["beans"], ordering="name")
    assert _slugs(coffee) == ["house", "aa", "sidamo", "yirga"]
    assert _slugs(beans) == ["aa", "sidamo", "yirga"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("price_min=380&price_max=520", ["aa", "sidamo", "yirga"]),
        ("price_min=450", ["oolong", "aa", "yirga"]),
        ("price_max=379.99", ["house"]),
        ("in_stock=1", ["oolong", "house", "aa", "yirga"]),
        ("in_stock=on", ["oolong", "house", "aa", "yirga"]),
        ("in_stock=false", ["oolong", "house", "aa", "sidamo", "yirga"]),
        ("attr=roast:light", ["aa", "yirga"]),
        ("attr=roast:light&attr=roast:medium", ["house", "aa", "sidamo", "yirga"]),
        ("attr=roast:light&attr=origin:et", ["yirga"]),
        ("attr=roast:dark", []),
        ("brand=hinoki", ["sidamo", "yirga"]),
        ("brand=hinoki&brand=mori&in_stock=true", ["aa", "yirga"]),
    ],
)
def test_listing_filters(catalogue, params, expected):
    filterset, products = _listing(params)
    assert filterset.errors == {}
    assert _slugs(products) == expected


@pytest.mark.parametrize(
    ("params", "field", "expected"),
    [
        ("price_min=xyz&brand=mori", "price_min", ["aa"]),
        ("price_min=-5&brand=mori", "price_min", ["aa"]),
        ("price_max=1e400&brand=mori", "price_max", ["aa"]),
        ("price_min=500&price_max=100", "price_max", ["oolong", "aa"]),
        ("attr=roast&brand=mori", "attr", ["aa"]),
        ("attr=<script>:x&brand=mori", "attr", ["aa"]),
        ("brand=a b&attr=origin:ke", "brand", ["aa"]),
    ],
)
def test_invalid_filter_values_are_reported_and_ignored(
    catalogue, params, field, expected
):
    filterset, products = _listing(params)
    assert list(filterset.errors) == [field]
    assert _slugs(products) == expected


def test_attribute_and_brand_facets_count_products_before_filtering(catalogue):
    facets, brands = selectors.listing_facets(
        shopper=PublicShopper(), category=catalogue["coffee"]
    )
    assert [
        (f.attribute.slug, [(v.slug, v.product_count) for v in f.values])
        for f in facets
    ] == [
        ("roast", [("light", 2), ("medium", 2)]),
        ("origin", [("et", 2), ("ke", 1)]),
    ]
    assert [(b.slug, b.product_count) for b in brands] == [("hinoki", 2), ("mori", 1)]


def test_facets_are_cached_until_the_catalogue_changes(catalogue):
    shopper = PublicShopper()
    selectors.listing_facets(shopper=shopper, category=catalogue["tea"])
    with CaptureQueriesContext(connection) as cached:
        facets, brands = selectors.listing_facets(
            shopper=shopper, category=catalogue["tea"]
        )
    assert (len(cached), facets, brands) == (0, [], [])

    oolong = Product.objects.get(slug="oolong")
    oolong.attribute_values.add(AttributeValueFactory(slug="green"))
    facets, _ = selectors.listing_facets(shopper=shopper, category=catalogue["tea"])
    assert [v.slug for f in facets for v in f.values] == ["green"]

    oolong.brand = BrandFactory(slug="tea-house")
    oolong.save()
    _, brands = selectors.listing_facets(shopper=shopper, category=catalogue["tea"])
    assert [b.slug for b in brands] == ["tea-house"]

    Product.objects.filter(pk=oolong.pk).update(brand=None)
    selectors.catalog_changed()
    _, brands = selectors.listing_facets(shopper=shopper, category=catalogue["tea"])
    assert brands == []


def test_facets_follow_the_search_and_the_shopper(catalogue, settings):
    settings.SHOPPER_CONTEXT_CLASS = HIDING_SHOPPER
    Product.objects.filter(slug="aa").update(slug="members-aa")
    refresh_search_documents(product_ids=Product.objects.values_list("pk", flat=True))
    facets, brands = selectors.listing_facets(
        shopper=shopper_for_user(None), query="yirgacheffe"
    )
    assert [(v.slug, v.product_count) for f in facets for v in f.values] == [
        ("light", 1),
        ("et", 1),
    ]
    assert [b.slug for b in brands] == ["hinoki"]
    _, hidden_brands = selectors.listing_facets(
        shopper=shopper_for_user(None), category=catalogue["beans"]
    )
    assert [(b.slug, b.product_count) for b in hidden_brands] == [("hinoki", 2)]


# --- Cards and detail -------------------------------------------------------


def test_product_cards_price_each_product_at_its_cheapest_for_the_shopper():
    cheap_list = ProductFactory(slug="two-prices")
    VariantFactory(product=cheap_list, sku="A-1", price=Decimal("300"), stock=0)
    VariantFactory(product=cheap_list, sku="A-2-VIP", price=Decimal("500"), stock=0)
    VariantFactory(product=cheap_list, sku="A-3", price=Decimal("50"), is_active=False)
    single = ProductFactory(slug="one-price")
    VariantFactory(
        product=single,
        sku="B-1",
        price=Decimal("880"),
        compare_at_price=Decimal("1000"),
        stock=4,
    )
    ProductImageFactory(product=single, position=2, alt_text="second")
    ProductImageFactory(product=single, position=1, alt_text="first")
    ProductFactory(slug="no-variants")
    MemberPriceShopper.calls = 0

    cards = selectors.product_cards(
        Product.objects.order_by("slug"), shopper=MemberPriceShopper()
    )

    assert MemberPriceShopper.calls == 1
    summary = [
        (
            p.slug,
            p.card_price.price if p.card_price else None,
            p.card_price.compare_at if p.card_price else None,
            p.has_price_range,
            p.in_stock,
            p.primary_image.alt_text if p.primary_image else None,
        )
        for p in cards
    ]
    assert summary == [
        ("no-variants", None, None, False, False, None),
        ("one-price", Money(Decimal("880"), "TWD"), Money(Decimal("1000"), "TWD"),
         False, True, "first"),
        ("two-prices", Money(Decimal("100"), "TWD"), None, True, False, None),
    ]  # fmt: skip
    assert cards[2].card_price.label == "VIP"


def test_product_cards_of_an_empty_page_run_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert selectors.product_cards([], shopper=PublicShopper()) == []
    assert len(queries) == 0


def test_product_detail_carries_variants_prices_images_and_attributes(settings):
    settings.SHOPPER_CONTEXT_CLASS = MEMBER_PRICE_SHOPPER
    product = ProductFactory(slug="shirt", option1_name="尺寸")
    small = VariantFactory(product=product, sku="S", option1="S", position=0)
    large = VariantFactory(
        product=product, sku="L-VIP", option1="L", position=1, stock=0
    )
    VariantFactory(product=product, sku="XL", option1="XL", is_active=False)
    colour = AttributeFactory(name="顏色", slug="colour")
    product.attribute_values.set([AttributeValueFactory(attribute=colour, value="白")])
    ProductImageFactory(product=product)

    with CaptureQueriesContext(connection) as queries:
        detail = selectors.product_detail(shopper=shopper_for_user(None), slug="shirt")
        attributes = [(v.attribute.name, v.value) for v in detail.attribute_list]
        category_name = detail.category.name
    assert len(queries) == 4
    assert [v.sku for v in detail.active_variants] == ["S", "L-VIP"]
    assert detail.variant_prices[small.pk].price == Money(Decimal("1280"), "TWD")
    assert detail.variant_prices[large.pk].price == Money(Decimal("100"), "TWD")
    assert detail.card_price.price == Money(Decimal("100"), "TWD")
    assert detail.in_stock is True
    assert attributes == [("顏色", "白")]
    assert category_name == product.category.name
    assert len(detail.image_list) == 1


def test_home_products_price_both_lists_together():
    now = timezone.now()
    for age in range(3):
        product = ProductFactory(
            slug=f"p{age}", is_featured=age == 1, published_at=now - timedelta(days=age)
        )
        VariantFactory(product=product, price=Decimal(100 + age))
    with CaptureQueriesContext(connection) as queries:
        featured, new = selectors.home_products(shopper=PublicShopper(), limit=2)
    assert len(queries) == 4
    assert [(p.slug, p.card_price.price.amount) for p in featured] == [("p1", 101)]
    assert [(p.slug, p.card_price.price.amount) for p in new] == [
        ("p0", 100),
        ("p1", 101),
    ]


def test_featured_and_new_arrivals_are_newest_first_and_limited():
    now = timezone.now()
    for age in range(4):
        ProductFactory(
            slug=f"p{age}",
            is_featured=age % 2 == 0,
            published_at=now - timedelta(days=age),
        )
    shopper = PublicShopper()
    assert _slugs(selectors.products_featured(shopper=shopper)) == ["p0", "p2"]
    assert _slugs(selectors.products_new_arrivals(shopper=shopper, limit=3)) == [
        "p0",
        "p1",
        "p2",
    ]
