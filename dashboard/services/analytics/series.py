"""The rows each Analytics chart draws (and exports): pure functions of the filtered achievements.

Time series use `completed_at` (the collector cannot back-date `created_at`); money is the parsed
`business_value`, counted as 0 where it is absent or unreadable or in another currency.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional, Sequence

from dashboard.domain.business_value import DEFAULT_CURRENCY, MoneyTotal, total_of
from dashboard.domain.models import CATEGORIES, Achievement, PlatformPerformance

PR_SOURCE_TYPE = "github_pr"
TOP_LIMIT = 10

ChartRow = dict[str, Any]
"""One row of a chart and of its CSV: column name -> value (the columns are in `charts.CHARTS`)."""


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


def value_by_month(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[ChartRow]:
    """Business value per month of completion and its running total; empty months included."""
    if not items:
        return []
    value: dict[str, float] = defaultdict(float)
    count: Counter[str] = Counter()
    unvalued: Counter[str] = Counter()
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


def categories_by_month(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[ChartRow]:
    """Achievements completed per category and month (only the pairs that have some)."""
    count: Counter[tuple[str, str]] = Counter()
    value: dict[tuple[str, str], float] = defaultdict(float)
    for a in items:
        key = (month_of(a.completed_at), a.category)
        count[key] += 1
        value[key] += _amount(a, currency)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    keys = sorted(count, key=lambda k: (k[0], order.get(k[1], len(order)), k[1]))
    return [{"month": m, "category": c, "achievements": count[(m, c)], "value": value[(m, c)]} for m, c in keys]


def impact_complexity(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[ChartRow]:
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


def time_saved_by_month(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[ChartRow]:
    """Hours saved per month of completion and their running total; empty months included."""
    if not items:
        return []
    hours: dict[str, float] = defaultdict(float)
    count: Counter[str] = Counter()
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
) -> list[ChartRow]:
    """The `limit` most demonstrated skills and most used tags, each counted once per achievement."""
    rows: list[ChartRow] = []
    names_of: tuple[tuple[str, Callable[[Achievement], list[str]]], ...] = (
        ("skill", lambda a: a.skills_demonstrated),
        ("tag", lambda a: a.tags),
    )
    for kind, getter in names_of:
        count: Counter[str] = Counter()
        value: dict[str, float] = defaultdict(float)
        for a in items:
            for name in {n.strip() for n in getter(a) if n and n.strip()}:
                count[name] += 1
                value[name] += _amount(a, currency)
        ranked = sorted(count, key=lambda n: (-count[n], n.lower(), n))[:limit]
        rows += [{"kind": kind, "name": n, "achievements": count[n], "value": value[n]} for n in ranked]
    return rows


def pr_timeline(items: Sequence[Achievement], currency: str = DEFAULT_CURRENCY) -> list[ChartRow]:
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


def platform_rows(performance: Optional[PlatformPerformance]) -> list[ChartRow]:
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
