"""A member's returns over the API: ask for one, list them, read one, cancel one.

Always the signed-in member's own: orders and returns are looked up among
theirs, so another member's return number is a 404, never a 403 that would
reveal it exists. The rules are `return_request_create`'s; its `ReturnError`
becomes a 400 naming the field, and for a line's error the line's position
in `lines`, as DRF names nested errors.
"""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from returns.errors import ReturnError
from returns.models import ReturnRequest
from returns.selectors import return_for_user, return_instructions, returns_for_user
from returns.serializers import (
    ReturnCreateMultipartSerializer,
    ReturnCreateSerializer,
    ReturnDetailSerializer,
    ReturnListSerializer,
)
from returns.services import (
    BankAccount,
    ReturnLineInput,
    return_request_cancel,
    return_request_create,
)
from returns.services.refunds import refund_preview
from returns.status import OPEN_STATUSES, SHOPPER_CANCELLABLE
from shop.core.api import paginated_response
from shop.orders.models import Order
from shop.orders.selectors import order_for_member

# The service's names for a line's fields, as the API calls them.
LINE_FIELDS = {
    "quantity": "quantity",
    "reason": "reason",
    "reason_text": "reason_text",
    "exchange_variant": "exchange_variant",
    "photos": "photos",
}
BANK_FIELDS = ("bank_code", "account_name", "account_number")


def _my_return(request, number: str) -> ReturnRequest:
    try:
        return return_for_user(user=request.user, number=number)
    except ReturnRequest.DoesNotExist as error:
        raise NotFound(_("No such return.")) from error


def _detail(request, return_request: ReturnRequest) -> dict:
    open_request = return_request.status in OPEN_STATUSES
    context = {
        "request": request,
        "preview": refund_preview(request=return_request) if open_request else None,
        "instructions": return_instructions(request=return_request),
        "refunds": list(return_request.refunds.all()),
        "can_cancel": return_request.status in SHOPPER_CANCELLABLE,
    }
    return ReturnDetailSerializer(return_request, context=context).data


def _error_body(error: ReturnError, lines: list[dict]) -> dict:
    """A service refusal in DRF's error shape, beside the field it names."""
    positions = {line["order_line"]: index for index, line in enumerate(lines)}
    index = positions.get(getattr(error, "line_id", None))
    if index is not None:
        entries: list[dict] = [{} for _line in lines]
        key = LINE_FIELDS.get(error.field or "", "non_field_errors")
        entries[index] = {key: [error.message]}
        return {"lines": entries}
    if error.field in BANK_FIELDS:
        return {"bank": {error.field: [error.message]}}
    return {error.field or "non_field_errors": [error.message]}


# The bank account (a JSON string in a multipart form) never goes into an
# error report; `dispatch` is where Django's own request passes.
@method_decorator(sensitive_post_parameters("bank"), name="dispatch")
class MyReturnListCreateApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser]
    filter_backends = []

    @extend_schema(
        operation_id="returns_list",
        summary="My returns",
        description="The signed-in member's returns, newest first.",
        responses={200: ReturnListSerializer(many=True)},
        tags=["returns"],
    )
    def get(self, request):
        return paginated_response(
            view=self,
            queryset=returns_for_user(user=request.user),
            serializer_class=ReturnListSerializer,
            context={"request": request},
        )

    @extend_schema(
        operation_id="returns_create",
        summary="Ask for a return",
        description=(
            "Return units of lines of one of the member's delivered orders, "
            "each with a reason, for a refund, shopping credit or an exchange. "
            "Send JSON, or multipart/form-data to add photos (at most 3 per "
            "line): then `lines` and `bank` are JSON strings and each file in "
            "`photos` has its order line at the same position in "
            "`photo_lines`. A refused line (window closed, not returnable, too "
            "many units, a bad photo) is a 400 at its position in `lines`; "
            "another member's order is a 400 on `order`."
        ),
        request={
            "application/json": ReturnCreateSerializer,
            "multipart/form-data": ReturnCreateMultipartSerializer,
        },
        responses={201: ReturnDetailSerializer},
        tags=["returns"],
    )
    def post(self, request):
        multipart = (request.content_type or "").startswith("multipart/")
        serializer_class = (
            ReturnCreateMultipartSerializer if multipart else ReturnCreateSerializer
        )
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            order = order_for_member(user=request.user, number=data["order"])
        except Order.DoesNotExist as error:
            raise ValidationError(
                {"order": [_("We could not find that order.")]}
            ) from error
        photos: dict[int, list] = {}
        for upload, line_id in zip(
            data.get("photos") or [], data.get("photo_lines") or [], strict=True
        ):
            photos.setdefault(line_id, []).append(upload)
        bank = data.get("bank")
        try:
            created = return_request_create(
                order=order,
                user=request.user,
                email=request.user.email,
                lines=[
                    ReturnLineInput(
                        order_line_id=line["order_line"],
                        quantity=line["quantity"],
                        reason=line["reason"],
                        reason_text=line.get("reason_text", ""),
                        exchange_variant_id=line.get("exchange_variant"),
                        photos=photos.get(line["order_line"], []),
                    )
                    for line in data["lines"]
                ],
                resolution=data["resolution"],
                method=data["method"],
                shopper_note=data.get("shopper_note", ""),
                bank=BankAccount(**bank) if bank else None,
            )
        except ReturnError as error:
            raise ValidationError(_error_body(error, data["lines"])) from error
        found = _my_return(request, created.number)
        return Response(_detail(request, found), status=status.HTTP_201_CREATED)


class MyReturnDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="returns_retrieve",
        summary="One of my returns",
        description=(
            "Items (with photos), the status history, the instructions once "
            "approved, the expected refund while the return is open (an "
            "estimate until the items are inspected) and the refunds made. "
            "Another member's return is a 404."
        ),
        responses={200: ReturnDetailSerializer},
        tags=["returns"],
    )
    def get(self, request, number: str):
        return Response(_detail(request, _my_return(request, number)))


class MyReturnCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="returns_cancel",
        summary="Cancel one of my returns",
        description=(
            "Only before anything is sent back (requested or approved); later "
            "it is a 400. Exchange stock is released. Another member's return "
            "is a 404."
        ),
        request=None,
        responses={200: ReturnDetailSerializer},
        tags=["returns"],
    )
    def post(self, request, number: str):
        found = _my_return(request, number)
        return_request_cancel(request=found, user=request.user)
        return Response(_detail(request, _my_return(request, number)))
