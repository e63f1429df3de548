"""Versioned tier rules: draft, preview, schedule, apply.

A merchant copies the rules in force into a draft (`scheme_draft_from_active`),
edits its tiers in the back office, sees what applying it would do
(`scheme_preview`: "312 members would move up, 40 down"), and schedules it
from a day (`scheme_schedule`). The daily task applies it on that day
(`schemes_activate_due`).

Where each member lands under a scheme is decided by one SQL definition,
`_assignment_sql`, used by both the preview and the application, so the
preview's counts are what applying the scheme on the same day does:

- a member whose tier's code exists in the new scheme keeps that tier (by
  code) and is raised to the highest tier they qualify for under the new
  rules if that is higher. **Nobody is dropped by a rule change while their
  tier's code still exists**: a stricter rule only takes effect at the
  member's next evaluation point (their tier's expiry);
- a member whose tier's code no longer exists goes to the highest tier they
  qualify for under the new rules (the base tier at least).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.errors import LoyaltyError
from loyalty.models import Membership, SchemeStatus, Tier, TierChange, TierScheme
from loyalty.selectors.programme import programme_cache_clear
from loyalty.selectors.tiers import (
    MemberStats,
    sql_case,
    sql_param,
    sql_value,
    validity_expiry,
)
from loyalty.services.tiers import BATCH_SIZE

logger = logging.getLogger(__name__)

# Fields of a tier that are not its rules or benefits.
_NOT_COPIED = {"id", "scheme"}


def scheme_draft_from_active(*, actor) -> TierScheme:
    """A new draft scheme with a copy of every tier of the active scheme."""
    active = TierScheme.objects.filter(status=SchemeStatus.ACTIVE).first()
    if active is None:
        raise LoyaltyError(_("There are no tier rules in force to copy."))
    with transaction.atomic():
        draft = TierScheme.objects.create(
            name=(_("Draft from %(name)s") % {"name": active.name})[:100],
            status=SchemeStatus.DRAFT,
            created_by=actor,
        )
        fields = [
            f.attname for f in Tier._meta.concrete_fields if f.name not in _NOT_COPIED
        ]
        Tier.objects.bulk_create(
            Tier(scheme=draft, **{name: getattr(tier, name) for name in fields})
            for tier in active.tiers.order_by("rank")
        )
    return draft


def scheme_problems(*, scheme: TierScheme) -> list[str]:
    """What stops `scheme`'s tiers from being applied (empty when none)."""
    tiers = list(scheme.tiers.order_by("rank"))
    problems = []
    if not tiers:
        return [_("Add at least one tier.")]
    base = [tier for tier in tiers if tier.rank == 0]
    if len(base) != 1:
        problems.append(_("Exactly one tier must have rank 0 (the starting tier)."))
    elif base[0].has_qualification:
        problems.append(
            _("The starting tier (rank 0) cannot have qualification conditions.")
        )
    if [tier.rank for tier in tiers] != list(range(len(tiers))):
        problems.append(_("Ranks must run 0, 1, 2, … without gaps."))
    codes = [tier.code.lower() for tier in tiers]
    if len(set(codes)) != len(codes):
        problems.append(_("Each tier needs its own code."))
    return problems


def scheme_schedule(*, scheme: TierScheme, effective_from: date, actor) -> TierScheme:
    """Check a draft and schedule it to take effect on `effective_from`.

    Raises LoyaltyError unless the scheme is a draft, its tiers are sound
    (`scheme_problems`), the day is not in the past and no other scheme is
    scheduled for the same day. The daily task applies it on that day.
    """
    with transaction.atomic():
        scheme = TierScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.status != SchemeStatus.DRAFT:
            raise LoyaltyError(_("Only a draft can be scheduled."))
        problems = scheme_problems(scheme=scheme)
        if problems:
            raise LoyaltyError(" ".join(problems))
        if effective_from < timezone.localdate():
            raise LoyaltyError(
                _("Choose today or a later day."), field="effective_from"
            )
        clash = TierScheme.objects.filter(
            status=SchemeStatus.SCHEDULED, effective_from=effective_from
        ).first()
        if clash is not None:
            raise LoyaltyError(
                _("“%(name)s” is already scheduled for that day.")
                % {"name": clash.name},
                field="effective_from",
            )
        scheme.status = SchemeStatus.SCHEDULED
        scheme.effective_from = effective_from
        scheme.save(update_fields=["status", "effective_from"])
    logger.info(
        "tier scheme %s scheduled for %s by %s", scheme.pk, effective_from, actor
    )
    return scheme


def scheme_unschedule(*, scheme: TierScheme, actor) -> TierScheme:
    """Take a scheduled scheme back to draft (before its day), to edit it again."""
    with transaction.atomic():
        scheme = TierScheme.objects.select_for_update().get(pk=scheme.pk)
        if scheme.status != SchemeStatus.SCHEDULED:
            raise LoyaltyError(_("Only a scheduled scheme can be taken back."))
        scheme.status = SchemeStatus.DRAFT
        scheme.save(update_fields=["status"])
    logger.info("tier scheme %s unscheduled by %s", scheme.pk, actor)
    return scheme


# --- Where each member lands -----------------------------------------------------


def _assignment_sql(
    *, tiers: list[Tier], today: date, where: str, where_params: list
) -> tuple[str, list]:
    """One row per member matching `where`: id, from_tier_id, same_tier_id
    (the new tier with the member's code, or NULL), to_rank and to_tier_id."""
    stats = MemberStats(tiers=tiers, today=today)
    stats_sql, stats_params = stats.sql(where, where_params)
    qualified, qualified_params = stats.rank_sql("a")
    new_by_code = {tier.code: tier for tier in tiers}
    same = [
        (tier_id, new_by_code[code])
        for tier_id, code in Tier.objects.values_list("pk", "code")
        if code in new_by_code
    ]
    same_id, same_id_params = sql_case(
        "m.tier_id", [(tier_id, new.pk) for tier_id, new in same], "int"
    )
    floor, floor_params = sql_case(
        "m.tier_id", [(tier_id, new.rank) for tier_id, new in same], "int", default=0
    )
    to_tier, to_tier_params = sql_case(
        "z.to_rank", [(tier.rank, tier.pk) for tier in tiers], "int"
    )
    members = Membership._meta.db_table
    sql = (
        f"SELECT z.id, z.from_tier_id, z.same_tier_id, z.to_rank,"
        f" {to_tier} AS to_tier_id FROM ("
        " SELECT y.id, y.from_tier_id, y.same_tier_id, CASE WHEN y.qualified >"
        " y.floor_rank THEN y.qualified ELSE y.floor_rank END AS to_rank FROM ("
        f" SELECT m.id AS id, m.tier_id AS from_tier_id, {same_id} AS same_tier_id,"
        f" {floor} AS floor_rank, {qualified} AS qualified"
        f" FROM ({stats_sql}) a JOIN {members} m ON m.id = a.id) y) z"
    )
    params = (
        to_tier_params + same_id_params + floor_params + qualified_params + stats_params
    )
    return sql, params


@dataclass(frozen=True)
class SchemeMove:
    """`members` members would go from `from_tier` to `to_tier`."""

    from_tier: Tier
    to_tier: Tier
    members: int
    direction: str  # "up", "down" or "same"


@dataclass(frozen=True)
class SchemePreview:
    """What applying a scheme on `today` would do, counted per from→to tier."""

    scheme: TierScheme
    today: date
    up: int
    down: int
    same: int
    moves: list[SchemeMove] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.up + self.down + self.same

    @property
    def matrix(self) -> dict[tuple[str, str], int]:
        """{(from code, to code): members}."""
        found: dict[tuple[str, str], int] = {}
        for move in self.moves:
            key = (move.from_tier.code, move.to_tier.code)
            found[key] = found.get(key, 0) + move.members
        return found


def _direction(from_tier: Tier, to_tier: Tier, same_rank: int | None) -> str:
    if same_rank is not None:
        return "same" if to_tier.rank == same_rank else "up"
    if to_tier.rank == from_tier.rank:
        return "same"
    return "up" if to_tier.rank > from_tier.rank else "down"


def scheme_preview(*, scheme: TierScheme, today: date | None = None) -> SchemePreview:
    """Dry run: the tier every member would hold if `scheme` were applied `today`.

    Counts members moving up, down or staying at the same level (a tier of the
    same code, or of the same rank when the code is gone), and the members
    per from→to tier. Four queries however many members there are.
    """
    today = today or timezone.localdate()
    tiers = list(scheme.tiers.order_by("rank"))
    problems = scheme_problems(scheme=scheme)
    if problems:
        raise LoyaltyError(" ".join(problems))
    sql, params = _assignment_sql(tiers=tiers, today=today, where="", where_params=[])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.from_tier_id, p.to_tier_id, COUNT(*) FROM ({sql}) p"
            " GROUP BY p.from_tier_id, p.to_tier_id",
            params,
        )
        rows = cursor.fetchall()
    known = Tier.objects.in_bulk({row[0] for row in rows} | {t.pk for t in tiers})
    by_code = {tier.code: tier for tier in tiers}
    moves, counts = [], {"up": 0, "down": 0, "same": 0}
    for from_id, to_id, members in rows:
        from_tier, to_tier = known[from_id], known[to_id]
        same = by_code.get(from_tier.code)
        direction = _direction(from_tier, to_tier, same.rank if same else None)
        counts[direction] += members
        moves.append(SchemeMove(from_tier, to_tier, members, direction))
    moves.sort(key=lambda move: (move.from_tier.rank, move.to_tier.rank))
    return SchemePreview(scheme=scheme, today=today, moves=moves, **counts)


# --- Applying ------------------------------------------------------------------------


def schemes_activate_due(*, today: date) -> TierScheme | None:
    """Apply the scheduled scheme whose day has come (daily, before renewals).

    The active scheme is retired and the scheduled one becomes active in one
    transaction; then every member moves to the new scheme's tiers (see the
    module docstring) in batches of 10,000, each its own transaction, with a
    "scheme" history row for each member whose tier code changes. Several
    schemes due at once: the latest applies, the earlier are retired unused.
    A move cut short is finished by the next call. Returns the scheme
    activated, or None.
    """
    now = timezone.now()
    activated = None
    with transaction.atomic():
        due = list(
            TierScheme.objects.select_for_update()
            .filter(status=SchemeStatus.SCHEDULED, effective_from__lte=today)
            .order_by("effective_from", "pk")
        )
        if due:
            activated = due[-1]
            TierScheme.objects.filter(pk__in=[scheme.pk for scheme in due[:-1]]).update(
                status=SchemeStatus.RETIRED
            )
            TierScheme.objects.filter(status=SchemeStatus.ACTIVE).update(
                status=SchemeStatus.RETIRED
            )
            activated.status = SchemeStatus.ACTIVE
            activated.activated_at = now
            activated.save(update_fields=["status", "activated_at"])
    programme_cache_clear()
    active = activated or TierScheme.objects.filter(status=SchemeStatus.ACTIVE).first()
    if active is not None:
        _memberships_move(scheme=active, today=today)
    programme_cache_clear()
    return activated


def _memberships_move(*, scheme: TierScheme, today: date) -> int:
    """Move every member on a tier of another scheme onto `scheme`'s tiers."""
    tiers = list(scheme.tiers.order_by("rank"))
    old_ids = list(Tier.objects.exclude(scheme=scheme).values_list("pk", flat=True))
    if not old_ids:
        return 0
    ids = list(
        Membership.objects.filter(tier_id__in=old_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    moved = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        moved += _move_batch(
            scheme=scheme,
            tiers=tiers,
            old_ids=old_ids,
            low=chunk[0],
            high=chunk[-1],
            today=today,
        )
    return moved


def _move_batch(*, scheme, tiers, old_ids, low, high, today) -> int:
    members = Membership._meta.db_table
    changes = TierChange._meta.db_table
    now = timezone.now()
    marks = ", ".join(["%s"] * len(old_ids))
    where = f"{{m}}.id >= %s AND {{m}}.id <= %s AND {{m}}.tier_id IN ({marks})"
    where_params = [low, high, *old_ids]
    assignment, assignment_params = _assignment_sql(
        tiers=tiers, today=today, where=where, where_params=where_params
    )
    expiry, expiry_params = sql_case(
        "w.to_rank",
        [(tier.rank, validity_expiry(tier, today)) for tier in tiers],
        "date",
    )
    text, ts = sql_param("text"), sql_param("datetime")
    reason = (_("New tier rules: %(name)s") % {"name": scheme.name})[:255]
    decide = (
        f"INSERT INTO {changes} (membership_id, kind, from_tier_id, to_tier_id,"
        " expires_on, reason, created_at)"
        f" SELECT w.id, {text}, w.from_tier_id, w.to_tier_id, {expiry}, {text}, {ts}"
        f" FROM ({assignment}) w"
        " WHERE w.same_tier_id IS NULL OR w.to_tier_id <> w.same_tier_id"
    )
    apply = (
        f"UPDATE {members} AS m SET tier_id = tc.to_tier_id, tier_since = {ts},"
        " tier_expires_on = tc.expires_on, tier_warning_sent_on = NULL"
        f" FROM {changes} AS tc WHERE tc.membership_id = m.id"
        f" AND tc.created_at = {ts} AND tc.kind = {text} AND {where.format(m='m')}"
    )
    by_code = {tier.code: tier for tier in tiers}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT m.id FROM {members} m WHERE {where.format(m='m')}"
                " ORDER BY m.id FOR UPDATE",
                where_params,
            )
        cursor.execute(
            decide,
            [
                TierChange.Kind.SCHEME.value,
                *expiry_params,
                reason,
                sql_value("datetime", now),
                *assignment_params,
            ],
        )
        decided = cursor.rowcount
        cursor.execute(
            apply,
            [
                sql_value("datetime", now),
                sql_value("datetime", now),
                TierChange.Kind.SCHEME.value,
                *where_params,
            ],
        )
        # The rest keep their tier by code: the same dates, on the new row.
        for old_id, code in Tier.objects.filter(pk__in=old_ids).values_list(
            "pk", "code"
        ):
            new = by_code.get(code)
            if new is None:
                continue
            expiry_default = validity_expiry(new, today)
            Membership.objects.filter(tier_id=old_id, pk__gte=low, pk__lte=high).update(
                tier_id=new.pk,
                tier_expires_on=None
                if expiry_default is None
                else Case(
                    When(tier_expires_on__isnull=True, then=Value(expiry_default)),
                    default=F("tier_expires_on"),
                ),
            )
    return decided
