"""Credit coming in and going out outside orders: grants, staff adjustments, and
taking back what is left of a refunded top-up."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.credit.services.ledger import (
    credit_amount_clean,
    credit_balance_add,
    credit_balance_of,
    credit_currency,
    lots_draw,
    lots_for_drawing,
    member_expire_due,
    money_text,
)
from loyalty.errors import CreditError
from loyalty.models import (
    CreditDraw,
    CreditEntry,
    CreditEntryKind,
    CreditLot,
    CreditSource,
)
from loyalty.services.membership import membership_lock

REASON_MAX = 200


def _reason_clean(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CreditError(_("Give a reason."), field="reason", code="required")
    if len(reason) > REASON_MAX:
        raise CreditError(
            _("Use at most %(max)d characters.") % {"max": REASON_MAX},
            field="reason",
            code="max_length",
        )
    return reason


def _existing(key: str, *, membership_id: int, kind: str, amount: Decimal):
    """The entry already booked under `key`, or None; CreditError if it differs."""
    existing = CreditEntry.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if (
        existing.kind != kind
        or existing.membership_id != membership_id
        or existing.amount != amount
    ):
        raise CreditError(
            _("This key was already used for another change."),
            field="idempotency_key",
            code="key_reused",
        )
    return existing


def _expiry_clean(expires_at: datetime | None, now: datetime) -> None:
    if expires_at is not None and expires_at <= now:
        raise CreditError(
            _("The expiry must be in the future."), field="expires_at", code="past"
        )


def _lock(*, user, idempotency_key: str, kind: str, amount: Decimal):
    """Lock `user`'s membership; (it, the entry already under the key or None).

    Call inside a transaction.
    """
    membership = membership_lock(user=user)
    existing = _existing(
        idempotency_key, membership_id=membership.pk, kind=kind, amount=amount
    )
    return membership, existing


def _lot_open(
    membership, *, source: str, amount: Decimal, currency: str, expires_at, now, **links
) -> CreditLot:
    """A new lot of `amount`, all of it left; `links` are its order or purchase."""
    return CreditLot.objects.create(
        membership=membership,
        source=source,
        amount=amount,
        remaining=amount,
        currency=currency,
        expires_at=expires_at,
        created_at=now,
        **links,
    )


def credit_grant(
    *,
    user,
    amount: Decimal,
    source: str,
    idempotency_key: str,
    reason: str,
    expires_at: datetime | None = None,
    actor=None,
    order=None,
    purchase=None,
) -> CreditEntry:
    """Give `user` `amount` of shopping credit from `source`: one lot, one GRANT row.

    The lot is usable at once until `expires_at` (None: it never expires).
    Refunds, birthday gifts, campaigns and top-ups all come in here; the
    entry links the `order` or `purchase` it came from and the staff member
    (`actor`) who gave it, if any. The same `idempotency_key` again returns
    the first entry and books nothing (CreditError if that entry is for
    another member or amount). CreditError for an amount of 0 or less, finer
    than the currency, an unknown source, no reason or an expiry in the past.
    """
    amount = credit_amount_clean(amount)
    if amount <= 0:
        raise CreditError(
            _("Enter an amount greater than 0."), field="amount", code="min_value"
        )
    if source not in CreditSource.values:
        raise CreditError(_("Unknown credit source."), field="source", code="invalid")
    reason = _reason_clean(reason)
    now = timezone.now()
    _expiry_clean(expires_at, now)
    with transaction.atomic():
        membership, existing = _lock(
            user=user,
            idempotency_key=idempotency_key,
            kind=CreditEntryKind.GRANT,
            amount=amount,
        )
        if existing is not None:
            return existing
        lot = _lot_open(
            membership,
            source=source,
            amount=amount,
            currency=credit_currency(),
            expires_at=expires_at,
            now=now,
            purchase=purchase,
            order=order,
        )
        entry = CreditEntry.objects.create(
            membership=membership,
            kind=CreditEntryKind.GRANT,
            amount=amount,
            currency=lot.currency,
            idempotency_key=idempotency_key,
            reason=reason,
            lot=lot,
            order=order,
            purchase=purchase,
            actor=actor,
            created_at=now,
        )
        credit_balance_add(membership.pk, amount)
    return entry


def credit_adjust(
    *,
    user,
    amount: Decimal,
    reason: str,
    actor,
    idempotency_key: str,
    expires_at: datetime | None = None,
) -> CreditEntry:
    """Add (positive) or take away (negative) shopping credit by hand, audited.

    The ADJUST row names `actor` and `reason`; the member sees the reason in
    their history. A positive amount opens a lot of source "granted by
    staff", valid until `expires_at` (None: no expiry). A negative amount is
    drawn like a spend (soonest-expiring first, paid top-up money last) and
    may not take the balance below zero. The doors check the permission
    (`loyalty.adjust_points`, shared with points adjustments) and that staff
    do not adjust their own credit. The same `idempotency_key` again returns
    the first row.
    """
    amount = credit_amount_clean(amount)
    if amount == 0:
        raise CreditError(
            _("Enter an amount other than 0."), field="amount", code="invalid"
        )
    reason = _reason_clean(reason)
    now = timezone.now()
    if amount < 0 and expires_at is not None:
        raise CreditError(
            _("Only added credit has an expiry."), field="expires_at", code="invalid"
        )
    _expiry_clean(expires_at, now)
    with transaction.atomic():
        membership, existing = _lock(
            user=user,
            idempotency_key=idempotency_key,
            kind=CreditEntryKind.ADJUST,
            amount=amount,
        )
        if existing is not None:
            return existing
        entry = CreditEntry(
            membership=membership,
            kind=CreditEntryKind.ADJUST,
            amount=amount,
            currency=credit_currency(),
            idempotency_key=idempotency_key,
            reason=reason,
            actor=actor,
            created_at=now,
        )
        if amount > 0:
            entry.lot = _lot_open(
                membership,
                source=CreditSource.GRANT,
                amount=amount,
                currency=entry.currency,
                expires_at=expires_at,
                now=now,
            )
            entry.save(force_insert=True)
            credit_balance_add(membership.pk, amount)
            return entry
        member_expire_due(membership.pk, now)
        balance = credit_balance_of(membership.pk)
        lots = lots_for_drawing(membership.pk, now)
        drawable = min(balance, sum((lot.remaining for lot in lots), Decimal(0)))
        if drawable < -amount:
            raise CreditError(
                _("The member has only %(amount)s shopping credit.")
                % {"amount": money_text(max(drawable, Decimal(0)))},
                field="amount",
                code="credit_unavailable",
            )
        entry.save(force_insert=True)
        lots_draw(entry=entry, lots=lots, amount=-amount)
        credit_balance_add(membership.pk, amount)
    return entry


def credit_withdraw_purchase(
    *, purchase, actor=None, reason: str = ""
) -> dict[str, Decimal]:
    """Take back what is left on the lots a top-up `purchase` opened.

    For a refund of the top-up: one WITHDRAW row per lot with credit left
    (key `credit-withdraw:lot:<id>`, a draw of the whole rest), lots emptied,
    balance lowered. A lot past its expiry expires first instead. Returns
    {source: amount withdrawn} ("topup" is what the refund pays back; the
    "bonus" is forfeited). Call inside the caller's transaction with the
    purchase row locked; a second call withdraws nothing.
    """
    now = timezone.now()
    withdrawn: dict[str, Decimal] = {}
    with transaction.atomic():
        membership = membership_lock(user=purchase.user)
        member_expire_due(membership.pk, now)
        lots = list(
            CreditLot.objects.select_for_update()
            .filter(purchase=purchase, membership=membership, remaining__gt=0)
            .order_by("pk")
        )
        reason = (
            reason or _("Top-up %(number)s refunded") % {"number": purchase.number}
        )[:REASON_MAX]
        total = Decimal(0)
        for lot in lots:
            key = f"credit-withdraw:lot:{lot.pk}"
            if CreditEntry.objects.filter(idempotency_key=key).exists():
                continue
            entry = CreditEntry.objects.create(
                membership=membership,
                kind=CreditEntryKind.WITHDRAW,
                amount=-lot.remaining,
                currency=lot.currency,
                idempotency_key=key,
                reason=reason,
                lot=lot,
                purchase=purchase,
                actor=actor,
                created_at=now,
            )
            CreditDraw.objects.create(entry=entry, lot=lot, amount=lot.remaining)
            withdrawn[lot.source] = withdrawn.get(lot.source, 0) + lot.remaining
            total += lot.remaining
            lot.remaining = Decimal(0)
            lot.save(update_fields=["remaining"])
        credit_balance_add(membership.pk, -total)
    return withdrawn
