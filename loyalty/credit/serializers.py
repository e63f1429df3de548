"""API shapes of shopping credit, top-up plans and purchases."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from loyalty.models import CreditEntryKind
from loyalty.purchases.serializers import PurchaseSerializer
from loyalty.serializers import OrderRefField
from shop.core.api import DecimalMoneyAmountField, DecimalMoneyDisplayField


class CreditOnDateSerializer(serializers.Serializer):
    date = serializers.DateField(source="on", help_text="The last day it can be used.")
    amount = DecimalMoneyAmountField(currency_from=None)


class CreditPartSerializer(serializers.Serializer):
    amount = DecimalMoneyAmountField(currency_from=None)
    never_expiring = DecimalMoneyAmountField(
        currency_from=None, help_text="The part of `amount` that never expires."
    )
    expiries = CreditOnDateSerializer(many=True)


class CreditSummarySerializer(serializers.Serializer):
    """Reads a `CreditSummary`."""

    balance = DecimalMoneyAmountField(
        currency_from=None,
        help_text="What can be spent now (lots past their expiry left out).",
    )
    balance_display = DecimalMoneyDisplayField(source="balance", currency_from=None)
    currency = serializers.CharField()
    paid = CreditPartSerializer(
        help_text="Paid top-up money: never expires, spent last, refundable."
    )
    bonus = CreditPartSerializer(help_text="Top-up bonuses.")
    other = CreditPartSerializer(
        help_text="Refunds, birthday gifts, campaigns, grants."
    )
    expiries = CreditOnDateSerializer(
        many=True, help_text="All credit by its last usable day, soonest first."
    )
    rule = serializers.CharField(help_text="How much credit may pay, in words.")


class CreditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=CreditEntryKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    amount = DecimalMoneyAmountField(help_text="Signed: + received, − spent.")
    amount_display = DecimalMoneyDisplayField(source="amount")
    currency = serializers.CharField()
    reason = serializers.CharField()
    order = OrderRefField()
    purchase = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_purchase(self, entry):
        return entry.purchase.number if entry.purchase_id else None


class TopUpPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    price = DecimalMoneyAmountField(currency_from=None)
    bonus = DecimalMoneyAmountField(currency_from=None)
    credit_total = DecimalMoneyAmountField(
        currency_from=None, help_text="The credit the plan brings: price + bonus."
    )
    bonus_valid_days = serializers.IntegerField(
        allow_null=True, help_text="null: the bonus never expires."
    )


class TopUpCreateInputSerializer(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1, help_text="A top-up plan's id.")
    gateway = serializers.CharField(
        max_length=30,
        required=False,
        help_text="The payment method's code; left out: the first that takes top-ups.",
    )


class TopUpCreatedSerializer(serializers.Serializer):
    purchase = PurchaseSerializer()
    payment_url = serializers.CharField(
        help_text="Send the member here to pay; the provider's notice credits "
        "the wallet."
    )
