"""The catalogue back office.

Changelists read everything they show in a fixed number of queries (prices,
stock and the first picture are correlated subqueries), so a page of 100
products costs what a page of 10 does. Writes go through `services`: stock
through the ledger, pictures to the rendition task, search documents
refreshed after every save.
"""

from collections import defaultdict

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm

from shop.catalog import services
from shop.catalog.forms import (
    CategoryAdminForm,
    ProductAdminForm,
    ProductImageForm,
    VariantForm,
)
from shop.catalog.models import (
    Attribute,
    AttributeValue,
    Brand,
    Category,
    Product,
    ProductImage,
    StockMovement,
    Variant,
)
from shop.catalog.resources import ProductVariantResource
from shop.core.money import format_money


def _count_of(model, field: str):
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


def _variant_aggregate(aggregate):
    return Subquery(
        Variant.objects.filter(product=OuterRef("pk"))
        .order_by()
        .values("product")
        .annotate(value=aggregate)
        .values("value")
    )


def _picture_tag(name: str, alt: str = "", size: int = 48) -> str:
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


# --- Categories ------------------------------------------------------------


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
    fields = (
        "name",
        "slug",
        "parent",
        "position",
        "is_active",
        "description",
        "image",
        "seo_title",
        "seo_description",
    )

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
                product_count=_count_of(Product, "category"),
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


# --- Brands and attributes -------------------------------------------------


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "products")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(product_count=_count_of(Product, "brand"))
        )

    @admin.display(description=_("products"), ordering="product_count")
    def products(self, obj):
        return obj.product_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            services.products_saved(
                product_ids=obj.products.values_list("pk", flat=True)
            )


class AttributeValueInline(admin.TabularInline):
    model = AttributeValue
    fields = ("value", "slug", "position")
    prepopulated_fields = {"slug": ("value",)}
    extra = 1


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position", "values")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AttributeValueInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(value_count=_count_of(AttributeValue, "attribute"))
        )

    @admin.display(description=_("values"), ordering="value_count")
    def values(self, obj):
        return obj.value_count

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        renamed = [
            obj.pk for obj, fields in formset.changed_objects if "value" in fields
        ]
        if renamed:
            services.products_saved(
                product_ids=Product.objects.filter(attribute_values__in=renamed)
                .values_list("pk", flat=True)
                .distinct()
            )


@admin.register(AttributeValue)
class AttributeValueAdmin(admin.ModelAdmin):
    """Serves the attribute autocomplete of the product form; edited as an inline."""

    search_fields = ("value", "attribute__name")
    list_select_related = ("attribute",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("attribute")

    def get_model_perms(self, request):
        return {}


# --- Products --------------------------------------------------------------


class VariantInline(admin.TabularInline):
    model = Variant
    form = VariantForm
    fields = (
        "sku",
        "option1",
        "option2",
        "price",
        "compare_at_price",
        "stock",
        "weight_grams",
        "position",
        "is_active",
    )
    extra = 1
    show_change_link = True


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    fields = ("preview", "image", "alt_text", "position")
    readonly_fields = ("preview",)
    extra = 1

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "—"
        return _picture_tag(
            obj.thumbnail.name or obj.image.name, alt=obj.alt_text, size=96
        )


@admin.register(Product)
class ProductAdmin(ImportExportMixin, admin.ModelAdmin):
    form = ProductAdminForm
    inlines = [VariantInline, ProductImageInline]
    list_display = (
        "picture",
        "title",
        "category",
        "status",
        "published_at",
        "price_range",
        "total_stock",
    )
    list_display_links = ("picture", "title")
    list_filter = ("status", "category", "brand", "is_featured")
    list_select_related = ("category",)
    search_fields = ("title", "slug", "variants__sku")
    search_help_text = _("Search by title, slug or SKU.")
    autocomplete_fields = ("category", "brand", "attribute_values")
    prepopulated_fields = {"slug": ("title",)}
    actions = ("publish", "archive")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "category",
                    "brand",
                    ("status", "published_at"),
                    "is_featured",
                )
            },
        ),
        (_("Description"), {"fields": ("description", "size_guide")}),
        (
            _("Options and attributes"),
            {"fields": (("option1_name", "option2_name"), "attribute_values")},
        ),
        (
            _("Search engines"),
            {"fields": ("seo_title", "seo_description"), "classes": ("collapse",)},
        ),
    )

    # CSV import and export (shop.catalog.resources): one row per variant.
    resource_classes = [ProductVariantResource]
    formats = [CSV]
    # With a byte-order mark Excel opens the Chinese text of an export correctly.
    from_encoding = "utf-8-sig"
    to_encoding = "utf-8-sig"
    export_form_class = ExportForm
    import_template_name = "admin/catalog/product/import.html"

    def get_queryset(self, request):
        first_image = ProductImage.objects.filter(product=OuterRef("pk")).order_by(
            "position", "pk"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                min_price=_variant_aggregate(Min("price")),
                max_price=_variant_aggregate(Max("price")),
                stock_total=_variant_aggregate(Sum("stock")),
                first_thumbnail=Subquery(first_image.values("thumbnail")[:1]),
                first_image=Subquery(first_image.values("image")[:1]),
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "attribute_values":
            # The selected values render as "attribute: value"; one query for all.
            kwargs["queryset"] = AttributeValue.objects.select_related("attribute")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("picture"))
    def picture(self, obj):
        return _picture_tag(obj.first_thumbnail or obj.first_image)

    @admin.display(description=_("price"), ordering="min_price")
    def price_range(self, obj):
        if obj.min_price is None:
            return "—"
        if obj.min_price == obj.max_price:
            return format_money(obj.min_price)
        return f"{format_money(obj.min_price)} – {format_money(obj.max_price)}"

    @admin.display(description=_("stock"), ordering="stock_total")
    def total_stock(self, obj):
        return obj.stock_total or 0

    @admin.action(description=_("Publish selected products"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.products_publish(
            product_ids=list(queryset.values_list("pk", flat=True)), now=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d product published.", "%(count)d products published.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Archive selected products"), permissions=["change"])
    def archive(self, request, queryset):
        count = services.products_archive(
            product_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d product archived.", "%(count)d products archived.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Variant:
            # Stock is passed on only when typed in, as a counted figure.
            counted = {
                id(f.instance): f.cleaned_data["stock"]
                for f in formset.forms
                if f.has_changed()
                and ("stock" in f.changed_data or f.instance.pk is None)
            }
            variants = formset.save(commit=False)
            for variant in formset.deleted_objects:
                variant.delete()
            for variant in variants:
                services.variant_save(
                    variant=variant,
                    stock=counted.get(id(variant)),
                    actor=request.user,
                    note=gettext("Back office"),
                )
            formset.save_m2m()
        elif formset.model is ProductImage:
            super().save_formset(request, form, formset, change)
            services.product_image_files_delete(images=formset.deleted_objects)
            services.product_images_file_changed(
                images=[
                    *formset.new_objects,
                    *(
                        obj
                        for obj, fields in formset.changed_objects
                        if "image" in fields
                    ),
                ]
            )
        else:
            super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.product_saved(product=form.instance)

    # --- Import and export --------------------------------------------------

    def has_import_permission(self, request):
        return request.user.has_perms(
            [
                "catalog.add_product",
                "catalog.change_product",
                "catalog.add_variant",
                "catalog.change_variant",
            ]
        )

    def has_export_permission(self, request):
        return request.user.has_perms(["catalog.view_product", "catalog.view_variant"])

    def get_data_for_export(self, request, queryset, **kwargs):
        resource = ProductVariantResource()
        return resource.export(
            queryset=resource.get_export_queryset_for_products(queryset)
        )

    def get_export_filename(self, request, queryset, file_format):
        date = timezone.localdate().isoformat()
        return f"products-{date}.{file_format.get_extension()}"

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The file passed the preview but not the real run (the catalogue
            # changed in between); the transaction was rolled back.
            messages.error(
                request,
                gettext(
                    "Nothing was imported: the file no longer passes the checks. "
                    "Upload it again to see which rows are wrong."
                ),
            )
            return HttpResponseRedirect(reverse("admin:catalog_product_import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        messages.success(
            request,
            gettext("Import finished: %(new)d new and %(updated)d updated variants.")
            % {"new": result.totals["new"], "updated": result.totals["update"]},
        )


# --- Variants and stock ----------------------------------------------------


@admin.register(Variant)
class VariantAdmin(admin.ModelAdmin):
    form = VariantForm
    list_display = (
        "sku",
        "product",
        "options_label",
        "price",
        "compare_at_price",
        "stock",
        "is_active",
    )
    list_select_related = ("product",)
    list_filter = ("is_active",)
    search_fields = ("sku", "product__title")
    autocomplete_fields = ("product",)
    fields = (
        "product",
        "sku",
        ("option1", "option2"),
        ("price", "compare_at_price"),
        "stock",
        "weight_grams",
        "position",
        "is_active",
    )

    def get_queryset(self, request):
        # __str__ shows the product title; autocomplete does not apply
        # list_select_related.
        return super().get_queryset(request).select_related("product")

    @admin.display(description=_("options"))
    def options_label(self, obj):
        return obj.options_label or "—"

    def save_model(self, request, obj, form, change):
        services.variant_save(
            variant=obj,
            stock=obj.stock if not change or "stock" in form.changed_data else None,
            actor=request.user,
            note=gettext("Back office"),
        )
        services.product_saved(product=obj.product)

    def delete_model(self, request, obj):
        product_id = obj.product_id
        super().delete_model(request, obj)
        services.products_saved(product_ids=[product_id])

    def delete_queryset(self, request, queryset):
        product_ids = set(queryset.values_list("product_id", flat=True))
        super().delete_queryset(request, queryset)
        services.products_saved(product_ids=product_ids)


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    """The stock ledger, read only: stock changes through sales, returns and counts."""

    list_display = ("created_at", "variant", "delta", "stock_after", "reason", "actor")
    list_filter = ("reason",)
    list_select_related = ("variant__product", "actor")
    search_fields = ("variant__sku", "reference")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
