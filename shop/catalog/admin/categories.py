"""Categories: a changelist in tree order, indented by depth."""

from collections import defaultdict

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shop.catalog import services
from shop.catalog.admin.helpers import count_of
from shop.catalog.forms import CategoryAdminForm
from shop.catalog.models import Category, Product


def category_tree() -> tuple[list[int], dict[int, int]]:
    """Category ids in tree order (parents before children) and each one's depth."""
    children = defaultdict(list)
    for pk, parent_id in Category.objects.order_by(
        "position", "name", "pk"
    ).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    order: list[int] = []
    depth: dict[int, int] = {}
    stack = [(pk, 0) for pk in reversed(children[None])]
    while stack:
        pk, level = stack.pop()
        if pk in depth:
            continue
        order.append(pk)
        depth[pk] = level
        stack.extend((child, level + 1) for child in reversed(children[pk]))
    return order, depth


def category_subtree_ids(category_id: int) -> list[int]:
    children = defaultdict(list)
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, stack = [], [category_id]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.append(pk)
            stack.extend(children[pk])
    return found


class CategoryChangeList(ChangeList):
    def _get_default_ordering(self):
        # Tree order unless a column header is clicked; kept out of
        # CategoryAdmin.get_ordering, which other admins' filters reuse on
        # querysets without the annotation.
        return ["tree_order"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = (
        "indented_name",
        "slug",
        "parent",
        "position",
        "is_active",
        "products",
    )
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    # One list for both: the page lays out exactly the fields the form cleans.
    fields = CategoryAdminForm.Meta.fields

    def get_changelist(self, request, **kwargs):
        return CategoryChangeList

    def get_queryset(self, request):
        order, depth = category_tree()
        by_depth = defaultdict(list)
        for pk, level in depth.items():
            by_depth[level].append(pk)
        return (
            super()
            .get_queryset(request)
            .annotate(
                tree_order=Case(
                    *(When(pk=pk, then=Value(i)) for i, pk in enumerate(order)),
                    default=Value(len(order)),
                    output_field=IntegerField(),
                ),
                tree_depth=Case(
                    *(When(pk__in=pks, then=Value(lv)) for lv, pks in by_depth.items()),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                product_count=count_of(Product, "category"),
            )
        )

    @admin.display(description=_("name"), ordering="tree_order")
    def indented_name(self, obj):
        depth = getattr(obj, "tree_depth", 0)
        return format_html(
            '<span style="padding-inline-start:{}em">{}{}</span>',
            depth * 1.5,
            "└ " if depth else "",
            obj.name,
        )

    @admin.display(description=_("products"), ordering="product_count")
    def products(self, obj):
        return obj.product_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Search documents hold the category path of every product below.
        if change and {"name", "parent"} & set(form.changed_data):
            services.products_saved(
                product_ids=Product.objects.filter(
                    category_id__in=category_subtree_ids(obj.pk)
                ).values_list("pk", flat=True)
            )
