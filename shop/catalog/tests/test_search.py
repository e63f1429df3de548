from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop.catalog.models import Product
from shop.catalog.search import (
    build_search_document,
    cjk_bigrams,
    refresh_search_documents,
    search_products,
    search_terms,
    sqlite_fts_available,
)
from shop.catalog.tests.factories import (
    AttributeValueFactory,
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def test_cjk_bigrams_overlap_and_skip_short_runs():
    assert cjk_bigrams("手沖咖啡豆 v60 濾杯 茶") == ["手沖", "沖咖", "咖啡", "啡豆"]


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("咖啡", ["咖啡"]),
        ("手沖咖啡", ["手沖", "沖咖", "咖啡"]),
        ("  Ethiopia   Yirgacheffe ", ["ethiopia", "yirgacheffe"]),
        ("V60濾杯", ["v60", "濾杯"]),
        ("'a' & b:* | !(c)", ["a", "b", "c"]),
        ("茶", ["茶"]),
        ("咖啡 咖啡", ["咖啡"]),
        ("--- ! ***", []),
    ],
)
def test_search_terms(query, terms):
    assert search_terms(query) == terms


def test_search_document_holds_every_searchable_text_with_bigrams():
    parent = CategoryFactory(name="咖啡")
    category = CategoryFactory(name="Coffee Beans", parent=parent)
    product = ProductFactory(
        title="手沖咖啡豆 Ethiopia",
        category=category,
        brand=BrandFactory(name="Hinoki"),
        description="Floral,  citrus.",
    )
    product.attribute_values.set([AttributeValueFactory(value="淺焙")])
    VariantFactory(product=product, sku="ETH-250", option1="250g")

    assert build_search_document(product) == (
        "手沖咖啡豆 ethiopia hinoki coffee beans 咖啡 淺焙 250g eth-250 floral, citrus."
        "\n手沖 沖咖 咖啡 啡豆"
    )


def test_refresh_search_documents_runs_a_fixed_number_of_queries():
    category = CategoryFactory(name="茶")

    def refresh(count):
        products = [ProductFactory(category=category) for _ in range(count)]
        for product in products:
            VariantFactory(product=product)
            product.attribute_values.set([AttributeValueFactory()])
        with CaptureQueriesContext(connection) as queries:
            refresh_search_documents(product_ids=[p.pk for p in products])
        return len(queries), products

    few, _ = refresh(2)
    many, products = refresh(6)
    # Categories, products, variants, attributes, the update; on SQLite with FTS5
    # also the index rows (a delete and an insert).
    index_queries = 2 if sqlite_fts_available() else 0
    assert few == many == 5 + index_queries
    products[0].refresh_from_db()
    assert products[0].search_document == build_search_document(products[0])
    assert products[0].search_document.startswith("商品 ")
    # Nothing changed: documents are compared, not rewritten.
    with CaptureQueriesContext(connection) as again:
        refresh_search_documents(product_ids=[p.pk for p in products])
    assert len(again) == 4 + index_queries


@pytest.fixture
def products():
    now = timezone.now()
    made = {
        "pour-over": ProductFactory(
            slug="pour-over",
            title="耶加雪菲 手沖咖啡豆",
            description="Washed Ethiopia beans.",
            published_at=now - timedelta(days=3),
        ),
        "drip": ProductFactory(
            slug="drip",
            title="濾掛咖啡 Drip Bags",
            description="",
            published_at=now - timedelta(days=2),
        ),
        "oolong": ProductFactory(
            slug="oolong",
            title="高山烏龍茶",
            description="適合搭配咖啡甜點。",
            published_at=now - timedelta(days=1),
        ),
        "mug": ProductFactory(
            slug="mug",
            title="Stoneware Mug",
            description="For coffee or tea.",
            published_at=now,
        ),
    }
    refresh_search_documents(product_ids=[p.pk for p in made.values()])
    return made


def _search(query):
    return [p.slug for p in search_products(Product.objects.all(), query=query)]


def test_a_chinese_substring_finds_the_product(products):
    # Title matches come before a description mention, then newest first.
    assert _search("咖啡") == ["drip", "pour-over", "oolong"]
    assert _search("手沖咖啡") == ["pour-over"]
    assert _search("咖啡豆") == ["pour-over"]


def test_a_single_chinese_character_matches(products):
    assert _search("茶") == ["oolong"]


def test_an_english_word_matches_regardless_of_case(products):
    assert _search("ETHIOPIA") == ["pour-over"]
    assert _search("coffee") == ["mug"]
    assert _search("drip bags") == ["drip"]


def test_every_term_must_match(products):
    assert _search("咖啡 ethiopia") == ["pour-over"]
    assert _search("咖啡 stoneware") == []


def test_no_match_and_empty_queries_return_nothing(products):
    assert _search("抹茶拿鐵") == []
    assert _search("xyzzy") == []
    assert _search("") == []
    assert _search("!!! ***") == []


def test_a_prefix_matches(products):
    assert _search("stone") == ["mug"]


def test_tsquery_syntax_in_the_query_is_harmless(products):
    assert _search("mug:* & | ! ( ' \\ \" NEAR( AND") == []
    assert _search("mug:* & | ! ( ' \\ \"") == ["mug"]


def test_latin_and_chinese_written_together_are_separate_words():
    product = ProductFactory(slug="dripper", title="Hario V60濾杯", description="")
    refresh_search_documents(product_ids=[product.pk])
    product.refresh_from_db()
    assert product.search_document.startswith("hario v60 濾杯 ")
    assert _search("v60濾杯") == ["dripper"]
    assert _search("濾杯") == ["dripper"]


def test_search_index_follows_document_changes(products):
    mug = products["mug"]
    mug.title = "Porcelain Cup"
    mug.save()
    refresh_search_documents(product_ids=[mug.pk])
    assert _search("stoneware") == []
    assert _search("porcelain") == ["mug"]
