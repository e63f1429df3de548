"""A return's life: approve or reject, ship back, cancel, expire, close, notes.

`return_status_change` is the only function that moves a status; it checks
the machine in `returns.status` and writes the event row. The services here
lock the request first (lock order: return request, then order, then
membership), move it, and queue the shopper's email for after the commit.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from returns.errors import IllegalTransition, ReturnError
from returns.models import (
    ExchangeReservation,
    RefundStatus,
    Resolution,
    ReturnEvent,
    ReturnMethod,
    ReturnNote,
    ReturnRequest,
    ReturnStatus,
)
from returns.notifications import return_email_queue
from returns.selectors import return_policy
from returns.services.requests import exchange_reference
from returns.status import SHOPPER_CANCELLABLE, return_can_move
from shop.catalog.models import StockMovement
from shop.catalog.stock import stock_return

logger = logging.getLogger(__name__)

_TIMESTAMP_FIELD = {
    ReturnStatus.APPROVED: "approved_at",
    ReturnStatus.RECEIVED: "received_at",
    ReturnStatus.RESOLVED: "resolved_at",
    ReturnStatus.CLOSED: "closed_at",
}
RETURN_CODE_DIGITS = 12


def request_lock(request: ReturnRequest) -> ReturnRequest:
    """The request's row, locked until the end of the transaction."""
    return ReturnRequest.objects.select_for_update().get(pk=request.pk)


def request_refresh(request: ReturnRequest, locked: ReturnRequest) -> ReturnRequest:
    """Copy the locked row's state onto the caller's instance, so it is not stale."""
    for field in ReturnRequest._meta.concrete_fields:
        setattr(request, field.attname, getattr(locked, field.attname))
    return request


def _status_label(value: str) -> str:
    return str(ReturnStatus(value).label)


def return_status_change(
    *, request: ReturnRequest, to_status: str, actor=None, note: str = ""
) -> ReturnRequest:
    """Move `request` to `to_status` under a row lock and write the event row.

    Stamps the status's time (approved, received, resolved, closed) the
    first time it is reached. Raises IllegalTransition (a ReturnError, code
    "illegal_transition") for a move `returns.status` does not allow. The
    calling service does the rest (emails, stock).
    """
    now = timezone.now()
    with transaction.atomic():
        locked = request_lock(request)
        if not return_can_move(locked.status, to_status):
            raise IllegalTransition(
                _("Return %(number)s cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "number": locked.number,
                    "from": _status_label(locked.status),
                    "to": _status_label(to_status),
                },
                code="illegal_transition",
            )
        from_status = locked.status
        locked.status = to_status
        fields = ["status"]
        stamp = _TIMESTAMP_FIELD.get(to_status)
        if stamp and getattr(locked, stamp) is None:
            setattr(locked, stamp, now)
            fields.append(stamp)
        locked.save(update_fields=fields)
        ReturnEvent.objects.create(
            request=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            note=note,
            created_at=now,
        )
    return request_refresh(request, locked)


def _bank_forget(locked: ReturnRequest) -> None:
    # Kept only while a transfer may still be owed.
    locked.bank_code = locked.bank_account_name = locked.bank_account_number = ""
    locked.save(update_fields=["bank_code", "bank_account_name", "bank_account_number"])


def reservations_release(*, request: ReturnRequest, actor=None) -> int:
    """Put the stock held for the request's exchanges back; the units released.

    Called when the return ends without an exchange (rejected, cancelled,
    expired). Once per request: the stock ledger's key is the RMA number.
    """
    held = list(
        ExchangeReservation.objects.select_for_update().filter(
            line__request=request, released_at__isnull=True, fulfilled_at__isnull=True
        )
    )
    if not held:
        return 0
    items: dict[int, int] = {}
    for reservation in held:
        items[reservation.variant_id] = (
            items.get(reservation.variant_id, 0) + reservation.quantity
        )
    stock_return(
        items=items,
        reason=StockMovement.Reason.ORDER_CANCELLED,
        reference=exchange_reference(request.number),
        actor=actor,
    )
    ExchangeReservation.objects.filter(pk__in=[r.pk for r in held]).update(
        released_at=timezone.now()
    )
    return sum(items.values())


def _return_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(RETURN_CODE_DIGITS))


def return_request_approve(
    *, request: ReturnRequest, actor, note: str = ""
) -> ReturnRequest:
    """Accept a requested return and tell the shopper how to send it back.

    Every method gets a ship-back deadline (`ship_by` = now + the policy's
    `ship_within_days`), after which `return_requests_expire` ends it; the
    convenience-store method also gets a 12-digit return code to give at the
    counter. Pickup and self-ship instructions come from the order's address
    and `settings.RETURN_ADDRESS` (`returns.selectors.return_instructions`).
    Queues the "approved" email with the instructions and the RMA number.
    """
    with transaction.atomic():
        locked = return_status_change(
            request=request_lock(request),
            to_status=ReturnStatus.APPROVED,
            actor=actor,
            note=note,
        )
        if locked.method == ReturnMethod.CVS_CODE:
            locked.return_code = _return_code()
        locked.ship_by = locked.approved_at + timedelta(
            days=return_policy().ship_within_days
        )
        locked.save(update_fields=["return_code", "ship_by"])
        return_email_queue(locked, "approved")
    return request_refresh(request, locked)


def return_request_reject(
    *, request: ReturnRequest, actor, reason: str
) -> ReturnRequest:
    """Refuse a requested return, saying why (required; the shopper reads it).

    Releases any exchange stock, forgets the bank account and queues the
    "rejected" email with the reason.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ReturnError(_("Say why the return is rejected."), field="reason")
    with transaction.atomic():
        locked = return_status_change(
            request=request_lock(request),
            to_status=ReturnStatus.REJECTED,
            actor=actor,
            note=reason,
        )
        locked.rejection_reason = reason
        locked.save(update_fields=["rejection_reason"])
        reservations_release(request=locked, actor=actor)
        _bank_forget(locked)
        return_email_queue(locked, "rejected")
    return request_refresh(request, locked)


def return_request_cancel(*, request: ReturnRequest, user) -> ReturnRequest:
    """The shopper withdraws the request before anything is shipped back.

    Only while it is requested or approved. A member's request only by that
    member; a guest's (`user` None) once the door has checked the order's
    email. Releases any exchange stock and forgets the bank account.
    """
    member = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        locked = request_lock(request)
        if locked.user_id is not None and (
            member is None or member.pk != locked.user_id
        ):
            raise ReturnError(_("We could not find that return."), code="not_found")
        if locked.status not in SHOPPER_CANCELLABLE:
            raise IllegalTransition(
                _("Return %(number)s can no longer be cancelled.")
                % {"number": locked.number},
                code="illegal_transition",
            )
        locked = return_status_change(
            request=locked,
            to_status=ReturnStatus.CANCELLED,
            actor=member,
            note=_("Cancelled by the customer."),
        )
        reservations_release(request=locked, actor=member)
        _bank_forget(locked)
    return request_refresh(request, locked)


def return_request_mark_shipped(
    *, request: ReturnRequest, tracking_number: str = "", actor=None
) -> ReturnRequest:
    """The parcel has left the shopper (approved → on its way back)."""
    tracking_number = (tracking_number or "").strip()
    if len(tracking_number) > 60:
        raise ReturnError(
            _("Use at most %(max)d characters.") % {"max": 60},
            field="tracking_number",
        )
    with transaction.atomic():
        locked = return_status_change(
            request=request_lock(request),
            to_status=ReturnStatus.IN_TRANSIT,
            actor=actor,
            note=tracking_number,
        )
        if tracking_number:
            locked.tracking_number = tracking_number
            locked.save(update_fields=["tracking_number"])
    return request_refresh(request, locked)


def inspected_with_nothing_to_refund(request: ReturnRequest) -> bool:
    """Whether `request` is an inspected refund or credit return of which no
    unit is refunded (each missing, the wrong item, or damaged by the shopper):
    nothing can resolve it, so it is closed as it is."""
    # Imported here: the refunds package imports this module.
    from returns.services.refunds.preview import unit_refundable

    return (
        request.status == ReturnStatus.INSPECTED
        and request.resolution != Resolution.EXCHANGE
        and not any(
            unit_refundable(unit, line.reason)
            for line in request.lines.all()
            for unit in line.units.all()
        )
    )


def return_request_close(*, request: ReturnRequest, actor) -> ReturnRequest:
    """File a resolved return away; the bank account is no longer needed.

    An inspected return is closed only when nothing of it is refunded
    (`inspected_with_nothing_to_refund`); otherwise IllegalTransition: it is
    refunded or exchanged first. A return whose refund has not gone through
    (pending, failed, or a bank transfer still to pay) is not closed: it
    would drop out of the open queue with the shopper still unpaid.
    """
    with transaction.atomic():
        locked = request_lock(request)
        unpaid = set(
            locked.refunds.exclude(status=RefundStatus.SUCCEEDED).values_list(
                "status", flat=True
            )
        )
        if RefundStatus.TRANSFER_DUE in unpaid:
            # Closing forgets the shopper's bank account, which the transfer needs.
            raise ReturnError(
                _("Record the bank transfer before closing the return."),
                code="transfer_due",
            )
        if unpaid:
            raise ReturnError(
                _(
                    "A refund of return %(number)s has not gone through yet: "
                    "retry it or record the transfer before closing the return."
                )
                % {"number": locked.number},
                code="refund_unpaid",
            )
        if locked.status == ReturnStatus.INSPECTED and (
            not inspected_with_nothing_to_refund(locked)
        ):
            raise IllegalTransition(
                _(
                    "Return %(number)s has items to refund or exchange: resolve "
                    "it before closing it."
                )
                % {"number": locked.number},
                code="illegal_transition",
            )
        locked = return_status_change(
            request=locked, to_status=ReturnStatus.CLOSED, actor=actor
        )
        _bank_forget(locked)
    return request_refresh(request, locked)


def return_request_expire(
    *, request: ReturnRequest, now: datetime | None = None
) -> ReturnRequest | None:
    """End an approved return never shipped by its `ship_by`, else None.

    Checked again under the lock, so a parcel recorded between the sweep's
    selection and this call wins. Releases exchange stock, forgets the bank
    account and queues the "expired" email.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = request_lock(request)
        if (
            locked.status != ReturnStatus.APPROVED
            or locked.ship_by is None
            or locked.ship_by > now
        ):
            return None
        locked = return_status_change(
            request=locked,
            to_status=ReturnStatus.EXPIRED,
            note=_("Not shipped back in time."),
        )
        reservations_release(request=locked)
        _bank_forget(locked)
        return_email_queue(locked, "expired")
    return request_refresh(request, locked)


def return_requests_expire(*, now: datetime) -> int:
    """Expire every approved return whose ship-back deadline passed; how many.

    One transaction per request; one that fails is logged and the sweep goes on.
    """
    ids = list(
        ReturnRequest.objects.filter(
            status=ReturnStatus.APPROVED, ship_by__lt=now
        ).values_list("pk", flat=True)
    )
    done = 0
    for request in ReturnRequest.objects.filter(pk__in=ids).order_by("pk"):
        try:
            if return_request_expire(request=request, now=now) is not None:
                done += 1
        except Exception:
            logger.exception("expiring return %s failed", request.number)
    return done


def return_note_add(*, request: ReturnRequest, author, text: str) -> ReturnNote:
    """A staff note beside the request (never shown to the shopper)."""
    text = (text or "").strip()
    if not text:
        raise ReturnError(_("Write the note."), field="text")
    if len(text) > 5000:
        raise ReturnError(
            _("Use at most %(max)d characters.") % {"max": 5000}, field="text"
        )
    return ReturnNote.objects.create(request=request, author=author, text=text)
