"""A GIN index for product full-text search, on PostgreSQL only.

The indexed expression must stay identical to `shop.catalog.search.search_vector()`
(what Django renders for SearchVector("search_document", config="simple")), or
the planner will not use it. SQLite gets its index in 0004.
"""

from django.db import migrations

INDEX = "catalog_product_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_product USING gin "
        "(to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_stock_movement"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
