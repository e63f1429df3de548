"""API shapes of the cart."""

from rest_framework import serializers

from shop.checkout.serializers import QuoteSerializer
from shop.core.api import MoneyAmountField


class CartLineSerializer(serializers.Serializer):
    variant = serializers.IntegerField(source="variant.pk")
    sku = serializers.CharField(source="variant.sku")
    product = serializers.IntegerField(source="variant.product_id")
    product_title = serializers.CharField(source="variant.product.title")
    product_url = serializers.CharField(source="variant.product.get_absolute_url")
    options = serializers.CharField(source="variant.options_label")
    quantity = serializers.IntegerField()
    image = serializers.SerializerMethodField()
    # Null for a line left out of the quote (`CartLineView.quote_line` is None):
    # DRF answers None for an allow_null field whose dotted source stops at None.
    unit_price = MoneyAmountField(source="quote_line.unit_price", allow_null=True)
    subtotal = MoneyAmountField(source="quote_line.subtotal", allow_null=True)
    problem = serializers.CharField(
        help_text="Why this line cannot be bought as it is (sold out, only N left…)."
    )

    def get_image(self, line) -> str | None:
        image = line.image
        if image is None:
            return None
        request = self.context.get("request")
        url = image.thumbnail_url
        return request.build_absolute_uri(url) if request is not None else url


class CartSerializer(serializers.Serializer):
    lines = CartLineSerializer(many=True)
    item_count = serializers.IntegerField()
    can_check_out = serializers.BooleanField()
    quote = QuoteSerializer(help_text="Prices from the pricing pipeline, never stored.")


class CartLineCreateSerializer(serializers.Serializer):
    variant = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, default=1)


class CartLineUpdateSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0, help_text="0 removes the line.")
