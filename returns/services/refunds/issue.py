"""Issuing a refund: the rows first, under locks, then the payment provider.

In one transaction, with the return request locked (then the order, then the
member: the shop's lock order), `refund_issue` writes the Refund and a
RefundUnit per unit (the database refuses a unit refunded twice), gives back
points and credit, takes back the earned points and the qualifying spend,
sends `order_refunded`, resolves the request and queues its email.

The provider is called after that transaction, never inside it, so no row
lock is held across the network. The refund's own idempotency key goes to
the provider: if the call fails, times out or the caller's outer
transaction rolls back afterwards, calling `refund_issue` again with the
same key finds the Refund (PENDING or FAILED) and asks the provider again,
which answers the same refund rather than paying twice; a SUCCEEDED refund
is returned as it is. Orders paid by cash on delivery or ATM transfer have no
provider refund: their refund waits as TRANSFER_DUE, with the shopper's
bank account, until staff record the transfer (`refund_transfer_paid`).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.credit.services import credit_grant, credit_restore_for_order
from loyalty.models import CreditSource
from loyalty.services.membership import membership_lock
from loyalty.services.points import (
    PointsReversal,
    points_restore_for_units,
    points_reverse_for_units,
)
from loyalty.services.tiers import spend_remove
from returns.errors import ReturnError
from returns.models import (
    Refund,
    RefundStatus,
    RefundUnit,
    Resolution,
    ReturnRequest,
    ReturnStatus,
    ReversedPointsRule,
)
from returns.notifications import return_email_queue
from returns.services.lifecycle import (
    request_lock,
    request_refresh,
    return_status_change,
)
from returns.services.refunds.payments import (
    bank_account_forget,
    bank_account_masked,
    provider_refund,
)
from returns.services.refunds.preview import (
    VIA_GATEWAY,
    VIA_NONE,
    VIA_TRANSFER,
    RefundPreview,
    preview_build,
    preview_inputs,
    request_units,
    reversal_preview,
)
from shop.core.money import format_money, money_round
from shop.orders import signals
from shop.orders.models import Order

_STATUS_BY_VIA = {
    VIA_GATEWAY: RefundStatus.PENDING,
    VIA_TRANSFER: RefundStatus.TRANSFER_DUE,
    VIA_NONE: RefundStatus.SUCCEEDED,
}


def refund_key(*, request: ReturnRequest, units: list[tuple[int, int]]) -> str:
    """`refund:<request id>:<fingerprint of the units>`: the default idempotency key."""
    text = ";".join(f"{line}:{index}" for line, index in sorted(units))
    return f"refund:{request.pk}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def refund_issue(
    *, request: ReturnRequest, actor, idempotency_key: str | None = None
) -> Refund:
    """Refund the inspected units of `request` and resolve it; the Refund.

    The units, money, points and credit are `refund_preview`'s, taken again
    under the locks. The key defaults to `refund_key` of the request's
    refundable units, so two staff confirming at once, or one confirming
    twice, make one refund: the second call waits for the first and gets its
    Refund. Raises ReturnError when the request is not inspected (code
    "not_inspected"), is an exchange ("exchange"), has no refundable unit
    ("nothing_to_refund"), or a unit was refunded before ("already_refunded",
    refused by the database's unique unit constraint). A refund to a card
    provider is then asked for (see the module docstring); its status tells
    whether the money went (SUCCEEDED) or the provider is to be asked again
    (PENDING, FAILED: call again with the same key).
    """
    with transaction.atomic():
        locked = request_lock(request)
        key = idempotency_key or refund_key(
            request=locked, units=request_units(locked).chosen
        )
        refund = Refund.objects.filter(idempotency_key=key).first()
        if refund is not None and refund.request_id != locked.pk:
            raise ReturnError(
                _("This refund key belongs to another return."), code="key_reused"
            )
        if refund is None:
            refund = _refund_write(locked, actor=actor, key=key)
    request_refresh(request, locked)
    if refund.status in (RefundStatus.PENDING, RefundStatus.FAILED):
        refund = provider_refund(refund, actor=actor)
    return refund


def _check(locked: ReturnRequest) -> None:
    if locked.status != ReturnStatus.INSPECTED:
        raise ReturnError(
            _(
                "Return %(number)s is “%(status)s”: only an inspected return can "
                "be refunded."
            )
            % {"number": locked.number, "status": locked.get_status_display()},
            code="not_inspected",
        )
    if locked.resolution == Resolution.EXCHANGE:
        raise ReturnError(
            _("Return %(number)s is an exchange: fulfil it instead of refunding.")
            % {"number": locked.number},
            code="exchange",
        )


def _refund_write(locked: ReturnRequest, *, actor, key: str) -> Refund:
    _check(locked)
    order = Order.objects.select_for_update().get(pk=locked.order_id)
    if order.user_id is not None:
        # The points figures are then the ones the reversal will find.
        membership_lock(user=order.user)
    elif locked.resolution == Resolution.CREDIT:
        raise ReturnError(
            _("Shopping credit needs a member account; refund this return instead."),
            code="credit_needs_member",
        )
    now = timezone.now()
    inputs = preview_inputs(request=locked, now=now)
    preview = preview_build(**inputs, reversal=reversal_preview(inputs))
    if not preview.units:
        raise ReturnError(
            _("No unit of return %(number)s was inspected as refundable.")
            % {"number": locked.number},
            code="nothing_to_refund",
        )
    refund = Refund.objects.create(
        request=locked,
        order=order,
        idempotency_key=key,
        currency=order.currency,
        payment_method=order.payment_method,
        actor=actor,
        created_at=now,
        **_amounts(preview, now),
    )
    try:
        with transaction.atomic():
            RefundUnit.objects.bulk_create(
                RefundUnit(
                    refund=refund,
                    order_line_id=unit.order_line_id,
                    unit_index=unit.unit_index,
                    value=unit.value,
                    paid_with_points=unit.points_paid,
                    paid_with_credit=unit.credit_paid,
                    points=unit.points,
                )
                for unit in preview.units
            )
    except IntegrityError as exc:
        raise ReturnError(
            _("Some of these items have already been refunded."),
            code="already_refunded",
        ) from exc
    if order.user_id is not None:
        reversal = _points_effects(refund, preview, request=locked, actor=actor)
        if reversal != preview.points_reversal:
            # Under the member's lock the preview normally saw the same; if
            # not, the money follows what the reversal really found.
            preview = preview_build(**inputs, reversal=reversal)
        _spend_and_credit_effects(refund, preview, request=locked, actor=actor)
    values = _amounts(preview, now)
    if values["status"] == RefundStatus.TRANSFER_DUE:
        values["breakdown"]["bank_account"] = bank_account_masked(locked)
    elif locked.bank_account_number:
        # Nothing to transfer: the account is not needed any more.
        bank_account_forget(locked)
    _fields_update(refund, values)
    signals.order_refunded.send(
        sender=Order,
        order=order,
        amount=refund.total,
        lines=preview.units_by_line,
        refund=refund,
    )
    return_status_change(
        request=locked,
        to_status=ReturnStatus.RESOLVED,
        actor=actor,
        note=_("Refund of %(amount)s")
        % {"amount": format_money(refund.total, refund.currency)},
    )
    return_email_queue(
        locked, "credited" if locked.resolution == Resolution.CREDIT else "refunded"
    )
    return refund


def _amounts(preview: RefundPreview, now) -> dict:
    """The Refund fields that follow from a preview."""
    status = _STATUS_BY_VIA[preview.refund_via]
    return {
        "status": status,
        "total": preview.total,
        "to_payment": preview.to_payment,
        "to_credit": preview.to_credit,
        "credit_bonus": preview.credit_bonus,
        "points_restored": preview.points_restored,
        "points_reversed": preview.points_reversal.reversed
        + preview.points_reversal.pending_cancelled,
        "shipping_refunded": preview.shipping.amount,
        "fees": preview.fees,
        "points_deduction": preview.points_deduction,
        "completed_at": now if status == RefundStatus.SUCCEEDED else None,
        "breakdown": preview_breakdown(preview),
    }


def _fields_update(refund: Refund, values: dict) -> None:
    changed = [name for name, value in values.items() if getattr(refund, name) != value]
    for name in changed:
        setattr(refund, name, values[name])
    if changed:
        refund.save(update_fields=changed)


def _reason(request: ReturnRequest) -> str:
    return _("Return %(number)s") % {"number": request.number}


def _points_effects(
    refund: Refund, preview: RefundPreview, *, request, actor
) -> PointsReversal:
    """Give back the redeemed points, then take back the earned ones.

    In that order, so the points coming back pay for earned ones already
    spent. Keyed by the refund's id; returns the reversal as it really went.
    """
    order, key = refund.order, f"refund:{refund.pk}"
    if preview.points_restored:
        points_restore_for_units(
            order=order,
            points=preview.points_restored,
            idempotency_key=f"{key}:points-restore",
            actor=actor,
            reason=_reason(request),
        )
    return points_reverse_for_units(
        order=order,
        units=preview.units_by_line,
        idempotency_key=f"{key}:points-reverse",
        actor=actor,
        allow_negative=preview.reversed_points_rule
        == ReversedPointsRule.NEGATIVE_BALANCE,
        reason=_reason(request),
    )


def _spend_and_credit_effects(
    refund: Refund, preview: RefundPreview, *, request, actor
) -> None:
    """Lower the qualifying spend; give back and give credit. Keyed by the refund.

    The tier is not re-evaluated now: `spend_remove` only writes the spend
    row, and the nightly run decides at the tier's next evaluation point.
    """
    order, key, reason = refund.order, f"refund:{refund.pk}", _reason(request)
    if preview.spend_reduction > 0:
        spend_remove(
            order=order,
            amount=preview.spend_reduction,
            idempotency_key=f"{key}:spend",
            reason=reason,
        )
    if preview.credit_restored > 0:
        credit_restore_for_order(
            order=order,
            amount=preview.credit_restored,
            idempotency_key=f"{key}:credit-restore",
            reason=reason,
            actor=actor,
        )
    for amount, suffix, text in (
        (preview.credit_converted, "credit", reason),
        (
            preview.credit_bonus,
            "credit-bonus",
            _("Bonus for taking return %(number)s as shopping credit")
            % {"number": request.number},
        ),
    ):
        if amount > 0:
            credit_grant(
                user=order.user,
                amount=amount,
                source=CreditSource.REFUND,
                idempotency_key=f"{key}:{suffix}",
                reason=text,
                actor=actor,
                order=order,
            )


def preview_breakdown(preview: RefundPreview) -> dict:
    """The preview as JSON (amounts as strings) for `Refund.breakdown`."""

    def money(amount: Decimal) -> str:
        return str(money_round(amount, preview.currency))

    return {
        "lines": [
            {
                "order_line": line.order_line_id,
                "title": line.title,
                "units": list(line.unit_indexes),
                "merchandise": money(line.merchandise),
                "discounts": [[label, money(share)] for label, share in line.discounts],
                "value": money(line.value),
                "points_paid": money(line.points_paid),
                "points": line.points,
                "credit_paid": money(line.credit_paid),
                "cash": money(line.cash),
                "in_cooling_off": line.in_cooling_off,
            }
            for line in preview.lines
        ],
        "value": money(preview.value),
        "shipping": {
            "amount": money(preview.shipping.amount),
            "points_paid": money(preview.shipping.points_paid),
            "points": preview.shipping.points,
            "credit_paid": money(preview.shipping.credit_paid),
        },
        "restocking_fee": money(preview.restocking_fee),
        "return_shipping_fee": money(preview.return_shipping_fee),
        "points_reversed": preview.points_reversal.reversed,
        "points_pending_cancelled": preview.points_reversal.pending_cancelled,
        "points_short": preview.points_reversal.short,
        "reversed_points_rule": preview.reversed_points_rule,
        "points_deduction": money(preview.points_deduction),
        "points_restored": preview.points_restored,
        "points_value": money(preview.points_value),
        "credit_restored": money(preview.credit_restored),
        "credit_converted": money(preview.credit_converted),
        "credit_bonus": money(preview.credit_bonus),
        "to_payment": money(preview.to_payment),
        "total": money(preview.total),
        "spend_reduction": money(preview.spend_reduction),
        "completes_order": preview.completes_order,
        "refund_via": preview.refund_via,
    }
