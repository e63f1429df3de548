"""API shapes of quotes, checkout input and placed orders. Money is a decimal string."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shop.cart.services import MAX_ID
from shop.core.api import DecimalMoneyAmountField, MoneyAmountField
from shop.core.money import money_round


class ItemSerializer(serializers.Serializer):
    variant = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=999)


class AllocationSerializer(serializers.Serializer):
    variant = serializers.IntegerField()
    amount = serializers.CharField()


class QuoteLineSerializer(serializers.Serializer):
    variant = serializers.IntegerField(source="variant.pk")
    sku = serializers.CharField(source="variant.sku")
    product = serializers.IntegerField(source="variant.product_id")
    product_title = serializers.CharField(source="variant.product.title")
    options = serializers.CharField(source="variant.options_label")
    quantity = serializers.IntegerField()
    list_price = MoneyAmountField(source="price.list_price")
    unit_price = MoneyAmountField()
    price_label = serializers.CharField(source="price.label")
    subtotal = MoneyAmountField()


class AdjustmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    amount = MoneyAmountField()
    allocations = serializers.SerializerMethodField()

    @extend_schema_field(AllocationSerializer(many=True))
    def get_allocations(self, adjustment):
        currency = adjustment.amount.currency
        return [
            {"variant": int(key), "amount": str(money_round(amount, currency))}
            for key, amount in adjustment.allocations.items()
        ]


class OfferSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text='The option to send back in `options` (e.g. "points").'
    )
    context = serializers.DictField(
        help_text="What the offer allows, e.g. for points: available, "
        "min_points, max_points, usable, reason, applied, applied_amount."
    )


class QuoteSerializer(serializers.Serializer):
    currency = serializers.CharField()
    lines = QuoteLineSerializer(many=True)
    adjustments = AdjustmentSerializer(many=True)
    subtotal = MoneyAmountField()
    discount_total = MoneyAmountField()
    shipping_total = MoneyAmountField()
    tender_total = MoneyAmountField()
    total = MoneyAmountField()
    notes = serializers.ListField(child=serializers.CharField())
    offers = OfferSerializer(many=True)


# Options are few and short: a key per offer, a number or a code as the answer.
MAX_OPTIONS = 10


class CheckoutOptionsMixin(serializers.Serializer):
    """`options` chosen at checkout, with `points` as a shortcut for options.points."""

    options = serializers.DictField(
        child=serializers.CharField(max_length=40, allow_blank=True),
        required=False,
        help_text='Choices offered in the quote\'s `offers`, e.g. {"points": "120"}.',
    )
    points = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=10**9,
        help_text="Members: points to pay with (0 or left out: none).",
    )

    def validate_options(self, value):
        if len(value) > MAX_OPTIONS:
            raise serializers.ValidationError(
                _("Send at most %(count)d options.") % {"count": MAX_OPTIONS}
            )
        return value

    def chosen_options(self) -> dict:
        """The options to price with: `options`, with `points` put in."""
        options = dict(self.validated_data.get("options") or {})
        if self.validated_data.get("points") is not None:
            options["points"] = self.validated_data["points"]
        return options


class QuoteRequestSerializer(CheckoutOptionsMixin, serializers.Serializer):
    items = ItemSerializer(
        many=True,
        required=False,
        help_text="Variants and quantities to price; the current cart when left out.",
    )
    shipping_method = serializers.CharField(
        required=False, allow_blank=True, help_text="A shipping method code."
    )


class ShippingMethodSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    description = serializers.CharField()
    fee = DecimalMoneyAmountField(currency_from=None)
    free_shipping_threshold = DecimalMoneyAmountField(
        currency_from=None, allow_null=True
    )
    needs_address = serializers.BooleanField()
    needs_store = serializers.BooleanField()


class PaymentMethodSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    redirects = serializers.BooleanField(
        source="receives_notifications",
        help_text="True when paying sends the shopper to the provider's page.",
    )


class OrderCreateSerializer(CheckoutOptionsMixin, serializers.Serializer):
    """Everything `order_place` needs, flat, so each error names a body field."""

    items = ItemSerializer(
        many=True,
        required=False,
        help_text="What to buy; the current cart when left out.",
    )
    email = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Guests only; members use their account's.",
    )
    name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    shipping_method = serializers.CharField()
    address_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Members: an address of their book.",
    )
    recipient_name = serializers.CharField(required=False, allow_blank=True)
    recipient_phone = serializers.CharField(required=False, allow_blank=True)
    postal_code = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    district = serializers.CharField(required=False, allow_blank=True)
    street = serializers.CharField(required=False, allow_blank=True)
    store_code = serializers.CharField(required=False, allow_blank=True)
    store_name = serializers.CharField(required=False, allow_blank=True)
    payment_method = serializers.CharField()
    customer_note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000
    )
    idempotency_key = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Or the Idempotency-Key header: the same key returns the same order.",
    )


class OrderLineOutSerializer(serializers.Serializer):
    variant = serializers.IntegerField(source="variant_id", allow_null=True)
    sku = serializers.CharField()
    product_title = serializers.CharField()
    variant_label = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = DecimalMoneyAmountField(currency_from="order.currency")
    subtotal = DecimalMoneyAmountField(currency_from="order.currency")


class OrderAdjustmentOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    amount = DecimalMoneyAmountField(currency_from="order.currency")


class InstructionSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class PaymentNextSerializer(serializers.Serializer):
    method = serializers.CharField()
    status = serializers.CharField()
    redirect_url = serializers.CharField(allow_blank=True)
    message = serializers.CharField(allow_blank=True)
    instructions = InstructionSerializer(many=True)


class OrderPlacedSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    email = serializers.CharField()
    payment_method = serializers.CharField()
    shipping_method = serializers.CharField(source="shipping_method_code")
    currency = serializers.CharField()
    subtotal = DecimalMoneyAmountField()
    discount_total = DecimalMoneyAmountField()
    shipping_total = DecimalMoneyAmountField()
    total = DecimalMoneyAmountField()
    lines = serializers.SerializerMethodField()
    adjustments = serializers.SerializerMethodField()
    payment = serializers.SerializerMethodField()
    confirmation_url = serializers.SerializerMethodField()

    # Lines and adjustments come from the context (the rows just written, or
    # read once by the view); each is given its order for the currency.
    @extend_schema_field(OrderLineOutSerializer(many=True))
    def get_lines(self, order):
        lines = self.context["lines"]
        for line in lines:
            line.order = order
        return OrderLineOutSerializer(lines, many=True).data

    @extend_schema_field(OrderAdjustmentOutSerializer(many=True))
    def get_adjustments(self, order):
        adjustments = self.context["adjustments"]
        for adjustment in adjustments:
            adjustment.order = order
        return OrderAdjustmentOutSerializer(adjustments, many=True).data

    @extend_schema_field(PaymentNextSerializer)
    def get_payment(self, order):
        return self.context.get("payment_next")

    def get_confirmation_url(self, order) -> str:
        request = self.context.get("request")
        path = reverse("checkout:done", args=[order.number])
        return request.build_absolute_uri(path) if request is not None else path


class NotificationResultSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"paid", "failed" or "already_paid".')
    detail = serializers.CharField()
