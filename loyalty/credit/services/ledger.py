"""The credit ledger's building blocks: amounts, lot order, drawing, expiring.

Lock order everywhere: a purchase row (top-ups), then membership rows by pk,
then lots by pk. A lot's `remaining` changes only under its member's lock,
so once a member is locked their lots cannot move under the caller.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Case, DecimalField, F, Q, Value, When
from django.utils.translation import gettext as _

from loyalty.dates import store_date, store_midnight
from loyalty.errors import CreditError
from loyalty.models import (
    CreditDraw,
    CreditEntry,
    CreditEntryKind,
    CreditLot,
    CreditSource,
    Membership,
)
from loyalty.services.points.ledger import lots_take
from shop.core.money import currency_decimals, format_money, money_round

# The order adjustment of the part paid with shopping credit (see adjusters).
CREDIT_CODE = "credit"
# Credit given back to a lot that expired meanwhile comes back as a new lot
# valid for this many days after the day it is given back.
RESTORED_VALID_DAYS_DEFAULT = 30


def credit_currency() -> str:
    """The wallet's currency: the shop's."""
    return settings.SHOP_CURRENCY


def credit_amount_clean(value, *, field: str = "amount") -> Decimal:
    """`value` as a Decimal amount of the wallet's currency, or CreditError.

    Accepts Decimal, int and decimal strings; refuses floats, non-numbers and
    amounts finer than the currency's minor unit (NT$ is whole dollars). The
    sign is kept: callers check it.
    """
    if isinstance(value, bool | float) or value is None:
        raise CreditError(_("Enter an amount."), field=field, code="invalid")
    try:
        amount = Decimal(str(value).strip()) if isinstance(value, str) else value
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise CreditError(_("Enter an amount."), field=field, code="invalid") from None
    if not amount.is_finite():
        raise CreditError(_("Enter an amount."), field=field, code="invalid")
    # Before rounding: quantizing "1e30" overflows the decimal context.
    if abs(amount) >= Decimal("1e10"):
        raise CreditError(_("This amount is too large."), field=field, code="invalid")
    currency = credit_currency()
    if money_round(amount, currency) != amount:
        decimals = currency_decimals(currency)
        message = (
            _("Enter a whole amount.")
            if decimals == 0
            else _("Enter an amount with at most %(n)d decimal places.")
            % {"n": decimals}
        )
        raise CreditError(message, field=field, code="invalid")
    return money_round(amount, currency)


def money_text(amount: Decimal) -> str:
    return format_money(amount, credit_currency())


def credit_valid_until(*, now: datetime, days: int) -> datetime:
    """The expiry of credit valid for `days` days from `now`.

    Usable through the `days`-th day after today in the shop's calendar, so
    it expires at the shop's midnight that ends it: received 15 January, 30
    days, usable through 14 February (expires 15 February 00:00).
    """
    return store_midnight(store_date(now) + timedelta(days=days + 1))


def restored_lot_expiry(now: datetime) -> datetime:
    """When credit given back into a new lot (its own lot had expired) expires.

    Valid for `settings.LOYALTY_CREDIT_RESTORED_VALID_DAYS` (default 30) days.
    """
    days = getattr(
        settings, "LOYALTY_CREDIT_RESTORED_VALID_DAYS", RESTORED_VALID_DAYS_DEFAULT
    )
    return credit_valid_until(now=now, days=days)


# --- Lot order -------------------------------------------------------------------


def spend_key(lot: CreditLot) -> tuple:
    """The order lots are spent in: soonest-expiring first, paid top-up money last.

    Lots that expire go by expiry; then lots that never expire, other
    credit before paid top-up money (it is the part a refund pays back);
    then oldest first. Giving back (restores) goes the opposite way.
    """
    return (
        lot.expires_at is None,
        lot.expires_at or datetime.max,
        lot.source == CreditSource.TOPUP,
        lot.pk,
    )


def lot_is_valid(lot: CreditLot, now: datetime) -> bool:
    return lot.expires_at is None or lot.expires_at > now


# --- Locks and balances -----------------------------------------------------------


def membership_lock_by_pk(membership_id: int) -> Decimal:
    """Lock one membership row; its credit balance as locked."""
    return (
        Membership.objects.select_for_update()
        .filter(pk=membership_id)
        .values_list("credit_balance", flat=True)
        .get()
    )


def credit_balance_of(membership_id: int) -> Decimal:
    return (
        Membership.objects.filter(pk=membership_id)
        .values_list("credit_balance", flat=True)
        .get()
    )


def credit_balance_add(membership_id: int, amount: Decimal) -> None:
    """Move one member's cached credit balance by `amount` (`F()`), under their lock."""
    if amount:
        Membership.objects.filter(pk=membership_id).update(
            credit_balance=F("credit_balance") + amount
        )


def credit_balances_add(deltas: dict[int, Decimal]) -> None:
    """Move many members' balances in one statement (members locked by the caller)."""
    deltas = {pk: amount for pk, amount in deltas.items() if amount}
    if not deltas:
        return
    money = DecimalField(max_digits=12, decimal_places=2)
    Membership.objects.filter(pk__in=deltas).update(
        credit_balance=F("credit_balance")
        + Case(
            *[
                When(pk=pk, then=Value(amount, output_field=money))
                for pk, amount in deltas.items()
            ],
            output_field=money,
        )
    )


# --- Lots -----------------------------------------------------------------------


def lots_for_drawing(membership_id: int, now: datetime) -> list[CreditLot]:
    """The member's spendable lots, locked in pk order, in spending order.

    Call after `member_expire_due`, so no lot past its expiry is spent.
    """
    lots = list(
        CreditLot.objects.select_for_update()
        .filter(membership_id=membership_id, remaining__gt=0)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("pk")
    )
    lots.sort(key=spend_key)
    return lots


def lots_draw(*, entry: CreditEntry, lots: list[CreditLot], amount: Decimal) -> Decimal:
    """Take up to `amount` from `lots` in their order for `entry`; the amount taken.

    One CreditDraw per lot touched; the lots are locked by the caller, so the
    `remaining` values written are exact.
    """
    taken, total = lots_take(lots, amount)
    if taken:
        CreditLot.objects.bulk_update([lot for lot, _take in taken], ["remaining"])
        CreditDraw.objects.bulk_create(
            CreditDraw(entry=entry, lot=lot, amount=take) for lot, take in taken
        )
    return total


def lots_expire(lots: Iterable[CreditLot], now: datetime) -> Decimal:
    """Expire locked lots past their expiry: an EXPIRE row each, balances moved.

    The lots must be locked with their members and have `remaining` > 0. The
    key is the lot's (`credit-expire:lot:<id>`): a lot that expired never
    fills again (credit given back to it goes to a new lot), so it expires
    once. Returns the amount expired.
    """
    lots = list(lots)
    if not lots:
        return Decimal(0)
    currency = credit_currency()
    reason = _("Credit expired")
    CreditEntry.objects.bulk_create(
        CreditEntry(
            membership_id=lot.membership_id,
            kind=CreditEntryKind.EXPIRE,
            amount=-lot.remaining,
            currency=currency,
            idempotency_key=f"credit-expire:lot:{lot.pk}",
            reason=reason,
            lot=lot,
            created_at=now,
        )
        for lot in lots
    )
    deltas: dict[int, Decimal] = {}
    for lot in lots:
        deltas[lot.membership_id] = deltas.get(lot.membership_id, 0) - lot.remaining
    CreditLot.objects.filter(pk__in=[lot.pk for lot in lots]).update(
        remaining=Decimal(0)
    )
    credit_balances_add(deltas)
    return -sum(deltas.values(), Decimal(0))


def member_expire_due(membership_id: int, now: datetime) -> Decimal:
    """Expire one locked member's lots past their expiry; the amount expired."""
    due = (
        CreditLot.objects.select_for_update()
        .filter(membership_id=membership_id, remaining__gt=0, expires_at__lte=now)
        .order_by("pk")
    )
    return lots_expire(due, now)
