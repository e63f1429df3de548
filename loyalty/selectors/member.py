"""Reads for the member area and the member API.

A member's balances with the dates behind them (pending points by the day they
become available, available points by the day they expire), the points ledger,
the tier history and the benefits table of the active scheme. Each read is a
fixed number of queries, whatever the number of rows; the tier progress numbers
come from `loyalty.selectors.tiers.tier_progress`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.models import (
    Membership,
    PointsEntry,
    PointsLot,
    PointsLotStatus,
    QualifyWindow,
    Tier,
    TierChange,
    TierValidity,
)
from loyalty.selectors.programme import programme, tiers_active
from loyalty.selectors.tiers import TierProgress, tier_progress
from loyalty.services.membership import membership_ensure
from shop.accounts.models import User
from shop.core.money import format_money

# How many upcoming expiry dates the member area lists.
EXPIRY_DATES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class PointsOnDate:
    """`points` that become available (or expire) on `on`; None: no date yet."""

    on: date | None
    points: int


@dataclass(frozen=True, slots=True)
class PointsSummary:
    available: int
    pending: int
    # Pending points by the day they become available, soonest first; a lot
    # whose order is not delivered yet has no day and comes last.
    releases: list[PointsOnDate]
    # Available points by the last day they can be used, soonest first; points
    # that never expire are left out.
    expiries: list[PointsOnDate]
    # Of those, the points whose last day falls within the reminder window.
    expiring_soon: int
    expiring_soon_until: date

    @property
    def next_expiries(self) -> list[PointsOnDate]:
        return self.expiries[:EXPIRY_DATES_SHOWN]


@dataclass(frozen=True, slots=True)
class MemberOverview:
    """What the dashboard card, the membership page and the API show."""

    membership: Membership
    progress: TierProgress
    points: PointsSummary


@dataclass(frozen=True, slots=True)
class TierBenefits:
    """One row of the benefits table, with the rules put into words."""

    tier: Tier
    # `points_per_amount` points for every `earn_per_amount` paid.
    points_per_amount: Decimal
    earn_per_amount: Decimal
    discount: str
    multiplier: str
    earn: str
    free_shipping: str
    how_to_qualify: str
    how_to_keep: str


def member_overview(*, user, today: date | None = None) -> MemberOverview:
    """The member's tier, progress and balances; the membership is made if missing.

    An account older than the programme gets its base-tier membership here,
    so the member area never fails for it.
    """
    membership = membership_ensure(user=user)
    today = today or timezone.localdate()
    return MemberOverview(
        membership=membership,
        progress=tier_progress(membership=membership, today=today),
        points=points_summary(membership=membership, today=today),
    )


def points_summary(
    *, membership: Membership, today: date | None = None
) -> PointsSummary:
    """The cached balances, with pending and available points grouped by date.

    One query over the member's open lots, grouped by status and day: a lot's
    expiry is shown as the last day it can be used (the store's day just before
    `expires_at`), so a lot expiring at the store's midnight reads as the day
    that ends there. The number of groups is bounded by the expiry rule (at
    most one per month), not by the number of lots.
    """
    today = today or timezone.localdate()
    zone = timezone.get_default_timezone()
    now = timezone.now()
    last_moment = ExpressionWrapper(
        F("expires_at") - Value(timedelta(microseconds=1)),
        output_field=DateTimeField(),
    )
    groups = (
        PointsLot.objects.filter(
            membership=membership,
            status__in=[PointsLotStatus.PENDING, PointsLotStatus.AVAILABLE],
            remaining__gt=0,
        )
        # Past their expiry but not yet swept by the nightly task: gone already.
        .exclude(status=PointsLotStatus.AVAILABLE, expires_at__lte=now)
        .annotate(
            day=Case(
                When(
                    status=PointsLotStatus.PENDING,
                    then=TruncDate("available_at", tzinfo=zone),
                ),
                default=TruncDate(last_moment, tzinfo=zone),
            )
        )
        .values_list("status", "day")
        .annotate(total=Sum("remaining"))
        .order_by()
    )
    releases: list[PointsOnDate] = []
    expiries: list[PointsOnDate] = []
    for status, day, total in groups:
        if status == PointsLotStatus.PENDING:
            releases.append(PointsOnDate(on=day, points=total))
        elif day is not None:
            expiries.append(PointsOnDate(on=day, points=total))
    releases.sort(key=lambda item: (item.on is None, item.on or date.min))
    expiries.sort(key=lambda item: item.on)
    soon_until = today + timedelta(days=programme().expiry_reminder_days)
    return PointsSummary(
        available=membership.points_available,
        pending=membership.points_pending,
        releases=releases,
        expiries=expiries,
        expiring_soon=sum(item.points for item in expiries if item.on <= soon_until),
        expiring_soon_until=soon_until,
    )


def points_history(*, membership: Membership) -> QuerySet[PointsEntry]:
    """The member's points ledger, newest first, with each row's order and lot."""
    return (
        PointsEntry.objects.filter(membership=membership)
        .select_related("order", "lot")
        .order_by("-created_at", "-id")
    )


def tier_history(*, membership: Membership) -> QuerySet[TierChange]:
    """The member's tier changes, newest first, with the tiers and order named."""
    return (
        TierChange.objects.filter(membership=membership)
        .select_related("from_tier", "to_tier", "order")
        .order_by("-created_at", "-id")
    )


def member_overview_for_staff(
    *, user_id: int, today: date | None = None
) -> MemberOverview | None:
    """`member_overview` of any customer by user id (back office); None if no such user.

    Like the member pages, an account older than the programme gets its
    base-tier membership on first look.
    """
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return None
    overview = member_overview(user=user, today=today)
    # Already loaded: saves the query `membership.user` would make.
    overview.membership.user = user
    return overview


# --- The benefits table ----------------------------------------------------------


def tier_benefits() -> list[TierBenefits]:
    """Every tier of the active scheme with its benefits and rules in words.

    Reads only the cached programme and tiers: no query once they are cached.
    """
    settings_row = programme()
    rows = []
    for tier in tiers_active():
        points = settings_row.earn_points * tier.points_multiplier
        rows.append(
            TierBenefits(
                tier=tier,
                points_per_amount=points,
                earn_per_amount=settings_row.earn_per_amount,
                discount=(
                    _("%(percent)s%% off")
                    % {"percent": decimal_text(tier.discount_percent)}
                    if tier.discount_percent
                    else ""
                ),
                multiplier=f"×{decimal_text(tier.points_multiplier)}",
                earn=ngettext(
                    "%(points)s point per %(amount)s",
                    "%(points)s points per %(amount)s",
                    1 if points == 1 else 2,
                )
                % {
                    "points": decimal_text(points),
                    "amount": format_money(settings_row.earn_per_amount),
                },
                free_shipping=_free_shipping_text(tier),
                how_to_qualify=tier_qualify_text(tier),
                how_to_keep=tier_keep_text(tier),
            )
        )
    return rows


def decimal_text(value: Decimal) -> str:
    """`Decimal("1.50")` → "1.5", `Decimal("2.00")` → "2", in the current locale."""
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return number_format(value)


def _free_shipping_text(tier: Tier) -> str:
    if tier.free_shipping_threshold is None:
        return _("Standard threshold")
    if tier.free_shipping_threshold <= 0:
        return _("Every order")
    return _("Orders from %(amount)s") % {
        "amount": format_money(tier.free_shipping_threshold)
    }


def _window_text(tier: Tier) -> str:
    if tier.qualify_window == QualifyWindow.CALENDAR_YEAR:
        return _("in one calendar year")
    return _("within %(months)d months") % {"months": tier.qualify_window_months}


def tier_qualify_text(tier: Tier) -> str:
    """How a member reaches `tier`, e.g. "Spend NT$5,000 within 12 months"."""
    if tier.rank == 0 or not tier.has_qualification:
        return _("Every registered customer")
    window = _window_text(tier)
    spend = tier.qualify_spend
    orders = tier.qualify_orders
    if spend is not None and orders is not None:
        if tier.qualify_requires_both:
            text = _("Spend %(amount)s and place %(orders)d orders %(window)s")
        else:
            text = _("Spend %(amount)s or place %(orders)d orders %(window)s")
        text = text % {
            "amount": format_money(spend),
            "orders": orders,
            "window": window,
        }
    elif spend is not None:
        text = _("Spend %(amount)s %(window)s") % {
            "amount": format_money(spend),
            "window": window,
        }
    elif orders is not None:
        text = _("Place %(orders)d orders %(window)s") % {
            "orders": orders,
            "window": window,
        }
    else:
        text = ""
    if tier.qualify_single_order is not None:
        single = format_money(tier.qualify_single_order)
        if text:
            text = _("%(rule)s, or spend %(amount)s in one order") % {
                "rule": text,
                "amount": single,
            }
        else:
            text = _("Spend %(amount)s in one order") % {"amount": single}
    return text


def tier_keep_text(tier: Tier) -> str:
    """How long `tier` lasts and what keeps it, in one sentence."""
    if tier.rank == 0 or tier.validity == TierValidity.FOREVER:
        return _("Never expires")
    if tier.validity == TierValidity.YEAR_END:
        validity = _("Valid until the end of the year")
    else:
        validity = _("Valid %(months)d months from reaching it") % {
            "months": tier.validity_months
        }
    if tier.retain_spend is None:
        return _("%(validity)s; qualify again to keep it") % {"validity": validity}
    return _("%(validity)s; spend %(amount)s in that time to keep it") % {
        "validity": validity,
        "amount": format_money(tier.retain_spend),
    }


# --- Progress in words ------------------------------------------------------------


def progress_next_text(progress: TierProgress) -> str:
    """The way to the next tier in words: "Spend NT$1,240 more by … to reach Gold"."""
    tier = progress.next_tier
    if tier is None:
        return _("You are in the highest tier.")
    spend = progress.next_spend_needed
    orders = progress.next_orders_needed
    parts = []
    if spend is not None and spend > 0:
        parts.append(_("spend %(amount)s more") % {"amount": format_money(spend)})
    if orders:
        parts.append(
            _("place %(count)d more orders") % {"count": orders}
            if orders != 1
            else _("place 1 more order")
        )
    if not parts:
        return _("You qualify for %(tier)s; your tier is updated shortly.") % {
            "tier": tier.display_name
        }
    joiner = _(" and ") if tier.qualify_requires_both else _(" or ")
    action = joiner.join(parts)
    if progress.window_ends_on is not None:
        text = _("%(action)s by %(date)s to reach %(tier)s") % {
            "action": action,
            "date": date_format(progress.window_ends_on, "DATE_FORMAT"),
            "tier": tier.display_name,
        }
    else:
        text = _("%(action)s to reach %(tier)s") % {
            "action": action,
            "tier": tier.display_name,
        }
    return text[:1].upper() + text[1:]


def progress_keep_text(progress: TierProgress) -> str:
    """Keeping the tier in words: "Spend NT$1,240 more by … to keep Gold"; "" if
    the tier does not expire."""
    tier = progress.tier
    if progress.expires_on is None:
        return ""
    if progress.retain_spend_needed is None:
        return _("%(tier)s is valid until %(date)s; qualify again to keep it.") % {
            "tier": tier.display_name,
            "date": date_format(progress.expires_on, "DATE_FORMAT"),
        }
    if progress.retain_spend_needed <= 0:
        return _("You have spent enough to keep %(tier)s after %(date)s.") % {
            "tier": tier.display_name,
            "date": date_format(progress.expires_on, "DATE_FORMAT"),
        }
    return _("Spend %(amount)s more by %(date)s to keep %(tier)s") % {
        "amount": format_money(progress.retain_spend_needed),
        "date": date_format(progress.retain_by or progress.expires_on, "DATE_FORMAT"),
        "tier": tier.display_name,
    }
