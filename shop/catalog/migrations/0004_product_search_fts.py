"""An FTS5 table for product search on SQLite.

It holds each product's search document under the product's id
(`shop.catalog.search.SQLITE_FTS_TABLE`) and is kept current by
`refresh_search_documents`. Skipped when this SQLite has no FTS5, and on other
databases; search then matches substrings (or, on PostgreSQL, uses 0003's index).
"""

import sqlite3

from django.db import migrations

FTS_TABLE = "catalog_product_fts"


def fts5_available() -> bool:
    # The library Django's connection uses, asked on a scratch database.
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    except sqlite3.Error:
        return False
    return True


def create_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite" or not fts5_available():
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
        "USING fts5(document, tokenize='unicode61')"
    )
    schema_editor.execute(
        f"INSERT INTO {FTS_TABLE}(rowid, document) "
        "SELECT id, search_document FROM catalog_product WHERE search_document != ''"
    )


def drop_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_product_search_index"),
    ]

    operations = [
        migrations.RunPython(create_table, drop_table, elidable=False),
    ]
