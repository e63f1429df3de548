#!/usr/bin/env python3
"""Loyalty benchmark: the nightly tier run and points expiry on PostgreSQL.

    .venv/bin/python bench/loyalty.py [--members 100000] [--ledger-rows 1000000]
        [--orders-per-member 2] [--tier-shares 70,20,7,3] [--no-schemes] [--keep]

What it does, all in one run:

1. Creates a throwaway PostgreSQL database `shop_bench_loyalty` (on
   `--database-url`, default `postgres://postgres@127.0.0.1:5432/`, trust
   auth) and drops it afterwards, unless DATABASE_URL names a PostgreSQL
   database: then it works in that one and leaves the rows it made. Settings
   are the shop's own with `DEBUG` off, emails to the dummy backend.
2. `migrate` (which seeds the programme and the default four tiers), then
   generates the population with `INSERT … SELECT generate_series` (seeded
   random, so every run is the same): `--members` customers and their
   memberships, by default 70 % 一般會員, 20 % 銀卡, 7 % 金卡, 3 % VIP
   (`--tier-shares 70,20,7,3`); every non-base member's tier expired
   yesterday (the worst night: as with year-end validity, a whole year's
   members due at once; on an ordinary night about 1/365 of them are).
   `--orders-per-member` paid orders each, with their qualifying spend rows,
   paid over the last 360 days, amounts by tier so that about half of the
   expired members keep their tier and the rest drop. Then
   `--ledger-rows` points lots with one ledger row (earn) each, spread over
   the members, every one due to expire now (as with the fixed-yearly-date
   expiry rule); the members' cached balances equal their ledger sums.
   `VACUUM ANALYZE`, as the nightly jobs would find a settled database.
   (The generator is `bench/loyalty_population.py`.)
3. Times, each on its own:
   - `tiers_renew_or_downgrade(today)`: every expired member renewed or
     dropped. The renewal emails are queued as the service queues them (one
     broker message per batch, after each commit); the broker is replaced by
     a counter, so the figure is the service's own work, not email rendering;
   - `points_expire_due(now)`: every lot expired, one EXPIRE row each;
   - unless `--no-schemes`: `scheme_preview` of a draft with easier silver
     and gold rules over every member, then `schemes_activate_due` applying it
     to every member.
4. Checks the results: no member left with an expired tier; renewed +
   downgraded = the expired members; the cached points balances equal the
   ledger sums and no lot is left due; the applied scheme moved exactly the
   members the preview counted, per tier.

Prints one table: rows, seconds and rows per second per step.

Targets on this 2-core machine: tier evaluation of 1M members < 60 s; points
expiry over 1M ledger rows < 30 s.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

# Run as a script, so the project root (for `bench` and `shop`) is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import print_table, say  # noqa: E402
from bench.loyalty_population import populate  # noqa: E402
from bench.order_shop import (  # noqa: E402
    database_create,
    database_drop,
    server_url,
)

DATABASE_NAME = "shop_bench_loyalty"
TIER_CODES = ("member", "silver", "gold", "vip")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--members", type=int, default=100_000, help="members (default 100000)"
    )
    parser.add_argument(
        "--ledger-rows",
        type=int,
        default=1_000_000,
        help="points lots, one ledger row each (default 1000000)",
    )
    parser.add_argument(
        "--orders-per-member",
        type=int,
        default=2,
        help="paid orders (qualifying spend rows) per member (default 2)",
    )
    parser.add_argument(
        "--tier-shares",
        default="70,20,7,3",
        help="percent of members in 一般會員, 銀卡, 金卡, VIP (default 70,20,7,3); "
        "every non-base member's tier has expired",
    )
    parser.add_argument(
        "--no-schemes",
        action="store_true",
        help="skip the scheme preview and application",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"
        ),
        help="PostgreSQL server to create the throwaway database on",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the throwaway database"
    )
    args = parser.parse_args(argv)
    shares = [int(share) for share in args.tier_shares.split(",")]
    if len(shares) != 4 or sum(shares) != 100 or min(shares) < 0:
        parser.error("--tier-shares needs four whole percentages adding up to 100")
    # Members go to tiers by `id % 100`: [0, 70) base, [70, 90) silver, …
    bounds, total = [], 0
    for code, share in zip(TIER_CODES, shares, strict=True):
        total += share
        bounds.append((code, total))
    args.tier_bounds = bounds
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        say(f"Working in DATABASE_URL's database {urlsplit(given).path[1:]}")
        run(args, database_url=given)
        return
    database_drop(args.database_url, DATABASE_NAME)
    database_create(args.database_url, DATABASE_NAME)
    try:
        run(args, database_url=server_url(args.database_url, DATABASE_NAME))
    finally:
        if args.keep:
            say(f"Kept database {DATABASE_NAME}")
        else:
            from django.db import connections

            connections.close_all()
            database_drop(args.database_url, DATABASE_NAME)


def run(args, *, database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": "",
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "ERROR",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    say("Migrating")
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    population = populate(args)
    say(f"Population ready in {time.perf_counter() - started:.0f} s")
    rows = [["step", "rows", "seconds", "rows/s"]]
    rows.append(time_tiers(population))
    rows.append(time_points(population))
    if not args.no_schemes:
        rows += time_schemes(population)
    print()
    print(
        f"Loyalty benchmark: {args.members:,} members, "
        f"{population['spend_rows']:,} spend rows, {args.ledger_rows:,} points lots "
        f"and ledger rows (PostgreSQL, {os.cpu_count()} CPUs)"
    )
    print_table(rows, right_from=1)
    print()
    for line in population["notes"]:
        print(line)


# --- Timed steps ----------------------------------------------------------------------


def _row(label: str, count: int, seconds: float) -> list[str]:
    return [label, f"{count:,}", f"{seconds:.1f}", f"{count / seconds:,.0f}"]


def time_tiers(population) -> list[str]:
    from loyalty.models import Membership
    from loyalty.services.tiers import tiers_renew_or_downgrade
    from loyalty.tasks import emails

    queued = Counter()

    def broker(kind, items):
        # One message per batch to the broker; its fan-out runs in a worker.
        queued["messages"] += 1
        queued["emails"] += len(items)

    emails.send_member_emails.delay = broker
    today = population["today"]
    say(f"Renewing or downgrading {population['expired']:,} expired members")
    started = time.perf_counter()
    result = tiers_renew_or_downgrade(today=today)
    seconds = time.perf_counter() - started
    left = Membership.objects.filter(tier_expires_on__lt=today).count()
    if left or result.renewed + result.downgraded != population["expired"]:
        raise SystemExit(f"tier run incomplete: {result}, {left} still expired")
    if queued["emails"] != result.renewed:
        raise SystemExit(f"{queued['emails']} renewal emails for {result.renewed}")
    population["notes"].append(
        f"Tier run: {result.renewed:,} renewed, {result.downgraded:,} downgraded in "
        f"{result.batches} batches; {queued['emails']:,} renewal emails queued in "
        f"{queued['messages']} broker messages."
    )
    return _row("tier renewal / downgrade", population["expired"], seconds)


def time_points(population) -> list[str]:
    from django.db import connection
    from django.utils import timezone

    from loyalty.models import PointsLot
    from loyalty.services.points import points_expire_due

    due = PointsLot.objects.filter(
        status="available", remaining__gt=0, expires_at__lte=timezone.now()
    ).count()
    say(f"Expiring {due:,} points lots")
    started = time.perf_counter()
    expired_points = points_expire_due(now=timezone.now())
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COALESCE(SUM(points_available), 0)"
            " FROM loyalty_membership),"
            " (SELECT COALESCE(SUM(points), 0) FROM loyalty_pointsentry),"
            " (SELECT COUNT(*) FROM loyalty_pointslot WHERE status = 'available'"
            " AND remaining > 0 AND expires_at <= now())"
        )
        cached, ledger, left = cursor.fetchone()
    if cached != ledger or left:
        raise SystemExit(f"points: cached {cached} ≠ ledger {ledger} or {left} due")
    population["notes"].append(
        f"Points expiry: {expired_points:,} points in {due:,} lots; cached balances "
        "equal the ledger sums."
    )
    return _row("points expiry (lots)", due, seconds)


def time_schemes(population) -> list[list[str]]:
    from decimal import Decimal

    from django.db.models import Count

    from loyalty.models import Membership, TierChange
    from loyalty.services.schemes import (
        scheme_draft_from_active,
        scheme_preview,
        scheme_schedule,
        schemes_activate_due,
    )

    today = population["today"]
    total = population["members_total"]
    draft = scheme_draft_from_active(actor=None)
    draft.tiers.filter(code="silver").update(qualify_spend=Decimal("4000"))
    draft.tiers.filter(code="gold").update(qualify_spend=Decimal("10000"))
    say(f"Previewing a new scheme over {total:,} members")
    started = time.perf_counter()
    preview = scheme_preview(scheme=draft, today=today)
    preview_seconds = time.perf_counter() - started
    scheme_schedule(scheme=draft, effective_from=today, actor=None)
    say("Applying it")
    started = time.perf_counter()
    schemes_activate_due(today=today)
    apply_seconds = time.perf_counter() - started
    moved = TierChange.objects.filter(kind=TierChange.Kind.SCHEME).count()
    expected: Counter = Counter()
    for move in preview.moves:
        expected[move.to_tier.code] += move.members
    applied = Counter(
        dict(
            Membership.objects.values_list("tier__code")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    if moved != preview.up + preview.down or applied != expected:
        raise SystemExit(f"scheme: preview {dict(expected)} ≠ applied {dict(applied)}")
    population["notes"].append(
        f"Scheme: {preview.up:,} up, {preview.down:,} down, {preview.same:,} same; "
        "the application moved exactly those."
    )
    return [
        _row("scheme preview", total, preview_seconds),
        _row("scheme apply", total, apply_seconds),
    ]


if __name__ == "__main__":
    main()
