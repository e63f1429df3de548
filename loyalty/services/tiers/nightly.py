"""The nightly run: renew or downgrade every member whose tier expired."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.dates import store_midnight
from loyalty.models import DowngradeRule, Membership, SchemeStatus, Tier, TierChange
from loyalty.notifications import member_emails_send_later
from loyalty.selectors.programme import programme
from loyalty.selectors.tiers import (
    MemberStats,
    Retention,
    sql_case,
    sql_param,
    sql_value,
    validity_expiry,
    validity_start,
)
from shop.core.money import format_money

logger = logging.getLogger(__name__)

BATCH_SIZE = 10_000


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
        skipped = 0
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
            moved = 0
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
                moved += renewed + downgraded
            skipped += len(ids) - moved
        if not skipped:
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
        since=store_midnight(max(validity_start(tier, expired_on), date(1970, 1, 2))),
        until=store_midnight(next_day),
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
        sql_value("datetime", store_midnight(decision.next_day)),
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
        sql_value("datetime", store_midnight(decision.next_day)),
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
