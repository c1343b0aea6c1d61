"""The Analytics page's URL filters: read from the query string, written back, applied.

A bad parameter is explained and ignored, never an error; `Filters.query()` reads back as the
same filters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping, Optional, Sequence, Union
from urllib.parse import parse_qsl, urlencode

from dashboard.domain.models import CATEGORIES, Achievement
from dashboard.domain.ranges import Range
from dashboard.domain.timerange import RANGE_PARAMS, TimeRange, parse_time_range

DEFAULT_RANGE = "365d"
"""The page's range when the URL names none (a quick range of dashboard.domain.timerange)."""
FILTER_KEYS = ("category", "published", "via", *RANGE_PARAMS)
"""The query parameters this page owns (the navbar's range among them); others (refresh,
kiosk...) are left as they are."""

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")
QueryValue = Union[str, Sequence[str], None]


@dataclass(frozen=True)
class Filters:
    """What the page shows: the navbar's time range, categories, published only."""

    time_range: TimeRange = TimeRange.quick(DEFAULT_RANGE)
    categories: tuple[str, ...] = ()
    """Empty means every category."""
    published_only: bool = False

    def window(self, now: datetime) -> Range:
        """The range shown: [start, end) in naive UTC, None unbounded (dashboard.domain.ranges)."""
        return self.time_range.resolve(now)

    def query(self, default_tz: str = "UTC") -> dict[str, Union[str, list[str]]]:
        """The canonical query parameters of these filters."""
        plain_default = self.time_range.quick_key == DEFAULT_RANGE and not self.time_range.compare
        out: dict[str, Union[str, list[str]]] = {} if plain_default else dict(self.time_range.query())
        if self.time_range.tz != default_tz:
            out["tz"] = self.time_range.tz
        if self.categories:
            out["category"] = list(self.categories)
        if self.published_only:
            out["published"] = "1"
        return out

    def describe(self, now: Optional[datetime] = None) -> str:
        """'Last 90 days · bugfix, feature · published only', for the page's summary line."""
        parts = [self.time_range.label(now), ", ".join(self.categories) if self.categories else "all categories"]
        if self.published_only:
            parts.append("published only")
        return " · ".join(parts)


def parse_filters(query: Mapping[str, QueryValue], now: datetime, default_tz: str = "UTC") -> tuple[Filters, list[str]]:
    """Filters from URL parameters, and a message for each bad one (which is then ignored).

    `query` is what Dash passes a page's layout: a string per parameter, a list when repeated.
    The range is the navbar's (dashboard.domain.timerange); `now` resolves a relative one to
    check it (the moment the page is built)."""
    problems: list[str] = []
    for name in RANGE_PARAMS:
        _single(query.get(name), name, problems)  # says when one is repeated
    time_range, problem = parse_time_range(query, now, default=DEFAULT_RANGE, default_tz=default_tz)
    if problem:
        problems.append(problem)
    return (
        Filters(
            time_range=time_range,
            categories=_parse_categories(query.get("category"), problems),
            published_only=_parse_published(query.get("published"), problems),
        ),
        problems,
    )


def controls_query(
    time_range_query: Mapping[str, QueryValue],
    categories: Optional[Sequence[str]],
    published: Optional[bool],
) -> dict[str, QueryValue]:
    """The query the page's controls stand for, with the range it shows."""
    query: dict[str, QueryValue] = {k: v for k, v in time_range_query.items() if k in RANGE_PARAMS}
    if categories:
        query["category"] = list(categories)
    if published:
        query["published"] = "1"
    return query


def merge_search(search: Optional[str], query: Mapping[str, QueryValue]) -> str:
    """`search` ("?refresh=60&range=90d") with this page's parameters replaced by `query`."""
    kept = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k not in FILTER_KEYS]
    for key, value in query.items():
        kept += [(key, v) for v in _values(value)]
    return "?" + urlencode(kept) if kept else ""


def query_from_search(search: Optional[str]) -> dict[str, QueryValue]:
    """'?a=1&b=2&b=3' as Dash passes it to a layout: a string per parameter, a list when repeated."""
    pairs = parse_qsl((search or "").lstrip("?"), keep_blank_values=True)
    grouped: dict[str, list[str]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}


def _values(raw: QueryValue) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(v) for v in raw]


def _shown(text: str) -> str:
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


def _single(raw: QueryValue, name: str, problems: list[str]) -> Optional[str]:
    values = _values(raw)
    if not values:
        return None
    if len(values) > 1:
        problems.append(f"{name} is given {len(values)} times: using the first, {_shown(values[0])}.")
    return values[0].strip()


def _parse_categories(raw: QueryValue, problems: list[str]) -> tuple[str, ...]:
    wanted: set[str] = set()
    unknown: list[str] = []
    for value in _values(raw):
        # Both ?category=a&category=b and ?category=a,b read the same.
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name in CATEGORIES:
                wanted.add(name)
            elif part.strip() not in unknown:
                unknown.append(part.strip())
    if unknown:
        listed = ", ".join(_shown(u) for u in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        problems.append(
            f"Unknown categor{'ies' if len(unknown) > 1 else 'y'} {listed}: ignored. Accepted: {', '.join(CATEGORIES)}."
        )
    return tuple(c for c in CATEGORIES if c in wanted)


def _parse_published(raw: QueryValue, problems: list[str]) -> bool:
    text = _single(raw, "published", problems)
    if text is None:
        return False
    if text.lower() in _TRUE:
        return True
    if text.lower() not in _FALSE:
        problems.append(
            f"published={_shown(text)} is not yes or no: showing every achievement. "
            f"Use published=1 for portfolio-ready only."
        )
    return False


def apply_filters(achievements: Iterable[Achievement], filters: Filters, now: datetime) -> list[Achievement]:
    """The achievements the filters select, oldest first."""
    window = filters.window(now)
    chosen = set(filters.categories)
    items = [
        a
        for a in achievements
        if window.contains(a.completed_at)
        and (not chosen or a.category in chosen)
        and (not filters.published_only or a.portfolio_ready)
    ]
    return sorted(items, key=lambda a: (a.completed_at, a.id))


def previous_period(
    achievements: Iterable[Achievement], filters: Filters, now: datetime
) -> Optional[list[Achievement]]:
    """With "compare", the achievements of the previous period of equal length under the same
    categories and "published only", each moved forward by the period's length (so they draw on
    this period's months); None without a comparison or a start."""
    if not filters.time_range.compare:
        return None
    current, previous = filters.window(now), filters.time_range.previous(now)
    if previous is None or current.start is None or previous.start is None:
        return None
    shift = current.start - previous.start
    chosen = set(filters.categories)
    return sorted(
        (
            a.model_copy(update={"completed_at": a.completed_at + shift})
            for a in achievements
            if previous.contains(a.completed_at)
            and (not chosen or a.category in chosen)
            and (not filters.published_only or a.portfolio_ready)
        ),
        key=lambda a: (a.completed_at, a.id),
    )
