"""Abstract product pictures drawn with Pillow, so the demo needs no network.

Each picture is a flat composition (arches, a sun, stripes, dots, waves or
Bauhaus blocks) in its category's palette. Shapes are drawn at twice the size
and scaled down, which gives smooth edges without an antialiasing library.
No text is drawn: Pillow's built-in font has no CJK glyphs.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageDraw

from shop.catalog.images import Rendition, render_renditions

Colour = tuple[int, int, int]

PATTERNS = ("arches", "sun", "stripes", "dots", "waves", "blocks")
_SCALE = 2


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _arches(draw, size, colours, rng):
    background, accent, light, dark = colours
    cx, base = size // 2, round(size * 0.82)
    bands = (accent, light, dark, _mix(accent, light, 0.5), background)
    radius, step = round(size * 0.38), round(size * 0.065)
    for i, colour in enumerate(bands):
        r = radius - i * step
        if r <= 0:
            break
        draw.pieslice((cx - r, base - r, cx + r, base + r), 180, 360, fill=colour)
        draw.rectangle((cx - r, base, cx + r, round(size * 0.9)), fill=colour)
    sun = round(size * rng.uniform(0.06, 0.09))
    sx, sy = round(size * rng.uniform(0.7, 0.82)), round(size * rng.uniform(0.14, 0.24))
    draw.ellipse((sx - sun, sy - sun, sx + sun, sy + sun), fill=dark)


def _sun(draw, size, colours, rng):
    background, accent, light, dark = colours
    horizon = round(size * rng.uniform(0.55, 0.65))
    r = round(size * rng.uniform(0.22, 0.28))
    cx = round(size * rng.uniform(0.4, 0.6))
    draw.ellipse((cx - r, horizon - r, cx + r, horizon + r), fill=accent)
    draw.rectangle((0, horizon, size, size), fill=_mix(background, dark, 0.35))
    for i in range(5):
        y = horizon + round(size * 0.05) + i * round(size * 0.06)
        half = r - i * round(r * 0.16)
        draw.rounded_rectangle(
            (cx - half, y, cx + half, y + round(size * 0.018)),
            radius=round(size * 0.009),
            fill=light,
        )


def _stripes(draw, size, colours, rng):
    background, accent, light, dark = colours
    width = round(size * rng.uniform(0.07, 0.11))
    palette = (accent, light, dark)
    for i, x in enumerate(range(-size, size * 2, width)):
        draw.polygon(
            ((x, 0), (x + width, 0), (x + width - size, size), (x - size, size)),
            fill=palette[i % 3] if i % 2 else background,
        )
    r = round(size * 0.24)
    c = size // 2
    draw.ellipse((c - r, c - r, c + r, c + r), fill=background)
    inner = round(r * 0.55)
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), fill=accent)


def _dots(draw, size, colours, rng):
    background, accent, light, dark = colours
    count = rng.choice((5, 6, 7))
    cell = size / count
    for row in range(count):
        for col in range(count):
            t = (row + col) / (2 * count - 2)
            r = cell * (0.16 + 0.22 * abs(math.sin((row * col + 1) * 0.7)))
            cx, cy = (col + 0.5) * cell, (row + 0.5) * cell
            colour = _mix(accent, dark, t) if (row + col) % 3 else light
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)


def _waves(draw, size, colours, rng):
    background, accent, light, dark = colours
    bands = (light, accent, _mix(accent, dark, 0.5), dark)
    phase = rng.uniform(0, math.tau)
    amplitude = size * rng.uniform(0.03, 0.06)
    for i, colour in enumerate(bands):
        top = size * (0.35 + i * 0.16)
        points = [
            (x, top + amplitude * math.sin(phase + i * 0.9 + x / size * math.tau * 1.5))
            for x in range(0, size + 1, max(1, size // 80))
        ]
        draw.polygon([*points, (size, size), (0, size)], fill=colour)
    r = round(size * 0.08)
    cx, cy = round(size * rng.uniform(0.2, 0.35)), round(size * 0.2)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=accent)


def _blocks(draw, size, colours, rng):
    background, accent, light, dark = colours
    half = size // 2
    fills = [accent, light, dark, _mix(accent, light, 0.5)]
    rng.shuffle(fills)
    for (x0, y0), colour in zip(
        ((0, 0), (half, 0), (0, half), (half, half)), fills, strict=True
    ):
        draw.rectangle(
            (x0, y0, x0 + half, y0 + half), fill=_mix(background, colour, 0.2)
        )
        # A quarter circle filling the tile from one of its corners; Pillow's
        # angles run clockwise from three o'clock.
        corner = rng.randrange(4)
        cx = x0 + (half if corner in (1, 2) else 0)
        cy = y0 + (half if corner in (2, 3) else 0)
        draw.pieslice(
            (cx - half, cy - half, cx + half, cy + half),
            90 * corner,
            90 * corner + 90,
            fill=colour,
        )
    r = round(size * 0.07)
    draw.ellipse((half - r, half - r, half + r, half + r), fill=background)


_DRAWERS = {
    "arches": _arches,
    "sun": _sun,
    "stripes": _stripes,
    "dots": _dots,
    "waves": _waves,
    "blocks": _blocks,
}


def draw_picture(
    *,
    palette: tuple[Colour, Colour, Colour, Colour],
    pattern: str,
    seed: str,
    size: int = 800,
) -> bytes:
    """A square JPEG of `pattern` in `palette` (accent, soft, light, dark).

    The same arguments always give the same picture.
    """
    rng = random.Random(seed)
    accent, soft, light, dark = palette
    # The light tone is the background; the other three take turns as accents.
    colours = (light, *rng.sample((accent, soft, dark), 3))
    canvas = Image.new("RGB", (size * _SCALE, size * _SCALE), colours[0])
    _DRAWERS[pattern](ImageDraw.Draw(canvas), size * _SCALE, colours, rng)
    picture = canvas.resize((size, size), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class PoolPicture:
    """A drawn picture with the renditions the shop shows of it."""

    original: bytes
    renditions: dict[str, Rendition]
    size: int


@functools.lru_cache(maxsize=512)
def pool_picture(
    *, palette: tuple[Colour, ...], pattern: str, seed: str, size: int = 800
) -> PoolPicture:
    """Draw a picture and render it as the catalogue would; cached per process.

    Renditions come from the catalogue's own `render_renditions`, so they are
    exactly what an uploaded photo would get.
    """
    original = draw_picture(palette=palette, pattern=pattern, seed=seed, size=size)
    return PoolPicture(original, render_renditions(BytesIO(original)), size)
