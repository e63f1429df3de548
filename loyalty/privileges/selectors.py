"""Reads of member privileges: member-day status, birthday gifts, tier benefits.

The member-day status reads only the cached programme and the shopper's tier,
so the storefront banner costs guests no query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from loyalty.coupons.selectors import voucher_option
from loyalty.dates import store_date
from loyalty.models import BirthdayGift, BirthdayGiftDay, Coupon, MemberCoupon, Tier
from loyalty.privileges.birthday import (
    Refusal,
    birthday_gift_day,
    birthday_gift_refusal,
    tier_gives_birthday_gift,
)
from loyalty.privileges.memberday import (
    is_member_day,
    member_day_next,
    member_day_schedule_text,
)
from loyalty.selectors.member import decimal_text
from loyalty.selectors.programme import programme, tiers_active
from shop.core.money import format_money

ONE = Decimal(1)


# --- Member day ------------------------------------------------------------------


@dataclass(frozen=True)
class MemberDayStatus:
    """Today's member-day status for one shopper (guests: no tier benefits)."""

    today: date
    is_member_day: bool
    next_member_day: date | None
    schedule: str
    tier: Tier | None = None
    extra_percent: Decimal | None = None
    points_multiplier: Decimal | None = None

    @property
    def has_benefits(self) -> bool:
        return bool(self.extra_percent) or (self.points_multiplier or ONE) > ONE

    @property
    def benefits_text(self) -> str:
        """The tier's member-day benefits in words; "" for guests or none."""
        if self.tier is None or not self.has_benefits:
            return ""
        values = {
            "tier": self.tier.display_name,
            "percent": decimal_text(self.extra_percent or Decimal(0)),
            "multiplier": decimal_text(self.points_multiplier or ONE),
        }
        if self.extra_percent and self.points_multiplier > ONE:
            return (
                _(
                    "%(tier)s members get an extra %(percent)s%% off and "
                    "%(multiplier)s× points"
                )
                % values
            )
        if self.extra_percent:
            return _("%(tier)s members get an extra %(percent)s%% off") % values
        return _("%(tier)s members earn %(multiplier)s× points") % values

    @property
    def benefits_short(self) -> str:
        """The benefits without the tier's name, for a table of tiers."""
        if self.tier is None or not self.has_benefits:
            return ""
        parts = []
        if self.extra_percent:
            parts.append(
                _("Extra %(percent)s%% off")
                % {"percent": decimal_text(self.extra_percent)}
            )
        if self.points_multiplier > ONE:
            parts.append(
                _("%(multiplier)s× points")
                % {"multiplier": decimal_text(self.points_multiplier)}
            )
        return " · ".join(parts)


def member_day_status(*, shopper, now: datetime | None = None) -> MemberDayStatus:
    """Whether today is a member day, the next one, and the shopper's benefits.

    Guests (`shopper` None or not a member, or a shopper context without
    tiers) get the schedule only. Reads the cached programme; a member's tier
    comes from the shopper context.
    """
    today = store_date(now or timezone.now())
    member_day = is_member_day(today)
    tier = None
    if shopper is not None and shopper.is_member:
        tier = getattr(shopper, "tier", None)
    return MemberDayStatus(
        today=today,
        is_member_day=member_day,
        next_member_day=member_day_next(today),
        schedule=member_day_schedule_text(),
        tier=tier,
        extra_percent=tier.member_day_extra_percent if tier is not None else None,
        points_multiplier=(
            tier.member_day_points_multiplier if tier is not None else None
        ),
    )


def member_day_coupons(*, user, tier: Tier | None, now: datetime) -> list[dict]:
    """The member-day-only coupons `user` may use now: their own unused vouchers,
    then active codes open to their tier; each with the `option` that applies
    it at checkout (`options["coupon"]`). Two queries; newest code last.
    """
    if user is None or not user.is_authenticated:
        return []
    window = (Q(coupon__starts_at__isnull=True) | Q(coupon__starts_at__lte=now)) & (
        Q(coupon__ends_at__isnull=True) | Q(coupon__ends_at__gt=now)
    )
    vouchers = (
        MemberCoupon.objects.filter(
            window,
            user=user,
            used_at__isnull=True,
            coupon__member_day_only=True,
            coupon__is_active=True,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("coupon")
        .order_by("expires_at", "pk")
    )
    found = [
        _coupon_row(
            voucher.coupon,
            code="",
            option=voucher_option(voucher),
            expires_at=voucher.expires_at,
        )
        for voucher in vouchers
    ]
    ranks = {t.code: t.rank for t in tiers_active()}
    rank = tier.rank if tier is not None else -1
    codes = (
        Coupon.objects.filter(member_day_only=True, is_active=True)
        .exclude(code="")
        .filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("created_at", "pk")
    )
    for coupon in codes:
        if coupon.min_tier_code and ranks.get(coupon.min_tier_code, 0) > rank:
            continue
        found.append(
            _coupon_row(
                coupon, code=coupon.code, option=coupon.code, expires_at=coupon.ends_at
            )
        )
    return found


def _coupon_row(coupon: Coupon, *, code: str, option: str, expires_at) -> dict:
    return {
        "name": coupon.name,
        "code": code,
        "option": option,
        "description": coupon.description,
        "kind": coupon.kind,
        "value": coupon.value,
        "min_spend": coupon.min_spend,
        "expires_at": expires_at,
    }


# --- Birthday gifts --------------------------------------------------------------


def birthday_gift_text(tier: Tier, coupon_names: dict[int, str]) -> str:
    """A tier's birthday gift in words: "NT$300 shopping credit"; "" for none."""
    if tier.birthday_coupon_id:
        name = coupon_names.get(tier.birthday_coupon_id, "")
        return _("A “%(coupon)s” coupon") % {"coupon": name}
    if tier.birthday_gift_amount > 0:
        return _("%(amount)s shopping credit") % {
            "amount": format_money(tier.birthday_gift_amount)
        }
    return ""


@dataclass(frozen=True)
class TierPrivileges:
    tier: Tier
    member_day: str
    birthday_gift: str


@dataclass(frozen=True)
class BirthdayOverview:
    """The member area's birthday section for one member."""

    birthday: date | None
    # When gifts come ("On the first day of your birthday month").
    gift_when: str
    gift_this_year: BirthdayGift | None
    # This member's gift this year in words: when it comes, or why it does not.
    status: str
    tiers: list[TierPrivileges] = field(default_factory=list)
    rules: str = ""


def tier_privileges() -> list[TierPrivileges]:
    """Every tier's member-day benefits and birthday gift, in words.

    The cached tiers, and one query for the coupons' names if any tier gives one.
    """
    tiers = tiers_active()
    coupon_ids = {t.birthday_coupon_id for t in tiers if t.birthday_coupon_id}
    names = (
        dict(Coupon.objects.filter(pk__in=coupon_ids).values_list("pk", "name"))
        if coupon_ids
        else {}
    )
    rows = []
    for tier in tiers:
        status = MemberDayStatus(
            today=date.min,
            is_member_day=False,
            next_member_day=None,
            schedule="",
            tier=tier,
            extra_percent=tier.member_day_extra_percent,
            points_multiplier=tier.member_day_points_multiplier,
        )
        rows.append(
            TierPrivileges(
                tier=tier,
                member_day=status.benefits_short,
                birthday_gift=birthday_gift_text(tier, names),
            )
        )
    return rows


def _birthday_status(*, user, tier, today: date, settings_row) -> str:
    """When this member's gift comes this year, or why it does not."""
    if user.birthday is None:
        return _("Add your birthday to your profile to receive a birthday gift.")
    if not tier_gives_birthday_gift(tier):
        return _("Your tier has no birthday gift; the tiers above do.")
    rule = settings_row.birthday_gift_day
    gift_day = birthday_gift_day(birthday=user.birthday, year=today.year, rule=rule)
    if gift_day.month < today.month:
        following = birthday_gift_day(
            birthday=user.birthday, year=today.year + 1, rule=rule
        )
        return _("Your next birthday gift comes on %(date)s.") % {
            "date": date_format(following, "DATE_FORMAT")
        }
    refusal = birthday_gift_refusal(
        gift_day=gift_day,
        birthday_set_at=user.birthday_set_at,
        date_joined=user.date_joined,
        settings_row=settings_row,
    )
    if refusal == Refusal.BIRTHDAY_CHANGED:
        return _(
            "Your birthday was set or changed less than %(days)d days before "
            "this year's gift day, so your first gift comes next year."
        ) % {"days": settings_row.birthday_change_lock_days}
    if refusal == Refusal.NEW_ACCOUNT:
        return _(
            "Your account was opened less than %(days)d days before this year's "
            "gift day, so your first gift comes next year."
        ) % {"days": settings_row.birthday_new_account_days}
    if gift_day > today:
        return _("Your birthday gift comes on %(date)s.") % {
            "date": date_format(gift_day, "DATE_FORMAT")
        }
    return _("Your birthday gift is on its way: it arrives within the hour.")


def birthday_overview(
    *, user, tier: Tier | None, now: datetime | None = None
) -> BirthdayOverview:
    """The member's birthday, this year's gift (or when it comes, or why it
    does not), every tier's gift and the rules in words.

    One query for this year's gift, one for the tiers' coupon names if any.
    """
    today = store_date(now or timezone.now())
    settings_row = programme()
    gift = (
        BirthdayGift.objects.filter(user=user, year=today.year)
        .select_related("member_coupon__coupon")
        .first()
    )
    if settings_row.birthday_gift_day == BirthdayGiftDay.BIRTHDAY:
        when = _("On your birthday")
    else:
        when = _("On the first day of your birthday month")
    rules = _(
        "A birthday set or changed less than %(lock)d days before the gift day, "
        "or an account opened less than %(new)d days before it, gets its first "
        "gift the following year. Gifts are valid for %(valid)d days."
    ) % {
        "lock": settings_row.birthday_change_lock_days,
        "new": settings_row.birthday_new_account_days,
        "valid": settings_row.birthday_gift_valid_days,
    }
    if settings_row.birthday_gift_day == BirthdayGiftDay.BIRTHDAY:
        rules += " " + _(
            "A 29 February birthday is celebrated on 28 February in other years."
        )
    status = (
        ""
        if gift is not None
        else _birthday_status(
            user=user, tier=tier, today=today, settings_row=settings_row
        )
    )
    return BirthdayOverview(
        birthday=user.birthday,
        gift_when=when,
        gift_this_year=gift,
        status=status,
        tiers=tier_privileges(),
        rules=rules,
    )
