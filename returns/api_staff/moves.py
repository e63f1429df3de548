"""The staff API's moves: one POST per move of a request, a note, the refund.

Each is one service call; a refusal (`ReturnError`) is a 400 naming the
field, and a move answers with the request as it is now.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from loyalty.api import HasStaffPermission
from returns import services
from returns.admin.staff import (
    ADD_NOTE,
    ADD_REFUND,
    CHANGE_REFUND,
    CHANGE_REQUEST,
)
from returns.api_staff.common import (
    TAGS,
    detail_data,
    found,
    refused,
)
from returns.errors import ReturnError
from returns.models import ReturnRequest
from returns.serializers_staff import (
    ApproveSerializer,
    InspectSerializer,
    NoteSerializer,
    ReceiveSerializer,
    RefundIssueSerializer,
    RejectSerializer,
    StaffNoteSerializer,
    StaffRefundSerializer,
    StaffReturnDetailSerializer,
    TransferPaidSerializer,
)
from returns.services.refunds import refund_issue, refund_transfer_paid


class StaffMoveApi(APIView):
    """One move: validate `input_serializer`, call `move()`, answer the request."""

    permission_classes = [HasStaffPermission]
    required_permission = CHANGE_REQUEST
    input_serializer = None
    # The service's field names, as this endpoint calls them.
    field_names: dict[str, str] = {}

    def move(self, obj: ReturnRequest, data: dict):
        raise NotImplementedError

    def post(self, request, number: str):
        obj = found(number)
        data = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        try:
            self.move(obj, data)
        except ReturnError as error:
            raise refused(error, self.field_names) from error
        return Response(detail_data(request, found(number)))


def _move_schema(operation: str, summary: str, description: str, body=None):
    return extend_schema(
        operation_id=f"returns_staff_{operation}",
        summary=summary,
        description=description,
        request=body,
        responses={200: StaffReturnDetailSerializer},
        tags=TAGS,
    )


class StaffApproveApi(StaffMoveApi):
    input_serializer = ApproveSerializer

    @_move_schema(
        "approve",
        "Approve a return",
        "The customer is emailed how to send it back (a return code for the "
        "convenience-store method) and by when.",
        ApproveSerializer,
    )
    def post(self, request, number: str):
        return super().post(request, number)

    def move(self, obj, data):
        services.return_request_approve(
            request=obj, actor=self.request.user, note=data.get("note", "")
        )


class StaffRejectApi(StaffMoveApi):
    input_serializer = RejectSerializer

    @_move_schema(
        "reject",
        "Reject a return",
        "The reason is emailed to the customer; stock held for an exchange goes "
        "back on sale.",
        RejectSerializer,
    )
    def post(self, request, number: str):
        return super().post(request, number)

    def move(self, obj, data):
        services.return_request_reject(
            request=obj, actor=self.request.user, reason=data["reason"]
        )


class StaffReceiveApi(StaffMoveApi):
    input_serializer = ReceiveSerializer
    field_names = {"units": "received"}

    @_move_schema(
        "receive",
        "Record a parcel",
        "The units in it and the units missing from it; may be called once per "
        "parcel. The first sets the refund deadline.",
        ReceiveSerializer,
    )
    def post(self, request, number: str):
        return super().post(request, number)

    def move(self, obj, data):
        services.return_units_receive(
            request=obj,
            received_unit_ids=data["received"],
            missing_unit_ids=data["missing"],
            actor=self.request.user,
        )


class StaffInspectApi(StaffMoveApi):
    input_serializer = InspectSerializer
    field_names = {"units": "conditions"}

    @_move_schema(
        "inspect",
        "Record the inspection",
        '"restock" puts a unit back into stock at once. Once every unit is '
        "inspected or missing, the return is inspected.",
        InspectSerializer,
    )
    def post(self, request, number: str):
        return super().post(request, number)

    def move(self, obj, data):
        services.return_units_inspect(
            request=obj,
            conditions={row["unit"]: row["condition"] for row in data["conditions"]},
            actor=self.request.user,
        )


class StaffExchangeApi(StaffMoveApi):
    @_move_schema(
        "exchange",
        "Send the exchange",
        "An inspected exchange: the held replacements go out and the return is "
        "resolved.",
    )
    def post(self, request, number: str):
        return super().post(request, number)

    def move(self, obj, data):
        services.exchange_fulfil(request=obj, actor=self.request.user)


class StaffCloseApi(StaffMoveApi):
    @_move_schema(
        "close",
        "Close a return",
        "A resolved return; refused while a bank transfer is still to be paid "
        "(closing forgets the account).",
    )
    def post(self, request, number: str):
        return super().post(request, number)

    def move(self, obj, data):
        services.return_request_close(request=obj, actor=self.request.user)


class StaffTransferPaidApi(StaffMoveApi):
    input_serializer = TransferPaidSerializer
    required_permission = CHANGE_REFUND

    @_move_schema(
        "transfer_paid",
        "Record a bank transfer",
        "The refund's bank transfer was paid: the refund succeeds and the "
        "customer's bank account is forgotten.",
        TransferPaidSerializer,
    )
    def post(self, request, number: str):
        return super().post(request, number)

    def move(self, obj, data):
        refund = next((r for r in obj.refunds.all() if r.pk == data["refund"]), None)
        if refund is None:
            raise ReturnError(_("No such refund on this return."), field="refund")
        refund_transfer_paid(
            refund=refund, actor=self.request.user, reference=data["reference"]
        )


class StaffNoteApi(StaffMoveApi):
    input_serializer = NoteSerializer
    required_permission = ADD_NOTE

    @extend_schema(
        operation_id="returns_staff_note",
        summary="Add a staff note",
        description="Staff only: the customer never sees notes.",
        request=NoteSerializer,
        responses={201: StaffNoteSerializer},
        tags=TAGS,
    )
    def post(self, request, number: str):
        obj = found(number)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            note = services.return_note_add(
                request=obj, author=request.user, text=serializer.validated_data["text"]
            )
        except ReturnError as error:
            raise refused(error) from error
        return Response(StaffNoteSerializer(note).data, status=201)


class StaffRefundApi(APIView):
    permission_classes = [HasStaffPermission]
    required_permission = ADD_REFUND

    @extend_schema(
        operation_id="returns_staff_refund",
        summary="Refund an inspected return",
        description=(
            "Writes the refund (points, credit and money back, earned points "
            "taken back) and resolves the return; then asks the payment provider, "
            "or leaves a bank transfer to pay. Sending it again with the same "
            "idempotency key (body or `Idempotency-Key` header) returns the same "
            "refund and, for one the provider has not confirmed, asks it again."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="The same as `idempotency_key` in the body.",
            )
        ],
        request=RefundIssueSerializer,
        responses={200: StaffRefundSerializer},
        tags=TAGS,
    )
    def post(self, request, number: str):
        obj = found(number)
        data = request.data.copy() if hasattr(request.data, "copy") else {}
        header = request.headers.get("Idempotency-Key")
        # A body that is not an object (a JSON list) is the serializer's 400.
        if header and isinstance(data, dict) and not data.get("idempotency_key"):
            data["idempotency_key"] = header
        serializer = RefundIssueSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        try:
            refund = refund_issue(
                request=obj,
                actor=request.user,
                idempotency_key=serializer.validated_data.get("idempotency_key"),
            )
        except ReturnError as error:
            raise refused(error) from error
        return Response(StaffRefundSerializer(refund).data)
