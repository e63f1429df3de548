"""What the benchmark scripts share: a scratch folder, settings, gunicorn, wrk, tables.

Each script builds a throwaway shop (`prepare_django` seeds it), serves it with
gunicorn from a subprocess (`start_gunicorn`, `stop`), loads it with wrk when
installed (`run_wrk`) or with Python threads, and prints what it measured
(`print_table`). Nothing here knows which pages or requests a script measures.
"""

from __future__ import annotations

import argparse
import contextlib
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
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def scratch_folder(prefix: str, *, keep: bool) -> Iterator[Path]:
    """A temporary folder for the database, media, static files and logs.

    Removed afterwards unless `keep` (then its path is printed, e.g. to read
    gunicorn.log).
    """
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        if keep:
            say(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def bench_environment(
    folder: Path,
    port: int,
    *,
    settings_module: str,
    database_url: str,
    broker_url: str = "",
    **extra: str,
) -> dict[str, str]:
    """Production-like settings (DEBUG off, a random key) for the throwaway shop."""
    return {
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "CELERY_BROKER_URL": broker_url,
        "LOG_LEVEL": "ERROR",
        **extra,
    }


def prepare_django(*, database: str, products: int, customers: int) -> None:
    """Set Django up in this process, then migrate, seed the demo and collect static.

    The environment (`bench_environment`) must be in `os.environ` already.
    """
    import django

    django.setup()
    from django.core.management import call_command

    say(f"Migrating a fresh {database} database")
    call_command("migrate", interactive=False, verbosity=0)
    say(f"Seeding {products} demo products and {customers} customers")
    call_command("seed_demo", products=products, customers=customers, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


# --- Load generator choice -----------------------------------------------------


def add_client_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk if installed (auto), or the built-in Python one",
    )


def resolve_client(choice: str) -> str:
    """ "wrk" or "python" for the --client choice; "auto" takes wrk when installed."""
    if choice == "auto":
        if shutil.which("wrk"):
            return "wrk"
        say(
            "wrk is not installed (Debian: apt-get install wrk); "
            "falling back to the slower Python load generator"
        )
        return "python"
    if choice == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    return choice


# --- Servers ----------------------------------------------------------------------


def request(port: int, method: str, path: str, body: bytes = b"", headers=None):
    """One request on a new connection (sync workers close it anyway).

    Returns (status, body).
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_gunicorn(
    *,
    env: dict[str, str],
    port: int,
    workers: int,
    log: Path,
    ready_path: str,
    threads: int = 1,
):
    """gunicorn serving `shop.wsgi`, once `ready_path` answers 200 (30 s at most).

    Sync workers, or gthread with more than one thread per worker.
    """
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "shop.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    process = start_process(command, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}:\n{log.read_text()[-2000:]}")
        try:
            status, _body = request(port, "GET", ready_path)
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not answer within 30 seconds")


def start_process(command: Sequence[str], *, env: dict[str, str]):
    """A server process of the project, in its own session (see `stop`)."""
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process) -> None:
    if process is None or process.poll() is not None:
        return
    # Servers run in their own session: signal the parent (gunicorn's arbiter,
    # Celery's main process), which stops its workers; kill the group if stuck.
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- Measuring --------------------------------------------------------------------


def run_wrk(
    port: int,
    path: str,
    *,
    script: Path,
    seconds: int,
    connections: int,
    headers: Sequence[str] = (),
) -> tuple[dict[str, int], str]:
    """Load `path` with wrk; the figures of the script's `BENCH k=v …` line, and
    wrk's whole output for anything else the script wrote."""
    threads = max(1, min(connections, os.cpu_count() or 1))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
    ]
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(script), f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(
        command, capture_output=True, text=True, errors="replace", check=True
    ).stdout
    match = re.search(r"BENCH (.*)", output)
    if not match:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    figures = {
        key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))
    }
    return figures, output


def percentiles(samples: Sequence[float]) -> tuple[float, float, float]:
    """The 50th, 95th and 99th percentiles of at least two samples."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


# --- Output ---------------------------------------------------------------------


def display_width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def print_table(rows: Sequence[Sequence[str]], *, right_from: int | None = None):
    """Print rows as columns two spaces apart, aligned by display width.

    Columns from index `right_from` on are right-aligned (figures); the others
    are left-aligned.
    """
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            " " * (widths[i] - display_width(cell)) + cell
            if right_from is not None and i >= right_from
            else pad(cell, widths[i])
            for i, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip())
