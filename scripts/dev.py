#!/usr/bin/env python3
"""The two commands of the README, with nothing but Python 3.11+ on the machine.

    python3 scripts/dev.py start  # install, migrate, seed the demo, serve on :8000
    python3 scripts/dev.py test   # install, run the whole suite (args go to pytest)

Both create `.venv` beside this folder and install the pinned requirements into
it; a later run reinstalls only when a requirements file has changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
HOST, PORT = "127.0.0.1", os.environ.get("PORT", "8000")


def say(message: str) -> None:
    print(f"\033[1;32m==>\033[0m {message}", flush=True)


def run(*args: str | Path, env: dict | None = None) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def install(requirements: str) -> None:
    """Create the virtualenv and install `requirements` unless already done."""
    if sys.version_info < (3, 11):  # noqa: UP036 (an older python3 may run this)
        sys.exit("Python 3.11 or newer is needed; this is " + sys.version.split()[0])
    if not PYTHON.exists():
        say(f"Creating a virtualenv in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = [ROOT / "requirements.txt", ROOT / requirements]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"Installing {requirements}")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-r", requirements)
    stamp.write_text(digest)


def start() -> None:
    install("requirements.txt")
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    say("Migrating the database")
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    say("Seeding the demo shop (safe to repeat)")
    run(PYTHON, "manage.py", "seed_demo", "--verbosity", "0", env=env)
    base = f"http://{HOST}:{PORT}"
    print(
        f"""
  Shop        {base}/
  Back office {base}/admin/
  API docs    {base}/api/docs/

  Logins (password demo1234 for all):
    merchant@example.com   merchant, everything
    service@example.com    customer service staff
    returns@example.com    returns staff
    member1@example.com    a shopper (member1 … member50)

  Emails are printed here in the console. Stop with Ctrl+C.
""",
        flush=True,
    )
    run(PYTHON, "manage.py", "runserver", f"{HOST}:{PORT}", env=env)


def test(pytest_args: list[str]) -> int:
    install("requirements-dev.txt")
    return subprocess.run(
        [str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT
    ).returncode


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "start":
        start()
    elif command == "test":
        sys.exit(test(rest))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        print()
