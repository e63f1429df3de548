"""Paid membership (訂閱制): start a paid period, cancel, refund, mark a benefit used.

The rules, as the member area states them:

- **Periods.** A period starts when its purchase is paid. Renewed early, it
  starts when the member's last period with benefits ends, so periods chain
  without overlapping and nothing paid for is lost. How long a period runs:
  `loyalty.plans.periods`. Renewal opens `paid_membership_reminder_days` days
  before the end (when the reminder goes out) and at most one period waits
  in line; nothing renews by itself, as no card is stored.
- **Cancel** is one click and takes effect at the period's end: the benefits
  hold until then, and no reminder is sent.
- **Refund, one-time.** A member may have one full refund in the life of
  their account: for a period paid no more than `paid_membership_refund_days`
  days before (counted in the shop's days, the day of purchase being day 0)
  whose benefits were never used: no order got the plan's discount or free
  shipping, or was placed while the plan lifted the member's tier. The
  benefits end at once; a period waiting behind it moves up to start right
  away.

Every change takes the member's membership row lock (`membership_lock`), so
that buying, cancelling, refunding and an order using a benefit never
interleave. The beat tasks end periods that are over and remind members
before their period ends.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.errors import PlanError
from loyalty.models import (
    MembershipPlan,
    PaidMembership,
    PaidMembershipStatus,
    PurchaseKind,
    PurchaseStatus,
)
from loyalty.plans.emails import (
    plan_email_context,
    plan_email_send_later,
    plan_emails_send_later,
)
from loyalty.plans.periods import period_end
from loyalty.plans.selectors import (
    STATUSES_WITH_BENEFITS,
    paid_membership_active,
    paid_membership_refund_refusal,
    paid_membership_renew_refusal,
)
from loyalty.prices import tier_in_force
from loyalty.selectors.programme import programme, tiers_active
from loyalty.services.membership import membership_lock
from shop.checkout.errors import CheckoutError

logger = logging.getLogger(__name__)

# The checkout adjustment of the plan's extra discount; the free shipping it
# grants is the "shipping" adjustment with `data["paid_membership"]`.
PAID_MEMBERSHIP_CODE = "paid_membership"


def paid_membership_purchase_check(
    *, user, plan: MembershipPlan, now: datetime | None = None
) -> None:
    """Raise PlanError (field "plan") unless `user` may buy `plan` now.

    The plan must be on sale, and renewal must be open (see the module's
    rules). Call before starting the purchase; activation does not refuse a
    paid purchase.
    """
    if not plan.is_active:
        raise PlanError(
            _("This plan is not on sale. Choose another one."),
            field="plan",
            code="not_on_sale",
        )
    refusal = paid_membership_renew_refusal(user=user, now=now)
    if refusal:
        raise PlanError(refusal, field="plan", code="renewal_not_open")


def paid_membership_activate(*, purchase) -> PaidMembership:
    """The paid period bought by `purchase`, created on the first call.

    Called by the purchase flow inside its transaction once the purchase is
    paid; calling it again (a replayed notice) returns the same period. The
    period starts at the payment, or at the end of the member's last period
    with benefits when that ends later (an early renewal). Queues the
    receipt email. Raises PlanError for a purchase that is not a paid
    membership purchase or is not paid.
    """
    with transaction.atomic():
        membership_lock(user=purchase.user)
        existing = (
            PaidMembership.objects.select_related("plan", "purchase")
            .filter(purchase_id=purchase.pk)
            .first()
        )
        if existing is not None:
            return existing
        if (
            purchase.kind != PurchaseKind.MEMBERSHIP
            or purchase.membership_plan_id is None
        ):
            raise PlanError(
                _("This purchase is not a paid membership."), code="not_membership"
            )
        if purchase.status != PurchaseStatus.PAID:
            raise PlanError(_("This purchase has not been paid."), code="not_paid")
        plan = MembershipPlan.objects.get(pk=purchase.membership_plan_id)
        paid_at = purchase.paid_at or timezone.now()
        last_end = _last_end(user_id=purchase.user_id, after=paid_at)
        starts_at = max(paid_at, last_end) if last_end else paid_at
        paid = PaidMembership.objects.create(
            user_id=purchase.user_id,
            plan=plan,
            purchase=purchase,
            status=PaidMembershipStatus.ACTIVE,
            starts_at=starts_at,
            ends_at=period_end(starts_at=starts_at, period=plan.period),
        )
        plan_email_send_later(
            user=purchase.user, kind="activated", context=plan_email_context(paid)
        )
    return paid


def _last_end(*, user_id: int, after: datetime) -> datetime | None:
    return PaidMembership.objects.filter(
        user_id=user_id, status__in=STATUSES_WITH_BENEFITS, ends_at__gt=after
    ).aggregate(end=Max("ends_at"))["end"]


def _locked(paid_membership: PaidMembership) -> PaidMembership:
    membership_lock(user=paid_membership.user)
    return (
        PaidMembership.objects.select_for_update(of=("self",))
        .select_related("plan", "purchase", "user")
        .get(pk=paid_membership.pk)
    )


def paid_membership_cancel(
    *, paid_membership: PaidMembership, actor=None, now: datetime | None = None
) -> PaidMembership:
    """Cancel `paid_membership` at its period's end; the benefits hold until then.

    Cancelling a cancelled period changes nothing. Raises PlanError for a
    period that has ended or was refunded. Queues the confirmation email.
    `actor` (the member or staff) is written to the log.
    """
    now = now or timezone.now()
    with transaction.atomic():
        paid = _locked(paid_membership)
        if paid.status == PaidMembershipStatus.CANCELLED:
            return paid
        if paid.status != PaidMembershipStatus.ACTIVE or paid.ends_at <= now:
            raise PlanError(_("This paid membership has already ended."), code="ended")
        paid.status = PaidMembershipStatus.CANCELLED
        paid.cancelled_at = now
        paid.save(update_fields=["status", "cancelled_at"])
        plan_email_send_later(
            user=paid.user, kind="cancelled", context=plan_email_context(paid)
        )
    logger.info(
        "paid membership %s cancelled by user %s",
        paid.pk,
        getattr(actor, "pk", None),
    )
    return paid


def paid_membership_refund(
    *,
    paid_membership: PaidMembership,
    actor=None,
    now: datetime | None = None,
    note: str = "",
) -> PaidMembership:
    """Refund `paid_membership` in full under the one-time rule; benefits end now.

    Raises PlanError (code "not_refundable") with the reason when the rule
    does not allow it. The money going back is recorded on the purchase by
    `loyalty.purchases.services.purchase_refund` with `actor` and `note`. A
    period waiting behind the refunded one moves up to start now. Queues the
    refund email.
    """
    from loyalty.purchases.services import purchase_refund

    now = now or timezone.now()
    with transaction.atomic():
        paid = _locked(paid_membership)
        refusal = paid_membership_refund_refusal(paid_membership=paid, now=now)
        if refusal:
            raise PlanError(refusal, code="not_refundable")
        started = paid.starts_at
        if started < now:
            paid.ends_at = now
        paid.status = PaidMembershipStatus.REFUNDED
        paid.save(update_fields=["status", "ends_at"])
        _move_up(user_id=paid.user_id, since=started, now=now)
        purchase = paid.purchase
        purchase_refund(
            purchase=purchase,
            amount=purchase.amount,
            actor=actor,
            note=note or _("Paid membership refunded (one-time refund)."),
        )
        plan_email_send_later(
            user=paid.user,
            kind="refunded",
            context=plan_email_context(paid, refunded_amount=str(purchase.amount)),
        )
    return paid


def _move_up(*, user_id: int, since: datetime, now: datetime) -> None:
    """Chain the periods starting at or after `since` from the last one before."""
    later = list(
        PaidMembership.objects.select_for_update(of=("self",))
        .select_related("plan")
        .filter(
            user_id=user_id, status__in=STATUSES_WITH_BENEFITS, starts_at__gte=since
        )
        .order_by("starts_at", "pk")
    )
    if not later:
        return
    before = PaidMembership.objects.filter(
        user_id=user_id,
        status__in=STATUSES_WITH_BENEFITS,
        starts_at__lt=since,
        ends_at__gt=now,
    ).aggregate(end=Max("ends_at"))["end"]
    start = max(now, before) if before else now
    for paid in later:
        paid.starts_at = start
        paid.ends_at = period_end(starts_at=start, period=paid.plan.period)
        start = paid.ends_at
    PaidMembership.objects.bulk_update(later, ["starts_at", "ends_at"])


def paid_membership_mark_benefit_used(*, order) -> PaidMembership | None:
    """Record that `order` used a benefit of the member's paid plan, if it did.

    Called when the order is placed, inside the placement transaction. A
    benefit counts as used when the order has the plan's discount, free
    shipping the plan granted, or was placed while the plan lifted the
    member to a higher tier (its prices); from then on the period cannot be
    refunded. Raises CheckoutError, rolling the placement back, when the
    order has a plan adjustment but the period ended (e.g. was refunded)
    after the order was priced.
    """
    if order.user_id is None:
        return None
    adjustments = getattr(order, "placed_adjustments", None)
    if adjustments is None:
        adjustments = list(order.adjustments.all())
    by_adjustment = any(_uses_plan(adjustment) for adjustment in adjustments)
    moment = order.placed_at or timezone.now()
    if not by_adjustment:
        # Most orders: one unlocked read settles that no plan lifted the tier.
        holding = paid_membership_active(order.user, now=moment)
        if holding is None or not holding.plan.min_tier_code:
            return None
    with transaction.atomic():
        membership = membership_lock(user=order.user)
        paid = (
            PaidMembership.objects.select_for_update(of=("self",))
            .select_related("plan")
            .filter(
                user_id=order.user_id,
                status__in=STATUSES_WITH_BENEFITS,
                starts_at__lte=moment,
                ends_at__gt=moment,
            )
            .order_by("-ends_at", "-pk")
            .first()
        )
        if paid is None:
            if by_adjustment:
                raise CheckoutError(
                    _(
                        "Your paid membership has ended, so its benefits no longer "
                        "apply. Please review your order again."
                    ),
                    code="paid_membership_ended",
                )
            return None
        if not (by_adjustment or _tier_lifted(paid.plan, membership)):
            return None
        if paid.benefit_used_at is None:
            paid.benefit_used_at = moment
            paid.save(update_fields=["benefit_used_at"])
    return paid


def _uses_plan(adjustment) -> bool:
    if adjustment.code == PAID_MEMBERSHIP_CODE:
        return True
    return adjustment.code == "shipping" and bool(
        (adjustment.data or {}).get("paid_membership")
    )


def _tier_lifted(plan: MembershipPlan, membership) -> bool:
    """Whether `plan`'s minimum tier is above the tier the member holds."""
    if not plan.min_tier_code:
        return False
    tiers = tiers_active()
    floor = next((t for t in tiers if t.code == plan.min_tier_code), None)
    own = tier_in_force(membership.tier)
    return floor is not None and own is not None and floor.rank > own.rank


# Rows per transaction of the beat tasks: short locks, and a retry after a
# failure picks up where the last committed batch ended.
BATCH_SIZE = 500


def paid_memberships_lapse(*, now: datetime | None = None) -> int:
    """End every period whose time is over (active or cancelled → lapsed).

    Set-based, batch by batch; rows another transaction holds are left for
    the next run. The member gets "your membership ended" unless a later
    period carries their benefits on. Returns how many periods lapsed.
    """
    now = now or timezone.now()
    lapsed = 0
    while True:
        with transaction.atomic():
            due = list(
                PaidMembership.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("plan", "purchase")
                .filter(status__in=STATUSES_WITH_BENEFITS, ends_at__lte=now)
                .order_by("pk")[:BATCH_SIZE]
            )
            if not due:
                return lapsed
            PaidMembership.objects.filter(pk__in=[p.pk for p in due]).update(
                status=PaidMembershipStatus.LAPSED
            )
            users = {p.user_id for p in due}
            continuing = set(
                PaidMembership.objects.filter(
                    user_id__in=users,
                    status__in=STATUSES_WITH_BENEFITS,
                    ends_at__gt=now,
                ).values_list("user_id", flat=True)
            )
            # One email per member: about the period that ended last.
            ended = {}
            for paid in sorted(due, key=lambda p: p.ends_at):
                if paid.user_id not in continuing:
                    ended[paid.user_id] = plan_email_context(paid)
            plan_emails_send_later(kind="ended", items=list(ended.items()))
            lapsed += len(due)


def paid_membership_reminders_send(*, now: datetime | None = None) -> int:
    """Email members whose period ends within `paid_membership_reminder_days`.

    Only periods that are active (not cancelled), not followed by a paid
    period, and not reminded yet; each is reminded once (`reminded_at`).
    The email links to the plans page to renew. Returns how many were sent.
    """
    now = now or timezone.now()
    days = programme().paid_membership_reminder_days
    if not days:
        return 0
    renewed = PaidMembership.objects.filter(
        user_id=OuterRef("user_id"),
        status__in=STATUSES_WITH_BENEFITS,
        starts_at__gte=OuterRef("ends_at"),
    )
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                PaidMembership.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("plan", "purchase")
                .filter(
                    status=PaidMembershipStatus.ACTIVE,
                    reminded_at__isnull=True,
                    ends_at__gt=now,
                    ends_at__lte=now + timedelta(days=days),
                )
                .exclude(Exists(renewed))
                .order_by("pk")[:BATCH_SIZE]
            )
            if not due:
                return sent
            PaidMembership.objects.filter(pk__in=[p.pk for p in due]).update(
                reminded_at=now
            )
            plan_emails_send_later(
                kind="reminder",
                items=[(p.user_id, plan_email_context(p)) for p in due],
            )
            sent += len(due)
