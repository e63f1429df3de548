"""Attributes and their values (the filters of the storefront)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from shop.catalog import services
from shop.catalog.admin.helpers import count_of
from shop.catalog.models import Attribute, AttributeValue, Product


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
            .annotate(value_count=count_of(AttributeValue, "attribute"))
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
