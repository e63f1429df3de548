"""Coupons in words: what a coupon gives, its rules, a voucher's expiry.

Shown at checkout, in "My coupons", in the API and the back office, always in
the request's language, so every door says the same.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.dates import store_date
from loyalty.models import Coupon, CouponKind, MemberCoupon, Tier
from loyalty.selectors.programme import tiers_active
from shop.core.money import format_money

# "Expires in 3 days" is highlighted from this many days before.
EXPIRING_SOON_DAYS = 7


# --- Vouchers' expiry -----------------------------------------------------------


def expiry_days(member_coupon: MemberCoupon, *, now: datetime) -> int | None:
    """Whole days (the shop's calendar) until the voucher expires; None: never."""
    ends = [
        moment
        for moment in (member_coupon.expires_at, member_coupon.coupon.ends_at)
        if moment is not None
    ]
    if not ends:
        return None
    return (store_date(min(ends)) - store_date(now)).days


def expiry_text(member_coupon: MemberCoupon, *, now: datetime) -> str:
    """Its expiry in words: "Expires today", "Expires in 3 days", or the date."""
    days = expiry_days(member_coupon, now=now)
    if days is None:
        return _("No expiry date")
    if days <= 0:
        return _("Expires today")
    if days <= EXPIRING_SOON_DAYS:
        return ngettext("Expires tomorrow", "Expires in %(count)d days", days) % {
            "count": days
        }
    ends = min(
        m
        for m in (member_coupon.expires_at, member_coupon.coupon.ends_at)
        if m is not None
    )
    return _("Expires on %(date)s") % {"date": day_text(ends)}


def day_text(moment: datetime) -> str:
    """The shop's calendar day of `moment`, as the language writes short dates."""
    return formats.date_format(store_date(moment), "SHORT_DATE_FORMAT")


def expires_soon(member_coupon: MemberCoupon, *, now: datetime) -> bool:
    """Whether the voucher's expiry is highlighted ("Expires in 3 days")."""
    days = expiry_days(member_coupon, now=now)
    return days is not None and days <= EXPIRING_SOON_DAYS


# --- The rules in words ---------------------------------------------------------


def tier_for_code(code: str) -> Tier | None:
    """The active scheme's tier with `code`, or None."""
    return next((tier for tier in tiers_active() if tier.code == code), None)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def coupon_benefit(coupon: Coupon) -> str:
    """What the coupon gives: "10% off, up to NT$200", "NT$100 off", "Free shipping"."""
    if coupon.kind == CouponKind.FREE_SHIPPING:
        return _("Free shipping")
    if coupon.kind == CouponKind.PERCENT:
        text = _("%(percent)s%% off") % {"percent": _number(coupon.value)}
        if coupon.max_discount is not None:
            text = _("%(benefit)s, up to %(amount)s") % {
                "benefit": text,
                "amount": format_money(coupon.max_discount),
            }
        return text
    return _("%(amount)s off") % {"amount": format_money(coupon.value)}


def coupon_terms(coupon: Coupon) -> list[str]:
    """The coupon's conditions and stacking rules, in words, for shoppers."""
    restricted = bool(coupon.products.all() or coupon.categories.all())
    terms = []
    if coupon.min_spend > 0:
        spend = format_money(coupon.min_spend)
        terms.append(
            _("When you spend %(amount)s or more on the items it covers.")
            % {"amount": spend}
            if restricted
            else _("On orders of %(amount)s or more.") % {"amount": spend}
        )
    if restricted:
        terms.append(_("Selected items only."))
    if coupon.min_tier_code:
        tier = tier_for_code(coupon.min_tier_code)
        name = tier.display_name if tier else coupon.min_tier_code
        terms.append(_("For %(tier)s members and above.") % {"tier": name})
    elif coupon.members_only:
        terms.append(_("For members only."))
    if coupon.member_day_only:
        terms.append(_("On member days only."))
    if not coupon.combines_with_member_prices:
        terms.append(_("Items at a member price are not discounted."))
    if not coupon.combines_with_member_day:
        terms.append(_("Cannot be combined with the member-day discount."))
    if not coupon.combines_with_points:
        terms.append(_("Cannot be combined with points."))
    return terms


def coupon_label(coupon: Coupon) -> str:
    """The adjustment's label on the quote and the order: "Coupon SUMMER10"."""
    return _("Coupon %(name)s") % {"name": coupon.code or coupon.name}
