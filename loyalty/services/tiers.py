"""Tier writes: qualifying spend, upgrades, manual changes, the nightly renewal
and downgrade run, and the "you will lose your tier" warnings.

Qualifying spend is the order's net paid amount: `total − shipping_total`
(the total is already after discounts, points and credit). It is counted when
the order is paid and removed by a cancellation or a return, always dated at
the order's payment time, so the removal lowers the window the order counted
in. A payment upgrades the member in its own transaction; nothing downgrades
at once: an expired tier is renewed or dropped by the nightly run.

What "qualifies" means is defined once, in `loyalty.selectors.tiers`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import OperationalError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.errors import LoyaltyError
from loyalty.models import (
    DowngradeRule,
    Membership,
    QualifyingSpend,
    QualifyWindow,
    SchemeStatus,
    Tier,
    TierChange,
)
from loyalty.notifications import member_email_send_later, member_emails_send_later
from loyalty.selectors.programme import programme, tiers_active
from loyalty.selectors.tiers import (
    MemberStats,
    Retention,
    day_start,
    money,
    sql_case,
    sql_param,
    sql_value,
    validity_expiry,
    validity_start,
)
from loyalty.services.membership import membership_ensure
from shop.core.money import format_money

logger = logging.getLogger(__name__)

BATCH_SIZE = 10_000


def _membership_lock(*, user) -> Membership:
    """The member's row, locked; its tier read after the lock.

    Not `membership_lock`: its lock query joins the tier, and PostgreSQL
    re-checks a row that another transaction changed while this one waited
    against the tier row it joined before, so a member upgraded by a
    concurrent payment would not be found. Same lock, same order.
    """
    membership = membership_ensure(user=user)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    locked.tier = Tier.objects.select_related("scheme").get(pk=locked.tier_id)
    return locked


def _net_paid(order) -> Decimal:
    return max(Decimal("0.00"), order.total - order.shipping_total)


def _order_key(order) -> str:
    return f"spend:order:{order.pk}"


# --- Spend ---------------------------------------------------------------------------


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
        membership = _membership_lock(user=order.user)
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
        membership = _membership_lock(user=order.user)
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
        membership = _membership_lock(user=order.user)
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


# --- Upgrades and manual changes -------------------------------------------------


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
        membership = _membership_lock(user=user)
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


# --- The nightly run ---------------------------------------------------------------


@dataclass
class TierRunResult:
    """What one nightly run did."""

    renewed: int = 0
    downgraded: int = 0
    batches: int = 0

    @property
    def examined(self) -> int:
        return self.renewed + self.downgraded


def _active_tiers() -> list[Tier]:
    # Fresh from the database: a worker's cached copy may predate a new scheme.
    return list(
        Tier.objects.filter(scheme__status=SchemeStatus.ACTIVE)
        .select_related("scheme")
        .order_by("rank")
    )


def _chunks(ids: list[int], size: int):
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield chunk[0], chunk[-1]


def _expired_groups(today: date):
    return (
        Membership.objects.filter(tier_expires_on__lt=today)
        .values_list("tier_id", "tier_expires_on")
        .distinct()
        .order_by("tier_expires_on", "tier_id")
    )


def tiers_renew_or_downgrade(
    *, today: date, batch_size: int = BATCH_SIZE
) -> TierRunResult:
    """Renew or drop every member whose tier expired before `today` (nightly).

    A member keeps the tier for another validity (counted from the old
    expiry) when they spent at least its `retain_spend` during the validity
    that ended, or qualify for it again today; they get the `tier_renewed`
    email. Otherwise they drop per `programme().downgrade_rule`: one level
    down, or to the highest tier below the current one they qualify for
    (the base tier at least); the lower tier's validity starts the day after
    the expiry. Each move is a TierChange row with its reason.

    Set-based: members are handled per (tier, expiry day) in batches of
    `batch_size` by primary key, each batch in its own transaction: one
    aggregate over the spend rows decides, the memberships are updated and
    the history rows written from it (one statement on PostgreSQL, see
    `_decide_and_apply_postgresql`), and the renewed members' emails go to
    the broker as one message. A run that stops half-way is finished by the
    next one.
    """
    result = TierRunResult()
    tiers = _active_tiers()
    by_id = {tier.pk: tier for tier in tiers}
    by_rank = {tier.rank: tier for tier in tiers}
    rule = programme().downgrade_rule
    # A second pass takes the members a concurrent change made the first skip.
    for _pass in range(3):
        before = result.examined
        for tier_id, expired_on in list(_expired_groups(today)):
            tier = by_id.get(tier_id)
            if tier is None:
                # A tier of a retired scheme: schemes_activate_due moves it first.
                logger.warning("members of inactive tier %s left for later", tier_id)
                continue
            if tier.rank == 0:
                Membership.objects.filter(
                    tier_id=tier_id, tier_expires_on=expired_on
                ).update(tier_expires_on=None)
                continue
            ids = list(
                Membership.objects.filter(tier_id=tier_id, tier_expires_on=expired_on)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for low, high in _chunks(ids, batch_size):
                renewed, downgraded = _renew_or_downgrade_batch(
                    tier=tier,
                    expired_on=expired_on,
                    low=low,
                    high=high,
                    today=today,
                    by_rank=by_rank,
                    rule=rule,
                )
                result.renewed += renewed
                result.downgraded += downgraded
                result.batches += 1
        if result.examined == before:
            break
    return result


@dataclass(frozen=True)
class _Decision:
    """The SQL of one batch's decisions, for `_decide_and_apply_*`.

    `select` has one row per member of the batch: `id`, `keep` (1: renew),
    `kept_ok` (1: retention spend met) and `drop_rank` (the rank to drop to).
    `to_tier(column)` / `to_expiry(column)` map a drop rank to the lower
    tier and its new expiry; `renew_expiry` is the renewed tier's.
    """

    tier: Tier
    select: str
    params: list
    where: str
    where_params: list
    lower: list
    next_day: date
    reasons: tuple[str, str, str]  # kept, qualified again, dropped

    def to_tier(self, column: str):
        return sql_case(
            column,
            [(t.rank, t.pk) for t in self.lower],
            "int",
            default=self.lower[0].pk,
        )

    def to_expiry(self, column: str):
        return sql_case(
            column,
            [(t.rank, validity_expiry(t, self.next_day)) for t in self.lower],
            "date",
        )

    @property
    def renew_expiry(self) -> date | None:
        return validity_expiry(self.tier, self.next_day)


def _decision(*, tier, expired_on, low, high, today, by_rank, rule) -> _Decision:
    next_day = expired_on + timedelta(days=1)
    # COALESCE(x, x): the batch is a primary-key range; without it the
    # planner would combine the tier and expiry indexes, each read whole for
    # every batch (hundreds of thousands of entries on a busy night).
    where = (
        "{m}.id >= %s AND {m}.id <= %s AND COALESCE({m}.tier_id, {m}.tier_id) = %s"
        " AND COALESCE({m}.tier_expires_on, {m}.tier_expires_on)"
        f" = {sql_param('date')}"
    )
    where_params = [low, high, tier.pk, sql_value("date", expired_on)]
    retention = Retention(
        since=day_start(max(validity_start(tier, expired_on), date(1970, 1, 2))),
        until=day_start(next_day),
    )
    stats = MemberStats(tiers=by_rank.values(), today=today, retention=retention)
    stats_sql, stats_params = stats.sql(where, where_params)
    again, again_params = stats.qualifies_sql(tier, "a")
    if rule == DowngradeRule.QUALIFIED:
        drop_rank, drop_params = stats.rank_sql("a", below=tier.rank)
    else:
        drop_rank, drop_params = str(tier.rank - 1), []
    if tier.retain_spend is not None:
        kept = f"a.kept >= {sql_param('money')}"
        kept_params = [str(tier.retain_spend)]
        amount = format_money(tier.retain_spend)
        kept_reason = _("Spent at least %(amount)s while %(tier)s was valid") % {
            "amount": amount,
            "tier": tier.display_name,
        }
        drop_reason = _("Spent less than %(amount)s while %(tier)s was valid") % {
            "amount": amount,
            "tier": tier.display_name,
        }
    else:
        kept, kept_params = "1 = 0", []
        kept_reason = ""
        drop_reason = _("Did not qualify again for %(tier)s") % {
            "tier": tier.display_name
        }
    again_reason = _("Qualified again for %(tier)s") % {"tier": tier.display_name}
    select = (
        f"SELECT a.id, CASE WHEN {kept} THEN 1 ELSE 0 END AS kept_ok,"
        f" CASE WHEN {kept} OR {again} THEN 1 ELSE 0 END AS keep,"
        f" {drop_rank} AS drop_rank FROM ({stats_sql}) a"
    )
    return _Decision(
        tier=tier,
        select=select,
        params=[
            *kept_params,
            *kept_params,
            *again_params,
            *drop_params,
            *stats_params,
        ],
        where=where,
        where_params=where_params,
        lower=[t for rank, t in sorted(by_rank.items()) if rank < tier.rank],
        next_day=next_day,
        reasons=(kept_reason, again_reason, drop_reason),
    )


def _renew_or_downgrade_batch(**batch) -> tuple[int, int]:
    """Decide and apply one batch in its own transaction; (renewed, dropped).

    A deadlock with another job that locks many members (PostgreSQL detects
    it and cancels one side) is retried; the batch changes nothing until it
    commits.
    """
    decision = _decision(**batch)
    write = (
        _decide_and_apply_postgresql
        if connection.vendor == "postgresql"
        else _decide_and_apply
    )
    for attempt in range(3):
        try:
            with transaction.atomic():
                rows = write(decision, now=timezone.now())
                renewed = [user_id for user_id, keep in rows if keep == 1]
                expiry = decision.renew_expiry
                context = {
                    "tier_id": decision.tier.pk,
                    "expires_on": expiry.isoformat() if expiry else None,
                }
                member_emails_send_later(
                    kind="tier_renewed",
                    items=[(user_id, context) for user_id in renewed],
                )
            return len(renewed), len(rows) - len(renewed)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != "40P01" or attempt == 2:
                raise
            logger.warning("tier batch deadlocked; retrying: %s", error)
    raise AssertionError("unreachable")


def _decide_and_apply_postgresql(decision: _Decision, *, now) -> list[tuple]:
    """One statement: decide, update the members, write their history rows.

    No separate lock: the UPDATE locks each member as it changes it, and
    skips one that another transaction changed after this statement's
    snapshot (a payment counted, a tier moved): its tier, expiry, spend or
    order count no longer match what was decided on. The run picks such a
    member up again in its next pass. Returns (user id, keep) per member.
    """
    members = Membership._meta.db_table
    changes = TierChange._meta.db_table
    text, day, ts = sql_param("text"), sql_param("date"), sql_param("datetime")
    to_tier, to_tier_params = decision.to_tier("d.drop_rank")
    to_expiry, to_expiry_params = decision.to_expiry("d.drop_rank")
    sql = (
        f"WITH d AS (SELECT s.id, s.keep, s.kept_ok, s.drop_rank,"
        f" m0.total_spend AS seen_spend, m0.order_count AS seen_orders"
        f" FROM ({decision.select}) s JOIN {members} m0 ON m0.id = s.id"
        " ORDER BY s.id),"
        f" moved AS (UPDATE {members} AS m SET"
        f" tier_id = CASE WHEN d.keep = 1 THEN m.tier_id ELSE {to_tier} END,"
        f" tier_expires_on = CASE WHEN d.keep = 1 THEN {day} ELSE {to_expiry} END,"
        f" tier_since = CASE WHEN d.keep = 1 THEN m.tier_since ELSE {ts} END,"
        " tier_warning_sent_on = NULL"
        " FROM d WHERE m.id = d.id AND m.tier_id = %s"
        f" AND m.tier_expires_on = {day} AND m.total_spend = d.seen_spend"
        " AND m.order_count = d.seen_orders"
        " RETURNING m.id, m.user_id, m.tier_id, m.tier_expires_on, d.keep,"
        " d.kept_ok),"
        f" logged AS (INSERT INTO {changes} (membership_id, kind, from_tier_id,"
        " to_tier_id, expires_on, reason, created_at)"
        f" SELECT moved.id, CASE WHEN moved.keep = 1 THEN {text} ELSE {text} END,"
        " %s, moved.tier_id, moved.tier_expires_on,"
        f" CASE WHEN moved.kept_ok = 1 THEN {text} WHEN moved.keep = 1 THEN {text}"
        f" ELSE {text} END, {ts} FROM moved)"
        " SELECT moved.user_id, moved.keep FROM moved"
    )
    params = [
        *decision.params,
        *to_tier_params,
        sql_value("date", decision.renew_expiry),
        *to_expiry_params,
        sql_value("datetime", day_start(decision.next_day)),
        decision.tier.pk,
        decision.where_params[-1],
        TierChange.Kind.RENEWAL.value,
        TierChange.Kind.DOWNGRADE.value,
        decision.tier.pk,
        *decision.reasons,
        sql_value("datetime", now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _decide_and_apply(decision: _Decision, *, now) -> list[tuple]:
    """The same for SQLite (one writer at a time: nothing changes meanwhile):
    the decisions are written as history rows, the members updated from them.
    """
    members = Membership._meta.db_table
    changes = TierChange._meta.db_table
    text, day, ts = sql_param("text"), sql_param("date"), sql_param("datetime")
    to_tier, to_tier_params = decision.to_tier("s.drop_rank")
    to_expiry, to_expiry_params = decision.to_expiry("s.drop_rank")
    decide = (
        f"INSERT INTO {changes} (membership_id, kind, from_tier_id, to_tier_id,"
        " expires_on, reason, created_at)"
        f" SELECT s.id, CASE WHEN s.keep = 1 THEN {text} ELSE {text} END, %s,"
        f" CASE WHEN s.keep = 1 THEN %s ELSE {to_tier} END,"
        f" CASE WHEN s.keep = 1 THEN {day} ELSE {to_expiry} END,"
        f" CASE WHEN s.kept_ok = 1 THEN {text} WHEN s.keep = 1 THEN {text}"
        f" ELSE {text} END, {ts} FROM ({decision.select}) s"
    )
    decide_params = [
        TierChange.Kind.RENEWAL.value,
        TierChange.Kind.DOWNGRADE.value,
        decision.tier.pk,
        decision.tier.pk,
        *to_tier_params,
        sql_value("date", decision.renew_expiry),
        *to_expiry_params,
        *decision.reasons,
        sql_value("datetime", now),
        *decision.params,
    ]
    apply = (
        f"UPDATE {members} AS m SET tier_id = tc.to_tier_id,"
        " tier_expires_on = tc.expires_on, tier_warning_sent_on = NULL,"
        f" tier_since = CASE WHEN tc.kind = {text} THEN {ts} ELSE m.tier_since END"
        f" FROM {changes} AS tc WHERE tc.membership_id = m.id"
        f" AND tc.created_at = {ts} AND tc.from_tier_id = %s"
        f" AND {decision.where.format(m='m')}"
    )
    apply_params = [
        TierChange.Kind.DOWNGRADE.value,
        sql_value("datetime", day_start(decision.next_day)),
        sql_value("datetime", now),
        decision.tier.pk,
        *decision.where_params,
    ]
    moved = (
        f"SELECT m.user_id, CASE WHEN tc.kind = {text} THEN 1 ELSE 0 END"
        f" FROM {changes} tc JOIN {members} m ON m.id = tc.membership_id"
        f" WHERE tc.created_at = {ts} AND tc.from_tier_id = %s"
        " AND tc.membership_id >= %s AND tc.membership_id <= %s"
    )
    moved_params = [
        TierChange.Kind.RENEWAL.value,
        sql_value("datetime", now),
        decision.tier.pk,
        *decision.where_params[:2],
    ]
    with connection.cursor() as cursor:
        cursor.execute(decide, decide_params)
        cursor.execute(apply, apply_params)
        cursor.execute(moved, moved_params)
        return cursor.fetchall()


# --- Warnings ----------------------------------------------------------------------


def tier_expiry_warnings_send(*, today: date) -> int:
    """Warn members who would lose their tier at its expiry (daily).

    Members whose tier expires within `programme().tier_expiry_warning_days`
    (today included), who have neither spent its `retain_spend` during this
    validity nor qualify for it again, and were not warned for this validity
    (`tier_warning_sent_on`, cleared whenever the validity changes), get the
    `tier_expiring` email with the spend still needed ("spend NT$1,240 more
    by 2027-03-31 to keep Gold"). Returns how many were warned.
    """
    tiers = _active_tiers()
    by_id = {tier.pk: tier for tier in tiers}
    by_rank = {tier.rank: tier for tier in tiers}
    settings_row = programme()
    last_day = today + timedelta(days=settings_row.tier_expiry_warning_days)
    groups = list(
        Membership.objects.filter(
            tier_expires_on__gte=today,
            tier_expires_on__lte=last_day,
            tier_warning_sent_on__isnull=True,
        )
        .values_list("tier_id", "tier_expires_on")
        .distinct()
        .order_by("tier_expires_on", "tier_id")
    )
    warned = 0
    for tier_id, expires_on in groups:
        tier = by_id.get(tier_id)
        if tier is None or tier.rank == 0:
            continue
        warned += _warn_group(
            tier=tier,
            expires_on=expires_on,
            today=today,
            by_rank=by_rank,
            rule=settings_row.downgrade_rule,
        )
    return warned


def _warn_group(*, tier, expires_on, today, by_rank, rule) -> int:
    members = Membership._meta.db_table
    where = (
        f"{{m}}.tier_id = %s AND {{m}}.tier_expires_on = {sql_param('date')}"
        " AND {m}.tier_warning_sent_on IS NULL"
    )
    where_params = [tier.pk, sql_value("date", expires_on)]
    retention = Retention(
        since=day_start(max(validity_start(tier, expires_on), date(1970, 1, 2))),
        until=day_start(expires_on + timedelta(days=1)),
    )
    stats = MemberStats(tiers=by_rank.values(), today=today, retention=retention)
    stats_sql, stats_params = stats.sql(where, where_params)
    again, again_params = stats.qualifies_sql(tier, "a")
    below, below_params = stats.rank_sql("a", below=tier.rank)
    conditions, params = [f"NOT {again}"], list(again_params)
    if tier.retain_spend is not None:
        conditions.append(f"a.kept < {sql_param('money')}")
        params.append(str(tier.retain_spend))
    i = stats.window_of[tier.pk]
    query = (
        f"SELECT a.id, m.user_id, a.kept, a.spend_{i}, {below} AS drop_rank"
        f" FROM ({stats_sql}) a JOIN {members} m ON m.id = a.id"
        f" WHERE {' AND '.join(conditions)} ORDER BY a.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, below_params + stats_params + params)
        rows = cursor.fetchall()
    warned = 0
    for start in range(0, len(rows), BATCH_SIZE):
        batch = {row[0]: row for row in rows[start : start + BATCH_SIZE]}
        with transaction.atomic():
            locked = list(
                Membership.objects.select_for_update()
                .filter(
                    pk__in=list(batch),
                    tier_id=tier.pk,
                    tier_expires_on=expires_on,
                    tier_warning_sent_on__isnull=True,
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            Membership.objects.filter(pk__in=locked).update(tier_warning_sent_on=today)
            items = []
            for membership_id in locked:
                _id, user_id, kept, window_spend, drop_rank = batch[membership_id]
                if tier.retain_spend is not None:
                    needed = tier.retain_spend - money(kept)
                elif tier.qualify_spend is not None:
                    needed = tier.qualify_spend - money(window_spend)
                else:
                    needed = None
                if rule == DowngradeRule.QUALIFIED:
                    drop_to = by_rank.get(int(drop_rank or 0))
                else:
                    drop_to = by_rank.get(tier.rank - 1)
                items.append(
                    (
                        user_id,
                        {
                            "tier_id": tier.pk,
                            "expires_on": expires_on.isoformat(),
                            "spend_needed": str(needed) if needed else None,
                            "drop_to_tier_id": drop_to.pk if drop_to else None,
                        },
                    )
                )
            member_emails_send_later(kind="tier_expiring", items=items)
            warned += len(locked)
    return warned
