"""API shapes for the catalogue: categories, product cards and product detail.

They read what `shop.catalog.selectors` has prepared (cached category nodes,
`.card_price`, `.primary_image`, `.variant_prices`…) and never query on their
own, so a page of products costs the same number of queries whatever its size.
Prices are the shopper context's, as strings rounded to the currency.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shop.catalog import selectors
from shop.catalog.filters import ORDERING_CHOICES
from shop.catalog.models import Category
from shop.catalog.search import MAX_QUERY_LENGTH
from shop.catalog.views import LOW_STOCK
from shop.core.api import MoneyAmountField, MoneyDisplayField


def _absolute(context, url: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


# --- Query parameters ---------------------------------------------------------


class ProductListQuerySerializer(serializers.Serializer):
    """`GET /api/products/` parameters besides the filters and paging."""

    category = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Category slug; its subcategories are included."),
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        help_text=format_lazy(
            gettext_lazy(
                "Search words; every word must match. Longer than {max} characters "
                "is cut, as on the search page."
            ),
            max=MAX_QUERY_LENGTH,
        ),
    )
    ordering = serializers.ChoiceField(
        required=False,
        choices=[key for key, _label in ORDERING_CHOICES],
        help_text=gettext_lazy(
            "Default: relevance when searching, newest otherwise. relevance "
            "without q sorts by newest."
        ),
    )

    def validate_q(self, value: str) -> str:
        return " ".join(value.split())[:MAX_QUERY_LENGTH]

    def validate_category(self, value: str) -> Category | None:
        if not value:
            return None
        try:
            return selectors.category_get(slug=value)
        except Category.DoesNotExist as exc:
            raise serializers.ValidationError(_("No such category.")) from exc


# --- Categories -----------------------------------------------------------------


class CategorySerializer(serializers.Serializer):
    """One node of the cached category tree (`selectors.CategoryNode`)."""

    id = serializers.IntegerField(source="category.pk")
    name = serializers.CharField(source="category.name")
    slug = serializers.CharField(source="category.slug")
    parent = serializers.IntegerField(
        source="category.parent_id",
        allow_null=True,
        help_text=gettext_lazy("The parent category's id; null for a top category."),
    )
    depth = serializers.SerializerMethodField(
        help_text=gettext_lazy("0 for a top category, 1 below it, and so on.")
    )
    position = serializers.IntegerField(source="category.position")
    description = serializers.CharField(source="category.description")
    image = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The category's page in the shop.")
    )

    def get_depth(self, node) -> int:
        return len(node.ancestors)

    def get_image(self, node) -> str | None:
        image = node.category.image
        return _absolute(self.context, image.url) if image else None

    def get_url(self, node) -> str:
        return _absolute(self.context, node.url)


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    slug = serializers.CharField()


class BrandSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


# --- Products ---------------------------------------------------------------------


class ProductImageSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Detail-size rendition (the original until it exists).")
    )
    thumbnail_url = serializers.SerializerMethodField()
    alt = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    def get_url(self, image) -> str:
        return _absolute(self.context, image.display_url)

    def get_thumbnail_url(self, image) -> str:
        return _absolute(self.context, image.thumbnail_url)

    def get_alt(self, image) -> str:
        return image.alt_text or image.product.title


class ProductCardSerializer(serializers.Serializer):
    """A product in a list, priced for the shopper (`selectors.product_cards`)."""

    id = serializers.IntegerField(source="pk")
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The product's page in the shop.")
    )
    brand = BrandSerializer(allow_null=True)
    category = serializers.SerializerMethodField()
    price = MoneyAmountField(
        source="card_price.price",
        allow_null=True,
        help_text=gettext_lazy(
            "The lowest price of its variants for this shopper; null when none "
            "is on sale."
        ),
    )
    compare_at_price = MoneyAmountField(source="card_price.compare_at", allow_null=True)
    currency = serializers.CharField(
        source="card_price.price.currency", allow_null=True
    )
    price_display = MoneyDisplayField(source="card_price.price", allow_null=True)
    price_label = serializers.CharField(source="card_price.label", allow_null=True)
    has_price_range = serializers.BooleanField(
        help_text=gettext_lazy("Variants differ in price: show the price as 'from'.")
    )
    in_stock = serializers.BooleanField()
    purchase_locked_reason = serializers.CharField(
        default="",
        help_text=gettext_lazy(
            "Why this shopper may see the product but not buy it (a member-only "
            "listing shown as a teaser), e.g. “Members of Gold or higher can buy "
            "this.”; empty when they may buy it."
        ),
    )
    image = ProductImageSerializer(source="primary_image", allow_null=True)
    published_at = serializers.DateTimeField()

    def get_url(self, product) -> str:
        return _absolute(self.context, product.get_absolute_url())

    @extend_schema_field(CategoryRefSerializer(allow_null=True))
    def get_category(self, product):
        # From the cached tree: no query per product.
        node = selectors.category_node(product.category_id)
        return CategoryRefSerializer(node.category).data if node else None


class VariantOptionSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text=gettext_lazy("The product's name for the option, e.g. Size.")
    )
    value = serializers.CharField()


STOCK_STATES = ["in_stock", "low_stock", "out_of_stock"]


def _stock_state(stock: int) -> tuple[str, str]:
    # The same states and words as the product page's variant picker.
    if stock <= 0:
        return "out_of_stock", _("Sold out")
    if stock <= LOW_STOCK:
        return "low_stock", ngettext(
            "Only %(count)d left", "Only %(count)d left", stock
        ) % {"count": stock}
    return "in_stock", _("In stock")


class ProductVariantSerializer(serializers.Serializer):
    """A variant on sale, priced from the product's `.variant_prices`.

    Needs `product` in the context, for its option names and prices.
    """

    id = serializers.IntegerField()
    sku = serializers.CharField()
    options = VariantOptionSerializer(many=True)
    price = MoneyAmountField(
        allow_null=True,
        help_text=gettext_lazy("What this shopper pays, as a decimal string."),
    )
    list_price = MoneyAmountField(
        allow_null=True,
        help_text=gettext_lazy("The public price, before member prices."),
    )
    compare_at_price = MoneyAmountField(
        allow_null=True,
        help_text=gettext_lazy("The former price, shown struck through."),
    )
    is_discounted = serializers.BooleanField(
        help_text=gettext_lazy("The price is below the compare-at price.")
    )
    currency = serializers.CharField(help_text=gettext_lazy("ISO 4217, e.g. TWD."))
    price_display = MoneyDisplayField(
        allow_null=True,
        help_text=gettext_lazy("The price as the shop writes it, e.g. NT$1,280."),
    )
    price_label = serializers.CharField(
        help_text=gettext_lazy("Why the price differs from the list price, if it does.")
    )
    in_stock = serializers.BooleanField()
    stock_state = serializers.ChoiceField(choices=STOCK_STATES)
    stock_label = serializers.CharField(
        help_text=gettext_lazy("The stock state in words, e.g. Only 3 left.")
    )
    weight_grams = serializers.IntegerField()

    def to_representation(self, variant):
        product = self.context["product"]
        names = (product.option1_name, product.option2_name)
        values = (variant.option1, variant.option2)
        price = product.variant_prices.get(variant.pk)
        state, label = _stock_state(variant.stock)
        row = {
            "id": variant.pk,
            "sku": variant.sku,
            "options": [
                {"name": name or _("Option"), "value": value}
                for name, value in zip(names, values, strict=True)
                if value
            ],
            "price": price.price if price else None,
            "list_price": price.list_price if price else None,
            "compare_at_price": price.compare_at if price else None,
            "is_discounted": price.is_discounted if price else False,
            "currency": price.price.currency if price else variant.currency,
            "price_display": price.price if price else None,
            "price_label": price.label if price else "",
            "in_stock": variant.stock > 0,
            "stock_state": state,
            "stock_label": label,
            "weight_grams": variant.weight_grams,
        }
        return super().to_representation(row)


class ProductAttributeSerializer(serializers.Serializer):
    attribute = serializers.CharField(source="attribute.name")
    attribute_slug = serializers.CharField(source="attribute.slug")
    value = serializers.CharField()
    value_slug = serializers.CharField(source="slug")
    filter = serializers.SerializerMethodField(
        help_text=gettext_lazy("The value for the product list's attr parameter.")
    )

    def get_filter(self, value) -> str:
        return f"{value.attribute.slug}:{value.slug}"


class ProductDetailSerializer(ProductCardSerializer):
    """Everything the product page shows (`selectors.product_detail`)."""

    description = serializers.CharField()
    size_guide = serializers.CharField()
    non_returnable_reason = serializers.CharField(
        help_text="Why the product cannot be returned; empty when it can."
    )
    seo_title = serializers.CharField()
    seo_description = serializers.CharField()
    option_names = serializers.SerializerMethodField()
    variants = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    attributes = serializers.SerializerMethodField()

    def get_option_names(self, product) -> list[str]:
        return [name for name in (product.option1_name, product.option2_name) if name]

    @extend_schema_field(ProductVariantSerializer(many=True))
    def get_variants(self, product):
        context = {**self.context, "product": product}
        return ProductVariantSerializer(
            product.active_variants, many=True, context=context
        ).data

    @extend_schema_field(ProductImageSerializer(many=True))
    def get_images(self, product):
        return ProductImageSerializer(
            product.image_list, many=True, context=self.context
        ).data

    @extend_schema_field(ProductAttributeSerializer(many=True))
    def get_attributes(self, product):
        values = sorted(
            product.attribute_list,
            key=lambda v: (v.attribute.position, v.attribute.name, v.position, v.value),
        )
        return ProductAttributeSerializer(values, many=True).data
