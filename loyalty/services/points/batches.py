"""Moving many lots at once: the release and expiry sweeps, and negative balances.

A batch of lots is one transaction: its members are locked first (pk order),
then its lots are checked again and locked, so a lot changed meanwhile (spent,
released, expired by a racing run) is skipped, and every ledger row's key
(`release:lot:<id>`, `expire:lot:<id>`) is written once however often a
sweep runs.

On PostgreSQL a batch is two statements: the member lock, then one statement
whose data-modifying CTEs lock and update the lots, write the ledger rows and
move the cached balances (ids travel as one array). Elsewhere (SQLite, for
development and tests) the same steps run as portable statements:
`INSERT … SELECT` for the ledger rows and `UPDATE … FROM (VALUES …)` for the
balances. Either way nothing is done per lot in Python. The PostgreSQL
statements are in `batches_postgres`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from loyalty.models import (
    Membership,
    PointsEntry,
    PointsEntryKind,
    PointsLot,
    PointsLotStatus,
)
from loyalty.services.points.batches_postgres import pg_expire, pg_release
from loyalty.services.points.ledger import (
    chunks,
    lots_draw,
    lots_for_drawing,
    membership_balance,
    memberships_lock,
)

# Lots per transaction in the sweeps: big enough for few round trips, small
# enough that a batch holds its members' locks for well under a second.
BATCH_SIZE = 5000
# Candidate lots read per round of a sweep elsewhere than on PostgreSQL.
ROUND_SIZE = BATCH_SIZE * 20
# Rows per `UPDATE … FROM (VALUES …)` (3 parameters each).
VALUES_CHUNK = 2000


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# --- Portable statements -------------------------------------------------------


def memberships_add(deltas: Mapping[int, tuple[int, int]]) -> None:
    """Add (available, pending) to many members' balances, a statement per chunk.

    The set-based form of `membership_add`: relative updates from a VALUES
    list joined on the pk, for members already locked by the caller.
    """
    rows = [
        (pk, available, pending)
        for pk, (available, pending) in sorted(deltas.items())
        if available or pending
    ]
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(Membership._meta.db_table)
    pk = qn(Membership._meta.pk.column)
    available_col = qn(Membership._meta.get_field("points_available").column)
    pending_col = qn(Membership._meta.get_field("points_pending").column)
    row_sql = "(CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS BIGINT))"
    with connection.cursor() as cursor:
        for chunk in chunks(rows, VALUES_CHUNK):
            cursor.execute(
                f"UPDATE {table} SET "
                f"{available_col} = {table}.{available_col} + delta.column2, "
                f"{pending_col} = {table}.{pending_col} + delta.column3 "
                f"FROM (VALUES {', '.join([row_sql] * len(chunk))}) AS delta "
                f"WHERE {table}.{pk} = delta.column1",
                [value for row in chunk for value in row],
            )


def entries_insert_for_lots(
    *,
    lot_ids: Sequence[int],
    kind: str,
    points_sign: int,
    pending_sign: int,
    key_prefix: str,
    reason: str,
    now: datetime,
) -> None:
    """One ledger row per lot in `lot_ids`, moving the lot's `remaining`.

    `points` = points_sign × remaining, `pending_points` = pending_sign ×
    remaining; the idempotency key is `key_prefix` + the lot's id, so a lot
    is released or expired at most once whatever retries the caller makes.
    The lots must be locked and unchanged since the caller read them.
    """
    qn = connection.ops.quote_name
    entry_meta, lot_meta = PointsEntry._meta, PointsLot._meta

    def entry_col(name):
        return qn(entry_meta.get_field(name).column)

    def lot_col(name):
        return qn(lot_meta.get_field(name).column)

    columns = [
        "membership",
        "kind",
        "points",
        "pending_points",
        "lot",
        "order",
        "order_line",
        "campaign",
        "reason",
        "idempotency_key",
        "created_at",
    ]
    remaining = lot_col("remaining")
    lot_pk = qn(lot_meta.pk.column)
    selected = [
        lot_col("membership"),
        "%s",
        f"%s * {remaining}",
        f"%s * {remaining}",
        lot_pk,
        lot_col("order"),
        lot_col("order_line"),
        "''",
        "%s",
        f"CAST(%s AS VARCHAR(60)) || CAST({lot_pk} AS VARCHAR(20))",
        "%s",
    ]
    created = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for chunk in chunks(list(lot_ids), BATCH_SIZE):
            cursor.execute(
                f"INSERT INTO {qn(entry_meta.db_table)} "
                f"({', '.join(entry_col(name) for name in columns)}) "
                f"SELECT {', '.join(selected)} FROM {qn(lot_meta.db_table)} "
                f"WHERE {lot_pk} IN ({', '.join(['%s'] * len(chunk))})",
                [
                    str(kind),
                    points_sign,
                    pending_sign,
                    reason[:255],
                    key_prefix,
                    created,
                    *chunk,
                ],
            )


# --- Batches -------------------------------------------------------------------


def lots_expire(*, lot_ids: Sequence[int], now: datetime) -> int:
    """Expire the due ones of `lot_ids`; the points expired. Needs a transaction.

    Locks the lots' members (pk order), then the lots, keeps those still
    available with points left and expired by `now`, and for them writes an
    EXPIRE row each, empties them and lowers the balances.
    """
    if not lot_ids:
        return 0
    if _postgres():
        return pg_expire(lot_ids, now)
    memberships_lock(
        PointsLot.objects.filter(pk__in=lot_ids).values_list("membership_id", flat=True)
    )
    rows = list(
        PointsLot.objects.select_for_update()
        .filter(
            pk__in=lot_ids,
            status=PointsLotStatus.AVAILABLE,
            remaining__gt=0,
            expires_at__lte=now,
        )
        .order_by("pk")
        .values_list("pk", "membership_id", "remaining")
    )
    if not rows:
        return 0
    ids = [pk for pk, _member, _remaining in rows]
    entries_insert_for_lots(
        lot_ids=ids,
        kind=PointsEntryKind.EXPIRE,
        points_sign=-1,
        pending_sign=0,
        key_prefix="expire:lot:",
        reason=_("Points expired"),
        now=now,
    )
    PointsLot.objects.filter(pk__in=ids).update(
        remaining=0, status=PointsLotStatus.EXPIRED
    )
    deltas: dict[int, tuple[int, int]] = {}
    for _pk, member, remaining in rows:
        deltas[member] = (deltas.get(member, (0, 0))[0] - remaining, 0)
    memberships_add(deltas)
    return sum(remaining for _pk, _member, remaining in rows)


def lots_release(
    *, lot_ids: Sequence[int], now: datetime, reason: str, due_only: bool
) -> int:
    """Make the pending ones of `lot_ids` available; the points. Needs a transaction.

    Same locking as `lots_expire`. With `due_only`, only lots whose
    `available_at` has come are released (the sweep); without, every pending
    one (the order completed), and its `available_at` becomes now. A lot
    released after its expiry keeps that expiry and goes in the next sweep.
    A member whose balance was negative pays the debt from these points.
    """
    if not lot_ids:
        return 0
    if _postgres():
        released, balances = pg_release(lot_ids, now, reason, due_only)
    else:
        released, balances = _release_portable(lot_ids, now, reason, due_only)
    for member in sorted(pk for pk, balance in balances.items() if balance < 0):
        debt_settle(member, now)
    return released


def _release_portable(
    lot_ids: Sequence[int], now: datetime, reason: str, due_only: bool
) -> tuple[int, dict[int, int]]:
    balances = memberships_lock(
        PointsLot.objects.filter(pk__in=lot_ids).values_list("membership_id", flat=True)
    )
    locked = PointsLot.objects.select_for_update().filter(
        pk__in=lot_ids, status=PointsLotStatus.PENDING
    )
    if due_only:
        locked = locked.filter(available_at__lte=now)
    rows = list(
        locked.order_by("pk").values_list(
            "pk", "membership_id", "remaining", "available_at"
        )
    )
    if not rows:
        return 0, {}
    ids = [row[0] for row in rows]
    entries_insert_for_lots(
        lot_ids=ids,
        kind=PointsEntryKind.RELEASE,
        points_sign=1,
        pending_sign=-1,
        key_prefix="release:lot:",
        reason=reason,
        now=now,
    )
    PointsLot.objects.filter(pk__in=ids).update(status=PointsLotStatus.AVAILABLE)
    # Released early (order completed): the lot records when it really happened.
    early = [pk for pk, _m, _r, at in rows if at is None or at > now]
    if early:
        PointsLot.objects.filter(pk__in=early).update(available_at=now)
    deltas: dict[int, tuple[int, int]] = {}
    for _pk, member, remaining, _at in rows:
        available, pending = deltas.get(member, (0, 0))
        deltas[member] = (available + remaining, pending - remaining)
    memberships_add(deltas)
    return sum(row[2] for row in rows), balances


def member_expire_due(membership_id: int, now: datetime) -> int:
    """Expire one member's lots that are past their expiry but not yet swept.

    Spending, restoring and reversing call it first, so a lot is never spent
    after its midnight even when the nightly sweep has not run yet.
    """
    due = list(
        PointsLot.objects.filter(
            membership_id=membership_id,
            status=PointsLotStatus.AVAILABLE,
            remaining__gt=0,
            expires_at__lte=now,
        ).values_list("pk", flat=True)
    )
    return lots_expire(lot_ids=due, now=now) if due else 0


def _pg_batch(handle: Callable[[Sequence[int]], int], batch: Sequence[int]) -> int:
    with transaction.atomic():
        with connection.cursor() as cursor:
            # A batch lost in a crash is simply redone by the next run (every
            # row is keyed by its lot), so its commit need not wait for the disk.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return handle(batch)


def sweep(candidates, handle: Callable[[Sequence[int]], int]) -> int:
    """Run `handle(ids)` over the pks of `candidates`, a transaction per batch.

    On PostgreSQL the pks come from one server-side cursor in member order,
    so a batch touches few members; elsewhere a round at a time in pk order.
    `handle` checks each lot again under the locks, so a lot changed
    meanwhile is skipped. Returns the sum of what `handle` returned.
    """
    total = 0
    if _postgres():
        batch: list[int] = []
        pks = (
            candidates.order_by("membership_id", "pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=BATCH_SIZE)
        )
        for pk in pks:
            batch.append(pk)
            if len(batch) == BATCH_SIZE:
                total += _pg_batch(handle, batch)
                batch = []
        if batch:
            total += _pg_batch(handle, batch)
        return total
    last = 0
    while True:
        ids = list(
            candidates.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:ROUND_SIZE]
        )
        for chunk in chunks(ids, BATCH_SIZE):
            with transaction.atomic():
                total += handle(chunk)
        if len(ids) < ROUND_SIZE:
            return total
        last = ids[-1]


# --- Negative balances ---------------------------------------------------------


def debt_settle(membership_id: int, now: datetime) -> int:
    """Pay a negative balance back from points that have just become available.

    A reversal that could not take back all it should (the points were spent)
    leaves the balance negative; its lots are empty then. When points become
    available again (release, restore, a positive adjustment) the balance goes
    up by them, and so much of them as the old debt was is drawn from the
    lots here, recorded as draws of the reversal rows. Afterwards the lots
    hold exactly max(balance, 0) again. The member is locked by the caller.
    """
    member_expire_due(membership_id, now)
    balance = membership_balance(membership_id)
    on_lots = (
        PointsLot.objects.filter(
            membership_id=membership_id,
            status=PointsLotStatus.AVAILABLE,
            remaining__gt=0,
        ).aggregate(total=Sum("remaining"))["total"]
        or 0
    )
    owed = on_lots - max(balance, 0)
    if owed <= 0:
        return 0
    reversals = (
        PointsEntry.objects.filter(
            membership_id=membership_id, kind=PointsEntryKind.REVERSE, points__lt=0
        )
        .annotate(drawn=Sum("draws__points"))
        .order_by("created_at", "pk")
    )
    lots = lots_for_drawing(membership_id, now)
    settled = 0
    for reversal in reversals:
        outstanding = -reversal.points - (reversal.drawn or 0)
        if outstanding <= 0:
            continue
        taken = lots_draw(
            entry=reversal, lots=lots, points=min(outstanding, owed - settled)
        )
        settled += taken
        if settled >= owed or not taken:
            break
    return settled
