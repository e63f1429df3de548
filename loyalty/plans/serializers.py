"""API shapes of paid membership: plans, my periods, buying, cancelling, refunding."""

from __future__ import annotations

from rest_framework import serializers

from loyalty.models import PaidMembershipStatus, PlanPeriod
from loyalty.plans.periods import period_last_day
from loyalty.plans.selectors import (
    paid_membership_refund_until,
    plan_benefit_texts,
    plan_price_text,
)
from loyalty.purchases.serializers import PurchaseSerializer
from loyalty.selectors.programme import tiers_active
from shop.core.api import DecimalMoneyAmountField


class MembershipPlanSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    period = serializers.ChoiceField(choices=PlanPeriod.choices)
    price = DecimalMoneyAmountField(currency_from=None)
    price_text = serializers.SerializerMethodField(
        help_text='The price per period in words, e.g. "NT$199 a month".'
    )
    free_shipping = serializers.BooleanField()
    extra_discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    min_tier_code = serializers.CharField(
        help_text="The tier held at least while the plan runs; empty for none."
    )
    min_tier_name = serializers.SerializerMethodField()
    benefits = serializers.SerializerMethodField(
        help_text="The benefits in words, in the request's language."
    )

    def get_price_text(self, plan) -> str:
        return plan_price_text(plan)

    def get_min_tier_name(self, plan) -> str:
        tier = next((t for t in tiers_active() if t.code == plan.min_tier_code), None)
        return tier.display_name if tier is not None else ""

    def get_benefits(self, plan) -> list[str]:
        return plan_benefit_texts(plan)


class PlanRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    period = serializers.ChoiceField(choices=PlanPeriod.choices)


class PaidPeriodSerializer(serializers.Serializer):
    """A paid period; `refund_refusals` in the context says if it is refundable."""

    id = serializers.IntegerField()
    plan = PlanRefSerializer()
    status = serializers.ChoiceField(choices=PaidMembershipStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(help_text="Benefits end at this instant.")
    last_day = serializers.SerializerMethodField(
        help_text="The last day with benefits, in the shop's time zone."
    )
    cancelled_at = serializers.DateTimeField(allow_null=True)
    benefit_used_at = serializers.DateTimeField(allow_null=True)
    purchase_number = serializers.CharField(source="purchase.number")
    amount = DecimalMoneyAmountField(
        source="purchase.amount", currency_from="purchase.currency"
    )
    refundable = serializers.SerializerMethodField()
    refund_refusal = serializers.SerializerMethodField(
        help_text="Why it cannot be refunded now; empty when it can."
    )
    refund_until = serializers.SerializerMethodField(
        help_text="The last day of the refund window."
    )

    def get_last_day(self, period) -> str:
        return period_last_day(period.ends_at).isoformat()

    def _refusal(self, period) -> str:
        refusals = self.context.get("refund_refusals") or {}
        return refusals.get(period.pk, "")

    def get_refundable(self, period) -> bool:
        return period.pk in (self.context.get("refund_refusals") or {}) and not (
            self._refusal(period)
        )

    def get_refund_refusal(self, period) -> str:
        return self._refusal(period)

    def get_refund_until(self, period) -> str:
        return period_last_day(paid_membership_refund_until(period)).isoformat()


class PaidMembershipStateSerializer(serializers.Serializer):
    current = PaidPeriodSerializer(allow_null=True)
    queued = PaidPeriodSerializer(
        allow_null=True, help_text="A paid period starting when `current` ends."
    )
    can_buy = serializers.BooleanField()
    buy_refusal = serializers.CharField(
        help_text="Why a plan cannot be bought now; empty when it can."
    )
    renewal_opens_at = serializers.DateTimeField(allow_null=True)


class PlanPurchaseInputSerializer(serializers.Serializer):
    plan = serializers.SlugField(max_length=30, help_text="A plan's code.")
    gateway = serializers.CharField(
        max_length=30,
        required=False,
        help_text="The payment method's code; left out: the first that takes "
        "purchases.",
    )


class PlanPurchaseCreatedSerializer(serializers.Serializer):
    purchase = PurchaseSerializer()
    payment_url = serializers.CharField(
        help_text="Send the member here to pay; the provider's notice starts the "
        "period."
    )


class PlanRefundInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The period to refund; left out: the latest one.",
    )
