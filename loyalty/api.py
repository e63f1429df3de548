"""The loyalty programme over the API.

A member reads their own membership and points history (always the signed-in
member's: there is no id to change); anybody reads the tier table; staff with
the right permission read any customer's membership and adjust points. Rules
live in the services; a `LoyaltyError` they raise becomes a 400 naming the
field.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from loyalty.errors import LoyaltyError
from loyalty.forms import PointsHistoryFilter
from loyalty.models import Membership, PointsEntryKind
from loyalty.selectors.member import (
    member_overview,
    member_overview_for_staff,
    points_history,
    tier_benefits,
)
from loyalty.serializers import (
    MemberDetailSerializer,
    MembershipSerializer,
    PointsAdjustmentInputSerializer,
    PointsAdjustmentSerializer,
    PointsEntrySerializer,
    TierSerializer,
)
from loyalty.services import points as points_services
from loyalty.services.membership import membership_ensure
from shop.accounts.models import User
from shop.core.api import form_errors, paginated_response

POINTS_FILTER_PARAMETERS = [
    OpenApiParameter(
        "kind",
        {"type": "string", "enum": PointsEntryKind.values},
        description="Only entries of this kind.",
    ),
    OpenApiParameter(
        "date_from",
        OpenApiTypes.DATE,
        description="Entries on or after this day (the shop's time zone).",
    ),
    OpenApiParameter(
        "date_to",
        OpenApiTypes.DATE,
        description="Entries on or before this day (the shop's time zone).",
    ),
]


class HasStaffPermission(BasePermission):
    """Active staff holding the view's `required_permission` (`app_label.codename`).

    Signed out is a 401; signed in without the permission a 403.
    """

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm(view.required_permission)
        )


# --- The member's own -------------------------------------------------------------


class MyMembershipApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="loyalty_membership_retrieve",
        summary="My membership",
        description=(
            "The signed-in member's tier and its validity, points available, "
            "pending (by the day they become available) and expiring (by the last "
            "day they can be used), and the progress to the next tier and to "
            "keeping the current one."
        ),
        responses={200: MembershipSerializer},
        tags=["loyalty"],
    )
    def get(self, request):
        overview = member_overview(user=request.user)
        return Response(MembershipSerializer(overview).data)


class MyPointsListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    filter_backends = []

    @extend_schema(
        operation_id="loyalty_points_list",
        summary="My points history",
        description=(
            "The signed-in member's points ledger, newest first. Each entry "
            "changes the available points, the pending points, or both (pending "
            "points becoming available). A malformed filter is a 400 naming the "
            "parameter."
        ),
        parameters=POINTS_FILTER_PARAMETERS,
        responses={200: PointsEntrySerializer(many=True)},
        tags=["loyalty"],
    )
    def get(self, request):
        membership = membership_ensure(user=request.user)
        filterset = PointsHistoryFilter(
            request.query_params, queryset=points_history(membership=membership)
        )
        if not filterset.is_valid():
            raise ValidationError(form_errors(filterset.errors))
        return paginated_response(
            view=self,
            queryset=filterset.qs,
            serializer_class=PointsEntrySerializer,
            context={"request": request},
        )


# --- Public ---------------------------------------------------------------------


class TierListApi(GenericAPIView):
    permission_classes = [AllowAny]
    filter_backends = []

    @extend_schema(
        operation_id="loyalty_tiers_list",
        summary="The tier table",
        description=(
            "Every tier of the programme in force, lowest first: its benefits and "
            "the rules to reach and keep it, as values and in words (in the "
            "request's language)."
        ),
        responses={200: TierSerializer(many=True)},
        auth=[],
        tags=["loyalty"],
    )
    def get(self, request):
        page = self.paginate_queryset(tier_benefits())
        return self.get_paginated_response(TierSerializer(page, many=True).data)


# --- Back office ----------------------------------------------------------------


def _customer(user_id: int) -> User:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("No such customer."))
    return user


class MemberDetailApi(APIView):
    permission_classes = [HasStaffPermission]
    required_permission = "loyalty.view_membership"

    @extend_schema(
        operation_id="loyalty_members_retrieve",
        summary="A customer's membership",
        description=(
            "Staff with the permission to view members: a customer's tier, "
            "points, progress and spend. An unknown customer is a 404."
        ),
        responses={200: MemberDetailSerializer},
        tags=["loyalty admin"],
    )
    def get(self, request, user_id: int):
        overview = member_overview_for_staff(user_id=user_id)
        if overview is None:
            raise NotFound(_("No such customer."))
        return Response(MemberDetailSerializer(overview).data)


class PointsAdjustmentCreateApi(APIView):
    permission_classes = [HasStaffPermission]
    required_permission = "loyalty.adjust_points"

    @extend_schema(
        operation_id="loyalty_members_points_adjustments_create",
        summary="Adjust a customer's points",
        description=(
            "Staff with the permission to adjust points add or take away a "
            "customer's available points, with a reason the customer sees. "
            "Taking away more than the customer has is a 400 on `points`. Staff "
            "cannot adjust their own points. Sending the same `idempotency_key` "
            "again books nothing new and answers with the first entry."
        ),
        request=PointsAdjustmentInputSerializer,
        responses={201: PointsAdjustmentSerializer},
        tags=["loyalty admin"],
    )
    def post(self, request, user_id: int):
        customer = _customer(user_id)
        if customer.pk == request.user.pk:
            raise PermissionDenied(_("You cannot adjust your own points."))
        serializer = PointsAdjustmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = data.get("idempotency_key")
        try:
            entry = points_services.points_adjust(
                user=customer,
                points=data["points"],
                reason=data["reason"],
                actor=request.user,
                # Namespaced: a client's key can never match the ledger's own keys.
                idempotency_key=f"api-adjust:{key}" if key else None,
            )
        except LoyaltyError as error:
            raise ValidationError({error.field or "points": [error.message]}) from error
        balances = Membership.objects.values("points_available", "points_pending").get(
            pk=entry.membership_id
        )
        body = {"entry": entry, **balances}
        return Response(
            PointsAdjustmentSerializer(body, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
