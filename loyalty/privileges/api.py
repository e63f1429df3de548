"""Member-day status over the API: GET /api/loyalty/member-day/."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from loyalty.models import CouponKind
from loyalty.privileges.selectors import member_day_coupons, member_day_status
from loyalty.serializers import ShopMoneyField


class MemberDayCouponSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField(
        help_text="What to type at checkout; empty for a voucher in the wallet."
    )
    option = serializers.CharField(
        help_text='Send as `options.coupon` at checkout to use it, e.g. "v:12".'
    )
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=CouponKind.choices)
    value = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Percent off for `percent`, an amount for `fixed`.",
    )
    min_spend = ShopMoneyField()
    expires_at = serializers.DateTimeField(allow_null=True)


class MemberDayStatusSerializer(serializers.Serializer):
    is_member_day = serializers.BooleanField()
    today = serializers.DateField(help_text="The shop's date (its time zone).")
    next_member_day = serializers.DateField(
        allow_null=True, help_text="The next scheduled member day after today."
    )
    schedule = serializers.CharField(help_text="The schedule in words.")
    extra_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="The member's extra discount on a member day; null for guests.",
    )
    points_multiplier = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        allow_null=True,
        help_text="Times the tier's points on a member day; null for guests.",
    )
    benefits = serializers.CharField(source="benefits_text")
    coupons_only_today = MemberDayCouponSerializer(many=True)


class MemberDayStatusApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="loyalty_member_day_retrieve",
        summary="Member day status",
        description=(
            "Whether today (the shop's date) is a member day (會員日), the next "
            "one, and for a signed-in member their tier's member-day benefits "
            "and the member-day-only coupons they can use today (empty on "
            "other days). Guests get the schedule without tier benefits."
        ),
        responses={200: MemberDayStatusSerializer},
        tags=["loyalty"],
    )
    def get(self, request):
        now = timezone.now()
        member = request.user.is_authenticated
        shopper = request.shopper if member else None
        status = member_day_status(shopper=shopper, now=now)
        coupons = (
            member_day_coupons(user=request.user, tier=status.tier, now=now)
            if member and status.is_member_day
            else []
        )
        data = {
            "is_member_day": status.is_member_day,
            "today": status.today,
            "next_member_day": status.next_member_day,
            "schedule": status.schedule,
            "extra_percent": status.extra_percent,
            "points_multiplier": status.points_multiplier,
            "benefits_text": status.benefits_text,
            "coupons_only_today": coupons,
        }
        return Response(MemberDayStatusSerializer(data).data)
