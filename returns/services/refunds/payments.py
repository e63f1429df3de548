"""The money part of a refund: the provider's refund, or a bank transfer to pay.

Both run after the refund's rows are committed (see `issue`). The order's
payment becomes partially refunded or refunded only once money has really
gone back: when the provider confirms, or when staff record the transfer.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from returns.errors import ReturnError
from returns.models import Refund, RefundStatus, ReturnRequest
from returns.services.lifecycle import request_lock
from shop.checkout.errors import PaymentError
from shop.checkout.payments import payment_gateway
from shop.checkout.payments.base import RefundOutcome
from shop.core.money import format_money
from shop.orders.models import Payment
from shop.orders.services import payment_status_change
from shop.orders.status import PaymentStatus

logger = logging.getLogger(__name__)

_REFUNDABLE_PAYMENT = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED)


def bank_account_masked(request: ReturnRequest) -> str:
    """`812 王小明 ****8901`: enough for staff to recognise, never the whole number."""
    number = request.bank_account_number or ""
    if not number:
        return ""
    return " ".join(
        part
        for part in (request.bank_code, request.bank_account_name, "****" + number[-4:])
        if part
    )


def bank_account_full(request: ReturnRequest) -> str:
    """`812 王小明 0123456789`: what the merchant pays the transfer to."""
    return " ".join(
        part
        for part in (
            request.bank_code,
            request.bank_account_name,
            request.bank_account_number,
        )
        if part
    )


def bank_account_forget(request: ReturnRequest) -> None:
    """Wipe the shopper's bank account from the (locked) request: no longer needed."""
    request.bank_code = request.bank_account_name = request.bank_account_number = ""
    request.save(
        update_fields=["bank_code", "bank_account_name", "bank_account_number"]
    )


def _paid_payment(order_id: int) -> Payment | None:
    return (
        Payment.objects.filter(order_id=order_id, status__in=_REFUNDABLE_PAYMENT)
        .order_by("-paid_at", "-pk")
        .first()
    )


def _payment_refunded(refund: Refund, *, actor, note: str) -> None:
    """Mark the order's payment (partially) refunded by what refunds paid back."""
    payment = _paid_payment(refund.order_id)
    if payment is None:
        return
    paid_back = (
        Refund.objects.filter(
            order_id=refund.order_id, status=RefundStatus.SUCCEEDED
        ).aggregate(total=Sum("to_payment"))["total"]
        or 0
    )
    payment_status_change(
        payment=payment,
        to_status=PaymentStatus.REFUNDED
        if paid_back >= payment.amount
        else PaymentStatus.PARTIALLY_REFUNDED,
        actor=actor,
        note=note,
    )


def provider_refund(refund: Refund, *, actor=None) -> Refund:
    """Ask the payment provider for a PENDING or FAILED refund's money; the refund.

    Sent with the refund's idempotency key, so asking again is safe. A
    decline leaves it FAILED (the provider's message in `breakdown`); an
    error on the way (the provider did not answer) leaves it as it was, to
    be asked again by `refund_issue` with the same key.
    """
    payment = _paid_payment(refund.order_id)
    if payment is None:
        outcome = RefundOutcome(
            succeeded=False, message=_("The order has no paid payment to refund.")
        )
    else:
        try:
            outcome = payment_gateway(refund.payment_method).refund(
                payment=payment,
                amount=refund.to_payment,
                idempotency_key=refund.idempotency_key,
            )
        except PaymentError as exc:
            outcome = RefundOutcome(succeeded=False, message=exc.message)
        except Exception:
            # A network error or a provider outage: nothing is known, so the
            # refund stays as it is and a retry with the same key asks again.
            logger.exception("refund %s: the payment provider failed", refund.pk)
            return refund
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if locked.status not in (RefundStatus.PENDING, RefundStatus.FAILED):
            return locked
        if outcome.succeeded:
            locked.status = RefundStatus.SUCCEEDED
            locked.gateway_reference = outcome.reference[:100]
            locked.completed_at = timezone.now()
            locked.breakdown.pop("provider_message", None)
        else:
            locked.status = RefundStatus.FAILED
            locked.breakdown["provider_message"] = str(outcome.message)
        locked.save(
            update_fields=["status", "gateway_reference", "completed_at", "breakdown"]
        )
        if outcome.succeeded:
            _payment_refunded(
                locked,
                actor=actor,
                note=_("Refund of %(amount)s (%(reference)s)")
                % {
                    "amount": format_money(locked.to_payment, locked.currency),
                    "reference": locked.gateway_reference,
                },
            )
    return locked


def refund_transfer_paid(*, refund: Refund, actor, reference: str) -> Refund:
    """Record that the bank transfer of a TRANSFER_DUE refund was paid; the refund.

    `reference` is the bank's transfer reference. The refund succeeds, the
    order's payment is marked (partially) refunded, and the shopper's bank
    account is wiped from the request once no transfer is owed on it any
    more. Recording the same reference again changes nothing; ReturnError
    for a refund that is not waiting for a transfer.
    """
    reference = (reference or "").strip()
    if not reference:
        raise ReturnError(
            _("Enter the transfer's reference."), field="reference", code="required"
        )
    with transaction.atomic():
        request = request_lock(refund.request)
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if (
            locked.status == RefundStatus.SUCCEEDED
            and locked.gateway_reference == reference[:100]
        ):
            return locked
        if locked.status != RefundStatus.TRANSFER_DUE:
            raise ReturnError(
                _("This refund is not waiting for a bank transfer."),
                code="not_transfer_due",
            )
        locked.status = RefundStatus.SUCCEEDED
        locked.gateway_reference = reference[:100]
        locked.completed_at = timezone.now()
        locked.breakdown["transfer_recorded_by"] = getattr(actor, "pk", None)
        locked.save(
            update_fields=["status", "gateway_reference", "completed_at", "breakdown"]
        )
        _payment_refunded(
            locked,
            actor=actor,
            note=_("Refund of %(amount)s paid by bank transfer (%(reference)s)")
            % {
                "amount": format_money(locked.to_payment, locked.currency),
                "reference": locked.gateway_reference,
            },
        )
        owed = request.refunds.filter(status=RefundStatus.TRANSFER_DUE).exists()
        if not owed:
            bank_account_forget(request)
    return locked
