"""The staff API's reads: the queue, a request, the refund preview."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from loyalty.api import HasStaffPermission
from returns.admin.staff import VIEW_REQUEST
from returns.api_staff.common import (
    TAGS,
    detail_data,
    found,
    refused,
)
from returns.errors import ReturnError
from returns.selectors import return_history_for_customers, staff_queue
from returns.serializers_staff import (
    QueueFilterSerializer,
    QueueItemSerializer,
    StaffRefundPreviewSerializer,
    StaffReturnDetailSerializer,
)
from returns.services.refunds import refund_key, refund_preview


class StaffQueueApi(GenericAPIView):
    permission_classes = [HasStaffPermission]
    required_permission = VIEW_REQUEST
    filter_backends = []

    @extend_schema(
        operation_id="returns_staff_queue",
        summary="The returns queue",
        description=(
            "Returns whose refund is due first come first, then the oldest. "
            "Each row has the customer's return history (a serial returner is "
            "flagged). An unknown filter value is a 400."
        ),
        parameters=[QueueFilterSerializer],
        responses={200: QueueItemSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        filters = QueueFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(staff_queue(params=filters.validated_data))
        histories = return_history_for_customers(user_ids={row.user_id for row in page})
        data = QueueItemSerializer(
            page, many=True, context={"request": request, "histories": histories}
        ).data
        return self.get_paginated_response(data)


class StaffReturnApi(APIView):
    permission_classes = [HasStaffPermission]
    required_permission = VIEW_REQUEST

    @extend_schema(
        operation_id="returns_staff_retrieve",
        summary="A return, for staff",
        description=(
            "Items with photos and units, timeline, notes, refunds, the "
            "customer's other returns and the moves the caller can make now. "
            "The bank account is masked."
        ),
        responses={200: StaffReturnDetailSerializer},
        tags=TAGS,
    )
    def get(self, request, number: str):
        return Response(detail_data(request, found(number)))


class StaffRefundPreviewApi(APIView):
    permission_classes = [HasStaffPermission]
    required_permission = VIEW_REQUEST

    @extend_schema(
        operation_id="returns_staff_refund_preview",
        summary="Preview the refund",
        description=(
            "Every figure the refund would have now: per line the units, their "
            "value after each discount's share and how they were paid; shipping, "
            "fees, points given back and taken back, the deduction for spent "
            "points, and the split between points, credit and the payment. An "
            "estimate (`estimate`) until the units are inspected."
        ),
        responses={200: StaffRefundPreviewSerializer},
        tags=TAGS,
    )
    def get(self, request, number: str):
        obj = found(number)
        try:
            preview = refund_preview(request=obj)
        except ReturnError as error:
            raise refused(error) from error
        context = {
            "currency": preview.currency,
            "key": refund_key(request=obj, units=preview.unit_keys),
        }
        return Response(StaffRefundPreviewSerializer(preview, context=context).data)
