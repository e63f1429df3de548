"""Qualifying spend: an order counted when paid, uncounted when cancelled, and
part of it removed by a partial return (see the package docstring)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.errors import LoyaltyError
from loyalty.models import Membership, QualifyingSpend
from loyalty.selectors.tiers import money
from loyalty.services.membership import membership_lock
from loyalty.services.tiers.changes import _upgrade_if_qualified


def _net_paid(order) -> Decimal:
    return max(Decimal("0.00"), order.total - order.shipping_total)


def _order_key(order) -> str:
    return f"spend:order:{order.pk}"


def spend_count_order(*, order) -> QualifyingSpend | None:
    """Count a paid order towards tiers, and upgrade the member if they qualify.

    Writes a QualifyingSpend row (+net paid amount, one order, counted at the
    order's payment time; key `spend:order:<id>`), moves the member's
    `total_spend`, `order_count` and `last_order_at` caches, then raises the
    member to the highest tier they now qualify for, with a history row and
    the `tier_upgraded` email, all in the caller's transaction. Returns the
    row, or None for a guest order or an order already counted.
    """
    if order.user_id is None:
        return None
    key = _order_key(order)
    with transaction.atomic():
        membership = membership_lock(user=order.user)
        if QualifyingSpend.objects.filter(idempotency_key=key).exists():
            return None
        now = timezone.now()
        amount = _net_paid(order)
        row = QualifyingSpend.objects.create(
            membership=membership,
            order=order,
            amount=amount,
            orders=1,
            counted_at=order.paid_at or now,
            reason=_("Order %(number)s paid") % {"number": order.number},
            idempotency_key=key,
        )
        last_order_at = order.placed_at
        if membership.last_order_at and membership.last_order_at > last_order_at:
            last_order_at = membership.last_order_at
        Membership.objects.filter(pk=membership.pk).update(
            total_spend=F("total_spend") + amount,
            order_count=F("order_count") + 1,
            last_order_at=last_order_at,
        )
        _upgrade_if_qualified(membership=membership, order=order, now=now)
    return row


def spend_uncount_order(*, order) -> QualifyingSpend | None:
    """Take a cancelled order's spend (what is left of it) and its order back out.

    The negative row is dated at the order's payment time. The member keeps
    their tier: it is re-evaluated at the next evaluation point (its expiry).
    Returns None when the order was never counted or is already uncounted.
    """
    if order.user_id is None:
        return None
    key = f"{_order_key(order)}:cancel"
    with transaction.atomic():
        membership = membership_lock(user=order.user)
        counted = QualifyingSpend.objects.filter(
            idempotency_key=_order_key(order)
        ).first()
        if (
            counted is None
            or QualifyingSpend.objects.filter(idempotency_key=key).exists()
        ):
            return None
        left = _spend_left(membership=membership, order=order)
        row = QualifyingSpend.objects.create(
            membership=membership,
            order=order,
            amount=-left,
            orders=-1,
            counted_at=counted.counted_at,
            reason=_("Order %(number)s cancelled") % {"number": order.number},
            idempotency_key=key,
        )
        Membership.objects.filter(pk=membership.pk).update(
            total_spend=F("total_spend") - left,
            order_count=F("order_count") - 1,
        )
    return row


def spend_remove(
    *, order, amount: Decimal, idempotency_key: str, reason: str
) -> QualifyingSpend | None:
    """Remove part of a paid order's spend (a partial return); the order still counts.

    At most what is left of the order's spend is removed. Dated at the
    order's payment time; no downgrade until the next evaluation point.
    Idempotent by `idempotency_key`: a replay returns the first row. Returns
    None when the order was never counted or nothing of it is left.
    """
    if amount <= 0:
        raise LoyaltyError(_("The amount to remove must be more than zero."))
    if order.user_id is None:
        return None
    with transaction.atomic():
        membership = membership_lock(user=order.user)
        done = QualifyingSpend.objects.filter(idempotency_key=idempotency_key).first()
        if done is not None:
            return done
        counted = QualifyingSpend.objects.filter(
            idempotency_key=_order_key(order)
        ).first()
        if counted is None:
            return None
        removed = min(amount, _spend_left(membership=membership, order=order))
        if removed <= 0:
            return None
        row = QualifyingSpend.objects.create(
            membership=membership,
            order=order,
            amount=-removed,
            orders=0,
            counted_at=counted.counted_at,
            reason=reason[:200],
            idempotency_key=idempotency_key,
        )
        Membership.objects.filter(pk=membership.pk).update(
            total_spend=F("total_spend") - removed
        )
    return row


def _spend_left(*, membership, order) -> Decimal:
    left = QualifyingSpend.objects.filter(membership=membership, order=order).aggregate(
        total=Sum("amount")
    )["total"]
    return max(Decimal("0.00"), money(left))
