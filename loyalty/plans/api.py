"""Paid membership over the API: plans, my membership, buy, cancel, refund.

Always the signed-in member's own periods: a period id of someone else is a
404. Rules live in the services; a domain error becomes a 400 naming the
field (`plan`, `gateway`, `id`) or, for a refusal about the membership
itself, `detail`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from loyalty.errors import PlanError
from loyalty.models import PaidMembership, PurchaseKind
from loyalty.plans import services
from loyalty.plans.selectors import (
    membership_plans_on_sale,
    paid_membership_state,
)
from loyalty.plans.serializers import (
    MembershipPlanSerializer,
    PaidMembershipStateSerializer,
    PaidPeriodSerializer,
    PlanPurchaseCreatedSerializer,
    PlanPurchaseInputSerializer,
    PlanRefundInputSerializer,
)
from loyalty.purchases.api import purchase_started_response


def _state_body(state) -> dict:
    return {
        "current": state.current,
        "queued": state.queued,
        "can_buy": state.can_buy,
        "buy_refusal": state.buy_refusal,
        "renewal_opens_at": state.renewal_opens_at,
    }


class MembershipPlanListApi(GenericAPIView):
    permission_classes = [AllowAny]
    filter_backends = []

    @extend_schema(
        operation_id="loyalty_membership_plans_list",
        summary="Paid membership plans on sale",
        description=(
            "The plans a member can buy, in the shop's order: price per period, "
            "free shipping, extra discount and the tier held at least while the "
            "plan runs, also in words (in the request's language)."
        ),
        responses={200: MembershipPlanSerializer(many=True)},
        auth=[],
        tags=["loyalty"],
    )
    def get(self, request):
        page = self.paginate_queryset(membership_plans_on_sale())
        return self.get_paginated_response(
            MembershipPlanSerializer(page, many=True).data
        )


class MyPaidMembershipApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="loyalty_paid_membership_retrieve",
        summary="My paid membership",
        description=(
            "The period holding benefits now and a paid period waiting behind "
            "it, each with whether it can be refunded (the one-time refund) and "
            "why not; whether a plan can be bought now (renewal opens some days "
            "before the end) and why not."
        ),
        responses={200: PaidMembershipStateSerializer},
        tags=["loyalty"],
    )
    def get(self, request):
        state = paid_membership_state(user=request.user)
        return Response(
            PaidMembershipStateSerializer(
                _state_body(state), context={"refund_refusals": state.refund_refusals}
            ).data
        )


class PaidMembershipPurchaseCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="loyalty_paid_membership_purchases_create",
        summary="Buy or renew a paid membership",
        description=(
            "Starts a purchase of the plan and answers with where to pay it. "
            "The period starts when the provider confirms the payment (after "
            "the current one when renewing). A plan not on sale, or renewal not "
            "open yet, is a 400 on `plan`; an unknown payment method one on "
            "`gateway`."
        ),
        request=PlanPurchaseInputSerializer,
        responses={201: PlanPurchaseCreatedSerializer},
        tags=["loyalty"],
    )
    def post(self, request):
        serializer = PlanPurchaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = next(
            (p for p in membership_plans_on_sale() if p.code == data["plan"]), None
        )
        if plan is None:
            raise ValidationError(
                {"plan": [_("This plan is not on sale. Choose another one.")]}
            )
        services.paid_membership_purchase_check(user=request.user, plan=plan)
        return purchase_started_response(
            request,
            kind=PurchaseKind.MEMBERSHIP,
            plan=plan,
            gateway=data.get("gateway"),
            serializer_class=PlanPurchaseCreatedSerializer,
        )


def _period_response(period: PaidMembership, user) -> Response:
    state = paid_membership_state(user=user)
    return Response(
        PaidPeriodSerializer(
            period, context={"refund_refusals": state.refund_refusals}
        ).data
    )


class PaidMembershipCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="loyalty_paid_membership_cancel",
        summary="Cancel my paid membership",
        description=(
            "Cancels at the end of the period: the benefits hold until "
            "`ends_at`, and nothing renews. Cancelling again changes nothing. "
            "Without a paid membership running it is a 400."
        ),
        request=None,
        responses={200: PaidPeriodSerializer},
        tags=["loyalty"],
    )
    def post(self, request):
        period = paid_membership_state(user=request.user).last
        if period is None:
            raise PlanError(
                _("You have no paid membership to cancel."), code="no_membership"
            )
        period = services.paid_membership_cancel(
            paid_membership=period, actor=request.user
        )
        return _period_response(period, request.user)


class PaidMembershipRefundApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="loyalty_paid_membership_refund",
        summary="Refund my paid membership (one-time)",
        description=(
            "Refunds a period in full and ends its benefits now, if it was "
            "bought within the refund window, no order used its benefits, and "
            "the account has had no refund before. Otherwise a 400 saying why. "
            "Another member's period is a 404."
        ),
        request=PlanRefundInputSerializer,
        responses={200: PaidPeriodSerializer},
        tags=["loyalty"],
    )
    def post(self, request):
        serializer = PlanRefundInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period_id = serializer.validated_data.get("id")
        if period_id is None:
            period = paid_membership_state(user=request.user).last
            if period is None:
                raise PlanError(
                    _("You have no paid membership to refund."),
                    code="no_membership",
                )
        else:
            period = PaidMembership.objects.filter(
                pk=period_id, user_id=request.user.pk
            ).first()
            if period is None:
                raise NotFound(_("No such paid membership."))
        period = services.paid_membership_refund(
            paid_membership=period, actor=request.user
        )
        return _period_response(period, request.user)
