"""CPU accounting from /proc, for reading benchmark figures on a shared machine.

The machine may be shared: the report says how much CPU the run had and what
one order cost each process group (gunicorn and its workers, the Celery
worker, the database's backends, the client), so figures from a busy machine
can be read. Linux only.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid → (parent pid, command line, CPU seconds so far) from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                raw = stat.read().decode(errors="replace")
            with open(f"/proc/{entry}/cmdline", "rb") as cmd:
                command = cmd.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        table[int(entry)] = (int(fields[1]), command, cpu)
    return table


def _descendants(table, root: int) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, row in table.items() if row[0] == parent]
        found.update(children)
        frontier.extend(children)
    return found


def _machine_busy() -> float:
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / CLOCK_TICKS


@dataclass
class CpuSample:
    at: float
    machine: float
    groups: dict[str, float]
    children: float


def cpu_sample(roots: dict[str, int], database: str) -> CpuSample:
    """CPU seconds so far: per process group, of the client, of the machine."""
    table = _processes()
    groups = {}
    for name, root in roots.items():
        pids = _descendants(table, root) if root in table else set()
        groups[name] = sum(table[pid][2] for pid in pids)
    groups["postgres"] = sum(
        cpu for _ppid, command, cpu in table.values() if f" {database} " in command
    )
    # The client: wrk (a waited child of this process) or this process's threads.
    client = sum(
        usage.ru_utime + usage.ru_stime
        for usage in (
            resource.getrusage(resource.RUSAGE_CHILDREN),
            resource.getrusage(resource.RUSAGE_SELF),
        )
    )
    return CpuSample(
        at=time.monotonic(), machine=_machine_busy(), groups=groups, children=client
    )


def cpu_report(before: CpuSample, after: CpuSample, orders: int) -> list[tuple]:
    seconds = after.at - before.at
    capacity = seconds * (os.cpu_count() or 1)
    spent = {
        name: after.groups[name] - before.groups.get(name, 0.0) for name in after.groups
    }
    spent["client"] = after.children - before.children
    ours = sum(spent.values())
    machine = after.machine - before.machine
    rows = [
        (
            "CPU of the machine",
            f"{100 * machine / capacity:.0f}% busy: this run "
            f"{100 * ours / capacity:.0f}%, other processes "
            f"{100 * max(machine - ours, 0) / capacity:.0f}%",
        )
    ]
    if orders:
        per_order = {name: 1000 * value / orders for name, value in spent.items()}
        detail = ", ".join(f"{name} {ms:.1f}" for name, ms in per_order.items())
        total = sum(per_order.values())
        rows.append(("CPU per order", f"{total:.1f} ms ({detail})"))
        rows.append(
            (
                "idle-machine estimate",
                f"{1000 * (os.cpu_count() or 1) / total:.0f} orders/s if this run had "
                "every core",
            )
        )
    return rows
