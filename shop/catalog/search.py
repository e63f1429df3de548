"""Product search: one denormalised text per product, queried per database.

`Product.search_document` holds the title, brand, category path, attribute
values, option values, SKUs and description, lowercased. Chinese has no spaces
between words, so every run of CJK characters is also written out as
overlapping bigrams ("手沖咖啡豆" adds "手沖 沖咖 咖啡 啡豆"); a query is cut
the same way, so "咖啡" or "手沖咖啡" finds the product with a full-text index
(which would otherwise see the whole run as one word) as well as by substring.

Indexes: PostgreSQL full-text search over the column (GIN index, migration
0003); on SQLite an FTS5 table holding a copy of each document (migration 0004);
anything else, or SQLite without FTS5, matches substrings of the column.

Documents are derived data: whatever writes products (admin, CSV import, demo
seeding) calls `refresh_search_documents` afterwards, which also keeps the
SQLite index current.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from functools import cache

from django.db import connection
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from shop.catalog.models import AttributeValue, Category, Product, Variant

# Han ideographs (with extension A and compatibility forms), kana and hangul:
# scripts written without spaces between words.
_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_CHAR = re.compile(f"^[{_CJK}]$")
_SCRIPT_BOUNDARY = re.compile(
    rf"(?<=[{_CJK}])(?=[^{_CJK}\W_])|(?<=[^{_CJK}\W_])(?=[{_CJK}])"
)
# Letters and digits only: what PostgreSQL's parser keeps as word characters, so
# a term never carries tsquery syntax (quotes, &, |, !, :, parentheses).
_TERM = re.compile(r"[^\W_]+")

SQLITE_FTS_TABLE = "catalog_product_fts"  # created by migration 0004
MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 12
_REFRESH_BATCH = 500


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping bigrams of every CJK run in `text` longer than two characters."""
    grams: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) > 2:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _category_path_names(category_id, categories: dict[int, tuple[str, int | None]]):
    names = []
    seen = set()
    while category_id is not None and category_id not in seen:
        seen.add(category_id)
        name, parent_id = categories.get(category_id, ("", None))
        names.append(name)
        category_id = parent_id
    return names


def build_search_document(
    product: Product, *, categories: dict[int, tuple[str, int | None]] | None = None
) -> str:
    """The searchable text of one product: words first, then their CJK bigrams.

    `categories` maps category id to (name, parent id) so bulk callers can
    supply the whole tree at once; without it the category's ancestors are read
    one by one. Variants, attribute values and brand are read through the
    product, so prefetch them when building many documents.
    """
    if categories is None:
        categories = {}
        category = product.category
        while category is not None and category.pk not in categories:
            categories[category.pk] = (category.name, category.parent_id)
            category = category.parent
    variants = list(product.variants.all())
    parts = [
        product.title,
        product.brand.name if product.brand_id else "",
        *_category_path_names(product.category_id, categories),
        *(value.value for value in product.attribute_values.all()),
        *(option for v in variants for option in (v.option1, v.option2)),
        *(variant.sku for variant in variants),
        product.description,
    ]
    text = " ".join(_dedupe(" ".join(part.split()) for part in parts)).lower()
    # "v60濾杯" becomes "v60 濾杯": full-text parsers keep such a run as one
    # word, and a query cuts it into two terms.
    text = _SCRIPT_BOUNDARY.sub(" ", text)
    bigrams = _dedupe(cjk_bigrams(text))
    return f"{text}\n{' '.join(bigrams)}" if bigrams else text


def refresh_search_documents(*, product_ids: Iterable[int]) -> None:
    """Recompute `Product.search_document` for these products in a few queries.

    Reads the category tree once, then each batch of 500 products with their
    brand, variants and attribute values (three queries), and writes the batch
    with one bulk update; on SQLite with FTS5 it also replaces the batch's rows
    in the index table (two more).
    """
    ids = sorted(set(product_ids))
    if not ids:
        return
    categories = {
        pk: (name, parent_id)
        for pk, name, parent_id in Category.objects.values_list(
            "pk", "name", "parent_id"
        )
    }
    for start in range(0, len(ids), _REFRESH_BATCH):
        batch = (
            Product.objects.filter(pk__in=ids[start : start + _REFRESH_BATCH])
            .select_related("brand")
            .only(
                "pk",
                "title",
                "description",
                "category_id",
                "brand__name",
                "search_document",
            )  # fmt: skip
            .prefetch_related(
                Prefetch(
                    "variants",
                    queryset=Variant.objects.only(
                        "pk", "product_id", "sku", "option1", "option2"
                    ),
                ),
                Prefetch(
                    "attribute_values",
                    queryset=AttributeValue.objects.only("pk", "value").order_by(),
                ),
            )
        )
        changed = []
        for product in batch:
            document = build_search_document(product, categories=categories)
            if document != product.search_document:
                product.search_document = document
                changed.append(product)
        if changed:
            Product.objects.bulk_update(changed, ["search_document"])
        if sqlite_fts_available():
            # Every product of the batch, changed or not, so rows a bulk write
            # left out of the index are put back.
            _sqlite_fts_replace([(p.pk, p.search_document) for p in batch])


def _sqlite_fts_replace(rows: list[tuple[int, str]]) -> None:
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(rows))
        cursor.execute(
            f"DELETE FROM {SQLITE_FTS_TABLE} WHERE rowid IN ({placeholders})",
            [pk for pk, _document in rows],
        )
        cursor.executemany(
            f"INSERT INTO {SQLITE_FTS_TABLE}(rowid, document) VALUES (%s, %s)",
            [(pk, document) for pk, document in rows if document],
        )


@cache
def _sqlite_has_fts5() -> bool:
    # The library Django's SQLite connections use, asked on a scratch database
    # so that no query runs on the real one.
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    except sqlite3.Error:
        return False
    return True


def sqlite_fts_available() -> bool:
    """Whether this is SQLite with FTS5, so migration 0004 made the index table."""
    return connection.vendor == "sqlite" and _sqlite_has_fts5()


def search_terms(query: str) -> list[str]:
    """The query cut into lowercase terms, CJK runs longer than two into bigrams."""
    terms: list[str] = []
    for word in _TERM.findall(query[:MAX_QUERY_LENGTH].lower()):
        pieces = _CJK_RUN.split(word)
        runs = _CJK_RUN.findall(word)
        # Latin and CJK can touch ("v60濾杯"); split them into separate terms.
        for i, piece in enumerate(pieces):
            terms.append(piece)
            if i < len(runs):
                run = runs[i]
                terms.extend(cjk_bigrams(run) if len(run) > 2 else [run])
    return _dedupe(terms)[:MAX_QUERY_TERMS]


def search_products(queryset: QuerySet, *, query: str) -> QuerySet:
    """Products of `queryset` matching every term of `query`, best match first.

    PostgreSQL: full-text search on `search_document` with the 'simple'
    configuration (no stemming, so Chinese and English behave alike); every term
    is a prefix match ("cof" finds coffee). SQLite with FTS5: the same prefix
    matching on the FTS5 index table. A single CJK character cannot be a
    full-text token of a bigram document, so it is matched as a substring
    instead. Other databases: every term must be a substring of the document.
    All rank by how many terms the title contains (`search_rank`), then, on
    PostgreSQL, by ts_rank, then newest first. A query without any letter or
    digit matches nothing.
    """
    terms = search_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, terms)
    if sqlite_fts_available():
        return _search_sqlite_fts(queryset, terms)
    return _search_substring(queryset, terms)


def _title_hits(terms: list[str]):
    """How many of the terms the title contains: the first ranking key."""
    return sum(
        (
            Case(
                When(title__icontains=term, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for term in terms
        ),
        start=Value(0),
    )


def _search_substring(queryset: QuerySet, terms: list[str]) -> QuerySet:
    condition = Q()
    for term in terms:
        condition &= Q(search_document__contains=term)
    return (
        queryset.filter(condition)
        .annotate(search_rank=_title_hits(terms))
        .order_by("-search_rank", F("published_at").desc(nulls_last=True), "-pk")
    )


def _search_sqlite_fts(queryset: QuerySet, terms: list[str]) -> QuerySet:
    lexemes = [term for term in terms if not _CJK_CHAR.match(term)]
    for term in terms:
        if _CJK_CHAR.match(term):
            queryset = queryset.filter(search_document__contains=term)
    if lexemes:
        # Quoted prefix terms, implicitly ANDed; terms hold letters and digits
        # only (see _TERM), so the MATCH expression cannot be malformed.
        match = " ".join(f'"{term}"*' for term in lexemes)
        queryset = queryset.filter(
            pk__in=RawSQL(
                f"SELECT rowid FROM {SQLITE_FTS_TABLE} "
                f"WHERE {SQLITE_FTS_TABLE} MATCH %s",
                (match,),
            )
        )
    return queryset.annotate(search_rank=_title_hits(terms)).order_by(
        "-search_rank", F("published_at").desc(nulls_last=True), "-pk"
    )


def _search_postgresql(queryset: QuerySet, terms: list[str]) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    lexemes = [term for term in terms if not _CJK_CHAR.match(term)]
    singles = [term for term in terms if _CJK_CHAR.match(term)]
    for term in singles:
        queryset = queryset.filter(search_document__contains=term)
    queryset = queryset.annotate(search_rank=_title_hits(terms))
    if not lexemes:
        return queryset.order_by(
            "-search_rank", F("published_at").desc(nulls_last=True), "-pk"
        )
    # Terms hold letters and digits only (see _TERM), so this raw tsquery cannot
    # be malformed by what a shopper types.
    tsquery = SearchQuery(
        " & ".join(f"{term}:*" for term in lexemes), config="simple", search_type="raw"
    )
    vector = search_vector()
    return (
        queryset.alias(search_match=vector)
        .filter(search_match=tsquery)
        .annotate(text_rank=SearchRank(vector, tsquery))
        .order_by(
            "-search_rank",
            "-text_rank",
            F("published_at").desc(nulls_last=True),
            "-pk",
        )
    )


def search_vector():
    """The expression indexed by migration 0002's GIN index; keep them identical."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("search_document", config="simple")
