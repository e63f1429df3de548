#!/usr/bin/env python3
"""Storefront benchmark: requests/s and latency of the shop's main pages.

    .venv/bin/python bench/storefront.py [--products 2000] [--duration 10]
                                         [--concurrency 8] [--workers 2]

Builds a throwaway shop in a temporary folder (SQLite database, media, static
files), seeds it with `seed_demo`, counts the SQL queries of each page with
Django's test client, then serves it with gunicorn (sync workers, DEBUG off)
and loads each page in turn with wrk for a fixed time at a fixed concurrency.
A bare Django view served the same way is the ceiling. Prints one table and
removes everything it made (unless --keep). See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

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
    stop,
)

LUA_REPORT = Path(__file__).resolve().parent / "report.lua"


@dataclass
class Page:
    name: str
    path: str
    queries: int | None = None
    status: int | None = None


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds per page (default 10)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, help="open connections (default 8)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per page")
    parser.add_argument(
        "--category", default="coffee-beans", help="category slug of the listing"
    )
    parser.add_argument(
        "--product", default="linen-relaxed-shirt", help="product slug of the detail"
    )
    parser.add_argument("--query", default="咖啡", help="the search words")
    add_client_argument(parser)
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and print it"
    )
    return parser.parse_args(argv)


def prepare_shop(args, pages: list[Page]) -> None:
    """Migrate, seed and collect static files, then count each page's queries."""
    prepare_django(database="SQLite", products=args.products, customers=args.customers)
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for page in pages:
        client.get(page.path)  # first hit fills per-process caches, as warm-up will
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        page.status = response.status_code
        page.queries = len(queries)
        if response.status_code != 200:
            raise SystemExit(f"{page.path} answered {response.status_code}, not 200")
    connections.close_all()


def fetch(port: int, path: str) -> tuple[int, float]:
    """One GET as a Chinese-reading shopper; (status, seconds)."""
    started = time.perf_counter()
    status, _body = request(port, "GET", path, headers={"Accept-Language": "zh-hant"})
    return status, time.perf_counter() - started


def load_wrk(port: int, path: str, seconds: int, concurrency: int) -> Result:
    figures, _output = run_wrk(
        port,
        path,
        script=LUA_REPORT,
        seconds=seconds,
        connections=concurrency,
        headers=["Accept-Language: zh-hant"],
    )
    return Result(
        requests_per_second=figures["requests"] / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50"] / 1000,
        p95_ms=figures["p95"] / 1000,
        p99_ms=figures["p99"] / 1000,
        errors=figures["socket_errors"] + figures["status_errors"],
    )


def run_python(port: int, path: str, seconds: int, concurrency: int) -> Result:
    """A thread per connection, each requesting in a loop until the time is up.

    Slower than wrk (the client competes with gunicorn for the CPU and the
    GIL), so its figures understate the server; the table says so.
    """
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start = time.perf_counter()
    deadline = start + seconds

    def worker(index: int) -> None:
        while time.perf_counter() < deadline:
            try:
                status, elapsed = fetch(port, path)
            except OSError:
                errors[index] += 1
                continue
            if status >= 400:
                errors[index] += 1
            latencies[index].append(elapsed)

    threads = [
        threading.Thread(target=worker, args=(i,), daemon=True)
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    samples = sorted(latency for chunk in latencies for latency in chunk)
    if len(samples) < 2:
        raise SystemExit(f"{path}: too few responses to measure")
    p50, p95, p99 = percentiles(samples)
    return Result(
        requests_per_second=len(samples) / elapsed,
        p50_ms=p50 * 1000,
        p95_ms=p95 * 1000,
        p99_ms=p99 * 1000,
        errors=sum(errors),
    )


def results_table(pages: list[Page], results: dict[str, Result]) -> list[tuple]:
    header = ("page", "req/s", "p50 ms", "p95 ms", "p99 ms", "queries", "errors")
    return [header] + [
        (
            f"{page.name} {unquote(page.path)}",
            f"{results[page.name].requests_per_second:.0f}",
            f"{results[page.name].p50_ms:.1f}",
            f"{results[page.name].p95_ms:.1f}",
            f"{results[page.name].p99_ms:.1f}",
            str(page.queries),
            str(results[page.name].errors),
        )
        for page in pages
    ]


def main(argv=None) -> None:
    args = parse_args(argv)
    client = resolve_client(args.client)
    port = free_port()
    pages = [
        Page("home", "/"),
        Page("listing", f"/c/{quote(args.category)}/"),
        Page("detail", f"/p/{quote(args.product)}/"),
        Page("search", f"/search/?q={quote(args.query)}"),
        Page("bare", "/bench/bare/"),
    ]
    server = None
    with scratch_folder("shop-bench-", keep=args.keep) as folder:
        env = bench_environment(
            folder,
            port,
            settings_module="bench.settings",
            database_url=f"sqlite:///{folder / 'db.sqlite3'}",
        )
        os.environ.update(env)
        try:
            prepare_shop(args, pages)
            say(f"Starting gunicorn ({args.workers} sync workers) on 127.0.0.1:{port}")
            server = start_gunicorn(
                env=env,
                port=port,
                workers=args.workers,
                log=folder / "gunicorn.log",
                ready_path="/bench/bare/",
            )
            load = load_wrk if client == "wrk" else run_python
            results = {}
            for page in pages:
                say(f"Loading {page.path} for {args.duration} s")
                load(port, page.path, args.warmup, args.concurrency)
                results[page.name] = load(
                    port, page.path, args.duration, args.concurrency
                )
        finally:
            stop(server)

    print(
        f"\nStorefront benchmark: {args.products} products, SQLite, gunicorn "
        f"{args.workers} sync workers, DEBUG off; {client} with "
        f"{args.concurrency} connections, {args.duration} s per page, "
        f"{os.cpu_count()} CPUs"
        + ("" if client == "wrk" else " (Python load generator: lower than wrk)")
    )
    print_table(results_table(pages, results), right_from=1)


if __name__ == "__main__":
    main()
