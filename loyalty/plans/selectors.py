"""Reads of paid membership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from loyalty.dates import store_date, store_midnight
from loyalty.models import (
    MembershipPlan,
    PaidMembership,
    PaidMembershipStatus,
    PlanPeriod,
)
from loyalty.plans.periods import period_last_day
from loyalty.selectors.member import decimal_text
from loyalty.selectors.programme import programme, tiers_active
from shop.core.money import format_money

_PLANS_KEY = "loyalty:membership-plans"
_PLANS_TIMEOUT = 60

# A cancelled period still holds its benefits until it ends.
STATUSES_WITH_BENEFITS = (PaidMembershipStatus.ACTIVE, PaidMembershipStatus.CANCELLED)


def paid_membership_active(user, *, now=None) -> PaidMembership | None:
    """The paid period holding benefits for `user` now (with its plan), or None."""
    if user is None or not user.is_authenticated:
        return None
    now = now or timezone.now()
    return (
        PaidMembership.objects.filter(
            user_id=user.pk,
            status__in=STATUSES_WITH_BENEFITS,
            starts_at__lte=now,
            ends_at__gt=now,
        )
        .select_related("plan")
        .order_by("-ends_at", "-id")
        .first()
    )


def paid_membership_annotations(*, now=None) -> dict:
    """Annotations for a Membership query: the active paid period's id and plan id.

    The shopper context reads them with the membership in its one query.
    """
    now = now or timezone.now()
    active = PaidMembership.objects.filter(
        user_id=OuterRef("user_id"),
        status__in=STATUSES_WITH_BENEFITS,
        starts_at__lte=now,
        ends_at__gt=now,
    ).order_by("-ends_at", "-id")
    return {
        "paid_membership_id": Subquery(active.values("pk")[:1]),
        "paid_plan_id": Subquery(active.values("plan_id")[:1]),
    }


def membership_plans() -> dict[int, MembershipPlan]:
    """Every membership plan by pk (on sale or not), cached like the tiers."""
    found = cache.get(_PLANS_KEY)
    if found is None:
        found = {plan.pk: plan for plan in MembershipPlan.objects.all()}
        cache.set(_PLANS_KEY, found, _PLANS_TIMEOUT)
    return found


def membership_plans_cache_clear() -> None:
    cache.delete(_PLANS_KEY)


def membership_plans_on_sale() -> list[MembershipPlan]:
    """The plans on sale, in the merchant's order (from the cache)."""
    plans = [plan for plan in membership_plans().values() if plan.is_active]
    return sorted(plans, key=lambda plan: (plan.position, plan.price, plan.pk))


def paid_membership_history(*, user) -> QuerySet[PaidMembership]:
    """Every period of `user`, latest end first, with plan and purchase."""
    return (
        PaidMembership.objects.filter(user_id=user.pk)
        .select_related("plan", "purchase")
        .order_by("-ends_at", "-id")
    )


def paid_membership_refund_until(paid_membership: PaidMembership) -> datetime:
    """When the refund window of `paid_membership` closes (its purchase read).

    The window counts shop days: the day of purchase is day 0 and the window
    closes at the shop's midnight after day `paid_membership_refund_days`.
    """
    purchase = paid_membership.purchase
    paid_at = purchase.paid_at or purchase.created_at
    days = programme().paid_membership_refund_days
    return store_midnight(store_date(paid_at) + timedelta(days=days + 1))


def paid_membership_refund_refusal(
    *,
    paid_membership: PaidMembership,
    now: datetime | None = None,
    refunded_before: bool | None = None,
) -> str:
    """Why `paid_membership` cannot be refunded now, or "" when it can.

    The one-time rule of `loyalty.plans.services`. `refunded_before` (whether
    the member had another period refunded) is read when not given.
    """
    now = now or timezone.now()
    paid = paid_membership
    if paid.status == PaidMembershipStatus.REFUNDED:
        return _("This paid membership has already been refunded.")
    if paid.status == PaidMembershipStatus.LAPSED or paid.ends_at <= now:
        return _("This paid membership has ended.")
    if paid.benefit_used_at is not None:
        return _(
            "Its benefits were used on %(date)s (an order got the plan's discount, "
            "free shipping or tier prices), so it cannot be refunded."
        ) % {"date": formats.date_format(store_date(paid.benefit_used_at))}
    until = paid_membership_refund_until(paid)
    if now >= until:
        return _("The refund period ended on %(date)s.") % {
            "date": formats.date_format(period_last_day(until))
        }
    if refunded_before is None:
        refunded_before = (
            PaidMembership.objects.filter(
                user_id=paid.user_id, status=PaidMembershipStatus.REFUNDED
            )
            .exclude(pk=paid.pk)
            .exists()
        )
    if refunded_before:
        return _(
            "The refund is one-time and was already used on this account, so "
            "this membership cannot be refunded."
        )
    return ""


def renewal_opens_at(ends_at: datetime) -> datetime:
    """When a member whose last period ends at `ends_at` may buy the next one."""
    return ends_at - timedelta(days=programme().paid_membership_reminder_days)


@dataclass(frozen=True)
class PaidMembershipState:
    """A member's paid membership now, as the plans page and the API show it."""

    # The period holding benefits now, and a paid period waiting behind it.
    current: PaidMembership | None
    queued: PaidMembership | None
    # "" when the member may buy (or renew) now, else why not.
    buy_refusal: str
    renewal_opens_at: datetime | None
    # Period pk → "" when refundable now, else why not.
    refund_refusals: dict[int, str]

    @property
    def last(self) -> PaidMembership | None:
        """The period whose end is the end of the member's benefits."""
        return self.queued or self.current

    @property
    def can_buy(self) -> bool:
        return not self.buy_refusal


def paid_membership_state(*, user, now: datetime | None = None) -> PaidMembershipState:
    """`user`'s current and queued periods, whether they may buy and refund.

    Two queries: the periods not yet over (with plan and purchase) and
    whether the member had a refund.
    """
    now = now or timezone.now()
    periods = list(
        PaidMembership.objects.filter(
            user_id=user.pk, status__in=STATUSES_WITH_BENEFITS, ends_at__gt=now
        )
        .select_related("plan", "purchase")
        .order_by("starts_at", "id")
    )
    current = next((p for p in reversed(periods) if p.starts_at <= now), None)
    queued = next((p for p in periods if p.starts_at > now), None)
    refunds = {}
    if periods:
        refunded_before = PaidMembership.objects.filter(
            user_id=user.pk, status=PaidMembershipStatus.REFUNDED
        ).exists()
        refunds = {
            p.pk: paid_membership_refund_refusal(
                paid_membership=p, now=now, refunded_before=refunded_before
            )
            for p in periods
        }
    opens_at = None
    refusal = ""
    if queued is not None:
        refusal = _(
            "Your next period is already paid for; you can renew again once it "
            "has started."
        )
    elif current is not None:
        opens_at = renewal_opens_at(current.ends_at)
        if now < opens_at:
            refusal = _("Renewal opens on %(date)s.") % {
                "date": formats.date_format(store_date(opens_at))
            }
    return PaidMembershipState(
        current=current,
        queued=queued,
        buy_refusal=refusal,
        renewal_opens_at=opens_at,
        refund_refusals=refunds,
    )


def paid_membership_renew_refusal(*, user, now: datetime | None = None) -> str:
    """Why `user` cannot buy a paid period now, or "" when they can."""
    return paid_membership_state(user=user, now=now).buy_refusal


def plan_benefit_texts(plan: MembershipPlan) -> list[str]:
    """`plan`'s benefits in words, e.g. "Free shipping on every order"."""
    texts = []
    if plan.free_shipping:
        texts.append(_("Free shipping on every order"))
    if plan.extra_discount_percent:
        texts.append(
            _("An extra %(percent)s%% off items")
            % {"percent": decimal_text(plan.extra_discount_percent)}
        )
    floor = next((t for t in tiers_active() if t.code == plan.min_tier_code), None)
    if floor is not None:
        texts.append(
            _("At least %(tier)s prices and benefits while it lasts")
            % {"tier": floor.display_name}
        )
    return texts


def plan_price_text(plan: MembershipPlan) -> str:
    """`plan`'s price per period, e.g. "NT$199 a month"."""
    if plan.period == PlanPeriod.YEAR:
        return _("%(price)s a year") % {"price": format_money(plan.price)}
    return _("%(price)s a month") % {"price": format_money(plan.price)}
