"""Reads about tiers: qualifying spend, a member's progress, and the one SQL
definition of "the tier a member qualifies for".

Qualification of a tier, as of a day, over its window (the rolling months
ending that day, or the calendar year so far):

- spend in the window ≥ `qualify_spend`, and/or orders in the window ≥
  `qualify_orders` (both when `qualify_requires_both`, else either), or
- one order of the window whose net amount is ≥ `qualify_single_order`.

A member qualifies for the highest-ranked tier whose conditions hold (the base
tier, rank 0, always). `MemberStats` turns this into SQL that works on SQLite
and PostgreSQL and is used for one member (the upgrade on payment, the
dashboard) and for a million at once (the nightly run, scheme previews and
their application), so those can never disagree.

Dates are the store's days: a day starts at midnight in settings.TIME_ZONE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from loyalty.dates import add_months, store_midnight
from loyalty.models import (
    Membership,
    QualifyingSpend,
    QualifyWindow,
    Tier,
    TierValidity,
)
from loyalty.selectors.programme import tier_next, tiers_active

CENT = Decimal("0.01")

# --- Dates ---------------------------------------------------------------------


def qualify_window(tier: Tier, today: date) -> tuple[date, date]:
    """The first and last day of `tier`'s qualification window as of `today`.

    Rolling N months: the N months ending with today (2027-03-15 with 12 months
    is 2026-03-16 … 2027-03-15). Calendar year: 1 January … today.
    """
    if tier.qualify_window == QualifyWindow.CALENDAR_YEAR:
        return date(today.year, 1, 1), today
    return add_months(today, -tier.qualify_window_months) + timedelta(days=1), today


def validity_expiry(tier: Tier, start: date) -> date | None:
    """The last day `tier` holds when its validity starts on `start`.

    Months: the day before the same date N months later (valid through);
    year end: 31 December of `start`'s year; forever (and the base tier): None.
    """
    if tier.rank == 0 or tier.validity == TierValidity.FOREVER:
        return None
    if tier.validity == TierValidity.YEAR_END:
        return date(start.year, 12, 31)
    return add_months(start, tier.validity_months) - timedelta(days=1)


def validity_start(tier: Tier, expires_on: date) -> date:
    """The first day of the validity of `tier` that ends on `expires_on`.

    The inverse of `validity_expiry`. At a month end the inverse is not unique
    (28 Feb + 1 month − 1 day and 31 Jan + 1 month − 1 day are both 27 Feb);
    the earliest start is taken, in the member's favour. Callers also bound it
    by `tier_since`, so the first validity after an upgrade starts there.
    """
    if tier.validity == TierValidity.YEAR_END:
        return date(expires_on.year, 1, 1)
    if tier.validity == TierValidity.MONTHS:
        return add_months(expires_on + timedelta(days=1), -tier.validity_months)
    return date.min


def money(value) -> Decimal:
    """A sum from the database (SQLite may answer an int or a float) as cents."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)


# --- SQL ---------------------------------------------------------------------------


def sql_param(kind: str) -> str:
    """A typed placeholder: PostgreSQL needs a type for NULLs and CASE branches;
    SQLite compares a number with a text parameter as text unless cast."""
    if kind == "money":
        return "CAST(%s AS NUMERIC)"
    if connection.vendor == "postgresql":
        return {
            "date": "CAST(%s AS date)",
            "datetime": "CAST(%s AS timestamp with time zone)",
            "text": "CAST(%s AS text)",
            "int": "CAST(%s AS integer)",
        }[kind]
    return "%s"


def sql_value(kind: str, value):
    """`value` adapted for a raw query (SQLite stores dates and times as text)."""
    ops = connection.ops
    if value is None:
        return None
    if kind == "date":
        return ops.adapt_datefield_value(value)
    if kind == "datetime":
        return ops.adapt_datetimefield_value(value)
    if kind == "money":
        return str(value)
    return value


def sql_case(column: str, pairs: list[tuple], kind: str, *, default=None):
    """`CASE column WHEN k THEN v … ELSE default END` with typed parameters."""
    sql, params = [f"CASE {column}"], []
    for key, value in pairs:
        sql.append(f"WHEN %s THEN {sql_param(kind)}")
        params += [key, sql_value(kind, value)]
    sql.append(f"ELSE {sql_param(kind)} END")
    params.append(sql_value(kind, default))
    return " ".join(sql), params


@dataclass(frozen=True)
class Retention:
    """The validity a retention sum covers: spend from `since` (and not before
    the member's `tier_since`) until `until` (exclusive)."""

    since: datetime
    until: datetime


class MemberStats:
    """SQL for each member's spend figures and the highest tier they qualify for.

    `sql(where)` is a derived table with one row per member matching `where`
    (SQL about alias `{m}`, a `loyalty_membership` row): `id`, for each
    distinct window `i` of `tiers` `spend_i`, `orders_i`, `biggest_i`, and
    `kept` (spend in the `retention`, 0 without one). `rank_sql(alias)` is the
    highest qualifying rank over those columns, `qualifies_sql(tier, alias)`
    one tier's conditions. Spend rows are summed per order first, so a
    cancelled or partly returned order counts with what is left of it.
    """

    def __init__(self, *, tiers, today: date, retention: Retention | None = None):
        self.tiers = sorted(tiers, key=lambda tier: tier.rank)
        self.today = today
        self.retention = retention
        self.windows: list[tuple[datetime, datetime]] = []
        self.window_of: dict[int, int] = {}
        end = store_midnight(today + timedelta(days=1))
        for tier in self.tiers:
            first, _last = qualify_window(tier, today)
            bounds = (store_midnight(first), end)
            if bounds not in self.windows:
                self.windows.append(bounds)
            self.window_of[tier.pk] = self.windows.index(bounds)

    def sql(self, where: str, where_params: list) -> tuple[str, list]:
        spend = QualifyingSpend._meta.db_table
        members = Membership._meta.db_table
        ts = sql_param("datetime")
        columns, params = [], []
        for i, (start, end) in enumerate(self.windows):
            inside = f"o.counted_at >= {ts} AND o.counted_at < {ts}"
            bounds = [sql_value("datetime", start), sql_value("datetime", end)]
            columns += [
                f"SUM(CASE WHEN {inside} THEN o.amount ELSE 0 END) AS spend_{i}",
                f"SUM(CASE WHEN {inside} THEN o.orders ELSE 0 END) AS orders_{i}",
                f"MAX(CASE WHEN {inside} AND o.order_id IS NOT NULL "
                f"THEN o.amount ELSE 0 END) AS biggest_{i}",
            ]
            params += bounds * 3
        earliest = min(start for start, _end in self.windows)
        if self.retention is not None:
            columns.append(
                f"SUM(CASE WHEN o.counted_at >= {ts} AND o.counted_at >= o.tier_since"
                f" AND o.counted_at < {ts} THEN o.amount ELSE 0 END) AS kept"
            )
            params += [
                sql_value("datetime", self.retention.since),
                sql_value("datetime", self.retention.until),
            ]
            earliest = min(earliest, self.retention.since)
        else:
            columns.append("0 AS kept")
        # Members first, their spend rows through the (membership, counted_at)
        # index, summed per order (what is left of a cancelled or returned
        # order), then per member.
        sql = (
            f"SELECT o.id AS id, {', '.join(columns)} FROM ("
            " SELECT m.id AS id, m.tier_since AS tier_since, qs.order_id AS order_id,"
            " MIN(qs.counted_at) AS counted_at, SUM(qs.amount) AS amount,"
            f" SUM(qs.orders) AS orders FROM {members} m"
            f" LEFT JOIN {spend} qs ON qs.membership_id = m.id"
            f" AND qs.counted_at >= {ts}"
            + (f" WHERE {where.format(m='m')}" if where else "")
            + " GROUP BY m.id, m.tier_since, qs.order_id) o GROUP BY o.id"
        )
        return sql, params + [sql_value("datetime", earliest)] + list(where_params)

    def qualifies_sql(self, tier: Tier, alias: str) -> tuple[str, list]:
        """`tier`'s qualification over the columns of `alias` (TRUE for rank 0)."""
        if tier.rank == 0:
            return "1 = 1", []
        i = self.window_of[tier.pk]
        amount = sql_param("money")
        conditions, params = [], []
        if tier.qualify_spend is not None:
            conditions.append(f"{alias}.spend_{i} >= {amount}")
            params.append(str(tier.qualify_spend))
        if tier.qualify_orders is not None:
            conditions.append(f"{alias}.orders_{i} >= %s")
            params.append(tier.qualify_orders)
        parts = []
        if conditions:
            joiner = " AND " if tier.qualify_requires_both else " OR "
            parts.append("(" + joiner.join(conditions) + ")")
        if tier.qualify_single_order is not None:
            parts.append(f"{alias}.biggest_{i} >= {amount}")
            params.append(str(tier.qualify_single_order))
        if not parts:
            return "1 = 0", []
        return "(" + " OR ".join(parts) + ")", params

    def rank_sql(self, alias: str, *, below: int | None = None) -> tuple[str, list]:
        """The highest rank (below `below`, if given) the member qualifies for."""
        sql, params = ["CASE"], []
        for tier in reversed(self.tiers):
            if tier.rank == 0 or (below is not None and tier.rank >= below):
                continue
            condition, condition_params = self.qualifies_sql(tier, alias)
            sql.append(f"WHEN {condition} THEN {tier.rank}")
            params += condition_params
        if len(sql) == 1:
            return "0", []
        sql.append("ELSE 0 END")
        return " ".join(sql), params

    def fetch_one(self, membership_id: int) -> dict:
        """The figures of one member: spend/orders/biggest per tier code, kept, rank."""
        stats_sql, params = self.sql("{m}.id = %s", [membership_id])
        rank, rank_params = self.rank_sql("a")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.*, {rank} AS qualified_rank FROM ({stats_sql}) a",
                rank_params + params,
            )
            names = [column[0] for column in cursor.description]
            row = cursor.fetchone()
        values = dict(zip(names, row, strict=True)) if row else {}
        figures = {"kept": money(values.get("kept")), "rank": 0, "windows": {}}
        figures["rank"] = int(values.get("qualified_rank") or 0)
        for i in range(len(self.windows)):
            figures["windows"][i] = {
                "spend": money(values.get(f"spend_{i}")),
                "orders": int(values.get(f"orders_{i}") or 0),
                "biggest": money(values.get(f"biggest_{i}")),
            }
        return figures

    def figures_for(self, figures: dict, tier: Tier) -> dict:
        """The window figures (`spend`, `orders`, `biggest`) that count for `tier`."""
        return figures["windows"][self.window_of[tier.pk]]


def retention_for(membership: Membership) -> Retention | None:
    """The validity whose spend keeps the member's tier, or None (no expiry)."""
    if membership.tier_expires_on is None:
        return None
    start = validity_start(membership.tier, membership.tier_expires_on)
    since = max(store_midnight(max(start, date(1970, 1, 2))), membership.tier_since)
    return Retention(
        since=since,
        until=store_midnight(membership.tier_expires_on + timedelta(days=1)),
    )


# --- Member reads ----------------------------------------------------------------


def qualifying_spend(*, membership, since, until) -> tuple[Decimal, int]:
    """The member's qualifying spend and net orders counted in [since, until].

    `since` and `until` are days (both included) or aware datetimes
    (`until` excluded). Cancellations and returns count on the day the order
    was paid, so they lower the figures of the window that order counted in.
    """
    if not isinstance(since, datetime):
        since = store_midnight(since)
    if not isinstance(until, datetime):
        until = store_midnight(until + timedelta(days=1))
    totals = QualifyingSpend.objects.filter(
        membership=membership, counted_at__gte=since, counted_at__lt=until
    ).aggregate(amount=Sum("amount"), orders=Sum("orders"))
    return money(totals["amount"]), int(totals["orders"] or 0)


@dataclass(frozen=True)
class TierProgress:
    """Where a member stands: next tier to reach, and the retention of this one.

    `next_spend_needed` / `next_orders_needed`: what is still missing for the
    next tier in its window (None when that tier has no such condition, 0 when
    met); `next_percent` 0–100. `window_starts_on` … `window_ends_on` is that
    window (ends_on None for a rolling window, which has no deadline).
    `retain_spend_needed` by `retain_by` (the expiry day) keeps the tier;
    None when the tier does not expire or has no retention spend.
    """

    tier: Tier
    expires_on: date | None
    next_tier: Tier | None
    next_spend_needed: Decimal | None
    next_orders_needed: int | None
    next_percent: int
    window_starts_on: date | None
    window_ends_on: date | None
    spend_in_window: Decimal
    orders_in_window: int
    retain_spend_needed: Decimal | None
    retain_percent: int | None
    retain_by: date | None
    spend_in_validity: Decimal


def _percent(done, target) -> int:
    if not target or target <= 0:
        return 100
    return max(0, min(100, int(Decimal(done) * 100 // Decimal(target))))


def tier_progress(*, membership, today: date | None = None) -> TierProgress:
    """The member's progress to the next tier and towards keeping this one.

    One query (plus the cached active tiers): every figure comes from one
    aggregate over the member's qualifying spend.
    """
    today = today or timezone.localdate()
    tier = membership.tier
    tiers = tiers_active()
    next_tier = tier_next(tier)
    retention = retention_for(membership)
    stats = MemberStats(tiers=tiers, today=today, retention=retention)
    figures = stats.fetch_one(membership.pk)

    window_tier = next_tier or tier
    if window_tier.pk in stats.window_of:
        window = stats.figures_for(figures, window_tier)
        starts_on, _last = qualify_window(window_tier, today)
    else:
        window = {"spend": Decimal("0.00"), "orders": 0, "biggest": Decimal("0.00")}
        starts_on = None
    ends_on = (
        date(today.year, 12, 31)
        if window_tier.qualify_window == QualifyWindow.CALENDAR_YEAR
        else None
    )

    spend_needed = orders_needed = None
    percent = 100 if next_tier is None else 0
    if next_tier is not None:
        parts = []
        if next_tier.qualify_spend is not None:
            spend_needed = max(
                Decimal("0.00"), next_tier.qualify_spend - window["spend"]
            )
            parts.append(_percent(window["spend"], next_tier.qualify_spend))
        if next_tier.qualify_orders is not None:
            orders_needed = max(0, next_tier.qualify_orders - window["orders"])
            parts.append(_percent(window["orders"], next_tier.qualify_orders))
        if figures["rank"] >= next_tier.rank:
            percent = 100
        elif parts:
            combined = min(parts) if next_tier.qualify_requires_both else max(parts)
            # Not qualified yet: never show a full bar.
            percent = min(combined, 99)

    retain_needed = retain_percent = None
    if membership.tier_expires_on is not None and tier.retain_spend is not None:
        retain_needed = max(Decimal("0.00"), tier.retain_spend - figures["kept"])
        retain_percent = _percent(figures["kept"], tier.retain_spend)
    return TierProgress(
        tier=tier,
        expires_on=membership.tier_expires_on,
        next_tier=next_tier,
        next_spend_needed=spend_needed,
        next_orders_needed=orders_needed,
        next_percent=percent,
        window_starts_on=starts_on,
        window_ends_on=ends_on,
        spend_in_window=window["spend"],
        orders_in_window=window["orders"],
        retain_spend_needed=retain_needed,
        retain_percent=retain_percent,
        retain_by=membership.tier_expires_on,
        spend_in_validity=figures["kept"],
    )
