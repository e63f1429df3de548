"""The "you will lose your tier" warnings, sent daily before a tier expires."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction

from loyalty.dates import store_midnight
from loyalty.models import DowngradeRule, Membership
from loyalty.notifications import member_emails_send_later
from loyalty.selectors.programme import programme
from loyalty.selectors.tiers import (
    MemberStats,
    Retention,
    money,
    sql_param,
    sql_value,
    validity_start,
)
from loyalty.services.tiers.nightly import BATCH_SIZE, _active_tiers


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
        since=store_midnight(max(validity_start(tier, expires_on), date(1970, 1, 2))),
        until=store_midnight(expires_on + timedelta(days=1)),
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
