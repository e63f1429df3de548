"""Demo steps of the apps built on the shop: a seam, so the shop imports none of them.

`shop` never imports `loyalty` or `returns` (DESIGN §3), yet their part of the
demo (memberships, points, returns) belongs in `seed_demo`. An installed app
that wants a part adds a `demo` module that registers its step on import:

    register_demo_step(DemoStep(
        key="loyalty", label="Members", order=10,
        seed=loyalty_demo_seed, reset=loyalty_demo_reset,
    ))

`seed_demo` imports every installed app's `demo` module (`demo_steps()`), runs
each step's `seed` after the shop's own data (staff and shoppers exist by
then) and, with `--reset`, each step's `reset` before the shop deletes its
shoppers, so an app clears its rows before they would cascade or block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import autodiscover_modules

from shop.demo.services.batches import Progress


@dataclass(frozen=True, slots=True)
class DemoStepResult:
    """What a step did: a count for the summary table and lines to print under it."""

    label: str
    total: int
    created: int
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class DemoStep:
    key: str
    # Shown on the progress bar; the bar counts up to the number of customers.
    label: str
    # seed(customers=, progress=) -> DemoStepResult; safe to run again.
    seed: Callable[..., DemoStepResult]
    # reset() -> rows deleted; None when the shop's own reset is enough.
    reset: Callable[[], int] | None = None
    order: int = 100


_steps: dict[str, DemoStep] = {}


def register_demo_step(step: DemoStep) -> None:
    """Add a step, or replace the one registered under the same key."""
    _steps[step.key] = step


def demo_steps() -> list[DemoStep]:
    """The registered steps in their order, after importing every app's `demo`."""
    autodiscover_modules("demo")
    return sorted(_steps.values(), key=lambda step: (step.order, step.key))


__all__ = ["DemoStep", "DemoStepResult", "Progress", "demo_steps", "register_demo_step"]
