"""CSV import and export of the catalogue, one row per variant (SKU).

Product columns are repeated on every row of the product's variants, so a
spreadsheet reads like a price list. Import finds products by slug and
variants by SKU, creating what is missing. Every row is validated and the
errors are reported per row and column; an import with any bad row imports
nothing, because the whole file runs in one transaction that is rolled back.

Columns (the header row is required; unknown columns are ignored):

    product_slug, product_title, category (slug), brand (name or slug),
    status (draft/active/archived), description, size_guide, option1_name,
    option2_name, sku, option1, option2, price, compare_at_price, stock,
    weight_grams

A file may leave out columns to change only some fields of existing
variants, e.g. `sku,price,stock` for a price and stock update.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from shop.catalog.models import Brand, Category, Product, StockMovement, Variant
from shop.catalog.services import products_saved, variant_save

PRODUCT_COLUMNS = {
    # column → Product field it sets
    "product_slug": "slug",
    "product_title": "title",
    "category": "category",
    "brand": "brand",
    "status": "status",
    "description": "description",
    "size_guide": "size_guide",
    "option1_name": "option1_name",
    "option2_name": "option2_name",
}
VARIANT_COLUMNS = (
    "sku",
    "option1",
    "option2",
    "price",
    "compare_at_price",
    "stock",
    "weight_grams",
)
COLUMNS = (*PRODUCT_COLUMNS, *VARIANT_COLUMNS)
_COLUMN_FOR_PRODUCT_FIELD = {field: column for column, field in PRODUCT_COLUMNS.items()}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class TextWidget(widgets.Widget):
    """Text with surrounding blanks removed; empty cells are empty strings."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class AmountWidget(widgets.Widget):
    """A money amount such as `1280`, `1,280` or `99.5`; never negative."""

    def __init__(self, *, required: bool):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "")
        if not text:
            if self.required:
                raise ValueError(_("Enter the price."))
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            raise ValueError(
                _("“%(value)s” is not an amount; write digits only, such as 1280.")
                % {"value": _text(value)}
            )
        if amount < 0:
            raise ValueError(_("An amount cannot be negative."))
        return amount

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        # 1280.00 → "1280", 99.50 → "99.5": what a merchant would type.
        return format(value.normalize(), "f")


class CountWidget(widgets.Widget):
    """A whole number that cannot be negative (stock, grams); empty means 0."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "")
        if not text:
            return 0
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral():
            raise ValueError(
                _("“%(value)s” is not a whole number.") % {"value": _text(value)}
            )
        if number < 0:
            raise ValueError(_("This cannot be negative."))
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def _product_field(column: str, attribute: str) -> fields.Field:
    # Read-only for the generic machinery: product columns are applied by
    # ProductVariantResource._apply_product_columns, with their own checks.
    return fields.Field(
        attribute=attribute, column_name=column, widget=TextWidget(), readonly=True
    )


class ProductVariantResource(resources.ModelResource):
    product_slug = _product_field("product_slug", "product__slug")
    product_title = _product_field("product_title", "product__title")
    category = _product_field("category", "product__category__slug")
    brand = _product_field("brand", "product__brand__name")
    status = _product_field("status", "product__status")
    description = _product_field("description", "product__description")
    size_guide = _product_field("size_guide", "product__size_guide")
    option1_name = _product_field("option1_name", "product__option1_name")
    option2_name = _product_field("option2_name", "product__option2_name")
    sku = fields.Field(attribute="sku", column_name="sku", widget=TextWidget())
    option1 = fields.Field(
        attribute="option1", column_name="option1", widget=TextWidget()
    )
    option2 = fields.Field(
        attribute="option2", column_name="option2", widget=TextWidget()
    )
    price = fields.Field(
        attribute="price", column_name="price", widget=AmountWidget(required=True)
    )
    compare_at_price = fields.Field(
        attribute="compare_at_price",
        column_name="compare_at_price",
        widget=AmountWidget(required=False),
    )
    stock = fields.Field(attribute="stock", column_name="stock", widget=CountWidget())
    weight_grams = fields.Field(
        attribute="weight_grams", column_name="weight_grams", widget=CountWidget()
    )

    class Meta:
        model = Variant
        name = gettext_lazy("Products and variants (one row per SKU)")
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        import_id_fields = ("sku",)
        instance_loader_class = CachedInstanceLoader
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._reset()

    def _reset(self):
        self._actor = None
        self._categories: dict[str, Category] | None = None
        self._brands: dict[str, Brand] | None = None
        self._products: dict[str, Product] = {}
        self._product_rows: dict[str, tuple[int, dict[str, str]]] = {}
        self._sku_rows: dict[str, int] = {}
        self._variant_counts: dict[str, int] = {}
        self._saved_products: set[str] = set()
        self.touched_product_ids: set[int] = set()

    # --- Reading -----------------------------------------------------------

    def get_queryset(self):
        return Variant.objects.select_related(
            "product__category", "product__brand"
        ).order_by("product__slug", "position", "pk")

    def get_export_queryset_for_products(self, products):
        """The variants of `products` (a Product queryset), in export order."""
        return self.get_queryset().filter(product__in=products.values("pk"))

    # --- Import: whole file ------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # All or nothing, whoever calls: in one transaction, rolled back on any
        # invalid row (import-export only rolls back hard errors by default).
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs
        )

    def before_import(self, dataset, **kwargs):
        self._reset()
        self._actor = kwargs.get("user")
        if dataset.headers:
            dataset.headers = [_text(header).lower() for header in dataset.headers]
        if "sku" not in (dataset.headers or []):
            raise ValueError(
                _(
                    "The file has no “sku” column; the first row must hold "
                    "the column names."
                )
            )

    def after_import(self, dataset, result, **kwargs):
        if not kwargs.get("dry_run") and self.touched_product_ids:
            products_saved(product_ids=self.touched_product_ids)

    # --- Import: one row ---------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        row_number = kwargs.get("row_number", 0)
        self._check_sku(instance, row_number, errors)
        self._apply_product_columns(instance, row, row_number, errors)
        if (
            "compare_at_price" not in errors
            and "price" not in errors
            and instance.compare_at_price is not None
            and instance.price is not None
            and instance.compare_at_price < instance.price
        ):
            _add(
                errors,
                "compare_at_price",
                _("The compare-at price is below the price."),
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        # The product is validated with its own columns; a new one has no id yet.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, "product"], validate_unique=validate_unique
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        product = instance.product
        if product.slug not in self._saved_products or product.pk is None:
            if product.status == Product.Status.ACTIVE and not product.published_at:
                product.published_at = timezone.now()
            product.save()
            self._saved_products.add(product.slug)
        instance.product = product
        self.touched_product_ids.add(product.pk)

    def save_instance(self, instance, is_create, row, **kwargs):
        # Always a real save: import_data forces a transaction, and a dry run
        # is rolled back at the end.
        self.before_save_instance(instance, row, **kwargs)
        variant_save(
            variant=instance,
            stock=instance.stock if "stock" in row else None,
            actor=self._actor,
            note=_("CSV import"),
            reason=StockMovement.Reason.IMPORT,
        )
        self.after_save_instance(instance, row, **kwargs)

    def _check_sku(self, instance, row_number: int, errors: dict) -> None:
        sku = instance.sku
        if not sku or "sku" in errors:
            return
        first = self._sku_rows.setdefault(sku, row_number)
        if first != row_number:
            _add(
                errors,
                "sku",
                _("SKU %(sku)s is already on row %(row)s of this file.")
                % {"sku": sku, "row": first},
            )

    def _apply_product_columns(self, instance, row, row_number: int, errors: dict):
        """Find or build the row's product and set its columns on it."""
        present = {
            column: _text(row[column]) for column in PRODUCT_COLUMNS if column in row
        }
        if "product_slug" not in present:
            if instance.pk is None:
                _add(errors, "product_slug", _("A new SKU needs a product slug."))
            elif present:
                _add(
                    errors,
                    "product_slug",
                    _("Add the product_slug column to change product columns."),
                )
            return
        slug = present["product_slug"]
        if not slug:
            _add(errors, "product_slug", _("Enter the product slug."))
            return
        if instance.pk is not None and instance.product.slug != slug:
            _add(
                errors,
                "sku",
                _(
                    "SKU %(sku)s belongs to the product “%(slug)s”; "
                    "a SKU cannot move to another product."
                )
                % {"sku": instance.sku, "slug": instance.product.slug},
            )
            return

        # The first valid row of a product is the reference the others must
        # repeat; an invalid first row is reported on its own.
        reference = self._product_rows.get(slug)
        if reference is not None:
            first_row, first_values = reference
            for column, value in present.items():
                if first_values.get(column) != value:
                    _add(
                        errors,
                        column,
                        _(
                            "Differs from row %(row)s of the same product; "
                            "product columns must match on every row."
                        )
                        % {"row": first_row},
                    )

        product = self._product(slug)
        if instance.pk is None:
            # New variants line up in the order of the file.
            instance.position = self._variant_counts.get(slug, 0)
        self._variant_counts[slug] = self._variant_counts.get(slug, 0) + 1
        for column, value in present.items():
            field = PRODUCT_COLUMNS[column]
            if column == "category":
                category = self._category(value, errors)
                if category is not None:
                    product.category = category
            elif column == "brand":
                brand = self._brand(value, errors)
                if brand is not None or not value:
                    product.brand = brand
            elif column == "status":
                status = _status(value)
                if status is None:
                    _add(
                        errors,
                        "status",
                        _("“%(value)s” is not a status; use draft, active or archived.")
                        % {"value": value},
                    )
                else:
                    product.status = status
            elif column != "product_slug":
                setattr(product, field, value)

        failed_fields = [
            field for column, field in PRODUCT_COLUMNS.items() if column in errors
        ]
        try:
            product.full_clean(exclude=["search_document", *failed_fields])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                column = _COLUMN_FOR_PRODUCT_FIELD.get(field, NON_FIELD_ERRORS)
                for message in messages:
                    _add(errors, column, message)
        if reference is None and not any(column in errors for column in present):
            self._product_rows[slug] = (row_number, present)
        instance.product = product

    def _product(self, slug: str) -> Product:
        if slug not in self._products:
            self._products[slug] = Product.objects.filter(slug=slug).first() or Product(
                slug=slug
            )
        return self._products[slug]

    def _category(self, slug: str, errors: dict) -> Category | None:
        if not slug:
            _add(errors, "category", _("Enter the category slug."))
            return None
        if self._categories is None:
            self._categories = {c.slug: c for c in Category.objects.all()}
        category = self._categories.get(slug)
        if category is None:
            _add(
                errors,
                "category",
                _("No category has the slug “%(slug)s”.") % {"slug": slug},
            )
        return category

    def _brand(self, name: str, errors: dict) -> Brand | None:
        if not name:
            return None
        if self._brands is None:
            self._brands = {}
            for brand in Brand.objects.all():
                self._brands[brand.slug.casefold()] = brand
                self._brands[brand.name.casefold()] = brand
        brand = self._brands.get(name.casefold())
        if brand is None:
            _add(
                errors,
                "brand",
                _("No brand is called “%(name)s”; add it under Brands first.")
                % {"name": name},
            )
        return brand


def _status(value: str) -> str | None:
    wanted = value.casefold()
    for status in Product.Status:
        if wanted in (status.value, str(status.label).casefold()):
            return status.value
    return None


def _add(errors: dict, column: str, message: str) -> None:
    errors.setdefault(column, []).append(message)
