"""Tier changes: the upgrade a payment earns and a manual change by staff."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.errors import LoyaltyError
from loyalty.models import Membership, QualifyWindow, SchemeStatus, Tier, TierChange
from loyalty.notifications import member_email_send_later
from loyalty.selectors.programme import tiers_active
from loyalty.selectors.tiers import MemberStats, validity_expiry
from loyalty.services.membership import membership_lock
from shop.core.money import format_money


def _months_text(tier: Tier) -> str:
    if tier.qualify_window == QualifyWindow.CALENDAR_YEAR:
        return _("this calendar year")
    return ngettext(
        "in %(months)d month", "in %(months)d months", tier.qualify_window_months
    ) % {"months": tier.qualify_window_months}


def _qualify_reason(tier: Tier, figures: dict) -> str:
    """Why the member qualified for `tier`, e.g. "Spent NT$5,200 in 12 months"."""
    spend, orders = figures["spend"], figures["orders"]
    spend_met = tier.qualify_spend is not None and spend >= tier.qualify_spend
    orders_met = tier.qualify_orders is not None and orders >= tier.qualify_orders
    single_met = (
        tier.qualify_single_order is not None
        and figures["biggest"] >= tier.qualify_single_order
    )
    window = _months_text(tier)
    orders_optional = not tier.qualify_requires_both or tier.qualify_orders is None
    spend_optional = not tier.qualify_requires_both or tier.qualify_spend is None
    if spend_met and (orders_met or orders_optional):
        if tier.qualify_requires_both and tier.qualify_orders is not None:
            return ngettext(
                "Spent %(amount)s in %(orders)d order %(window)s",
                "Spent %(amount)s in %(orders)d orders %(window)s",
                orders,
            ) % {"amount": format_money(spend), "orders": orders, "window": window}
        return _("Spent %(amount)s %(window)s") % {
            "amount": format_money(spend),
            "window": window,
        }
    if orders_met and spend_optional:
        return ngettext(
            "%(orders)d order %(window)s", "%(orders)d orders %(window)s", orders
        ) % {"orders": orders, "window": window}
    if single_met:
        return _("One order of %(amount)s") % {
            "amount": format_money(figures["biggest"])
        }
    return _("Qualified for %(tier)s") % {"tier": tier.display_name}


def _upgrade_if_qualified(*, membership, order, now) -> TierChange | None:
    """Raise the locked `membership` to the highest tier it qualifies for, if higher."""
    today = timezone.localdate(now)
    tiers = tiers_active()
    stats = MemberStats(tiers=tiers, today=today)
    figures = stats.fetch_one(membership.pk)
    if figures["rank"] <= membership.tier.rank:
        return None
    tier = next(t for t in tiers if t.rank == figures["rank"])
    expires_on = validity_expiry(tier, today)
    change = _tier_write(
        membership=membership,
        tier=tier,
        kind=TierChange.Kind.UPGRADE,
        reason=_qualify_reason(tier, stats.figures_for(figures, tier)),
        expires_on=expires_on,
        now=now,
        order=order,
    )
    member_email_send_later(
        user=order.user,
        kind="tier_upgraded",
        context={
            "tier_id": tier.pk,
            "from_tier_id": change.from_tier_id,
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return change


def _tier_write(
    *, membership, tier, kind, reason, expires_on, now, order=None, actor=None
) -> TierChange:
    previous = membership.tier
    since = now if tier.pk != previous.pk else membership.tier_since
    Membership.objects.filter(pk=membership.pk).update(
        tier=tier,
        tier_since=since,
        tier_expires_on=expires_on,
        tier_warning_sent_on=None,
    )
    membership.tier, membership.tier_since = tier, since
    membership.tier_expires_on, membership.tier_warning_sent_on = expires_on, None
    return TierChange.objects.create(
        membership=membership,
        kind=kind,
        from_tier=previous,
        to_tier=tier,
        expires_on=expires_on,
        reason=reason[:255],
        order=order,
        actor=actor,
        created_at=now,
    )


def tier_set(*, user, tier: Tier, reason: str, actor) -> TierChange:
    """Put member `user` in `tier` by hand (staff), with a required reason.

    The tier's validity starts today (setting the same tier again renews it).
    Written as a "manual" history row with `actor`; a member raised to a
    higher tier gets the `tier_upgraded` email. Raises LoyaltyError without a
    reason or for a tier outside the active scheme. The door checks that
    `actor` may change tiers.
    """
    reason = (reason or "").strip()
    if not reason:
        raise LoyaltyError(_("Say why the tier is changed."), field="reason")
    if tier.scheme.status != SchemeStatus.ACTIVE:
        raise LoyaltyError(_("Choose a tier of the tier rules in force."), field="tier")
    now = timezone.now()
    with transaction.atomic():
        membership = membership_lock(user=user)
        raised = tier.rank > membership.tier.rank
        expires_on = validity_expiry(tier, timezone.localdate(now))
        change = _tier_write(
            membership=membership,
            tier=tier,
            kind=TierChange.Kind.MANUAL,
            reason=reason,
            expires_on=expires_on,
            now=now,
            actor=actor,
        )
        if raised:
            member_email_send_later(
                user=user,
                kind="tier_upgraded",
                context={
                    "tier_id": tier.pk,
                    "from_tier_id": change.from_tier_id,
                    "expires_on": expires_on.isoformat() if expires_on else None,
                },
            )
    return change
