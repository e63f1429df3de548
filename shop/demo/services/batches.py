"""Batching and progress reporting, shared by the catalogue and people seeds."""

from collections.abc import Callable, Sequence

BATCH_SIZE = 500

Progress = Callable[[int], object]


def no_progress(_done: int) -> None:
    return None


def batches(items: Sequence, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]
