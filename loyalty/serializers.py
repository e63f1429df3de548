"""API shapes of the loyalty programme.

Output serializers read the selectors' dataclasses (`MemberOverview`,
`TierBenefits`) and ledger rows; the one input is a staff points adjustment.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from loyalty.models import (
    PointsEntryKind,
    PointsLotStatus,
    QualifyWindow,
    TierValidity,
)
from loyalty.selectors.member import progress_keep_text, progress_next_text
from shop.core.api import DecimalMoneyAmountField

# Largest single adjustment: a typing slip of a few zeros is refused, not booked.
ADJUST_MAX = 1_000_000
_KEY = re.compile(r"^[-\w:.]+\Z", re.ASCII)


class ShopMoneyField(DecimalMoneyAmountField):
    """A Decimal in the shop's currency, as a string (`"1240"`)."""

    def __init__(self, **kwargs):
        super().__init__(currency_from=None, **kwargs)


# --- Tiers --------------------------------------------------------------------


class TierRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    rank = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class TierSerializer(serializers.Serializer):
    """A row of the tier table (reads `TierBenefits`)."""

    code = serializers.CharField(source="tier.code")
    rank = serializers.IntegerField(source="tier.rank")
    name = serializers.CharField(source="tier.display_name")
    discount_percent = serializers.DecimalField(
        source="tier.discount_percent", max_digits=5, decimal_places=2
    )
    points_multiplier = serializers.DecimalField(
        source="tier.points_multiplier", max_digits=4, decimal_places=2
    )
    points_per_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Points earned for every `earn_per_amount` paid (multiplier "
        "included).",
    )
    earn_per_amount = ShopMoneyField(
        help_text="The amount paid that earns `points_per_amount` points."
    )
    free_shipping_threshold = ShopMoneyField(
        source="tier.free_shipping_threshold",
        allow_null=True,
        help_text="Orders from this amount ship free; 0 every order; null the "
        "shipping method's own threshold.",
    )
    earn = serializers.CharField(help_text="The points earned in words.")
    free_shipping = serializers.CharField(help_text="The threshold in words.")
    qualify_spend = ShopMoneyField(source="tier.qualify_spend", allow_null=True)
    qualify_orders = serializers.IntegerField(
        source="tier.qualify_orders", allow_null=True
    )
    qualify_requires_both = serializers.BooleanField(
        source="tier.qualify_requires_both"
    )
    qualify_window = serializers.ChoiceField(
        source="tier.qualify_window", choices=QualifyWindow.choices
    )
    qualify_window_months = serializers.IntegerField(
        source="tier.qualify_window_months"
    )
    qualify_single_order = ShopMoneyField(
        source="tier.qualify_single_order", allow_null=True
    )
    retain_spend = ShopMoneyField(source="tier.retain_spend", allow_null=True)
    validity = serializers.ChoiceField(
        source="tier.validity", choices=TierValidity.choices
    )
    validity_months = serializers.IntegerField(source="tier.validity_months")
    how_to_qualify = serializers.CharField()
    how_to_keep = serializers.CharField()


# --- Membership ---------------------------------------------------------------


class PointsOnDateSerializer(serializers.Serializer):
    date = serializers.DateField(source="on", allow_null=True)
    points = serializers.IntegerField()


class PointsBalanceSerializer(serializers.Serializer):
    available = serializers.IntegerField()
    pending = serializers.IntegerField()
    releases = PointsOnDateSerializer(
        many=True,
        help_text="Pending points by the day they become available, soonest "
        "first; date null: the order is not delivered yet.",
    )
    expiries = PointsOnDateSerializer(
        many=True,
        help_text="Available points by the last day they can be used, soonest "
        "first; points that never expire are left out.",
    )
    expiring_soon = serializers.IntegerField(
        help_text="Points whose last day is on or before `expiring_soon_until`."
    )
    expiring_soon_until = serializers.DateField()


class TierProgressSerializer(serializers.Serializer):
    next_tier = TierRefSerializer(allow_null=True)
    next_spend_needed = ShopMoneyField(allow_null=True)
    next_orders_needed = serializers.IntegerField(allow_null=True)
    next_percent = serializers.IntegerField(min_value=0, max_value=100)
    window_starts_on = serializers.DateField(
        allow_null=True, help_text="The first day of the next tier's window."
    )
    window_ends_on = serializers.DateField(
        allow_null=True,
        help_text="The deadline of a calendar-year window; null for a rolling one.",
    )
    spend_in_window = ShopMoneyField()
    orders_in_window = serializers.IntegerField()
    retain_spend_needed = ShopMoneyField(
        allow_null=True,
        help_text="null: the tier does not expire or has no spend rule.",
    )
    retain_percent = serializers.IntegerField(allow_null=True)
    retain_by = serializers.DateField(allow_null=True)
    spend_in_validity = ShopMoneyField(
        help_text="Spend that counts towards keeping the tier, so far."
    )
    next_text = serializers.SerializerMethodField()
    keep_text = serializers.SerializerMethodField()

    def get_next_text(self, progress) -> str:
        return progress_next_text(progress)

    def get_keep_text(self, progress) -> str:
        return progress_keep_text(progress)


class MembershipSerializer(serializers.Serializer):
    """Reads a `MemberOverview`."""

    tier = TierRefSerializer(source="progress.tier")
    tier_since = serializers.DateTimeField(source="membership.tier_since")
    tier_expires_on = serializers.DateField(
        source="progress.expires_on",
        allow_null=True,
        help_text="The last day the tier holds; null: it does not expire.",
    )
    joined_at = serializers.DateTimeField(source="membership.joined_at")
    points = PointsBalanceSerializer()
    progress = TierProgressSerializer()


class CustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()


class MemberDetailSerializer(MembershipSerializer):
    """A customer's membership for the back office (reads a `MemberOverview`)."""

    customer = CustomerSerializer(source="membership.user")
    total_spend = ShopMoneyField(source="membership.total_spend")
    order_count = serializers.IntegerField(source="membership.order_count")
    last_order_at = serializers.DateTimeField(
        source="membership.last_order_at", allow_null=True
    )


# --- Points ledger ------------------------------------------------------------


class OrderRefSerializer(serializers.Serializer):
    number = serializers.CharField()
    url = serializers.CharField(help_text="The member's page of the order.")


@extend_schema_field(OrderRefSerializer(allow_null=True))
class OrderRefField(serializers.Field):
    """The order a ledger entry (points, credit) belongs to: number and URL, or null.

    The URL is absolute when the serializer has the request in its context.
    """

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, order):
        request = self.context.get("request")
        path = order.get_absolute_url()
        return {
            "number": order.number,
            "url": request.build_absolute_uri(path) if request else path,
        }


class PointsEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=PointsEntryKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    reason = serializers.CharField()
    points = serializers.IntegerField(help_text="Change to the available points.")
    pending_points = serializers.IntegerField(help_text="Change to the pending points.")
    available_at = serializers.SerializerMethodField()
    order = OrderRefField()

    @extend_schema_field(
        {
            "type": "string",
            "format": "date-time",
            "nullable": True,
            "description": "Points this entry made pending become available then; "
            "null once available, or before the order is delivered.",
        }
    )
    def get_available_at(self, entry):
        lot = entry.lot
        if entry.pending_points <= 0 or lot is None:
            return None
        if lot.status != PointsLotStatus.PENDING or lot.available_at is None:
            return None
        return serializers.DateTimeField().to_representation(lot.available_at)


class PointsAdjustmentInputSerializer(serializers.Serializer):
    points = serializers.IntegerField(
        min_value=-ADJUST_MAX,
        max_value=ADJUST_MAX,
        help_text="Points to add (positive) or take away (negative); not 0.",
    )
    reason = serializers.CharField(
        max_length=255,
        help_text="Why; shown to the member in their points history and kept "
        "for the audit.",
    )
    idempotency_key = serializers.CharField(
        required=False,
        max_length=80,
        help_text="A key of the client's choosing: the same key twice books "
        "the adjustment once.",
    )

    def validate_points(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError(_("Enter a number other than 0."))
        return value

    def validate_idempotency_key(self, value: str) -> str:
        if not _KEY.match(value):
            raise serializers.ValidationError(
                _("Use letters, digits, “-”, “_”, “:” and “.” only.")
            )
        return value


class PointsAdjustmentSerializer(serializers.Serializer):
    entry = PointsEntrySerializer()
    points_available = serializers.IntegerField()
    points_pending = serializers.IntegerField()
