"""A sparkline as a small SVG image: a pure function of the points, no Plotly.

The System page draws one per service and per metric; an `<img>` of a few hundred bytes each
keeps the page free of the charting library (and of its start-up), and reads the same on the
light and dark themes (one mid-tone stroke). Slots without a value are gaps in the line, never
zeros: a service that was not measured did not have zero latency.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence
from urllib.parse import quote

STROKE = "#4c8fd6"
"""Mid-blue: 4.5:1 neither on white nor on #212529, but a line, not text, and clear on both."""
FAILED = "#d9534f"
WIDTH = 240
HEIGHT = 40
PAD = 3.0


def sparkline_svg(
    values: Sequence[Optional[float]],
    *,
    failed: Sequence[bool] = (),
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """The line of `values` (None: a gap), with a red tick under each slot marked in `failed`."""
    count = max(len(values), len(failed), 1)
    numbers = [v for v in values if v is not None and math.isfinite(v)]
    low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    span = high - low or max(abs(high), 1.0)
    step = (width - 2 * PAD) / max(count - 1, 1)

    def x(i: int) -> float:
        return PAD + i * step

    def y(value: float) -> float:
        # The lowest value sits a little above the bottom, so red ticks stay visible beneath it.
        return PAD + (height - 2 * PAD - 6) * (1 - (value - low) / span)

    paths: list[list[str]] = []
    run: list[str] = []
    for i, value in enumerate(values):
        if value is None or not math.isfinite(value):
            if run:
                paths.append(run)
            run = []
            continue
        run.append(f"{x(i):.1f},{y(value):.1f}")
    if run:
        paths.append(run)
    parts = [
        # Stretched to its box (preserveAspectRatio none) with strokes that do not stretch.
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'preserveAspectRatio="none">'
    ]
    for points in paths:
        if len(points) == 1:
            cx, cy = points[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="1.8" fill="{STROKE}"/>')
        else:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{STROKE}" stroke-width="1.8" '
                'stroke-linejoin="round" stroke-linecap="round" vector-effect="non-scaling-stroke"/>'
            )
    tick = max(step, 2.0)
    for i, bad in enumerate(failed):
        if bad:
            parts.append(
                f'<rect x="{x(i) - tick / 2:.1f}" y="{height - 4:.1f}" width="{tick:.1f}" height="4" fill="{FAILED}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    """An `<img src>` for the SVG (percent-encoded: smaller than base64 for this text)."""
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe=",.:=/\"'-")


__all__ = ["data_uri", "sparkline_svg"]
