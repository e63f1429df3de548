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
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
LUA_REPORT = Path(__file__).resolve().parent / "report.lua"
sys.path.insert(0, str(ROOT))


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
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk if installed (auto), or the built-in Python one",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and print it"
    )
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(folder: Path, port: int) -> dict[str, str]:
    """Production-like settings pointing at the throwaway folder."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "ERROR",
    }


def prepare_shop(args, pages: list[Page]) -> None:
    """Migrate, seed and collect static files, then count each page's queries."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    say("Migrating a fresh SQLite database")
    call_command("migrate", interactive=False, verbosity=0)
    say(f"Seeding {args.products} products and {args.customers} customers")
    call_command(
        "seed_demo", products=args.products, customers=args.customers, verbosity=0
    )
    call_command("collectstatic", interactive=False, verbosity=0)

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


def start_gunicorn(args, env: dict[str, str], port: int, log: Path):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "shop.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}:\n{log.read_text()[-2000:]}")
        try:
            status, _elapsed = fetch(port, "/bench/bare/")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not answer within 30 seconds")


def stop(process) -> None:
    if process is None or process.poll() is not None:
        return
    # gunicorn runs in its own session: signal the arbiter, which stops its workers.
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def fetch(port: int, path: str) -> tuple[int, float]:
    """One GET on a new connection (sync workers close it anyway); (status, s)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Language": "zh-hant"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def run_wrk(port: int, path: str, seconds: int, concurrency: int) -> Result:
    threads = max(1, min(concurrency, os.cpu_count() or 1))
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{concurrency}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-H",
            "Accept-Language: zh-hant",
            "-s",
            str(LUA_REPORT),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(
        r"BENCH requests=(\d+) duration_us=(\d+) p50=(\d+) p95=(\d+) p99=(\d+) "
        r"socket_errors=(\d+) status_errors=(\d+)",
        output,
    )
    if not match:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    requests, duration, p50, p95, p99, socket_errors, status_errors = map(
        int, match.groups()
    )
    return Result(
        requests_per_second=requests / (duration / 1_000_000),
        p50_ms=p50 / 1000,
        p95_ms=p95 / 1000,
        p99_ms=p99 / 1000,
        errors=socket_errors + status_errors,
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
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return Result(
        requests_per_second=len(samples) / elapsed,
        p50_ms=cuts[49] * 1000,
        p95_ms=cuts[94] * 1000,
        p99_ms=cuts[98] * 1000,
        errors=sum(errors),
    )


def print_table(pages: list[Page], results: dict[str, Result]) -> None:
    header = ("page", "req/s", "p50 ms", "p95 ms", "p99 ms", "queries", "errors")
    rows = [
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
    widths = [max(display_width(row[i]) for row in (header, *rows)) for i in range(7)]
    for row in (header, *rows):
        cells = [pad(row[0], widths[0])] + [
            row[i].rjust(widths[i]) for i in range(1, 7)
        ]
        print("  ".join(cells))


def display_width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def main(argv=None) -> None:
    args = parse_args(argv)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
        if client == "python":
            say(
                "wrk is not installed (Debian: apt-get install wrk); "
                "falling back to the slower Python load generator"
            )
    elif client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    folder = Path(tempfile.mkdtemp(prefix="shop-bench-"))
    port = free_port()
    env = bench_environment(folder, port)
    os.environ.update(env)
    pages = [
        Page("home", "/"),
        Page("listing", f"/c/{quote(args.category)}/"),
        Page("detail", f"/p/{quote(args.product)}/"),
        Page("search", f"/search/?q={quote(args.query)}"),
        Page("bare", "/bench/bare/"),
    ]
    server = None
    try:
        prepare_shop(args, pages)
        say(f"Starting gunicorn ({args.workers} sync workers) on 127.0.0.1:{port}")
        server = start_gunicorn(args, env, port, folder / "gunicorn.log")
        load = run_wrk if client == "wrk" else run_python
        results = {}
        for page in pages:
            say(f"Loading {page.path} for {args.duration} s")
            load(port, page.path, args.warmup, args.concurrency)
            results[page.name] = load(port, page.path, args.duration, args.concurrency)
    finally:
        stop(server)
        if args.keep:
            say(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\nStorefront benchmark: {args.products} products, SQLite, gunicorn "
        f"{args.workers} sync workers, DEBUG off; {client} with "
        f"{args.concurrency} connections, {args.duration} s per page, "
        f"{os.cpu_count()} CPUs"
        + ("" if client == "wrk" else " (Python load generator: lower than wrk)")
    )
    print_table(pages, results)


if __name__ == "__main__":
    main()
