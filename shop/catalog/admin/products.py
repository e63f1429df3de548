"""Products with their variants and pictures inline, and CSV import and export."""

from django.contrib import admin, messages
from django.db.models import Max, Min, OuterRef, Subquery, Sum
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm

from shop.catalog import services
from shop.catalog.admin.helpers import picture_tag, variant_aggregate
from shop.catalog.forms import ProductAdminForm, ProductImageForm, VariantForm
from shop.catalog.models import AttributeValue, Product, ProductImage, Variant
from shop.catalog.resources import ProductVariantResource
from shop.core.money import format_money


class VariantInline(admin.TabularInline):
    model = Variant
    form = VariantForm
    # The form's fields in the form's order, but the product: the page's own.
    fields = tuple(name for name in VariantForm.Meta.fields if name != "product")
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
        return picture_tag(
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
        (_("Returns"), {"fields": ("non_returnable_reason",)}),
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
                min_price=variant_aggregate(Min("price")),
                max_price=variant_aggregate(Max("price")),
                stock_total=variant_aggregate(Sum("stock")),
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
        return picture_tag(obj.first_thumbnail or obj.first_image)

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
