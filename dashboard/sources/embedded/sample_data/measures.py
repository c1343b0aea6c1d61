"""The number an achievement's title is built around, and how it is drawn before and after."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class _Measure:
    """The number a title is built around: a metric that went down, went up, or a count."""

    kind: str  # "lower", "higher" or "count"
    key: str
    label: str
    fmt: str
    lo: float
    hi: float
    change: tuple[float, float] = (0.0, 0.0)
    step: float = 1
    cap: Optional[float] = None

    def show(self, value: float) -> str:
        return self.fmt.format(value)


def _lower(key: str, label: str, fmt: str, lo: float, hi: float, cut: tuple[float, float], step: float = 1) -> _Measure:
    return _Measure("lower", key, label, fmt, lo, hi, cut, step)


def _higher(
    key: str,
    label: str,
    fmt: str,
    lo: float,
    hi: float,
    gain: tuple[float, float],
    step: float = 1,
    cap: Optional[float] = None,
) -> _Measure:
    return _Measure("higher", key, label, fmt, lo, hi, gain, step, cap)


def _count(key: str, label: str, lo: float, hi: float, step: float = 1) -> _Measure:
    return _Measure("count", key, label, "{:,}", lo, hi, step=step)


@dataclass(frozen=True)
class _Topic:
    category: str
    title: str
    measure: _Measure
    tags: tuple[str, ...]
    skills: tuple[str, ...]
    section: str


_T = _Topic


def _snap(value: float, step: float) -> float:
    """`value` rounded to a multiple of `step`, as an int when the step is whole."""
    if step >= 1:
        return int(round(value / step) * step)
    decimals = max(0, -math.floor(math.log10(step)))
    return round(round(value / step) * step, decimals)


def _draw(
    rng: random.Random, measure: _Measure, progress: Optional[float] = None
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], float]:
    """Title fields, metrics before, metrics after, and the improvement in percent.

    With `progress` (0 at the start of the year, 1 now), a count is drawn from the matching
    slice of its range, so running totals such as "300th merged PR" grow over time.
    """
    if measure.kind == "count":
        lo, hi = measure.lo, measure.hi
        if progress is not None:
            lo, hi = lo + (hi - lo) * 0.9 * progress, lo + (hi - lo) * (0.9 * progress + 0.1)
        n = _snap(rng.uniform(lo, hi), measure.step)
        return {"n": n}, {}, {measure.key: n}, 0.0
    step = measure.step
    a = _snap(rng.uniform(measure.lo, measure.hi), step)
    change = rng.uniform(*measure.change)
    if measure.kind == "lower":
        # Never to zero nor to no change: both would read as a broken metric.
        b = _snap(min(max(a * (1 - change), step), a - step), step)
        pct = (a - b) / a * 100
    else:
        b = a * (1 + change)
        if measure.cap is not None:
            b = min(b, measure.cap)
        b = _snap(max(b, a + step), step)
        pct = (b - a) / a * 100
    return {"a": a, "b": b}, {measure.key: a}, {measure.key: b}, round(pct, 1)
