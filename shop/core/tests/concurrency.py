"""Running calls at the same moment, for the PostgreSQL concurrency tests."""

import threading

from django.db import connection


def run_together(*calls) -> list:
    """Start every call at the same moment; return each one's result or exception.

    Each call runs in its own thread, so on its own database connection, which
    is closed afterwards: a connection left open would keep the test database
    from being dropped. The outcomes are in the order of `calls`.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def run_together_split(*calls) -> tuple[list, list]:
    """`run_together`, its outcomes split into (returned values, raised exceptions)."""
    outcomes = run_together(*calls)
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    results = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    return results, errors
