"""Annotations and markup the catalogue changelists share.

Counts and aggregates are correlated subqueries, so a changelist reads them in
its one query whatever the page's length.
"""

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.html import format_html

from shop.catalog.models import ProductImage, Variant


def count_of(model, field: str):
    """Subquery: how many `model` rows point at the outer row through `field`."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        ),
        Value(0),
    )


def variant_aggregate(aggregate):
    return Subquery(
        Variant.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(value=aggregate)
        .values("value")
    )


def picture_tag(name: str, alt: str = "", size: int = 48) -> str:
    if not name:
        return "—"
    storage = ProductImage._meta.get_field("thumbnail").storage
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" '
        'style="object-fit:cover;border-radius:4px">',
        storage.url(name),
        alt,
        size,
        size,
    )
