"""Data of the Analytics page: its URL filters, and the rows each chart draws and exports.

Pure functions of achievements (and of tech-doc-generator's platform performance), no I/O and
no Dash: the figure builders and the CSV export read the same rows, so a downloaded file holds
exactly what its chart shows. Time series use `completed_at` (the collector cannot back-date
`created_at`); money is the parsed `business_value`, counted as 0 where it is absent or unreadable.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union
from urllib.parse import parse_qsl, urlencode

from dashboard.domain.business_value import DEFAULT_CURRENCY, MoneyTotal, total_of
from dashboard.domain.models import CATEGORIES, Achievement, PlatformPerformance
from dashboard.services.achievements.rows import spreadsheet_safe

RANGE_PRESETS: dict[str, Optional[int]] = {
    "30d": 30,
    "90d": 90,
    "180d": 180,
    "365d": 365,
    "ytd": None,
    "all": None,
}
"""Preset key -> days back from now (ytd and all have no fixed length)."""
RANGE_LABELS = {
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "180d": "Last 6 months",
    "365d": "Last 12 months",
    "ytd": "This year",
    "all": "All time",
    "custom": "Custom",
}
DEFAULT_RANGE = "365d"
CUSTOM = "custom"
FILTER_KEYS = ("range", "from", "to", "category", "published")
"""The query parameters this page owns; others (refresh, kiosk...) are left as they are."""
PR_SOURCE_TYPE = "github_pr"
TOP_LIMIT = 10

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")
QueryValue = Union[str, Sequence[str], None]


# Filters -----------------------------------------------------------------------------------


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

    def window(self, now: datetime) -> tuple[Optional[datetime], Optional[datetime]]:
        """[start, end) in naive UTC; None is unbounded."""
        if self.range_key == CUSTOM:
            start = datetime.combine(self.start, datetime.min.time()) if self.start else None
            # to=9999-12-31 has no next day: it reads as "no end" rather than overflowing.
            end = (
                datetime.combine(self.end + timedelta(days=1), datetime.min.time())
                if self.end and self.end < date.max
                else None
            )
            return start, end
        if self.range_key == "all":
            return None, None
        if self.range_key == "ytd":
            return datetime(now.year, 1, 1), None
        return now - timedelta(days=RANGE_PRESETS[self.range_key]), None

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
    key = text.lower()
    if key in RANGE_PRESETS or key == CUSTOM:
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
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"{name}={_shown(text)} is not a date: ignored. Use YYYY-MM-DD, e.g. 2026-01-31.")
        return None


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
    start, end = filters.window(now)
    chosen = set(filters.categories)
    items = [
        a
        for a in achievements
        if (start is None or a.completed_at >= start)
        and (end is None or a.completed_at < end)
        and (not chosen or a.category in chosen)
        and (not filters.published_only or a.portfolio_ready)
    ]
    return sorted(items, key=lambda a: (a.completed_at, a.id))


# Rows of each chart -------------------------------------------------------------------------


def month_of(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _amount(a: Achievement, currency: str) -> float:
    """The amount counted in `currency` sums: none when unreadable or in another currency."""
    return a.amount_in(currency) or 0.0


def value_by_month(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[dict]:
    """Business value per month of completion and its running total; empty months included."""
    if not items:
        return []
    value: dict[str, float] = defaultdict(float)
    count: Counter = Counter()
    unvalued: Counter = Counter()
    for a in items:
        month = month_of(a.completed_at)
        value[month] += _amount(a, currency)
        count[month] += 1
        unvalued[month] += a.amount_in(currency) is None
    months = _months_between(min(value), max(value))
    rows, running = [], 0.0
    for month in months:
        running += value[month]
        rows.append(
            {
                "month": month,
                "value": value[month],
                "cumulative_value": running,
                "achievements": count[month],
                "unvalued": unvalued[month],
            }
        )
    return rows


def categories_by_month(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[dict]:
    """Achievements completed per category and month (only the pairs that have some)."""
    count: Counter = Counter()
    value: dict[tuple[str, str], float] = defaultdict(float)
    for a in items:
        key = (month_of(a.completed_at), a.category)
        count[key] += 1
        value[key] += _amount(a, currency)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    keys = sorted(count, key=lambda k: (k[0], order.get(k[1], len(order)), k[1]))
    return [{"month": m, "category": c, "achievements": count[(m, c)], "value": value[(m, c)]} for m, c in keys]


def impact_complexity(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[dict]:
    """One row per achievement: impact, complexity and business value in `currency` (None when
    unreadable or in another currency: a dot's size never mixes currencies)."""
    return [
        {
            "id": a.id,
            "title": a.title,
            "category": a.category,
            "completed_at": a.completed_at.isoformat(timespec="seconds"),
            "impact_score": a.impact_score,
            "complexity_score": a.complexity_score,
            "value": a.amount_in(currency),
        }
        for a in items
    ]


def time_saved_by_month(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[dict]:
    """Hours saved per month of completion and their running total; empty months included."""
    if not items:
        return []
    hours: dict[str, float] = defaultdict(float)
    count: Counter = Counter()
    for a in items:
        month = month_of(a.completed_at)
        hours[month] += a.time_saved_hours or 0.0
        count[month] += 1
    rows, running = [], 0.0
    for month in _months_between(min(hours), max(hours)):
        running += hours[month]
        rows.append(
            {"month": month, "hours_saved": hours[month], "cumulative_hours": running, "achievements": count[month]}
        )
    return rows


def top_skills_and_tags(
    items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY, limit: int = TOP_LIMIT
) -> list[dict]:
    """The `limit` most demonstrated skills and most used tags, each counted once per achievement."""
    rows: list[dict] = []
    for kind, getter in (("skill", lambda a: a.skills_demonstrated), ("tag", lambda a: a.tags)):
        count: Counter = Counter()
        value: dict[str, float] = defaultdict(float)
        for a in items:
            for name in {n.strip() for n in getter(a) if n and n.strip()}:
                count[name] += 1
                value[name] += _amount(a, currency)
        ranked = sorted(count, key=lambda n: (-count[n], n.lower(), n))[:limit]
        rows += [{"kind": kind, "name": n, "achievements": count[n], "value": value[n]} for n in ranked]
    return rows


def pr_timeline(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[dict]:
    """Pull-request achievements (source_type github_pr) in merge order, with a running count."""
    prs = [a for a in items if a.source_type == PR_SOURCE_TYPE]
    prs.sort(key=lambda a: (a.completed_at, a.id))
    return [
        {
            "merged_count": n,
            "id": a.id,
            "pr": a.source_id or "",
            "title": a.title,
            "category": a.category,
            "started_at": a.started_at.isoformat(timespec="seconds"),
            "completed_at": a.completed_at.isoformat(timespec="seconds"),
            "duration_hours": round((a.completed_at - a.started_at).total_seconds() / 3600, 1),
            "impact_score": a.impact_score,
            "value": a.amount_in(currency),
            "url": a.source_url or "",
        }
        for n, a in enumerate(prs, start=1)
    ]


def platform_rows(performance: Optional[PlatformPerformance]) -> list[dict]:
    """tech-doc-generator's per-platform numbers as it sent them; a value it did not send stays None."""
    if performance is None:
        return []
    rows = []
    for platform, numbers in performance.platform_breakdown.items():
        numbers = numbers if isinstance(numbers, dict) else {}
        rows.append(
            {
                "platform": str(platform),
                "articles": _number(numbers.get("count")),
                "avg_engagement": _number(numbers.get("avg_engagement")),
            }
        )
    return sorted(rows, key=lambda r: (r["avg_engagement"] is None, -(r["avg_engagement"] or 0), r["platform"]))


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class Summary:
    achievements: int
    value: float
    """In the main currency; `money` has the other currencies and the unreadable count."""
    hours_saved: float
    published: int
    unvalued: int
    money: Optional[MoneyTotal] = None


def summarise(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> Summary:
    money = total_of((a.value_reading(currency) for a in items), currency)
    return Summary(
        achievements=len(items),
        value=money.amount,
        hours_saved=sum(a.time_saved_hours or 0.0 for a in items),
        published=sum(1 for a in items if a.portfolio_ready),
        unvalued=money.unreadable,
        money=money,
    )


# The charts, their rows and their CSV --------------------------------------------------------


@dataclass(frozen=True)
class ChartData:
    """How one chart gets its rows, and the columns of its CSV."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: Callable[..., list[dict]] = field(repr=False, default=lambda items, currency=None: [])
    """(items, currency) -> the chart's rows."""
    source: str = "achievements"
    """"achievements" (filtered achievements) or "performance" (tech-doc-generator, unfiltered)."""


CHARTS: dict[str, ChartData] = {
    c.key: c
    for c in (
        ChartData(
            "value",
            "Business value per month",
            ("month", "value", "cumulative_value", "achievements", "unvalued"),
            value_by_month,
        ),
        ChartData(
            "categories",
            "Achievements per category over time",
            ("month", "category", "achievements", "value"),
            categories_by_month,
        ),
        ChartData(
            "impact",
            "Impact versus complexity",
            ("id", "title", "category", "completed_at", "impact_score", "complexity_score", "value"),
            impact_complexity,
        ),
        ChartData(
            "time", "Time saved", ("month", "hours_saved", "cumulative_hours", "achievements"), time_saved_by_month
        ),
        ChartData(
            "skills",
            "Most demonstrated skills and tags",
            ("kind", "name", "achievements", "value"),
            top_skills_and_tags,
        ),
        ChartData(
            "prs",
            "Pull-request achievements",
            (
                "merged_count",
                "id",
                "pr",
                "title",
                "category",
                "started_at",
                "completed_at",
                "duration_hours",
                "impact_score",
                "value",
                "url",
            ),
            pr_timeline,
        ),
        ChartData(
            "platform",
            "Platform performance (tech-doc-generator)",
            ("platform", "articles", "avg_engagement"),
            source="performance",
        ),
    )
}


def chart_rows(
    key: str,
    items: Sequence[Achievement],
    performance: Optional[PlatformPerformance],
    currency: str = DEFAULT_CURRENCY,
) -> list[dict]:
    """The rows chart `key` draws: from the filtered achievements, or from tech-doc-generator.
    Money is summed in `currency` only; other currencies are never added in."""
    chart = CHARTS[key]
    if chart.source == "performance":
        return platform_rows(performance)
    return chart.rows(items, currency)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return spreadsheet_safe(value)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(column)) for column in columns])
    return out.getvalue()


def export_csv(
    key: str,
    achievements: Sequence[Achievement],
    performance: Optional[PlatformPerformance],
    filters: Filters,
    now: datetime,
    currency: str = DEFAULT_CURRENCY,
) -> tuple[str, str]:
    """(file name, CSV text) of chart `key` under `filters`: the rows the chart draws."""
    chart = CHARTS[key]
    items = apply_filters(achievements, filters, now)
    rows = chart_rows(key, items, performance, currency)
    return f"analytics-{key}-{now:%Y%m%d-%H%M%S}.csv", to_csv(rows, chart.columns)
