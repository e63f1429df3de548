"""Horizontal bar charts drawn on the server as inline SVG.

No script and no CDN: the geometry is computed here and the template
(`returns/analytics/_bar_chart.html`) writes `<rect>` and `<text>` elements.
Each chart carries a `<title>` and a `<desc>`, each bar a `<title>` with its
full label and figures, and the page prints the same figures in a table, so
a screen reader or a printout loses nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from returns.analytics.rates import RateRow

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 64
ROW_HEIGHT = 30
BAR_HEIGHT = 18
PADDING = 8
# A label wider than this (in half-width columns) is cut with an ellipsis.
LABEL_COLUMNS = 24


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def short_label(text: str, columns: int = LABEL_COLUMNS) -> str:
    """`text` cut to `columns` half-width columns (CJK counts two), with "…"."""
    text = text or ""
    if _columns(text) <= columns:
        return text
    cut, used = [], 0
    for ch in text:
        used += _columns(ch)
        if used > columns - 1:
            break
        cut.append(ch)
    return "".join(cut).rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value_text: str
    note: str
    y: int
    text_y: int
    width: int
    value_x: int
    # Drawn lighter: a breakdown of the bars above it.
    muted: bool = False


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    height: int = 0
    label_x: int = LABEL_WIDTH - PADDING
    bar_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def empty(self) -> bool:
        return not self.bars


def _rate_text(row: RateRow) -> str:
    return f"{row.rate}%"


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    rows: Sequence[RateRow],
    value: Callable[[RateRow], Decimal | int] = lambda row: row.rate,
    value_text: Callable[[RateRow], str] = _rate_text,
    note: Callable[[RateRow], str] = lambda row: "",
) -> BarChart:
    """A chart of `rows`, one bar each, scaled to the largest `value`.

    A breakdown row (`level` 1: a tier under the members) is drawn lighter.
    """
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    values = [Decimal(value(row)) for row in rows]
    top = max(values, default=Decimal(0)) or Decimal(1)
    bars = []
    for index, (row, amount) in enumerate(zip(rows, values, strict=True)):
        y = PADDING + index * ROW_HEIGHT
        width = int(amount * plot / top)
        bars.append(
            Bar(
                label=row.label,
                short_label=short_label(row.label),
                value_text=value_text(row),
                note=note(row),
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                # A zero is drawn as a hairline, so the row does not look missing.
                width=max(width, 1),
                value_x=LABEL_WIDTH + max(width, 1) + 6,
                muted=row.level > 0,
            )
        )
    return BarChart(
        key=key,
        title=title,
        description=description,
        bars=tuple(bars),
        height=2 * PADDING + max(len(bars), 1) * ROW_HEIGHT,
    )
