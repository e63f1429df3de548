"""Issuing vouchers, and the coupon usage ledger of orders.

Every use of a coupon is a CouponRedemption row (one per coupon and order)
written in the order's placement transaction under a lock on the coupon row,
with `Coupon.times_used` moved by F(). Every redemption of a coupon takes
that lock first, so the global and per-member limits hold when many
checkouts reach for the last uses at once, and the check constraint
`times_used <= usage_limit` backs them. Cancelling the order releases the
row (kept, with `released_at`), gives the use back and puts the voucher back
in the wallet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.coupons.selectors import COUPON_CODE, coupon_availability
from loyalty.coupons.texts import coupon_label, tier_for_code
from loyalty.errors import CouponError
from loyalty.models import (
    Coupon,
    CouponRedemption,
    MemberCoupon,
    Membership,
    SchemeStatus,
)
from shop.accounts.models import User
from shop.orders.models import AdjustmentKind, OrderAdjustment
from shop.orders.services import order_event_record

ISSUE_KEY_LENGTH = 80
BULK_BATCH = 1000


# --- Issuing --------------------------------------------------------------------


def voucher_expiry(coupon: Coupon, *, issued_at: datetime) -> datetime | None:
    """When a voucher issued at `issued_at` expires: `valid_days` after issue,
    but never after the coupon ends; None when neither is set."""
    ends = [coupon.ends_at] if coupon.ends_at is not None else []
    if coupon.valid_days:
        ends.append(issued_at + timedelta(days=coupon.valid_days))
    return min(ends) if ends else None


def _check_issuable(coupon: Coupon, *, issue_key: str, now: datetime) -> None:
    if not issue_key or len(issue_key) > ISSUE_KEY_LENGTH:
        raise ValueError(f"issue_key must be 1 to {ISSUE_KEY_LENGTH} characters")
    if not coupon.is_active:
        raise CouponError(
            _("“%(name)s” is switched off: switch it on before issuing it.")
            % {"name": coupon.name},
            code="inactive",
        )
    if coupon.ends_at is not None and coupon.ends_at <= now:
        raise CouponError(
            _("“%(name)s” has ended: vouchers of it could not be used.")
            % {"name": coupon.name},
            code="expired",
        )


def coupon_issue(
    *, coupon: Coupon, user, issue_key: str, source: str, now: datetime | None = None
) -> MemberCoupon:
    """Put a voucher of `coupon` in `user`'s wallet, once per `issue_key`.

    The same key again (a task run twice, a double submit, two at once)
    returns the voucher issued the first time. It expires `valid_days` after
    issue, never after the coupon ends. Raises CouponError when the coupon is
    switched off or has ended.
    """
    now = now or timezone.now()
    found = MemberCoupon.objects.filter(
        user_id=user.pk, coupon=coupon, issue_key=issue_key
    ).first()
    if found is not None:
        return found
    _check_issuable(coupon, issue_key=issue_key, now=now)
    try:
        with transaction.atomic():
            return MemberCoupon.objects.create(
                coupon=coupon,
                user_id=user.pk,
                issue_key=issue_key,
                source=source[:30],
                issued_at=now,
                expires_at=voucher_expiry(coupon, issued_at=now),
            )
    except IntegrityError:
        # Issued by a racing call between the look and the insert.
        return MemberCoupon.objects.get(
            user_id=user.pk, coupon=coupon, issue_key=issue_key
        )


def members_of_tier(tier_code: str, *, and_above: bool = False) -> QuerySet:
    """Active customers whose membership is in the tier (or above), as user ids.

    Raises CouponError (field "tier") for a code the active scheme does not have.
    """
    tier = tier_for_code(tier_code)
    if tier is None:
        raise CouponError(
            _("There is no tier “%(code)s”.") % {"code": tier_code},
            field="tier",
            code="invalid",
        )
    memberships = Membership.objects.filter(
        tier__scheme__status=SchemeStatus.ACTIVE, user__is_active=True
    )
    if and_above:
        memberships = memberships.filter(tier__rank__gte=tier.rank)
    else:
        memberships = memberships.filter(tier__code=tier.code)
    return memberships.order_by("user_id").values_list("user_id", flat=True)


def _user_ids(users) -> list[int]:
    if isinstance(users, QuerySet):
        if users.model is User:
            return list(users.order_by("pk").values_list("pk", flat=True))
        return list(users)
    return [getattr(user, "pk", user) for user in users]


def coupons_issue_bulk(
    *,
    coupon: Coupon,
    issue_key: str,
    source: str,
    users: Iterable | QuerySet | None = None,
    tier_code: str = "",
    and_above: bool = False,
    now: datetime | None = None,
) -> int:
    """Issue `coupon` to many members at once; returns how many got a new voucher.

    Either `users` (users, user ids, or a queryset of either) or `tier_code`
    (the members of that tier, or of it and above with `and_above`). Set-based:
    one read of who already holds this issue, then inserts in batches that
    skip a voucher issued meanwhile, so running the same issue again (the
    same `issue_key`) gives nobody a second one. Raises CouponError when the
    coupon cannot be issued.
    """
    if (users is None) == (not tier_code):
        raise ValueError("pass either users or tier_code")
    now = now or timezone.now()
    _check_issuable(coupon, issue_key=issue_key, now=now)
    if tier_code:
        user_ids = list(members_of_tier(tier_code, and_above=and_above))
    else:
        user_ids = _user_ids(users)
    holders = set(
        MemberCoupon.objects.filter(coupon=coupon, issue_key=issue_key).values_list(
            "user_id", flat=True
        )
    )
    new_ids = list(dict.fromkeys(uid for uid in user_ids if uid not in holders))
    expires_at = voucher_expiry(coupon, issued_at=now)
    with transaction.atomic():
        MemberCoupon.objects.bulk_create(
            (
                MemberCoupon(
                    coupon=coupon,
                    user_id=user_id,
                    issue_key=issue_key,
                    source=source[:30],
                    issued_at=now,
                    expires_at=expires_at,
                )
                for user_id in new_ids
            ),
            batch_size=BULK_BATCH,
            ignore_conflicts=True,
        )
    return len(new_ids)


# --- Orders ---------------------------------------------------------------------


def _order_adjustments(order) -> list:
    adjustments = getattr(order, "placed_adjustments", None)
    if adjustments is None:
        adjustments = list(OrderAdjustment.objects.filter(order=order))
    return adjustments


def _redeemed_amount(adjustments, coupon_adjustment, coupon: Coupon) -> Decimal:
    """The discount the coupon gave: its amount, or the shipping fee it waived."""
    if not (coupon_adjustment.data or {}).get("free_shipping"):
        return -Decimal(coupon_adjustment.amount)
    for adjustment in adjustments:
        data = adjustment.data or {}
        if (
            adjustment.kind == AdjustmentKind.SHIPPING
            and data.get("coupon_id") == coupon.pk
        ):
            return Decimal(data.get("waived_fee") or 0)
    return Decimal(0)


def coupon_redeem_for_order(*, order) -> CouponRedemption | None:
    """Use the order's coupon, inside its placement transaction.

    Reads the order's DISCOUNT adjustment "coupon". Locks the coupon row,
    checks again what may have changed since the quote (switched off, ended,
    the global and per-member limits, the voucher used or expired) and
    raises CouponError, which rolls the whole placement back. Otherwise
    writes the redemption, adds one to `times_used` and marks the voucher
    used. Returns the redemption (the existing one on a repeated call), or
    None when the order has no coupon.
    """
    adjustments = _order_adjustments(order)
    adjustment = next((a for a in adjustments if a.code == COUPON_CODE), None)
    if adjustment is None:
        return None
    data = adjustment.data or {}
    now = timezone.now()
    with transaction.atomic():
        coupon = Coupon.objects.select_for_update().filter(pk=data.get("coupon_id"))
        coupon = coupon.first()
        if coupon is None:
            raise CouponError(
                _("This coupon is no longer valid."),
                field=COUPON_CODE,
                code="inactive",
            )
        existing = CouponRedemption.objects.filter(coupon=coupon, order=order).first()
        if existing is not None:
            return existing
        member_coupon = None
        if data.get("member_coupon_id"):
            member_coupon = (
                MemberCoupon.objects.select_for_update()
                .filter(pk=data["member_coupon_id"], coupon=coupon)
                .first()
            )
            if member_coupon is None:
                raise CouponError(
                    _("This voucher is not in your wallet."),
                    field=COUPON_CODE,
                    code="not_found",
                )
        refusal = coupon_availability(
            coupon, user=order.user, member_coupon=member_coupon, now=now
        )
        if refusal is not None:
            refusal.raise_unless_ok()
        redemption = CouponRedemption.objects.create(
            coupon=coupon,
            member_coupon=member_coupon,
            user=order.user,
            order=order,
            amount=_redeemed_amount(adjustments, adjustment, coupon),
        )
        Coupon.objects.filter(pk=coupon.pk).update(times_used=F("times_used") + 1)
        if member_coupon is not None:
            MemberCoupon.objects.filter(pk=member_coupon.pk).update(
                used_at=now, order=order
            )
    return redemption


def coupon_release_for_order(*, order, actor=None) -> int:
    """Give back the coupon uses of a cancelled order; returns how many.

    Each redemption is kept and marked released; the coupon's use is given
    back (`times_used` − 1) and the voucher returns to the wallet (where it
    shows as expired if its time is up). A note on the order's timeline
    records it, by `actor`. A second call releases nothing.
    """
    pending = list(
        CouponRedemption.objects.filter(order=order, released_at__isnull=True)
        .order_by("coupon_id")
        .values_list("pk", "coupon_id", "member_coupon_id")
    )
    if not pending:
        return 0
    now = timezone.now()
    released = 0
    with transaction.atomic():
        for pk, coupon_id, member_coupon_id in pending:
            # The coupon first, as redeeming does: the two never wait on each other.
            coupon = Coupon.objects.select_for_update().get(pk=coupon_id)
            updated = CouponRedemption.objects.filter(
                pk=pk, released_at__isnull=True
            ).update(released_at=now)
            if not updated:
                continue
            Coupon.objects.filter(pk=coupon_id).update(times_used=F("times_used") - 1)
            if member_coupon_id is not None:
                MemberCoupon.objects.filter(pk=member_coupon_id, order=order).update(
                    used_at=None, order=None
                )
            order_event_record(
                order=order,
                actor=actor,
                note=_("%(coupon)s given back: it can be used again.")
                % {"coupon": coupon_label(coupon)},
            )
            released += 1
    return released
