"""Credit and orders: taking the credit an order pays with, giving it back."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.credit.services.ledger import (
    CREDIT_CODE,
    credit_amount_clean,
    credit_balance_add,
    credit_balance_of,
    credit_currency,
    lot_is_valid,
    lots_draw,
    lots_for_drawing,
    member_expire_due,
    membership_lock_by_pk,
    money_text,
    restored_lot_expiry,
    spend_key,
)
from loyalty.errors import CreditError
from loyalty.models import (
    CreditDraw,
    CreditEntry,
    CreditEntryKind,
    CreditLot,
    CreditSource,
    PurchaseStatus,
)
from loyalty.services.membership import membership_lock
from shop.orders.models import AdjustmentKind, OrderAdjustment


def spend_idempotency_key(order) -> str:
    return f"credit-spend:order:{order.pk}"


def order_credit_amount(order) -> Decimal:
    """What `order` pays with shopping credit: its TENDER adjustments "credit"."""
    adjustments = getattr(order, "placed_adjustments", None)
    if adjustments is None:
        adjustments = OrderAdjustment.objects.filter(
            order=order, code=CREDIT_CODE, kind=AdjustmentKind.TENDER
        )
    return -sum(
        (
            adjustment.amount
            for adjustment in adjustments
            if adjustment.code == CREDIT_CODE
            and adjustment.kind == AdjustmentKind.TENDER
        ),
        Decimal(0),
    )


def credit_spend_for_order(*, order) -> CreditEntry | None:
    """Take the credit an order pays with, inside its placement transaction.

    Reads the order's TENDER adjustment "credit". Locks the member, expires
    their lots past expiry, checks the balance again and raises CreditError
    (field "credit": "You have only NT$x shopping credit left.") when it no
    longer covers the amount, which rolls the placement back. Otherwise one
    SPEND row with a CreditDraw per lot, drawn soonest-expiring first and
    paid top-up money last, so a cancellation or return gives back to the
    same lots. Returns the SPEND row (the existing one on a repeated call),
    or None when the order uses no credit.
    """
    amount = order_credit_amount(order)
    if amount <= 0 or order.user_id is None:
        return None
    key = spend_idempotency_key(order)
    now = timezone.now()
    with transaction.atomic():
        membership = membership_lock(user=order.user)
        existing = CreditEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        member_expire_due(membership.pk, now)
        balance = credit_balance_of(membership.pk)
        lots = lots_for_drawing(membership.pk, now)
        drawable = min(balance, sum((lot.remaining for lot in lots), Decimal(0)))
        if drawable < amount:
            raise CreditError(
                _("You have only %(amount)s shopping credit left.")
                % {"amount": money_text(max(drawable, Decimal(0)))},
                field=CREDIT_CODE,
                code="credit_unavailable",
            )
        entry = CreditEntry.objects.create(
            membership=membership,
            kind=CreditEntryKind.SPEND,
            amount=-amount,
            currency=order.currency,
            idempotency_key=key,
            reason=_("Paid part of order %(number)s") % {"number": order.number},
            order=order,
            created_at=now,
        )
        lots_draw(entry=entry, lots=lots, amount=amount)
        credit_balance_add(membership.pk, -amount)
    return entry


def _forfeited(lot: CreditLot) -> bool:
    # The bonus of a top-up goes with the top-up's refund, also what an order
    # had taken from it.
    return (
        lot.source == CreditSource.TOPUP_BONUS
        and lot.purchase_id is not None
        and lot.purchase.status == PurchaseStatus.REFUNDED
    )


def credit_restore_for_order(
    *,
    order,
    amount: Decimal | None = None,
    idempotency_key: str,
    reason: str,
    actor=None,
) -> CreditEntry | None:
    """Give back up to `amount` of the credit `order` paid with; None: all of it.

    To the lots the order's spend drew from, latest-expiring first (paid
    top-up money first), so a partial give-back (a returned unit's share)
    keeps the member's longest-lived credit. A lot still valid gets the
    amount back and keeps its expiry; a lot that expired meanwhile does not
    fill again: the amount comes back as a new lot of the same source valid
    for `LOYALTY_CREDIT_RESTORED_VALID_DAYS` (30) days. Credit taken from
    the bonus of a top-up refunded since is not given back: the bonus was
    forfeited with the refund.

    One RESTORE row for the whole amount (its `lot` set when one lot got it
    all); each draw's `restored` grows, so nothing is given back twice and
    the amount given back is capped by what is still owed. Returns the row,
    the existing one when `idempotency_key` was booked before, or None when
    there was nothing to give back.
    """
    if amount is not None:
        amount = credit_amount_clean(amount)
        if amount <= 0:
            raise CreditError(
                _("Enter an amount greater than 0."), field="amount", code="min_value"
            )
    spend = CreditEntry.objects.filter(
        idempotency_key=spend_idempotency_key(order)
    ).first()
    if spend is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        membership_lock_by_pk(spend.membership_id)
        existing = CreditEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        draws = list(CreditDraw.objects.filter(entry=spend).order_by("lot_id", "pk"))
        lots = {
            lot.pk: lot
            for lot in CreditLot.objects.select_for_update(of=("self",))
            .filter(pk__in=[draw.lot_id for draw in draws])
            .select_related("purchase")
            .order_by("pk")
        }
        owed = [
            draw
            for draw in draws
            if draw.amount > draw.restored and not _forfeited(lots[draw.lot_id])
        ]
        owed.sort(key=lambda draw: spend_key(lots[draw.lot_id]), reverse=True)
        left = sum((draw.amount - draw.restored for draw in owed), Decimal(0))
        if amount is not None:
            left = min(left, amount)
        total = left
        if total <= 0:
            return None
        refilled, new_lots, changed = [], [], []
        for draw in owed:
            if left <= 0:
                break
            give = min(draw.amount - draw.restored, left)
            left -= give
            lot = lots[draw.lot_id]
            if lot_is_valid(lot, now):
                lot.remaining += give
                refilled.append(lot)
            else:
                new_lots.append(
                    CreditLot(
                        membership_id=lot.membership_id,
                        source=lot.source,
                        amount=give,
                        remaining=give,
                        currency=lot.currency,
                        expires_at=restored_lot_expiry(now),
                        purchase_id=lot.purchase_id,
                        order=order,
                        created_at=now,
                    )
                )
            draw.restored += give
            changed.append(draw)
        if refilled:
            CreditLot.objects.bulk_update(refilled, ["remaining"])
        if new_lots:
            new_lots = CreditLot.objects.bulk_create(new_lots)
        CreditDraw.objects.bulk_update(changed, ["restored"])
        receiving = refilled + new_lots
        entry = CreditEntry.objects.create(
            membership_id=spend.membership_id,
            kind=CreditEntryKind.RESTORE,
            amount=total,
            currency=credit_currency(),
            idempotency_key=idempotency_key,
            reason=(reason or "")[:200],
            lot=receiving[0] if len(receiving) == 1 else None,
            order=order,
            actor=actor,
            created_at=now,
        )
        credit_balance_add(spend.membership_id, total)
    return entry
