#!/usr/bin/env python3
"""Order placement benchmark: orders/s, latency and an oversell check on PostgreSQL.

    .venv/bin/python bench/orders.py [--duration 20] [--clients 8] [--workers 2]
                                     [--hot-stock N] [--keep]

What it does, all in one run:

1. Creates a throwaway PostgreSQL database (`--database-url`, default
   `postgres://postgres@127.0.0.1:5432/`, trust auth) and points
   production-like settings at it: `DEBUG` off, a random `SECRET_KEY`, emails
   to the dummy backend (still rendered: they are part of the work). Celery
   runs eagerly by default, as the shop does without a broker, so the
   "placed" email is built inside each request after its commit. With
   `--celery worker` it starts its own Redis on a free port and one Celery
   worker beside gunicorn, as a production setup with a broker would; the
   worker then takes the email work (and the task overhead) on the same CPUs.
2. `migrate`, `seed_demo --products 60 --customers 0`, `collectstatic`; then
   one API token per simulated customer (three per client, so the per-user
   API throttle never trips) and a pool of variants priced NT$120–450, so
   three lines stay under the NT$1,500 free-shipping threshold of home
   delivery and every order carries the NT$100 shipping fee.
3. Starts gunicorn (`shop.wsgi`, `--workers` sync workers, default 2).
4. `--clients` concurrent clients (default 8; wrk with that many connections
   when installed, else Python threads) load it for `--duration` seconds
   (after `--warmup` seconds whose orders are not timed): POST
   `/api/checkout/orders/` with token auth, a fresh `Idempotency-Key`, three
   lines (two random variants of the pool plus one "hot" variant every order
   contains, so orders contend for the same stock row), home delivery, cash
   on delivery. The Python client counts a response as an order only if it
   is a 201 with a NT$100 shipping fee and a total of subtotal + fee; with wrk
   every 201 counts and the totals are checked in the database afterwards.
5. Stops gunicorn and checks the database: no stock below zero; for every
   variant, the sum of its stock ledger = its stock; for every variant, the
   quantities on order lines = the stock the ledger says orders took = stock
   before − stock after; one order per 201, three lines each, one payment
   each.
6. Reports, for the timed run, how busy the machine was and how much of it
   this run used (from /proc), and the CPU one order cost in gunicorn, the
   Celery worker, PostgreSQL and the client, with the orders/s those figures
   allow when the run has every core: on a shared machine the measured
   orders/s and latency depend on what else is running.

`--hot-stock N` gives the hot variant only N units, so it sells out during the
run: the remaining attempts must be refused with a 400 ("sold out") and the
check proves nothing was oversold. Out-of-stock refusals are then reported
separately and not counted as orders.

Prints one table and drops the database (unless `--keep`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

# Run as a script, so the project root (for `bench` and `shop`) is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    add_client_argument,
    bench_environment,
    free_port,
    percentiles,
    prepare_django,
    print_table,
    request,
    resolve_client,
    run_wrk,
    say,
    scratch_folder,
    start_gunicorn,
    start_process,
    stop,
)
from bench.cpu import cpu_report, cpu_sample  # noqa: E402

CUSTOMERS_PER_CLIENT = 3
POOL_PRICE_RANGE = (Decimal("120"), Decimal("450"))
POOL_SIZE = 40
POOL_STOCK = 1_000_000
SHIPPING_FEE = "100"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=int, default=20, help="timed seconds (default 20)"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed seconds first (default 3)"
    )
    parser.add_argument(
        "--clients", type=int, default=8, help="concurrent clients (default 8)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (more than 1: the gthread worker class)",
    )
    parser.add_argument(
        "--products", type=int, default=60, help="demo products to seed (default 60)"
    )
    parser.add_argument(
        "--hot-stock",
        type=int,
        default=POOL_STOCK,
        help="units of the variant every order contains (small: it sells out)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"
        ),
        help="PostgreSQL server to create the throwaway database on",
    )
    add_client_argument(parser)
    parser.add_argument(
        "--celery",
        choices=("auto", "worker", "eager"),
        default="auto",
        help="emails eagerly in the request (auto, the shop's default without a "
        "broker) or through a Redis broker and one worker",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and temporary folder"
    )
    args = parser.parse_args(argv)
    if args.celery == "auto":
        args.celery = "eager"
    args.client = resolve_client(args.client)
    return args


# --- The throwaway database ---------------------------------------------------


def server_url(base: str, database: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/{database}"


def admin_connection(base: str):
    import psycopg

    parts = urlsplit(base)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def database_create(base: str, name: str) -> None:
    with admin_connection(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(base: str, name: str) -> None:
    with admin_connection(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Preparing the shop -------------------------------------------------------


@dataclass
class Shop:
    tokens: list[str]
    pool: list[int]
    hot: int
    stock_before: dict[int, int]


def prepare_shop(args) -> Shop:
    """Migrate, seed, make tokens and pick the variants the clients buy."""
    prepare_django(database="PostgreSQL", products=args.products, customers=0)
    from django.db import connections
    from rest_framework.authtoken.models import Token

    from shop.accounts.models import User
    from shop.catalog.models import Variant
    from shop.catalog.selectors import products_visible
    from shop.catalog.stock import stock_set
    from shop.checkout.models import ShippingMethod
    from shop.core.shopper import PublicShopper

    home = ShippingMethod.objects.get(code="home")
    if (home.fee, home.free_shipping_threshold) != (Decimal("100"), Decimal("1500")):
        raise SystemExit("expected home delivery at NT$100, free from NT$1,500")

    sellable = Variant.objects.filter(
        is_active=True,
        price__gte=POOL_PRICE_RANGE[0],
        price__lte=POOL_PRICE_RANGE[1],
        product__in=products_visible(shopper=PublicShopper()).values("pk"),
    ).order_by("pk")
    variants = list(sellable.values_list("pk", flat=True)[: POOL_SIZE + 1])
    if len(variants) < 3:
        raise SystemExit("the demo catalogue has too few variants priced NT$120–450")
    hot, pool = variants[0], variants[1:]
    # Through the stock service, so the ledger keeps matching the stock.
    for variant in Variant.objects.filter(pk__in=variants):
        wanted = args.hot_stock if variant.pk == hot else POOL_STOCK
        stock_set(variant=variant, stock=wanted, note="bench/orders.py")
    stock_before = dict(Variant.objects.values_list("pk", "stock"))

    tokens = []
    for number in range(args.clients * CUSTOMERS_PER_CLIENT):
        user, _created = User.objects.get_or_create(
            email=f"bench{number}@example.com",
            defaults={"name": f"壓測顧客{number}", "phone": "+886912345678"},
        )
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    connections.close_all()
    return Shop(tokens=tokens, pool=pool, hot=hot, stock_before=stock_before)


# --- Redis and the Celery worker -----------------------------------------------


def start_redis(port: int):
    process = start_process(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        env={},
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise SystemExit("redis-server did not start")


def start_worker(env: dict[str, str], log: Path):
    return start_process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shop",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--logfile",
            str(log),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
    )


def queue_length(port: int) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"LLEN celery\r\n")
        reply = sock.recv(64)
    return int(reply[1:].split(b"\r\n")[0])


def drain(port: int, timeout: float = 120) -> tuple[int, float]:
    """Wait for the worker to empty the queue; (messages left, seconds waited)."""
    started = time.monotonic()
    left = queue_length(port)
    while left and time.monotonic() - started < timeout:
        time.sleep(0.5)
        left = queue_length(port)
    return left, time.monotonic() - started


# --- The clients ----------------------------------------------------------------


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    orders: int = 0
    sold_out: int = 0
    errors: Counter = field(default_factory=Counter)
    untimed_orders: int = 0
    error_samples: list[str] = field(default_factory=list)
    wrk: dict | None = None
    cpu_roots: dict = field(default_factory=dict)
    cpu_database: str = ""
    cpu_before: object = None
    cpu_after: object = None


def order_body(shop: Shop, rng: random.Random) -> bytes:
    lines = [*rng.sample(shop.pool, 2), shop.hot]
    return json.dumps(
        {
            "items": [{"variant": variant, "quantity": 1} for variant in lines],
            "shipping_method": "home",
            "recipient_name": "王小明",
            "recipient_phone": "0912-345-678",
            "postal_code": "106",
            "city": "臺北市",
            "district": "大安區",
            "street": "復興南路一段 390 號",
            "payment_method": "cod",
        }
    ).encode()


def client_loop(index, port, shop, timed_from, until, tally: Tally, lock) -> None:
    rng = random.Random(index)
    tokens = shop.tokens[
        index * CUSTOMERS_PER_CLIENT : (index + 1) * CUSTOMERS_PER_CLIENT
    ]
    turn = 0
    local = Tally()
    while time.monotonic() < until:
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Token {tokens[turn % len(tokens)]}",
            "Idempotency-Key": secrets.token_urlsafe(24),
            "Accept-Language": "en",
        }
        turn += 1
        body = order_body(shop, rng)
        started = time.monotonic()
        try:
            status, raw = request(port, "POST", "/api/checkout/orders/", body, headers)
        except OSError as exc:
            local.errors[type(exc).__name__] += 1
            continue
        elapsed = time.monotonic() - started
        timed = started >= timed_from
        outcome = classify(status, raw)
        if outcome == "order":
            if timed:
                local.orders += 1
                local.latencies_ms.append(elapsed * 1000)
            else:
                local.untimed_orders += 1
        elif outcome == "sold_out":
            local.sold_out += 1
        else:
            local.errors[outcome] += 1
            if len(local.error_samples) < 3:
                local.error_samples.append(f"{status} {raw[:300]!r}")
    with lock:
        tally.latencies_ms.extend(local.latencies_ms)
        tally.orders += local.orders
        tally.untimed_orders += local.untimed_orders
        tally.sold_out += local.sold_out
        tally.errors.update(local.errors)
        tally.error_samples.extend(local.error_samples)


def classify(status: int, raw: bytes) -> str:
    try:
        data = json.loads(raw)
    except ValueError:
        return f"HTTP {status} (not JSON)"
    if status == 201:
        subtotal, total = Decimal(data["subtotal"]), Decimal(data["total"])
        if data["shipping_total"] != SHIPPING_FEE or total != subtotal + Decimal(100):
            return "201 with a wrong total"
        if len(data["lines"]) != 3 or data["status"] != "processing":
            return "201 with wrong lines or status"
        return "order"
    if status == 400 and "sold out" in json.dumps(data.get("items", "")):
        return "sold_out"
    return f"HTTP {status}"


def run_clients(args, port: int, shop: Shop, tally: Tally) -> Tally:
    lock = threading.Lock()
    now = time.monotonic()
    timed_from = now + args.warmup
    until = timed_from + args.duration
    threads = [
        threading.Thread(
            target=client_loop, args=(i, port, shop, timed_from, until, tally, lock)
        )
        for i in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, timed_from - time.monotonic()))
    tally.cpu_before = cpu_sample(tally.cpu_roots, tally.cpu_database)
    time.sleep(max(0.0, until - time.monotonic()))
    tally.cpu_after = cpu_sample(tally.cpu_roots, tally.cpu_database)
    for thread in threads:
        thread.join()
    return tally


# wrk drives the load from C, so the client takes little of the CPU the server
# needs. The script makes every request a new order: its own Idempotency-Key,
# two random variants of the pool plus the hot one, the next customer's token.
WRK_SCRIPT = """
local tokens = {%(tokens)s}
local pool = {%(pool)s}
local hot = %(hot)d
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919 + %(seed)d)
  counter = 0
  created, sold_out, other = 0, 0, 0
  sample = ""
end

request = function()
  counter = counter + 1
  local a = pool[math.random(#pool)]
  local b = pool[math.random(#pool)]
  while b == a do b = pool[math.random(#pool)] end
  local body = string.format(
    '{"items":[{"variant":%%d,"quantity":1},{"variant":%%d,"quantity":1},' ..
    '{"variant":%%d,"quantity":1}],%(rest)s}', a, b, hot)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept-Language"] = "en",
    ["Authorization"] = "Token " .. tokens[(id * 3 + counter) %% #tokens + 1],
    ["Idempotency-Key"] = string.format("bench-%(seed)d-%%d-%%d-%%08x", id, counter,
                                         math.random(0, 0x7fffffff)),
  }
  return wrk.format("POST", "/api/checkout/orders/", headers, body)
end

response = function(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 400 and string.find(body, "sold out", 1, true) then
    sold_out = sold_out + 1
  else
    other = other + 1
    if other == 1 then sample = status .. " " .. string.sub(body, 1, 300) end
  end
end

done = function(summary, latency, requests)
  local c, s, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    s = s + thread:get("sold_out")
    o = o + thread:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH created=%%d sold_out=%%d other=%%d duration_us=%%d p50=%%d p95=%%d " ..
    "p99=%%d max=%%d socket_errors=%%d\\n",
    c, s, o, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout))
  for _, thread in ipairs(threads) do
    local sample = thread:get("sample")
    if sample ~= "" then io.write("SAMPLE " .. sample .. "\\n") end
  end
end
"""


def wrk_script(shop: Shop, folder: Path) -> Path:
    fields = json.loads(order_body(shop, random.Random(0)))
    del fields["items"]
    rest = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))[1:-1]
    text = WRK_SCRIPT % {
        "tokens": ", ".join(f'"{token}"' for token in shop.tokens),
        "pool": ", ".join(str(variant) for variant in shop.pool),
        "hot": shop.hot,
        "seed": secrets.randbelow(1_000_000),
        "rest": rest.replace("%", "%%"),
    }
    path = folder / "orders.lua"
    path.write_text(text, encoding="utf-8")
    return path


def run_wrk_once(args, port: int, script: Path, seconds: int) -> dict:
    figures, output = run_wrk(
        port,
        "/api/checkout/orders/",
        script=script,
        seconds=seconds,
        connections=args.clients,
    )
    figures["samples"] = re.findall(r"SAMPLE (.*)", output)
    return figures


def run_orders_wrk(args, port: int, shop: Shop, folder: Path, tally: Tally) -> Tally:
    """Warm-up run, then the timed run; latency percentiles are wrk's (all replies)."""
    if args.warmup:
        # A new script per run: its seed is part of every Idempotency-Key.
        warm = run_wrk_once(args, port, wrk_script(shop, folder), args.warmup)
        tally.untimed_orders = warm["created"]
        tally.sold_out += warm["sold_out"]
    script = wrk_script(shop, folder)
    tally.cpu_before = cpu_sample(tally.cpu_roots, tally.cpu_database)
    timed = run_wrk_once(args, port, script, args.duration)
    tally.cpu_after = cpu_sample(tally.cpu_roots, tally.cpu_database)
    tally.orders = timed["created"]
    tally.sold_out += timed["sold_out"]
    if timed["other"] or timed["socket_errors"]:
        tally.errors.update(
            {"other replies": timed["other"], "socket errors": timed["socket_errors"]}
        )
    tally.error_samples.extend(timed["samples"])
    tally.wrk = timed
    return tally


# --- The oversell check -----------------------------------------------------------


def oversell_check(shop: Shop, placed: int, in_flight: int = 0) -> list[str]:
    """Problems found in the database after the run; empty when all is consistent."""
    from django.db import connections
    from django.db.models import F, Min, Sum

    from shop.catalog.models import StockMovement, Variant
    from shop.orders.models import Order, OrderLine, Payment

    problems = []
    lowest = Variant.objects.aggregate(lowest=Min("stock"))["lowest"]
    if lowest is not None and lowest < 0:
        problems.append(f"a stock is negative ({lowest})")
    stock_after = dict(Variant.objects.values_list("pk", "stock"))
    ledger = dict(
        StockMovement.objects.values("variant")
        .annotate(total=Sum("delta"))
        .values_list("variant", "total")
    )
    taken = dict(
        StockMovement.objects.filter(reason=StockMovement.Reason.ORDER_PLACED)
        .values("variant")
        .annotate(total=Sum("delta"))
        .values_list("variant", "total")
    )
    ordered = dict(
        OrderLine.objects.values("variant")
        .annotate(total=Sum("quantity"))
        .values_list("variant", "total")
    )
    for variant_id, before in shop.stock_before.items():
        after = stock_after[variant_id]
        if ledger.get(variant_id, 0) != after:
            problems.append(
                f"variant {variant_id}: ledger sum {ledger.get(variant_id, 0)} "
                f"≠ stock {after}"
            )
        if ordered.get(variant_id, 0) != -taken.get(variant_id, 0):
            problems.append(
                f"variant {variant_id}: ordered {ordered.get(variant_id, 0)} ≠ "
                f"taken {-taken.get(variant_id, 0)}"
            )
        if ordered.get(variant_id, 0) != before - after:
            problems.append(
                f"variant {variant_id}: ordered {ordered.get(variant_id, 0)} ≠ "
                f"stock change {before - after}"
            )
    orders = Order.objects.count()
    # wrk may stop with requests in flight: the server still places those.
    if not placed <= orders <= placed + in_flight:
        problems.append(f"{orders} orders in the database, {placed} answered 201")
    wrong = (
        Order.objects.exclude(total=F("subtotal") + Decimal(SHIPPING_FEE))
        .exclude(shipping_total=Decimal(SHIPPING_FEE))
        .count()
    )
    if wrong:
        problems.append(f"{wrong} orders without the NT$100 fee in their total")
    if OrderLine.objects.count() != 3 * orders:
        problems.append("orders without exactly three lines")
    if Payment.objects.count() != orders:
        problems.append("orders without exactly one payment")
    hot_sold = shop.stock_before[shop.hot] - stock_after[shop.hot]
    if hot_sold > shop.stock_before[shop.hot]:
        problems.append("the hot variant was oversold")
    connections.close_all()
    return problems


# --- Output --------------------------------------------------------------------------


def print_report(
    args, tally: Tally, problems: list[str], shop: Shop, drained=None
) -> None:
    samples = sorted(tally.latencies_ms)
    if tally.wrk is not None:
        p50, p95, p99 = (tally.wrk[key] / 1000 for key in ("p50", "p95", "p99"))
        samples = [tally.wrk["max"] / 1000]
        rate = tally.orders / (tally.wrk["duration_us"] / 1_000_000)
    else:
        if len(samples) >= 2:
            p50, p95, p99 = percentiles(samples)
        else:
            p50 = p95 = p99 = samples[0] if samples else float("nan")
        rate = tally.orders / args.duration
    rows = [
        ("orders placed (timed)", f"{tally.orders}"),
        ("orders/s", f"{rate:.1f}"),
        ("latency p50", f"{p50:.0f} ms"),
        ("latency p95", f"{p95:.0f} ms"),
        ("latency p99", f"{p99:.0f} ms"),
        ("latency max", f"{samples[-1]:.0f} ms" if samples else "-"),
        ("refused: sold out", f"{tally.sold_out}"),
        ("errors", f"{sum(tally.errors.values())}"),
        ("oversell check", "OK" if not problems else "FAILED"),
    ]
    if tally.cpu_before is not None and tally.cpu_after is not None:
        rows.extend(cpu_report(tally.cpu_before, tally.cpu_after, tally.orders))
    if drained is not None:
        left, waited = drained
        rows.append(
            (
                "emails",
                f"{args.celery}: queue empty {waited:.0f} s after the run"
                if not left
                else f"{args.celery}: {left} still queued",
            )
        )
    else:
        rows.append(("emails", "eager: rendered and sent inside each request"))
    title = (
        f"Orders: {args.clients} clients, {args.workers} gunicorn workers"
        f"{f' × {args.threads} threads' if args.threads > 1 else ''}, "
        f"{args.duration} s, PostgreSQL, 3 lines + NT$100 shipping, cash on delivery, "
        f"Celery {args.celery}, client {args.client}"
    )
    print()
    print(title)
    print("-" * len(title))
    print_table(rows)
    target = rate >= 40 and p99 < 250 and not problems
    verdict = "met" if target else "NOT met"
    print(f"target (≥ 40 orders/s, p99 < 250 ms, no oversell): {verdict}")
    for name, count in tally.errors.most_common():
        print(f"  error {name}: {count}")
    for sample in tally.error_samples[:3]:
        print(f"  e.g. {sample}")
    for problem in problems:
        print(f"  oversell check: {problem}")


def main(argv=None) -> None:
    args = parse_args(argv)
    name = f"shop_bench_orders_{secrets.token_hex(4)}"
    port = free_port()
    redis_port = free_port()
    with scratch_folder("shop-bench-orders-", keep=args.keep) as folder:
        database_create(args.database_url, name)
        try:
            run(args, folder=folder, name=name, port=port, redis_port=redis_port)
        finally:
            if args.keep:
                say(f"Kept database {name}")
            else:
                from django.db import connections

                connections.close_all()
                database_drop(args.database_url, name)


def run(args, *, folder: Path, name: str, port: int, redis_port: int) -> None:
    """Serve the shop on database `name`, place orders, check and report."""
    redis = worker = process = None
    try:
        broker = ""
        if args.celery == "worker":
            redis = start_redis(redis_port)
            broker = f"redis://127.0.0.1:{redis_port}/0"
        env = bench_environment(
            folder,
            port,
            settings_module="shop.settings",
            database_url=server_url(args.database_url, name),
            broker_url=broker,
            EMAIL_URL="dummymail://",
        )
        os.environ.update(env)
        shop = prepare_shop(args)
        if args.celery == "worker":
            worker = start_worker(env, folder / "celery.log")
        say(f"Starting gunicorn with {args.workers} workers on port {port}")
        process = start_gunicorn(
            env=env,
            port=port,
            workers=args.workers,
            threads=args.threads,
            log=folder / "gunicorn.log",
            ready_path="/api/shipping-methods/",
        )
        say(
            f"Placing orders from {args.clients} clients for "
            f"{args.warmup} + {args.duration} s"
        )
        tally = Tally(cpu_database=name)
        tally.cpu_roots = {"gunicorn": process.pid}
        if worker is not None:
            tally.cpu_roots["celery"] = worker.pid
        if args.client == "wrk":
            run_orders_wrk(args, port, shop, folder, tally)
            in_flight = 2 * args.clients  # the warm-up's and the timed run's
        else:
            run_clients(args, port, shop, tally)
            in_flight = 0
        stop(process)
        process = None
        drained = drain(redis_port) if worker is not None else None
        placed = tally.orders + tally.untimed_orders
        problems = oversell_check(shop, placed, in_flight)
        print_report(args, tally, problems, shop, drained)
    finally:
        for child in (process, worker, redis):
            stop(child)


if __name__ == "__main__":
    main()
