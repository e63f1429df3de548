"""Shopping credit over the API: my wallet and its history, top-up plans, buying one.

Always the signed-in member's own wallet: there is no id to change. A
domain error becomes a 400 naming the field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from loyalty.credit.adjusters import cap_rule_text
from loyalty.credit.forms import CreditHistoryFilter
from loyalty.credit.selectors import credit_history, credit_summary, topup_plans_on_sale
from loyalty.credit.serializers import (
    CreditEntrySerializer,
    CreditSummarySerializer,
    TopUpCreatedSerializer,
    TopUpCreateInputSerializer,
    TopUpPlanSerializer,
)
from loyalty.errors import PurchaseError
from loyalty.models import CreditEntryKind, Membership, PurchaseKind
from loyalty.purchases.api import purchase_started_response
from loyalty.services.membership import membership_ensure
from shop.core.api import form_errors, paginated_response


class MyCreditApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="loyalty_credit_retrieve",
        summary="My shopping credit",
        description=(
            "The signed-in member's shopping credit: what can be spent now, "
            "split into paid top-up money (never expires, refundable), top-up "
            "bonus and other credit, with the days it expires, and how much "
            "of an order credit may pay."
        ),
        responses={200: CreditSummarySerializer},
        tags=["loyalty"],
    )
    def get(self, request):
        membership = Membership.objects.filter(user=request.user).first()
        summary = credit_summary(membership=membership)
        body = {
            "balance": summary.balance,
            "currency": summary.currency,
            "paid": summary.paid,
            "bonus": summary.bonus,
            "other": summary.other,
            "expiries": summary.expiries,
            "rule": cap_rule_text(),
        }
        return Response(CreditSummarySerializer(body).data)


class MyCreditEntriesApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = []

    @extend_schema(
        operation_id="loyalty_credit_entries_list",
        summary="My shopping-credit history",
        description=(
            "The signed-in member's credit ledger, newest first. A bad `kind` "
            "is a 400 naming it."
        ),
        parameters=[
            OpenApiParameter(
                "kind",
                {"type": "string", "enum": CreditEntryKind.values},
                description="Only entries of this kind.",
            )
        ],
        responses={200: CreditEntrySerializer(many=True)},
        tags=["loyalty"],
    )
    def get(self, request):
        membership = membership_ensure(user=request.user)
        filterset = CreditHistoryFilter(
            request.query_params, queryset=credit_history(membership=membership)
        )
        if not filterset.is_valid():
            raise ValidationError(form_errors(filterset.errors))
        return paginated_response(
            view=self,
            queryset=filterset.qs,
            serializer_class=CreditEntrySerializer,
            context={"request": request},
        )


class TopUpPlanListApi(GenericAPIView):
    permission_classes = [AllowAny]
    filter_backends = []

    @extend_schema(
        operation_id="loyalty_topup_plans_list",
        summary="Top-up plans on sale",
        description=(
            "“Top up NT$1,000, get NT$1,100”: each plan's price, bonus and how "
            "long the bonus stays usable. The paid part never expires."
        ),
        responses={200: TopUpPlanSerializer(many=True)},
        auth=[],
        tags=["loyalty"],
    )
    def get(self, request):
        return paginated_response(
            view=self,
            queryset=topup_plans_on_sale(),
            serializer_class=TopUpPlanSerializer,
        )


class TopUpCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="loyalty_topups_create",
        summary="Buy a top-up",
        description=(
            "Starts a purchase of the plan and answers with where to pay it. "
            "The credit arrives when the provider confirms the payment. A plan "
            "not on sale is a 400 on `plan`, an unknown payment method one on "
            "`gateway`."
        ),
        request=TopUpCreateInputSerializer,
        responses={201: TopUpCreatedSerializer},
        tags=["loyalty"],
    )
    def post(self, request):
        serializer = TopUpCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = topup_plans_on_sale().filter(pk=data["plan"]).first()
        if plan is None:
            raise ValidationError(
                {"plan": [_("This plan is not on sale. Choose another one.")]}
            )
        try:
            return purchase_started_response(
                request,
                kind=PurchaseKind.TOPUP,
                plan=plan,
                gateway=data.get("gateway"),
                serializer_class=TopUpCreatedSerializer,
            )
        except PurchaseError as error:
            raise ValidationError(
                {error.field or "non_field_errors": [error.message]}
            ) from error
