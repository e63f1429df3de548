"""API shapes of coupons: a voucher of "My coupons", and applying a coupon."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from loyalty.coupons.selectors import (
    EXPIRED,
    MAX_CODE_LENGTH,
    USABLE,
    USED,
    voucher_option,
)
from loyalty.coupons.texts import (
    coupon_benefit,
    coupon_terms,
    expiry_days,
    expiry_text,
)
from loyalty.models import CouponKind
from loyalty.serializers import ShopMoneyField
from shop.checkout.serializers import QuoteRequestSerializer, QuoteSerializer
from shop.core.api import MoneyAmountField

VOUCHER_STATES = [
    (USABLE, _("Usable")),
    (USED, _("Used")),
    (EXPIRED, _("Expired")),
]


class VoucherSerializer(serializers.Serializer):
    """A voucher of the member's wallet (reads a MemberCoupon of `member_coupons`)."""

    id = serializers.IntegerField()
    option = serializers.SerializerMethodField(
        help_text='Send as `options.coupon` at checkout to use it, e.g. "v:12".'
    )
    name = serializers.CharField(source="coupon.name")
    description = serializers.CharField(source="coupon.description")
    kind = serializers.ChoiceField(source="coupon.kind", choices=CouponKind.choices)
    value = serializers.DecimalField(
        source="coupon.value",
        max_digits=12,
        decimal_places=2,
        help_text="Percent for `percent`, an amount for `fixed`, 0 for `shipping`.",
    )
    max_discount = ShopMoneyField(source="coupon.max_discount", allow_null=True)
    min_spend = ShopMoneyField(source="coupon.min_spend")
    benefit = serializers.SerializerMethodField(
        help_text='What it gives in words, e.g. "10% off, up to NT$200".'
    )
    terms = serializers.SerializerMethodField(
        help_text="Its conditions and stacking rules in words."
    )
    state = serializers.ChoiceField(choices=VOUCHER_STATES)
    issued_at = serializers.DateTimeField()
    expires_at = serializers.SerializerMethodField(
        help_text="When it can no longer be used; null: no expiry."
    )
    expires_in_days = serializers.SerializerMethodField(
        help_text="Days (the shop's calendar) left; 0 is today; null: no expiry."
    )
    expiry = serializers.SerializerMethodField(
        help_text='In words, e.g. "Expires in 3 days".'
    )
    used_at = serializers.DateTimeField(allow_null=True)
    order = serializers.CharField(
        source="order.number",
        allow_null=True,
        default=None,
        help_text="The number of the order that used it.",
    )

    def _now(self):
        return self.context.get("now") or timezone.now()

    def get_option(self, voucher) -> str:
        return voucher_option(voucher)

    def get_benefit(self, voucher) -> str:
        return coupon_benefit(voucher.coupon)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_terms(self, voucher):
        return coupon_terms(voucher.coupon)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_expires_at(self, voucher):
        ends = [m for m in (voucher.expires_at, voucher.coupon.ends_at) if m]
        return (
            serializers.DateTimeField().to_representation(min(ends)) if ends else None
        )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_expires_in_days(self, voucher):
        return expiry_days(voucher, now=self._now())

    def get_expiry(self, voucher) -> str:
        return expiry_text(voucher, now=self._now())


class CouponApplySerializer(QuoteRequestSerializer):
    """A coupon to price items (or the cart) with, and the rest of a quote request."""

    coupon = serializers.CharField(
        max_length=MAX_CODE_LENGTH + 10,
        help_text='A code as typed (any case), or "v:<id>" for a voucher of the '
        "member's wallet (its `option` in My coupons).",
    )

    def chosen_options(self) -> dict:
        return {**super().chosen_options(), "coupon": self.validated_data["coupon"]}


class AppliedCouponSerializer(serializers.Serializer):
    option = serializers.CharField(
        source="applied", help_text="What to send as `options.coupon` from now on."
    )
    label = serializers.CharField(source="applied_label")
    benefit = serializers.CharField(source="applied_benefit")
    terms = serializers.ListField(child=serializers.CharField())
    free_shipping = serializers.BooleanField()


class CouponAppliedSerializer(serializers.Serializer):
    """The coupon as it applies, and the quote priced with it."""

    coupon = AppliedCouponSerializer()
    discount = MoneyAmountField(
        help_text="What the coupon takes off the items (0 for free shipping)."
    )
    quote = QuoteSerializer()
