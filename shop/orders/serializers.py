"""API shapes of a member's orders (output only: orders change through services)."""

from rest_framework import serializers

from shop.core.api import (
    DecimalMoneyAmountField,
    DecimalMoneyDisplayField,
    MoneyAmountField,
    MoneyDisplayField,
)
from shop.orders.status import OrderStatus, PaymentStatus


class OrderListSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=OrderStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    payment_status = serializers.ChoiceField(
        choices=PaymentStatus.choices, allow_null=True
    )
    placed_at = serializers.DateTimeField()
    item_count = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    total = DecimalMoneyAmountField()
    total_display = DecimalMoneyDisplayField(source="total")
    url = serializers.SerializerMethodField()

    def get_url(self, order) -> str:
        request = self.context.get("request")
        path = order.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk")
    variant = serializers.IntegerField(source="line.variant_id", allow_null=True)
    sku = serializers.CharField(source="line.sku")
    product_title = serializers.CharField(source="line.product_title")
    variant_label = serializers.CharField(source="line.variant_label")
    quantity = serializers.IntegerField(source="line.quantity")
    price_label = serializers.CharField(source="line.price_label")
    non_returnable_reason = serializers.CharField(
        source="line.non_returnable_reason",
        help_text="The notice shown when it was bought; empty when returnable.",
    )
    unit_price = MoneyAmountField()
    subtotal = MoneyAmountField()
    adjustments = MoneyAmountField(
        help_text="This line's share of order-level discounts and tenders."
    )
    net = MoneyAmountField(help_text="What the line cost after its share.")


class OrderAdjustmentSerializer(serializers.Serializer):
    label = serializers.CharField()
    kind = serializers.CharField()
    amount = MoneyAmountField()


class OrderShippingSerializer(serializers.Serializer):
    method = serializers.CharField(source="summary.shipping_method")
    kind = serializers.CharField(source="order.shipping_kind")
    recipient_name = serializers.CharField(source="order.recipient_name")
    recipient_phone = serializers.CharField(source="order.recipient_phone")
    address = serializers.CharField(source="summary.address")
    pickup_store = serializers.CharField(source="summary.pickup_store")
    carrier = serializers.CharField(source="order.carrier")
    tracking_number = serializers.CharField(source="order.tracking_number")


class OrderPaymentSerializer(serializers.Serializer):
    method = serializers.CharField(source="order.payment_method")
    method_display = serializers.CharField(source="summary.payment_method")
    status = serializers.ChoiceField(
        choices=PaymentStatus.choices, source="summary.payment.status", allow_null=True
    )
    paid_at = serializers.DateTimeField(source="order.paid_at", allow_null=True)
    pay_by = serializers.DateTimeField(
        source="summary.payment_deadline",
        help_text="Bank transfers: the order is cancelled if unpaid by then.",
    )


class OrderTimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="when")
    label = serializers.CharField()
    note = serializers.CharField()


class OrderDetailSerializer(serializers.Serializer):
    """Reads a mapping {"order", "summary", "timeline"} (see `OrderDetailApi`)."""

    number = serializers.CharField(source="order.number")
    status = serializers.ChoiceField(choices=OrderStatus.choices, source="order.status")
    status_display = serializers.CharField(source="order.get_status_display")
    placed_at = serializers.DateTimeField(source="order.placed_at")
    currency = serializers.CharField(source="order.currency")
    lines = OrderLineSerializer(many=True, source="summary.lines")
    adjustments = OrderAdjustmentSerializer(many=True, source="summary.adjustments")
    subtotal = MoneyAmountField(source="summary.subtotal")
    discount_total = MoneyAmountField(source="summary.discount_total")
    shipping_total = MoneyAmountField(source="summary.shipping_total")
    total = MoneyAmountField(source="summary.total")
    total_display = MoneyDisplayField(source="summary.total")
    shipping = OrderShippingSerializer(source="*")
    payment = OrderPaymentSerializer(source="*")
    shipped_at = serializers.DateTimeField(source="order.shipped_at", allow_null=True)
    delivered_at = serializers.DateTimeField(
        source="order.delivered_at", allow_null=True
    )
    cooling_off_ends = serializers.DateTimeField(
        source="summary.cooling_off_ends",
        allow_null=True,
        help_text="Until then the items may be returned without a reason.",
    )
    completed_at = serializers.DateTimeField(
        source="order.completed_at", allow_null=True
    )
    cancelled_at = serializers.DateTimeField(
        source="order.cancelled_at", allow_null=True
    )
    timeline = OrderTimelineSerializer(many=True)
