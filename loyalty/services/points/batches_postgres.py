"""The PostgreSQL statements of the release and expiry batches.

`batches` calls them on PostgreSQL and says how a batch locks and writes;
elsewhere it runs the same steps as portable statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _

from loyalty.models import (
    Membership,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
)


def _tables() -> dict[str, str]:
    qn = connection.ops.quote_name
    return {
        "lot": qn(PointsLot._meta.db_table),
        "entry": qn(PointsEntry._meta.db_table),
        "membership": qn(Membership._meta.db_table),
    }


_ENTRY_COLUMNS = (
    "membership_id, kind, points, pending_points, lot_id, order_id, "
    "order_line_id, campaign, reason, idempotency_key, created_at"
)


def _pg_members_lock(lot_ids: Sequence[int]) -> dict[int, int]:
    """Lock the members of `lot_ids` in pk order; {id: points_available}."""
    with connection.cursor() as cursor:
        cursor.execute(
            # ANY(ARRAY(…)): the members by their pk index, never a scan of
            # every member to join them.
            "SELECT m.id, m.points_available FROM {membership} AS m "
            "WHERE m.id = ANY(ARRAY(SELECT DISTINCT l.membership_id FROM {lot} AS l "
            "WHERE l.id = ANY(%s))) ORDER BY m.id FOR UPDATE".format(**_tables()),
            [list(lot_ids)],
        )
        return dict(cursor.fetchall())


def pg_expire(lot_ids: Sequence[int], now: datetime) -> int:
    _pg_members_lock(lot_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH due AS (
                SELECT id, membership_id, remaining, order_id, order_line_id
                FROM {lot}
                WHERE id = ANY(%(ids)s) AND status = %(available)s
                    AND remaining > 0 AND expires_at <= %(now)s
                ORDER BY id
                FOR UPDATE
            ), emptied AS (
                UPDATE {lot} AS lot SET remaining = 0, status = %(expired)s
                FROM due WHERE lot.id = due.id
            ), written AS (
                INSERT INTO {entry} ({columns})
                SELECT membership_id, %(kind)s, -remaining, 0, id, order_id,
                    order_line_id, '', %(reason)s, %(key)s || id, %(now)s
                FROM due
            ), moved AS (
                UPDATE {membership} AS m
                SET points_available = m.points_available - t.total
                FROM (
                    SELECT membership_id, SUM(remaining) AS total
                    FROM due GROUP BY membership_id
                ) AS t
                WHERE m.id = t.membership_id
            )
            SELECT COALESCE(SUM(remaining), 0) FROM due
            """.format(columns=_ENTRY_COLUMNS, **_tables()),
            {
                "ids": list(lot_ids),
                "now": now,
                "available": str(PointsLotStatus.AVAILABLE),
                "expired": str(PointsLotStatus.EXPIRED),
                "kind": str(PointsEntryKind.EXPIRE),
                "reason": _("Points expired")[:255],
                "key": "expire:lot:",
            },
        )
        return int(cursor.fetchone()[0])


def pg_release(
    lot_ids: Sequence[int], now: datetime, reason: str, due_only: bool
) -> tuple[int, dict[int, int]]:
    balances = _pg_members_lock(lot_ids)
    due_filter = "AND available_at <= %(now)s" if due_only else ""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH due AS (
                SELECT id, membership_id, remaining, order_id, order_line_id,
                    available_at
                FROM {lot}
                WHERE id = ANY(%(ids)s) AND status = %(pending)s {due_filter}
                ORDER BY id
                FOR UPDATE
            ), released AS (
                UPDATE {lot} AS lot
                SET status = %(available)s,
                    available_at = CASE
                        WHEN due.available_at IS NULL OR due.available_at > %(now)s
                        THEN %(now)s ELSE due.available_at END
                FROM due WHERE lot.id = due.id
            ), written AS (
                INSERT INTO {entry} ({columns})
                SELECT membership_id, %(kind)s, remaining, -remaining, id, order_id,
                    order_line_id, '', %(reason)s, %(key)s || id, %(now)s
                FROM due
            ), moved AS (
                UPDATE {membership} AS m
                SET points_available = m.points_available + t.total,
                    points_pending = m.points_pending - t.total
                FROM (
                    SELECT membership_id, SUM(remaining) AS total
                    FROM due GROUP BY membership_id
                ) AS t
                WHERE m.id = t.membership_id
            )
            SELECT COALESCE(SUM(remaining), 0) FROM due
            """.format(columns=_ENTRY_COLUMNS, due_filter=due_filter, **_tables()),
            {
                "ids": list(lot_ids),
                "now": now,
                "pending": str(PointsLotStatus.PENDING),
                "available": str(PointsLotStatus.AVAILABLE),
                "kind": str(PointsEntryKind.RELEASE),
                "reason": reason[:255],
                "key": "release:lot:",
            },
        )
        return int(cursor.fetchone()[0]), balances
