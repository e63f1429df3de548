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
import os
import secrets
import socket
import sys
import time
from pathlib import Path

# Run as a script, so the project root (for `bench` and `shop`) is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    add_client_argument,
    bench_environment,
    free_port,
    resolve_client,
    say,
    scratch_folder,
    start_gunicorn,
    start_process,
    stop,
)
from bench.order_checks import oversell_check, print_report  # noqa: E402
from bench.order_load import Tally, run_clients, run_orders_wrk  # noqa: E402
from bench.order_shop import (  # noqa: E402
    POOL_STOCK,
    database_create,
    database_drop,
    prepare_shop,
    server_url,
)


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
