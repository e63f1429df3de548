"""API shapes of a shopper's returns: the request to create one, and the answers.

Input is read here only for its shape; the rules are `return_request_create`'s.
Output reads `ReturnRequest` rows from `returns.selectors` and, for the
detail, the refund preview (`returns.services.refunds.RefundPreview`), the
instructions and the refunds made, handed over in the serializer's context.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from returns.models import (
    RefundStatus,
    Resolution,
    ReturnMethod,
    ReturnReason,
    ReturnStatus,
)
from returns.selectors import event_note_for_shopper
from returns.services.requests import MAX_PHOTOS_PER_LINE
from shop.core.api import DecimalMoneyAmountField, MoneyAmountField
from shop.core.money import Money


def absolute_url(context: dict, url: str) -> str:
    """`url` on the host the API was asked on (as is, without a request)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


def photo_urls(context: dict, line) -> list[str]:
    """The photos a shopper attached to a return line, as absolute URLs."""
    return [absolute_url(context, photo.image.url) for photo in line.photos.all()]


# --- Input --------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "json"})
class JSONStringField(serializers.JSONField):
    """JSON sent as a string, as a multipart form carries structured fields."""

    def __init__(self, **kwargs):
        super().__init__(binary=True, **kwargs)


class ReturnLineInputSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(
        help_text="The order line's `id` (from the order detail)."
    )
    quantity = serializers.IntegerField(min_value=1)
    reason = serializers.ChoiceField(choices=ReturnReason.choices)
    reason_text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text='Required when the reason is "other".',
    )
    exchange_variant = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="For an exchange: the id of another option of the same product, "
        "in stock and not dearer than the one bought.",
    )


class BankAccountSerializer(serializers.Serializer):
    bank_code = serializers.CharField(max_length=12, allow_blank=True)
    account_name = serializers.CharField(max_length=100, allow_blank=True)
    account_number = serializers.CharField(max_length=30, allow_blank=True)


class ReturnCreateSerializer(serializers.Serializer):
    """`POST /api/returns/` as JSON (no photos)."""

    order = serializers.CharField(max_length=20, help_text="The order number.")
    lines = ReturnLineInputSerializer(many=True, allow_empty=False)
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    method = serializers.ChoiceField(choices=ReturnMethod.choices)
    shopper_note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000
    )
    bank = BankAccountSerializer(
        required=False,
        allow_null=True,
        help_text="Required for a refund of a cash-on-delivery or ATM order: "
        "the refund is a bank transfer to this account.",
    )


class ReturnCreateMultipartSerializer(serializers.Serializer):
    """`POST /api/returns/` as multipart/form-data, with photos."""

    order = serializers.CharField(max_length=20, help_text="The order number.")
    lines = JSONStringField(
        help_text="The lines as a JSON array, each as in the JSON request.",
    )
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    method = serializers.ChoiceField(choices=ReturnMethod.choices)
    shopper_note = serializers.CharField(
        required=False, allow_blank=True, max_length=1000
    )
    bank = JSONStringField(
        required=False,
        help_text="The bank account as a JSON object, as in the JSON request.",
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=f"JPEG, PNG or WebP, up to 8 MB each, at most "
        f"{MAX_PHOTOS_PER_LINE} per line; location data is removed.",
    )
    photo_lines = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="For each photo, in the same order, the `order_line` it shows.",
    )

    def validate(self, attrs):
        lines = ReturnLineInputSerializer(
            data=attrs["lines"], many=True, allow_empty=False
        )
        if not lines.is_valid():
            raise serializers.ValidationError({"lines": lines.errors})
        attrs["lines"] = lines.validated_data
        bank = attrs.get("bank")
        if bank is not None:
            account = BankAccountSerializer(data=bank)
            if not account.is_valid():
                raise serializers.ValidationError({"bank": account.errors})
            attrs["bank"] = account.validated_data
        photos = attrs.get("photos") or []
        photo_lines = attrs.get("photo_lines") or []
        if len(photos) != len(photo_lines):
            raise serializers.ValidationError(
                {"photo_lines": [_("Give one order line for every photo, in order.")]}
            )
        known = {line["order_line"] for line in attrs["lines"]}
        if not set(photo_lines) <= known:
            raise serializers.ValidationError(
                {"photo_lines": [_("Every photo must belong to one of the lines.")]}
            )
        return attrs


# --- Output -------------------------------------------------------------------


class ContextMoneyField(MoneyAmountField):
    """A Decimal in the currency named in the serializer context (`"1280"`)."""

    def get_attribute(self, instance):
        amount = super().get_attribute(instance)
        currency = self.context.get("currency") or settings.SHOP_CURRENCY
        return Money(amount, currency)


class ReturnItemSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(source="order_line_id")
    product_title = serializers.CharField(source="order_line.product_title")
    variant_label = serializers.CharField(source="order_line.variant_label")
    sku = serializers.CharField(source="order_line.sku")
    quantity = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=ReturnReason.choices)


class ReturnListSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="The RMA number.")
    order = serializers.CharField(source="order.number")
    status = serializers.ChoiceField(choices=ReturnStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    resolution = serializers.ChoiceField(choices=Resolution.choices)
    method = serializers.ChoiceField(choices=ReturnMethod.choices)
    created_at = serializers.DateTimeField()
    items = ReturnItemSerializer(source="lines.all", many=True)
    url = serializers.SerializerMethodField()

    def get_url(self, return_request) -> str:
        path = reverse("returns:detail", kwargs={"number": return_request.number})
        return absolute_url(self.context, path)


class ExchangeVariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    label = serializers.CharField(source="options_label")


class ReturnLineSerializer(ReturnItemSerializer):
    id = serializers.IntegerField()
    reason_display = serializers.CharField(source="get_reason_display")
    reason_text = serializers.CharField()
    exchange_variant = ExchangeVariantSerializer(allow_null=True)
    in_cooling_off = serializers.BooleanField(
        help_text="Asked back inside the cooling-off period: no fees."
    )
    photos = serializers.SerializerMethodField()

    def get_photos(self, line) -> list[str]:
        return photo_urls(self.context, line)


class ReturnEventSerializer(serializers.Serializer):
    status = serializers.ChoiceField(source="to_status", choices=ReturnStatus.choices)
    status_display = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_status_display(self, event) -> str:
        return str(ReturnStatus(event.to_status).label)

    def get_note(self, event) -> str:
        return event_note_for_shopper(event)


class InstructionsSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ReturnMethod.choices)
    method_display = serializers.CharField(source="method_label")
    code = serializers.CharField(help_text="The convenience-store return code.")
    ship_by = serializers.DateTimeField(allow_null=True)
    steps = serializers.ListField(child=serializers.CharField())
    address = serializers.DictField(
        child=serializers.CharField(),
        help_text="Where a self-shipped parcel goes (name, phone, postal_code, "
        "address); empty for the other methods.",
    )


class PreviewDiscountSerializer(serializers.Serializer):
    label = serializers.CharField()
    amount = ContextMoneyField(help_text="The units' share (negative).")


class PreviewLineSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(source="order_line_id")
    title = serializers.CharField()
    units = serializers.SerializerMethodField()
    merchandise = ContextMoneyField()
    discounts = serializers.SerializerMethodField()
    value = ContextMoneyField(help_text="After the order discounts' shares.")
    in_cooling_off = serializers.BooleanField()

    def get_units(self, line) -> int:
        return len(line.unit_indexes)

    @extend_schema_field(PreviewDiscountSerializer(many=True))
    def get_discounts(self, line):
        rows = [{"label": label, "amount": amount} for label, amount in line.discounts]
        return PreviewDiscountSerializer(rows, many=True, context=self.context).data


class RefundPreviewSerializer(serializers.Serializer):
    estimate = serializers.BooleanField(
        help_text="True until the items are inspected: the units counted are the "
        "ones asked for."
    )
    currency = serializers.CharField()
    lines = PreviewLineSerializer(many=True)
    shipping_refunded = ContextMoneyField(source="shipping.amount")
    restocking_fee = ContextMoneyField()
    return_shipping_fee = ContextMoneyField()
    points_deduction = ContextMoneyField(
        help_text="The value of earned points already spent, taken from the refund."
    )
    total = ContextMoneyField()
    to_payment = ContextMoneyField(help_text="Back to the original payment.")
    refund_via = serializers.ChoiceField(
        choices=["gateway", "transfer", "none"],
        help_text="How `to_payment` is paid: the payment provider's refund, or a "
        "bank transfer.",
    )
    to_credit = ContextMoneyField(help_text="As shopping credit, without the bonus.")
    credit_bonus = ContextMoneyField()
    points_restored = serializers.IntegerField(
        help_text="Points paid with, given back."
    )
    points_value = ContextMoneyField(help_text="What the points given back were worth.")
    points_reversed = serializers.IntegerField(
        source="points_reversal.reversed",
        help_text="Earned points taken back (available ones).",
    )
    points_pending_cancelled = serializers.IntegerField(
        source="points_reversal.pending_cancelled",
        help_text="Earned points not yet available, cancelled.",
    )


class RefundSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RefundStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    total = DecimalMoneyAmountField()
    to_payment = DecimalMoneyAmountField()
    to_credit = DecimalMoneyAmountField()
    credit_bonus = DecimalMoneyAmountField()
    shipping_refunded = DecimalMoneyAmountField()
    fees = DecimalMoneyAmountField()
    points_deduction = DecimalMoneyAmountField()
    points_restored = serializers.IntegerField()
    points_reversed = serializers.IntegerField()


class ReturnDetailSerializer(ReturnListSerializer):
    """Reads a `ReturnRequest`; the context gives `preview`, `instructions`,
    `refunds` and `can_cancel`."""

    items = None
    lines = ReturnLineSerializer(source="lines.all", many=True)
    return_code = serializers.CharField()
    ship_by = serializers.DateTimeField(allow_null=True)
    tracking_number = serializers.CharField()
    shopper_note = serializers.CharField()
    rejection_reason = serializers.CharField()
    events = ReturnEventSerializer(source="events.all", many=True)
    instructions = serializers.SerializerMethodField()
    refund_preview = serializers.SerializerMethodField()
    refunds = serializers.SerializerMethodField()
    can_cancel = serializers.SerializerMethodField()

    @extend_schema_field(InstructionsSerializer(allow_null=True))
    def get_instructions(self, return_request):
        found = self.context.get("instructions")
        return InstructionsSerializer(found).data if found is not None else None

    @extend_schema_field(RefundPreviewSerializer(allow_null=True))
    def get_refund_preview(self, return_request):
        preview = self.context.get("preview")
        if preview is None:
            return None
        context = {**self.context, "currency": preview.currency}
        return RefundPreviewSerializer(preview, context=context).data

    @extend_schema_field(RefundSerializer(many=True))
    def get_refunds(self, return_request):
        return RefundSerializer(self.context.get("refunds", []), many=True).data

    def get_can_cancel(self, return_request) -> bool:
        return bool(self.context.get("can_cancel"))
