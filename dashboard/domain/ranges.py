"""Time ranges: one range type, one vocabulary of range keys, one boundary rule.

The rule: a `Range` is half-open, ``[start, end)``, in naive UTC, and None is unbounded. A moment
exactly on a boundary belongs to the range that starts there, never to the one that ends there.
Why half-open, the usual choice for time series: ranges laid end to end (a month and the next,
a period and the previous one of equal length) neither overlap nor leave a gap, so every moment
is counted once; and the end of a range of days is the next midnight, so "to 2026-01-31" holds
23:59:59.999999 without knowing the clock's resolution.

The keys (`PRESETS`) are the ranges a page offers by name, each relative to `now`; a page picks
those it shows (the Overview's `kpis.RANGES`, the Analytics page's `RANGE_PRESETS`). A preset
has no end: "the last 30 days" runs from 30 days before now on, so an achievement stamped a
moment after our `now` by a collector whose clock runs ahead is still counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple, Optional


class Range(NamedTuple):
    """[start, end) in naive UTC; None is unbounded. A tuple, so `start, end = r` reads it."""

    start: Optional[datetime] = None
    end: Optional[datetime] = None

    def contains(self, moment: datetime) -> bool:
        return (self.start is None or self.start <= moment) and (self.end is None or moment < self.end)


@dataclass(frozen=True)
class Preset:
    label: str
    days: Optional[int] = None
    """Days back from now; None for the presets of no fixed length (this year, all time)."""


PRESETS: dict[str, Preset] = {
    "7d": Preset("Last 7 days", 7),
    "30d": Preset("Last 30 days", 30),
    "90d": Preset("Last 90 days", 90),
    "180d": Preset("Last 6 months", 180),
    "365d": Preset("Last 12 months", 365),
    "mtd": Preset("This month"),
    "ytd": Preset("This year"),
    "all": Preset("All time"),
}
YEAR_TO_DATE = "ytd"
MONTH_TO_DATE = "mtd"


def span_words(key: str) -> str:
    """'30 days', '12 months', 'all time': a preset's span, as a sentence says it
    ("vs previous 30 days", "in the last 12 months")."""
    return PRESETS[key].label.lower().removeprefix("last ")


def parse_key(raw: object, accepted: tuple[str, ...]) -> Optional[str]:
    """The range key `raw` names (any case, spaces around), if it is one of `accepted`."""
    key = str(raw).strip().lower()
    return key if key in accepted else None


def preset_range(key: str, now: datetime) -> Range:
    """The range preset `key` stands for at `now`: from its start on, with no end."""
    days = PRESETS[key].days
    if days is not None:
        return Range(now - timedelta(days=days))
    if key == YEAR_TO_DATE:
        return Range(datetime(now.year, 1, 1))
    if key == MONTH_TO_DATE:
        return Range(datetime(now.year, now.month, 1))
    return Range()  # all time


def previous_range(key: str, now: datetime) -> Optional[Range]:
    """The period of equal length just before preset `key`'s; None when it has no fixed length."""
    days = PRESETS[key].days
    if days is None:
        return None
    start = now - timedelta(days=days)
    return Range(start - timedelta(days=days), start)


def day_range(first: Optional[date], last: Optional[date]) -> Range:
    """The days `first` to `last`, both included: [first's midnight, the midnight after last)."""
    start = datetime.combine(first, datetime.min.time()) if first else None
    # to=9999-12-31 has no next day: it reads as "no end" rather than overflowing.
    end = datetime.combine(last + timedelta(days=1), datetime.min.time()) if last and last < date.max else None
    return Range(start, end)


def parse_day(text: str) -> Optional[date]:
    """A day written YYYY-MM-DD, or None (a shorter or longer ISO form is not accepted)."""
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
