"""API shapes of purchases (top-ups and paid membership)."""

from __future__ import annotations

from rest_framework import serializers

from loyalty.models import PurchaseKind, PurchaseStatus
from shop.core.api import DecimalMoneyAmountField


class PurchaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=PurchaseKind.choices)
    description = serializers.CharField()
    amount = DecimalMoneyAmountField()
    bonus = DecimalMoneyAmountField()
    currency = serializers.CharField()
    gateway = serializers.CharField()
    status = serializers.ChoiceField(choices=PurchaseStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    refunded_amount = DecimalMoneyAmountField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    refunded_at = serializers.DateTimeField(allow_null=True)


class NoticeResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["paid", "failed", "already_paid"])
    detail = serializers.CharField()
