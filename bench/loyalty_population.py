"""The loyalty benchmark's population, generated in SQL (`bench/loyalty.py` step 2).

Members, their memberships, paid orders with qualifying spend, and points lots
with their earn ledger rows, all with `INSERT … SELECT generate_series` on a
seeded random, so every run makes the same rows.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from bench.common import say

# Order amounts by tier: low + random() * spread (NT$, whole dollars).
AMOUNTS = {
    "member": (200, 2200),
    "silver": (300, 2700),
    "gold": (2500, 5600),
    "vip": (6000, 14000),
}


def _columns(model, overrides: dict) -> tuple[str, str, list]:
    """INSERT column list, SELECT expressions and their parameters.

    `overrides` maps a field to SQL, or to (SQL, parameters); the other
    fields get their default, NULL or '', so every NOT NULL column has a value.
    """
    from django.db import connection

    names, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        names.append(connection.ops.quote_name(field.column))
        override = overrides.get(field.attname, overrides.get(field.name))
        if isinstance(override, tuple):
            expressions.append(override[0])
            params += override[1]
        elif override is not None:
            expressions.append(override)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expressions.append("now()")
        elif field.has_default():
            expressions.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
        elif field.null:
            expressions.append("NULL")
        elif field.blank:
            expressions.append("''")
        else:
            raise SystemExit(f"{model.__name__}.{field.name} needs a value")
    return ", ".join(names), ", ".join(expressions), params


def _insert(cursor, model, overrides: dict, source: str, label: str, params=()) -> int:
    """INSERT INTO model's table SELECT … `source` (`params` are the source's)."""
    names, expressions, select_params = _columns(model, overrides)
    started = time.perf_counter()
    cursor.execute(
        f"INSERT INTO {model._meta.db_table} ({names}) SELECT {expressions} {source}",
        [*select_params, *params],
    )
    say(f"  {cursor.rowcount:,} {label} in {time.perf_counter() - started:.1f} s")
    return cursor.rowcount


def populate(args) -> dict:
    from django.db import connection
    from django.utils import timezone

    from loyalty.dates import add_months, store_midnight
    from loyalty.models import (
        Membership,
        PointsEntry,
        PointsLot,
        QualifyingSpend,
        Tier,
    )
    from shop.accounts.models import User
    from shop.orders.models import Order

    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    tiers = {t.code: t for t in Tier.objects.filter(scheme__status="active")}
    tag = secrets.token_hex(2)
    since = store_midnight(add_months(yesterday + timedelta(days=1), -12))
    bucket = "(u.id %% 100)"
    tier_case = (
        "CASE "
        + " ".join(
            f"WHEN {bucket} < {upper} THEN {tiers[code].pk}"
            for code, upper in args.tier_bounds
        )
        + " END"
    )
    members, spend_rows = args.members, 0
    say(f"Generating {members:,} members (tag {tag})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        _insert(
            cursor,
            User,
            {
                "password": "'!'",
                "email": f"'bench-{tag}-' || n || '@example.com'",
                "name": "'會員 ' || n",
                "date_joined": "now() - interval '400 days'",
            },
            f"FROM generate_series(1, {members}) AS n",
            "customers",
        )
        _insert(
            cursor,
            Membership,
            {
                "user": "u.id",
                "tier": tier_case,
                "tier_since": ("%s", [since]),
                "tier_expires_on": (
                    f"CASE WHEN {bucket} < {args.tier_bounds[0][1]} THEN NULL"
                    " ELSE CAST(%s AS date) END",
                    [yesterday],
                ),
                "joined_at": "u.date_joined",
            },
            "FROM accounts_user u WHERE u.email LIKE %s ORDER BY u.id",
            "memberships",
            params=[f"bench-{tag}-%"],
        )

        amount = (
            "CASE "
            + " ".join(
                f"WHEN m.tier_id = {tiers[code].pk}"
                f" THEN {low} + floor(random() * {spread})"
                for code, (low, spread) in AMOUNTS.items()
            )
            + " END"
        )
        _insert(
            cursor,
            Order,
            {
                "number": f"'B{tag}' || x.membership_id || '-' || x.k",
                "user": "x.user_id",
                "email": f"'bench-{tag}-' || x.user_id || '@example.com'",
                "customer_name": "'會員'",
                "phone": "'+886912345678'",
                "status": "'completed'",
                "payment_method": "'cod'",
                "shipping_method_code": "'home'",
                "shipping_method_name": "'宅配'",
                "shipping_kind": "'home'",
                "recipient_name": "'會員'",
                "recipient_phone": "'+886912345678'",
                "currency": "'TWD'",
                "subtotal": "x.amount",
                "total": "x.amount",
                "return_policy_version": "'2026-11'",
                "return_policy_text": "'七天鑑賞期'",
                "placed_at": "x.paid_at - interval '1 hour'",
                "paid_at": "x.paid_at",
                "completed_at": "x.paid_at + interval '10 days'",
            },
            f"FROM (SELECT m.id AS membership_id, m.user_id, k, {amount} AS amount,"
            " now() - random() * interval '360 days' AS paid_at"
            f" FROM {Membership._meta.db_table} m"
            " JOIN accounts_user u ON u.id = m.user_id"
            f" AND u.email LIKE 'bench-{tag}-%%'"
            f" CROSS JOIN generate_series(1, {args.orders_per_member}) AS k) x",
            "paid orders",
        )
        spend_rows = _insert(
            cursor,
            QualifyingSpend,
            {
                "membership": "m.id",
                "order": "o.id",
                "amount": "o.total - o.shipping_total",
                "orders": "1",
                "counted_at": "o.paid_at",
                "reason": "'Order ' || o.number || ' paid'",
                "idempotency_key": "'spend:order:' || o.id",
            },
            f"FROM orders_order o JOIN {Membership._meta.db_table} m"
            f" ON m.user_id = o.user_id WHERE o.number LIKE 'B{tag}%%'",
            "qualifying spend rows",
        )
        cursor.execute(
            f"UPDATE {Membership._meta.db_table} AS m SET total_spend = s.amount,"
            " order_count = s.orders, last_order_at = s.last"
            " FROM (SELECT membership_id, SUM(amount) AS amount, SUM(orders) AS orders,"
            f" MAX(counted_at) AS last FROM {QualifyingSpend._meta.db_table}"
            " WHERE idempotency_key LIKE 'spend:order:%%' GROUP BY membership_id) s"
            " WHERE s.membership_id = m.id"
        )

        due = store_midnight(today)
        cursor.execute(
            f"CREATE TEMP TABLE bench_members AS SELECT m.id,"
            " row_number() OVER (ORDER BY m.id) - 1 AS i"
            f" FROM {Membership._meta.db_table} m JOIN accounts_user u"
            f" ON u.id = m.user_id WHERE u.email LIKE 'bench-{tag}-%%'"
        )
        cursor.execute("CREATE INDEX ON bench_members (i)")
        cursor.execute("ANALYZE bench_members")
        _insert(
            cursor,
            PointsLot,
            {
                "membership": "b.id",
                "status": "'available'",
                "points": "x.points",
                "remaining": "x.points",
                "available_at": "now() - interval '290 days'",
                "expires_at": ("%s", [due]),
                "created_at": "now() - interval '300 days'",
            },
            "FROM (SELECT n, 1 + floor(random() * 500)::int AS points"
            " FROM generate_series(0, %s - 1) AS n) x"
            " JOIN bench_members b ON b.i = x.n %% %s",
            "points lots",
            params=[args.ledger_rows, members],
        )
        _insert(
            cursor,
            PointsEntry,
            {
                "membership": "l.membership_id",
                "kind": "'earn'",
                "points": "l.points",
                "pending_points": "0",
                "lot": "l.id",
                "reason": "'Bench'",
                "idempotency_key": f"'bench:{tag}:earn:lot:' || l.id",
                "created_at": "l.created_at",
            },
            f"FROM {PointsLot._meta.db_table} l JOIN bench_members b"
            " ON b.id = l.membership_id",
            "points ledger rows",
        )
        cursor.execute(
            f"UPDATE {Membership._meta.db_table} AS m SET points_available = s.points"
            " FROM (SELECT membership_id, SUM(remaining) AS points"
            f" FROM {PointsLot._meta.db_table} WHERE status = 'available'"
            " GROUP BY membership_id) s WHERE s.membership_id = m.id"
        )
        cursor.execute(
            f"SELECT COUNT(*) FROM {Membership._meta.db_table}"
            " WHERE tier_expires_on < %s",
            [today],
        )
        expired = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_members")
    say("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "today": today,
        "expired": expired,
        "spend_rows": spend_rows,
        "members_total": Membership.objects.count(),
        "notes": [],
    }
