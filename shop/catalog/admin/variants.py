"""Variants (SKUs) on their own: for finding a SKU and editing it directly."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shop.catalog import services
from shop.catalog.forms import VariantForm
from shop.catalog.models import Variant


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
