"""What staff may do with a return now, and what they read beside it.

Shared by both staff doors, the back office (`returns.admin`) and the staff
API (`returns.api_staff`), so each offers the same moves under the same
permissions. The moves themselves are the services'; this only says which
buttons (or endpoints) make sense for a request in its state: a stale page
still reaches the service, which refuses what the status machine does not
allow.

Permissions: `returns.change_returnrequest` moves a request, `add_refund`
issues a refund, `change_refund` records a bank transfer, `add_returnnote`
writes a note (the models carry no custom permissions).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    ReturnEvent,
    ReturnNote,
    ReturnRequest,
    ReturnStatus,
)
from returns.selectors import return_requests_with_details
from returns.services.lifecycle import inspected_with_nothing_to_refund
from returns.status import return_can_move

CHANGE_REQUEST = "returns.change_returnrequest"
ADD_REFUND = "returns.add_refund"
CHANGE_REFUND = "returns.change_refund"
ADD_NOTE = "returns.add_returnnote"
VIEW_REQUEST = "returns.view_returnrequest"

# How many of the customer's other returns the page lists beside a request.
OTHER_RETURNS_SHOWN = 20
# A refund the provider has not confirmed: asked again with the same key.
RETRY_STATUSES = (RefundStatus.PENDING, RefundStatus.FAILED)


@dataclass(frozen=True)
class StaffMove:
    """A button on the request's page, an endpoint of the staff API."""

    name: str
    label: str
    permission: str


MOVES: dict[str, StaffMove] = {
    move.name: move
    for move in (
        StaffMove("approve", _("Approve"), CHANGE_REQUEST),
        StaffMove("reject", _("Reject"), CHANGE_REQUEST),
        StaffMove("receive", _("Receive units"), CHANGE_REQUEST),
        StaffMove("inspect", _("Inspect units"), CHANGE_REQUEST),
        StaffMove("refund", _("Refund"), ADD_REFUND),
        StaffMove("exchange", _("Send the exchange"), CHANGE_REQUEST),
        StaffMove("transfer", _("Record the bank transfer"), CHANGE_REFUND),
        StaffMove("close", _("Close"), CHANGE_REQUEST),
    )
}


def _units(request: ReturnRequest):
    return [unit for line in request.lines.all() for unit in line.units.all()]


def transfer_due(refunds) -> list[Refund]:
    """The refunds whose bank transfer staff still have to pay."""
    return [r for r in refunds if r.status == RefundStatus.TRANSFER_DUE]


def staff_moves_open(*, request: ReturnRequest, refunds) -> list[StaffMove]:
    """The moves that make sense for `request` now (whatever the user may do).

    `request` comes with its lines and units (`return_requests_with_details`),
    `refunds` are its refunds. Closing waits until no bank transfer is owed:
    closing forgets the shopper's bank account, which the transfer needs.
    """
    status = request.status
    names = []
    if status == ReturnStatus.REQUESTED:
        names += ["approve", "reject"]
    if return_can_move(status, ReturnStatus.RECEIVED) and any(
        unit.received_at is None for unit in _units(request)
    ):
        names.append("receive")
    if return_can_move(status, ReturnStatus.INSPECTED):
        names.append("inspect")
    # An inspected return of which nothing is refunded is closed instead.
    nothing = inspected_with_nothing_to_refund(request)
    if status == ReturnStatus.INSPECTED:
        if request.resolution == Resolution.EXCHANGE:
            names.append("exchange")
        elif not nothing:
            names.append("refund")
    elif any(refund.status in RETRY_STATUSES for refund in refunds):
        names.append("refund")
    due = transfer_due(refunds)
    if due:
        names.append("transfer")
    closable = status != ReturnStatus.INSPECTED or nothing
    if return_can_move(status, ReturnStatus.CLOSED) and not due and closable:
        names.append("close")
    return [MOVES[name] for name in names]


def staff_moves_allowed(*, request: ReturnRequest, refunds, user) -> list[StaffMove]:
    """`staff_moves_open`, less the moves `user` has no permission for."""
    return [
        move
        for move in staff_moves_open(request=request, refunds=refunds)
        if user.has_perm(move.permission)
    ]


def staff_return(**lookup) -> ReturnRequest:
    """One request (by `pk` or `number`) for a staff page: everything shown.

    Lines, units, photos, reservations; the timeline and notes with their
    authors; the refunds. DoesNotExist when there is none.
    """
    return (
        return_requests_with_details()
        .select_related("order__user")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReturnEvent.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "notes",
                queryset=ReturnNote.objects.select_related("author").order_by(
                    "-created_at", "-id"
                ),
            ),
            Prefetch(
                "refunds",
                queryset=Refund.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            ),
        )
        .get(**lookup)
    )


def customer_returns_other(*, request: ReturnRequest) -> list[ReturnRequest]:
    """The customer's other returns, newest first, each with `units_count`
    and `refunded` (the total of its refunds).

    A member's by account; a guest's by the email address they gave. The
    refunds are summed in a subquery, so the units are not counted twice.
    """
    if request.user_id is not None:
        same = Q(user_id=request.user_id)
    else:
        same = Q(user__isnull=True, email__iexact=request.email)
    refunded = (
        Refund.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(total=Sum("total"))
        .values("total")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    return list(
        ReturnRequest.objects.filter(same)
        .exclude(pk=request.pk)
        .select_related("order")
        .annotate(
            units_count=Sum("lines__quantity"),
            refunded=Coalesce(
                Subquery(refunded, output_field=money),
                Value(Decimal(0)),
                output_field=money,
            ),
        )
        .order_by("-created_at", "-id")[:OTHER_RETURNS_SHOWN]
    )


def unit_counts(request: ReturnRequest) -> tuple[int, int]:
    """(units received, units asked back), from the prefetched units."""
    units = _units(request)
    return sum(1 for unit in units if unit.received_at is not None), len(units)
