"""Brands, with how many products each has."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.catalog import services
from shop.catalog.admin.helpers import count_of
from shop.catalog.models import Brand, Product


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "products")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(product_count=count_of(Product, "brand"))
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
