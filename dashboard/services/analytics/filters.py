"""The Analytics page's URL filters: read from the query string, written back, applied.

A bad parameter is explained and ignored, never an error; `Filters.query()` reads back as the
same filters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Mapping, Optional, Sequence, Union
from urllib.parse import parse_qsl, urlencode

from dashboard.domain.models import CATEGORIES, Achievement
from dashboard.domain.ranges import PRESETS, Range, day_range, parse_day, parse_key, preset_range

RANGE_PRESETS = ("30d", "90d", "180d", "365d", "ytd", "all")
"""The page's preset ranges, keys of dashboard.domain.ranges.PRESETS."""
CUSTOM = "custom"
RANGE_LABELS = {**{key: PRESETS[key].label for key in RANGE_PRESETS}, CUSTOM: "Custom"}
DEFAULT_RANGE = "365d"
FILTER_KEYS = ("range", "from", "to", "category", "published")
"""The query parameters this page owns; others (refresh, kiosk...) are left as they are."""

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")
QueryValue = Union[str, Sequence[str], None]


@dataclass(frozen=True)
class Filters:
    """What the page shows: a date range (a preset, or custom dates), categories, published only."""

    range_key: str = DEFAULT_RANGE
    """A key of RANGE_PRESETS, or "custom" when `start`/`end` are set."""
    start: Optional[date] = None
    """First day shown (custom ranges only)."""
    end: Optional[date] = None
    """Last day shown, inclusive (custom ranges only)."""
    categories: tuple[str, ...] = ()
    """Empty means every category."""
    published_only: bool = False

    def window(self, now: datetime) -> Range:
        """The range shown: [start, end) in naive UTC, None unbounded (dashboard.domain.ranges)."""
        if self.range_key == CUSTOM:
            return day_range(self.start, self.end)
        return preset_range(self.range_key, now)

    def query(self) -> dict[str, Union[str, list[str]]]:
        """The canonical query parameters of these filters (defaults left out)."""
        out: dict[str, Union[str, list[str]]] = {}
        if self.range_key == CUSTOM:
            if self.start:
                out["from"] = self.start.isoformat()
            if self.end:
                out["to"] = self.end.isoformat()
        elif self.range_key != DEFAULT_RANGE:
            out["range"] = self.range_key
        if self.categories:
            out["category"] = list(self.categories)
        if self.published_only:
            out["published"] = "1"
        return out

    def describe(self) -> str:
        """'Last 90 days · bugfix, feature · published only', for the page's summary line."""
        if self.range_key == CUSTOM:
            first = self.start.isoformat() if self.start else "…"
            last = self.end.isoformat() if self.end else "…"
            when = f"{first} to {last}"
        else:
            when = RANGE_LABELS[self.range_key]
        parts = [when, ", ".join(self.categories) if self.categories else "all categories"]
        if self.published_only:
            parts.append("published only")
        return " · ".join(parts)


def parse_filters(query: Mapping[str, QueryValue]) -> tuple[Filters, list[str]]:
    """Filters from URL parameters, and a message for each bad one (which is then ignored).

    `query` is what Dash passes a page's layout: a string per parameter, a list when repeated.
    Custom dates (`from`, `to`, YYYY-MM-DD) take precedence over a preset `range`.
    """
    problems: list[str] = []
    range_key = _parse_range(query.get("range"), problems)
    start = _parse_day(query.get("from"), "from", problems)
    end = _parse_day(query.get("to"), "to", problems)
    if start and end and start > end:
        problems.append(f"from={start.isoformat()} is after to={end.isoformat()}: date range ignored.")
        start = end = None
    if start or end:
        if range_key not in (None, CUSTOM):
            problems.append(f"range={range_key} ignored: the from/to dates are used.")
        range_key = CUSTOM
    elif range_key == CUSTOM:
        problems.append("A custom range needs a from and/or a to date (YYYY-MM-DD).")
        range_key = None
    return (
        Filters(
            range_key=range_key or DEFAULT_RANGE,
            start=start,
            end=end,
            categories=_parse_categories(query.get("category"), problems),
            published_only=_parse_published(query.get("published"), problems),
        ),
        problems,
    )


def controls_query(
    range_key: Optional[str],
    start: Optional[str],
    end: Optional[str],
    categories: Optional[Sequence[str]],
    published: Optional[bool],
    *,
    dates_changed: bool = False,
) -> dict[str, QueryValue]:
    """The query the page's controls stand for; typing a date switches to a custom range."""
    query: dict[str, QueryValue] = {}
    if dates_changed or range_key == CUSTOM:
        if start:
            query["from"] = start
        if end:
            query["to"] = end
        if not dates_changed:
            query["range"] = CUSTOM  # picked "custom" without dates yet: parse_filters says what is missing
    elif range_key:
        query["range"] = range_key
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


def _parse_range(raw: QueryValue, problems: list[str]) -> Optional[str]:
    text = _single(raw, "range", problems)
    if not text:
        return None
    key = parse_key(text, (*RANGE_PRESETS, CUSTOM))
    if key is not None:
        return key
    problems.append(
        f"Unknown range {_shown(text)}: showing {RANGE_LABELS[DEFAULT_RANGE].lower()}. "
        f"Accepted: {', '.join(RANGE_PRESETS)}, or from/to dates."
    )
    return None


def _parse_day(raw: QueryValue, name: str, problems: list[str]) -> Optional[date]:
    text = _single(raw, name, problems)
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        problems.append(f"{name}={_shown(text)} is not a date: ignored. Use YYYY-MM-DD, e.g. 2026-01-31.")
    return day


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
