"""Birthday gifts (生日禮金): shopping credit or a coupon, once per member per year.

The gift day is the first day of the birthday month, or the birthday itself
(programme setting `birthday_gift_day`), on the shop's calendar
(settings.TIME_ZONE). A 29 February birthday is celebrated on 28 February in
years without one. The hourly beat task gives every gift due from the start of
the birthday month up to today that has not been given this year, so a run
missed at midnight is caught up within the month.

Anti-gaming (programme settings): no gift that year for a birthday set or
changed less than `birthday_change_lock_days` before the gift day (or after
it), nor for an account opened less than `birthday_new_account_days` before
it. The tier decides the gift: its `birthday_coupon` if set, else
`birthday_gift_amount` of credit; a tier with neither gives nothing.

A `BirthdayGift` row (unique per member and year) is written first and the
credit or coupon in the same transaction, so a second run, or a second worker
at the same time, gives nothing twice.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from loyalty.coupons.services import coupon_issue
from loyalty.credit.services import credit_grant
from loyalty.dates import store_date, store_midnight
from loyalty.models import (
    BirthdayGift,
    BirthdayGiftDay,
    Coupon,
    CreditSource,
    LoyaltyProgramme,
    Membership,
    Tier,
)
from loyalty.plans.selectors import paid_membership_annotations
from loyalty.privileges.emails import privilege_emails_send_later
from loyalty.privileges.tiers import TierResolver
from loyalty.selectors.programme import programme
from shop.core.errors import ShopError

logger = logging.getLogger(__name__)

# Members per transaction: one run at the start of a busy birthday month
# commits as it goes, and a retry skips what is done.
BATCH_SIZE = 1000
BIRTHDAY_SOURCE = "birthday"


class Refusal:
    """Why a member gets no gift this year (what `birthday_gift_refusal` returns)."""

    BIRTHDAY_CHANGED = "birthday_changed"
    NEW_ACCOUNT = "new_account"


def birthday_gift_day(*, birthday: date, year: int, rule: str) -> date:
    """The day in `year` the member born on `birthday` gets their gift.

    "month_start": the first day of the birthday month; "birthday": the
    birthday, or the month's last day when `year` has no such day (29 February).
    """
    if rule == BirthdayGiftDay.MONTH_START:
        return date(year, birthday.month, 1)
    last = calendar.monthrange(year, birthday.month)[1]
    return date(year, birthday.month, min(birthday.day, last))


def birthday_gift_refusal(
    *,
    gift_day: date,
    birthday_set_at: datetime | None,
    date_joined: datetime,
    settings_row: LoyaltyProgramme,
) -> str | None:
    """Why no gift is given on `gift_day` (a `Refusal` code), or None."""
    starts = store_midnight(gift_day)
    lock = timedelta(days=settings_row.birthday_change_lock_days)
    if birthday_set_at is not None and birthday_set_at > starts - lock:
        return Refusal.BIRTHDAY_CHANGED
    if date_joined > starts - timedelta(days=settings_row.birthday_new_account_days):
        return Refusal.NEW_ACCOUNT
    return None


def birthday_gift_expiry(*, gift_day: date, settings_row: LoyaltyProgramme):
    """When a gift of `gift_day` expires: the shop's midnight after its last day."""
    return store_midnight(
        gift_day + timedelta(days=settings_row.birthday_gift_valid_days)
    )


def tier_gives_birthday_gift(tier: Tier | None) -> bool:
    return tier is not None and bool(
        tier.birthday_coupon_id or tier.birthday_gift_amount > 0
    )


def _candidates(*, today: date, now: datetime, rule: str):
    """Memberships whose gift may be due by `today` and was not given this year."""
    given = BirthdayGift.objects.filter(user_id=OuterRef("user_id"), year=today.year)
    found = Membership.objects.filter(
        ~Exists(given),
        user__is_active=True,
        user__birthday__month=today.month,
    )
    last = calendar.monthrange(today.year, today.month)[1]
    if rule == BirthdayGiftDay.BIRTHDAY and today.day < last:
        # On the month's last day every birthday of the month is due (29 February).
        found = found.filter(user__birthday__day__lte=today.day)
    return found.annotate(**paid_membership_annotations(now=now))


def birthday_gifts_issue(*, now: datetime) -> int:
    """Give every birthday gift due by the shop's today; the number given.

    Set-based selection in batches of `BATCH_SIZE` members (by membership pk),
    each batch one transaction: per member a `BirthdayGift` row first (a
    duplicate means it was given: skipped), then the credit
    (`credit_grant`, key "birthday:<user>:<year>", expiring
    `birthday_gift_valid_days` after the gift day at the shop's midnight) or
    the tier's coupon (`coupon_issue`, key "birthday:<year>"), and an email
    after the commit. A member the coupon or credit service refuses is
    logged and tried again next run.
    """
    settings_row = programme()
    today = store_date(now)
    rule = settings_row.birthday_gift_day
    candidates = _candidates(today=today, now=now, rule=rule)
    resolve = TierResolver()
    given = 0
    after = 0
    while True:
        rows = list(
            candidates.filter(pk__gt=after)
            .order_by("pk")
            .values_list(
                "pk",
                "user_id",
                "tier_id",
                "tier__code",
                "paid_plan_id",
                "user__birthday",
                "user__birthday_set_at",
                "user__date_joined",
            )[:BATCH_SIZE]
        )
        if not rows:
            return given
        after = rows[-1][0]
        due = []
        for _pk, user_id, tier_id, code, plan_id, birthday, set_at, joined in rows:
            tier = resolve(tier_id=tier_id, tier_code=code, paid_plan_id=plan_id)
            if not tier_gives_birthday_gift(tier):
                continue
            gift_day = birthday_gift_day(birthday=birthday, year=today.year, rule=rule)
            if gift_day > today or (
                birthday_gift_expiry(gift_day=gift_day, settings_row=settings_row)
                <= now
            ):
                # Not due yet, or its validity is over before a late run.
                continue
            refusal = birthday_gift_refusal(
                gift_day=gift_day,
                birthday_set_at=set_at,
                date_joined=joined,
                settings_row=settings_row,
            )
            if refusal is None:
                due.append((user_id, tier, gift_day))
        if due:
            given += _batch_give(due, now=now, settings_row=settings_row)
        if len(rows) < BATCH_SIZE:
            return given


def _batch_give(due, *, now: datetime, settings_row: LoyaltyProgramme) -> int:
    users = get_user_model().objects.in_bulk([user_id for user_id, _t, _d in due])
    coupons = Coupon.objects.in_bulk(
        {tier.birthday_coupon_id for _u, tier, _d in due if tier.birthday_coupon_id}
    )
    emails = []
    with transaction.atomic():
        for user_id, tier, gift_day in due:
            user = users.get(user_id)
            if user is None:
                continue
            try:
                with transaction.atomic():
                    email = _give(
                        user=user,
                        tier=tier,
                        coupon=coupons.get(tier.birthday_coupon_id),
                        gift_day=gift_day,
                        now=now,
                        settings_row=settings_row,
                    )
            except IntegrityError:
                continue  # given by another run meanwhile
            except ShopError as error:
                logger.warning(
                    "birthday gift to user %s not given: %s", user_id, error.message
                )
                continue
            emails.append((user_id, email))
        privilege_emails_send_later(kind="birthday_gift", items=emails)
    return len(emails)


def _give(*, user, tier, coupon, gift_day, now, settings_row) -> dict:
    """One member's gift (inside a savepoint); the context of their email."""
    year = gift_day.year
    gift = BirthdayGift.objects.create(
        user=user, year=year, tier_code=tier.code, amount=0, issued_at=now
    )
    expires_at = birthday_gift_expiry(gift_day=gift_day, settings_row=settings_row)
    reason = _("Birthday gift %(year)d") % {"year": year}
    if coupon is not None:
        voucher = coupon_issue(
            coupon=coupon,
            user=user,
            issue_key=f"birthday:{year}",
            source=BIRTHDAY_SOURCE,
            now=now,
        )
        # The gift's validity caps the voucher's own.
        if voucher.expires_at is None or voucher.expires_at > expires_at:
            voucher.expires_at = expires_at
            voucher.save(update_fields=["expires_at"])
        gift.member_coupon = voucher
        gift.save(update_fields=["member_coupon"])
        expires_at = voucher.expires_at
        context = {"amount": None, "coupon_name": coupon.name}
    else:
        entry = credit_grant(
            user=user,
            amount=tier.birthday_gift_amount,
            source=CreditSource.BIRTHDAY,
            idempotency_key=f"birthday:{user.pk}:{year}",
            reason=reason,
            expires_at=expires_at,
        )
        gift.amount = tier.birthday_gift_amount
        gift.credit_entry = entry
        gift.save(update_fields=["amount", "credit_entry"])
        context = {"amount": str(tier.birthday_gift_amount), "coupon_name": ""}
    last_day = store_date(expires_at - timedelta(microseconds=1))
    return {**context, "expires_on": last_day.isoformat()}
