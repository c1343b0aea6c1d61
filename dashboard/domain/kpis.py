"""KPI arithmetic of the Overview: pure functions of achievements, a time window and `now`.

Time series use `completed_at` (the collector cannot back-date `created_at`). Money totals
are sums of the amounts read from `business_value` (dashboard.domain.business_value) in one currency,
never the collector's own (wrong) total; amounts in other currencies are counted apart.
A window is a range of dashboard.domain.ranges, half-open like every range there.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable, Optional, Sequence, Union

from dashboard.domain.business_value import DEFAULT_CURRENCY, MoneyTotal, total_of
from dashboard.domain.models import Achievement
from dashboard.domain.ranges import PRESETS, Range, parse_key, preset_range, previous_range
from dashboard.domain.timerange import TimeRange

RANGES = ("7d", "30d", "90d", "365d", "all")
"""The Overview's ranges, keys of dashboard.domain.ranges.PRESETS."""
DEFAULT_RANGE = "30d"


@dataclass(frozen=True)
class Window:
    """The selected range and the previous period of equal length (None for all time)."""

    key: str
    current: Range
    previous: Optional[Range] = None

    def contains(self, moment: datetime) -> bool:
        return self.current.contains(moment)

    def in_previous(self, moment: datetime) -> bool:
        return self.previous is not None and self.previous.contains(moment)


def parse_range(raw: Optional[str]) -> tuple[str, Optional[str]]:
    """(range key, problem) for a ?range= value; an unknown value falls back to the default."""
    if raw is None or raw == "":
        return DEFAULT_RANGE, None
    key = parse_key(raw, RANGES)
    if key is not None:
        return key, None
    accepted = ", ".join(RANGES)
    return DEFAULT_RANGE, f"Unknown range {str(raw)[:40]!r}: showing {DEFAULT_RANGE}. Accepted: {accepted}."


def window_for(time_range: Union[str, TimeRange], now: datetime) -> Window:
    """The window of a quick range key ("30d") or of any `TimeRange` at `now`; the previous
    period is the one of equal length just before (none for all time)."""
    if isinstance(time_range, str):
        return Window(key=time_range, current=preset_range(time_range, now), previous=previous_range(time_range, now))
    key = time_range.quick_key
    if key is not None and key in PRESETS and PRESETS[key].days is not None:
        return window_for(key, now)
    return Window(key=key or "custom", current=time_range.resolve(now), previous=time_range.previous(now))


@dataclass(frozen=True)
class Kpi:
    """A number and the same number over the previous period (None when there is none)."""

    value: Optional[float]
    previous: Optional[float] = None

    @property
    def change_pct(self) -> Optional[float]:
        if self.value is None or self.previous is None or self.previous == 0:
            return None
        return (self.value - self.previous) / abs(self.previous) * 100.0


@dataclass(frozen=True)
class OverviewKpis:
    total_value: Kpi
    completed: Kpi
    avg_impact: Kpi
    published: Kpi
    unvalued: int
    """Achievements in range whose business value is absent or unreadable (not in the total)."""
    unscored: int
    """Achievements in range without an impact score (not in the average impact)."""
    money: MoneyTotal
    """The range's total in full: the main currency, the others apart, the unreadable count."""


def average_impact(items: Sequence[Achievement]) -> Optional[float]:
    """The mean impact of the achievements that have one (None when none has): a score never
    given is unknown, not 0, and is left out (`unscored` counts them)."""
    scores = [a.impact_score for a in items if a.impact_score is not None]
    return sum(scores) / len(scores) if scores else None


def unscored(items: Iterable[Achievement]) -> int:
    """How many achievements have no impact score (left out of `average_impact`)."""
    return sum(1 for a in items if a.impact_score is None)


def money_total(items: Iterable[Achievement], currency: str = DEFAULT_CURRENCY) -> MoneyTotal:
    return total_of((a.value_reading(currency) for a in items), currency)


def overview_kpis(
    achievements: Iterable[Achievement], window: Window, currency: str = DEFAULT_CURRENCY
) -> OverviewKpis:
    items = list(achievements)
    current = [a for a in items if window.contains(a.completed_at)]
    has_previous = window.previous is not None
    previous = [a for a in items if window.in_previous(a.completed_at)] if has_previous else []

    def kpi(func: Callable[[list[Achievement]], Optional[float]]) -> Kpi:
        return Kpi(func(current), func(previous) if has_previous else None)

    money = money_total(current, currency)
    return OverviewKpis(
        total_value=Kpi(money.amount, money_total(previous, currency).amount if has_previous else None),
        completed=kpi(lambda xs: float(len(xs))),
        avg_impact=kpi(average_impact),
        published=kpi(lambda xs: float(sum(1 for a in xs if a.portfolio_ready))),
        unvalued=money.unreadable,
        unscored=unscored(current),
        money=money,
    )


def cumulative_value(
    achievements: Iterable[Achievement], window: Window, currency: str = DEFAULT_CURRENCY
) -> list[tuple[datetime, float]]:
    """(completed_at, running total of business value in `currency`) for every achievement in the window."""
    points = sorted(
        (a.completed_at, a.amount_in(currency) or 0.0) for a in achievements if window.contains(a.completed_at)
    )
    running, out = 0.0, []
    for moment, amount in points:
        running += amount
        out.append((moment, running))
    return out


@dataclass(frozen=True)
class CategoryRow:
    category: str
    count: int
    value: float


def by_category(
    achievements: Iterable[Achievement], window: Window, currency: str = DEFAULT_CURRENCY
) -> list[CategoryRow]:
    """Count and business value (in `currency`) per category in the window, largest value first."""
    counts: dict[str, int] = defaultdict(int)
    values: dict[str, float] = defaultdict(float)
    for a in achievements:
        if window.contains(a.completed_at):
            counts[a.category] += 1
            values[a.category] += a.amount_in(currency) or 0.0
    rows = [CategoryRow(c, counts[c], values[c]) for c in counts]
    return sorted(rows, key=lambda r: (-r.value, -r.count, r.category))


def newest(achievements: Iterable[Achievement], count: int = 5) -> list[Achievement]:
    return sorted(achievements, key=lambda a: (a.completed_at, a.id), reverse=True)[:count]


# Sparklines: the range cut into equal steps, one number per step ------------------------------------

SPARK_MAX_STEPS = 60
"""At most this many bars in a card's sparkline, whatever the range."""


def spark_steps(window: Window, now: datetime, earliest: Optional[datetime] = None) -> list[Range]:
    """The range cut into steps ending at `now`: days up to a month, weeks up to ~4 months,
    months beyond. "All time" starts at `earliest` (the first achievement), or a year back."""
    start = window.current.start or earliest or now - timedelta(days=365)
    # A range that ended in the past (from=2026-01-01&to=2026-03-31) is drawn up to its end.
    if window.current.end is not None and window.current.end < now:
        now = window.current.end
    span = max(now - start, timedelta(days=1))
    step = timedelta(days=1) if span <= timedelta(days=31) else timedelta(days=7 if span <= timedelta(days=120) else 30)
    count = min(SPARK_MAX_STEPS, max(1, math.ceil(span / step)))
    return [Range(now - step * (count - i), now - step * (count - i - 1)) for i in range(count)]


STEP_NAMES = {1: "day", 7: "week", 30: "30 days"}


def step_name(steps: Sequence[Range]) -> str:
    """'day', 'week' or '30 days': how long each of spark_steps' steps is."""
    if not steps or steps[0].start is None or steps[0].end is None:
        return "day"
    return STEP_NAMES.get((steps[0].end - steps[0].start).days, "step")


def spark_series(
    achievements: Iterable[Achievement],
    steps: Sequence[Range],
    measure: Callable[[list[Achievement]], Optional[float]],
) -> list[Optional[float]]:
    """`measure` of the achievements completed in each step (None where it has no value)."""
    if not steps:
        return []
    first, width = steps[0].start, steps[0].end - steps[0].start  # type: ignore[operator]
    groups: list[list[Achievement]] = [[] for _ in steps]
    for a in achievements:
        index = math.floor((a.completed_at - first) / width)  # type: ignore[operator]
        if 0 <= index < len(steps):
            groups[index].append(a)
    return [measure(group) for group in groups]


def value_of(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> float:
    """The readable amounts of `items` in `currency`, summed (a sparkline step's height)."""
    return sum(a.amount_in(currency) or 0.0 for a in items)
