"""What the staff API's endpoints share: the request by its RMA number, a
refusal as a 400, the detail a request's read and every move answer with."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError

from returns.admin.staff import (
    customer_returns_other,
    staff_moves_allowed,
    staff_return,
)
from returns.errors import ReturnError
from returns.models import ReturnRequest
from returns.selectors import return_history_for_customers
from returns.serializers_staff import StaffReturnDetailSerializer

TAGS = ["returns (staff)"]


def found(number: str) -> ReturnRequest:
    """The request numbered `number` (any case, spaces around), or a 404."""
    try:
        return staff_return(number=(number or "").strip().upper())
    except ReturnRequest.DoesNotExist as error:
        raise NotFound(_("No such return.")) from error


def refused(error: ReturnError, fields: dict[str, str] | None = None):
    """The service's refusal as a 400 on the API's name for its field."""
    name = (fields or {}).get(error.field or "", error.field) or "non_field_errors"
    return ValidationError({name: [error.message]})


def detail_data(request, obj: ReturnRequest) -> dict:
    """`obj` as staff see it, with the moves the caller can make now."""
    refunds = list(obj.refunds.all())
    context = {
        "request": request,
        "histories": return_history_for_customers(user_ids=[obj.user_id]),
        "others": customer_returns_other(request=obj),
        "moves": staff_moves_allowed(request=obj, refunds=refunds, user=request.user),
    }
    return StaffReturnDetailSerializer(obj, context=context).data
