"""Every panel a page shows and another application may embed: its id, its data and its rows.

A panel is a chart or a KPI of Overview, Analytics or Highlights. Its rows are what it draws (a
chart's points, a KPI's number and the previous period's), so the page's "Inspect data" table,
its CSV, the embed's figure (dashboard/charts/registry.py draws a chart from these very rows) and
a KPI's JSON all say the same thing. Pure functions of the data; `read` goes through the service
facade's cache, so a hundred embedded copies cost the backends what one screen costs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping, Optional

from dashboard.domain.business_value import DEFAULT_CURRENCY, format_money
from dashboard.domain.changes import delta_line
from dashboard.domain.kpis import DEFAULT_RANGE, Kpi, Window, by_category, cumulative_value, money_total, overview_kpis
from dashboard.domain.kpis import window_for as kpi_window
from dashboard.domain.models import Achievement, ContentStats, Fresh
from dashboard.domain.timerange import QueryValue, TimeRange, parse_time_range, to_local
from dashboard.infra.csv_export import to_csv
from dashboard.services.analytics import CHARTS as ANALYTICS
from dashboard.services.analytics import DEFAULT_RANGE as ANALYTICS_RANGE
from dashboard.services.analytics import Filters, apply_filters, chart_rows, parse_filters

Row = dict[str, Any]
MAX_TABLE_ROWS = 500
"""An "Inspect data" table shows at most this many rows (the CSV has them all)."""


@dataclass(frozen=True)
class PanelQuery:
    """What a panel is asked for: its range (and the Analytics filters), at `now`, in `currency`."""

    filters: Filters
    now: datetime
    currency: str = DEFAULT_CURRENCY

    @property
    def time_range(self) -> TimeRange:
        return self.filters.time_range

    @property
    def window(self) -> Window:
        return kpi_window(self.time_range, self.now)


@dataclass(frozen=True)
class KpiNumbers:
    """A KPI as its card shows it: the number (None: unknown), its text, and its change line."""

    value: Optional[float]
    text: str
    change: str = ""
    change_class: str = "kpi-delta flat"
    previous: Optional[float] = None
    parts: dict[str, float] = field(default_factory=dict)
    """The labelled figures of a card that shows several ("drafts": 14, …)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "text": self.text,
            "previous": self.previous,
            "change": self.change,
            "change_direction": self.change_class.rsplit(" ", 1)[-1],
            **({"parts": self.parts} if self.parts else {}),
        }


@dataclass(frozen=True)
class Panel:
    id: str
    title: str
    description: str
    kind: str
    """"chart" (a Plotly figure, dashboard/charts/registry.py) or "kpi" (numbers)."""
    page: str
    """The page path that shows it ("/", "/analytics", "/highlights")."""
    columns: tuple[str, ...]
    read: Callable[[Any], Fresh[Any]] = field(repr=False)
    """services -> the Fresh data the panel draws."""
    rows: Callable[[Any, PanelQuery], list[Row]] = field(repr=False)
    """(data, query) -> the rows it draws; pure."""
    numbers: Optional[Callable[[Any, PanelQuery], KpiNumbers]] = field(repr=False, default=None)
    """A KPI's numbers; None for a chart."""
    default_range: str = DEFAULT_RANGE
    filtered: bool = False
    """True when the Analytics filters (category, published) apply to it."""
    ranged: bool = True
    """False for a panel of now, which no range limits (the content pipeline)."""


@dataclass(frozen=True)
class PanelRead:
    """One read of a panel: its data's freshness, its query, and its rows (None: no data)."""

    panel: Panel
    fresh: Fresh[Any]
    query: PanelQuery
    rows: Optional[list[Row]]

    @property
    def numbers(self) -> Optional[KpiNumbers]:
        if self.panel.numbers is None or self.fresh.value is None:
            return None
        return self.panel.numbers(self.fresh.value, self.query)

    def csv(self) -> tuple[str, str]:
        """(file name, CSV text) of the rows."""
        return f"{self.panel.id}-{self.query.now:%Y%m%d-%H%M%S}.csv", to_csv(self.rows or [], self.panel.columns)


def panel_query(
    panel: Panel, query: Mapping[str, QueryValue], now: datetime, *, currency: str, tz: str
) -> tuple[PanelQuery, list[str]]:
    """The query of `panel` from URL parameters (a page's or an embed's), and what is wrong in them
    (each then ignored, as the page does)."""
    if panel.filtered:
        filters, problems = parse_filters(query, now, tz)
    else:
        time_range, problem = parse_time_range(query, now, default=panel.default_range, default_tz=tz)
        filters, problems = Filters(time_range=time_range), [problem] if problem else []
    return PanelQuery(filters, now, currency), problems


def panel_params(panel: Panel, query: PanelQuery, default_tz: str) -> dict[str, str | list[str]]:
    """The URL parameters that ask for `query` again: its range, always (a page's default range
    may differ from another's), its zone when not `default_tz`, and the Analytics filters."""
    time_range = query.time_range
    out: dict[str, str | list[str]] = dict(time_range.query())
    if time_range.tz != default_tz:
        out["tz"] = time_range.tz
    if panel.filtered:
        out.update({k: v for k, v in query.filters.query(default_tz).items() if k in ("category", "published")})
    return out


def read_panel(panel: Panel, services: Any, query: PanelQuery) -> PanelRead:
    fresh = panel.read(services)
    return PanelRead(panel, fresh, query, None if fresh.value is None else panel.rows(fresh.value, query))


# Overview: the value trend and the category breakdown ------------------------------------------

THIS_PERIOD = "this period"
PREVIOUS_PERIOD = "previous period"


def trend_rows(items: list[Achievement], query: PanelQuery) -> list[Row]:
    """The running total of value by completion date, drawn in the range's zone; with `compare`,
    the previous period's too, moved forward onto this one's dates."""
    window, tz = query.window, query.time_range.tz
    rows = [
        {"series": THIS_PERIOD, "completed_at": _local(moment, tz), "cumulative_value": value}
        for moment, value in cumulative_value(items, window, query.currency)
    ]
    if query.time_range.compare and window.previous is not None and window.previous.start is not None:
        if window.current.start is not None:
            shift = window.current.start - window.previous.start
            before = cumulative_value(items, Window(key="previous", current=window.previous), query.currency)
            rows += [
                {"series": PREVIOUS_PERIOD, "completed_at": _local(moment + shift, tz), "cumulative_value": value}
                for moment, value in before
            ]
    return rows


def category_rows(items: list[Achievement], query: PanelQuery) -> list[Row]:
    return [
        {"category": row.category, "achievements": row.count, "value": row.value}
        for row in by_category(items, query.window, query.currency)
    ]


def _local(moment: datetime, tz: str) -> datetime:
    return moment if tz == "UTC" else to_local(moment, tz)


# KPIs ----------------------------------------------------------------------------------------


def overview_numbers(items: list[Achievement], query: PanelQuery) -> dict[str, KpiNumbers]:
    """The four achievement KPIs of the Overview, from one pass over the achievements."""
    kpis = overview_kpis(items, query.window, query.currency)
    label = query.time_range.span_words(query.now)
    currency = query.currency

    def numbers(kpi: Kpi, text: str, change: tuple[str, str]) -> KpiNumbers:
        return KpiNumbers(kpi.value, text, change[0], change[1], kpi.previous)

    known = kpis.money.known
    value = Kpi(kpis.total_value.value if known else None, kpis.total_value.previous)
    return {
        "kpi-value": numbers(
            value, format_money(value.value, currency=currency), delta_line(kpis.total_value, label, currency=currency)
        ),
        "kpi-completed": numbers(kpis.completed, f"{kpis.completed.value:,.0f}", delta_line(kpis.completed, label)),
        "kpi-impact": numbers(
            kpis.avg_impact,
            "—" if kpis.avg_impact.value is None else f"{kpis.avg_impact.value:.1f}",
            _unscored_said(delta_line(kpis.avg_impact, label, points=True), kpis.unscored),
        ),
        "kpi-published": numbers(kpis.published, f"{kpis.published.value:,.0f}", delta_line(kpis.published, label)),
    }


def _unscored_said(change: tuple[str, str], unscored: int) -> tuple[str, str]:
    """Said, not hidden: the average is of the scored achievements only."""
    if not unscored:
        return change
    return (f"{change[0]} · {unscored:,} without a score not counted".lstrip(" ·"), change[1])


def _kpi_rows(key: str) -> Callable[[list[Achievement], PanelQuery], list[Row]]:
    """A KPI's rows: its number over the range and over the previous period (when there is one)."""

    def rows(items: list[Achievement], query: PanelQuery) -> list[Row]:
        numbers = overview_numbers(items, query)[key]
        window = query.window
        out = [
            {
                "period": THIS_PERIOD,
                **_bounds(window.current.start, window.current.end or query.now),
                "value": numbers.value,
            }
        ]
        if window.previous is not None:
            out.append(
                {
                    "period": PREVIOUS_PERIOD,
                    **_bounds(window.previous.start, window.previous.end),
                    "value": numbers.previous,
                }
            )
        return out

    return rows


def _bounds(start: Optional[datetime], end: Optional[datetime]) -> Row:
    return {"from": start, "to": end}


def month_numbers(items: list[Achievement], query: PanelQuery) -> KpiNumbers:
    """Value of the calendar month so far, in the range's zone (a month starts at midnight there)."""
    now = query.now
    month = TimeRange.quick("mtd", query.time_range.tz).resolve(now)
    this_month = [a for a in items if month.contains(a.completed_at)]
    total = money_total(this_month, query.currency)
    line = f"since {now:%b} 1 · {len(this_month):,} completed" + (
        f", {total.unreadable:,} with no readable amount" if total.unreadable else ""
    )
    amount = total.amount if total.known else None
    return KpiNumbers(amount, format_money(amount, currency=query.currency), line)


def _month_rows(items: list[Achievement], query: PanelQuery) -> list[Row]:
    month = TimeRange.quick("mtd", query.time_range.tz).resolve(query.now)
    return [
        {
            "period": "this month",
            **_bounds(month.start, month.end or query.now),
            "value": month_numbers(items, query).value,
        }
    ]


def pipeline_numbers(stats: ContentStats, query: Optional[PanelQuery] = None) -> KpiNumbers:
    """The content pipeline: posts by status, now (not limited to a range)."""
    parts = {
        "drafts": float(stats.draft_count),
        "scheduled": float(stats.scheduled_count),
        "published": float(stats.published_count),
    }
    return KpiNumbers(
        None,
        " · ".join(f"{count:,.0f} {label}" for label, count in parts.items()),
        f"{stats.total_posts:,} posts in all, {stats.ready_count:,} ready to schedule",
        parts=parts,
    )


def _pipeline_rows(stats: ContentStats, query: PanelQuery) -> list[Row]:
    return [
        {"status": status, "posts": count}
        for status, count in (
            ("draft", stats.draft_count),
            ("scheduled", stats.scheduled_count),
            ("published", stats.published_count),
            ("ready to schedule", stats.ready_count),
            ("all", stats.total_posts),
        )
    ]


# The catalogue -------------------------------------------------------------------------------

_achievements: Callable[[Any], Fresh[Any]] = lambda services: services.achievements()
KPI_COLUMNS = ("period", "from", "to", "value")


def _overview_kpi(key: str, title: str, description: str) -> Panel:
    return Panel(
        key,
        title,
        description,
        "kpi",
        "/",
        KPI_COLUMNS,
        _achievements,
        _kpi_rows(key),
        numbers=lambda items, query: overview_numbers(items, query)[key],
    )


def _analytics(key: str, description: str) -> Panel:
    chart = ANALYTICS[key]
    performance = chart.source == "performance"

    def rows(data: Any, query: PanelQuery) -> list[Row]:
        if performance:
            return chart_rows(key, [], data)
        return chart_rows(key, apply_filters(data, query.filters, query.now), None, query.currency)

    return Panel(
        f"analytics-{key}",
        chart.title,
        description,
        "chart",
        "/analytics",
        chart.columns,
        (lambda services: services.platform_performance()) if performance else _achievements,
        rows,
        default_range=ANALYTICS_RANGE,
        filtered=not performance,
    )


PANELS: dict[str, Panel] = {
    panel.id: panel
    for panel in (
        Panel(
            "value-trend",
            "Cumulative business value",
            "Running total of parsed business value by completion date.",
            "chart",
            "/",
            ("series", "completed_at", "cumulative_value"),
            _achievements,
            trend_rows,
        ),
        Panel(
            "value-by-category",
            "Value by category",
            "Business value per achievement category, largest first.",
            "chart",
            "/",
            ("category", "achievements", "value"),
            _achievements,
            category_rows,
        ),
        _overview_kpi("kpi-value", "Business value", "Sum of the readable amounts completed in the range."),
        _overview_kpi("kpi-completed", "Achievements completed", "Achievements completed in the range."),
        _overview_kpi("kpi-impact", "Average impact", "Mean impact score (0–100) of those completed in the range."),
        _overview_kpi("kpi-published", "Portfolio-ready", "Achievements completed in the range and portfolio-ready."),
        Panel(
            "kpi-pipeline",
            "Content pipeline",
            "The orchestrator's posts by status, now (not limited to the range).",
            "kpi",
            "/",
            ("status", "posts"),
            lambda services: services.content_stats(),
            _pipeline_rows,
            numbers=pipeline_numbers,
            ranged=False,
        ),
        Panel(
            "kpi-value-month",
            "Value this month",
            "Sum of the readable amounts completed in the calendar month so far.",
            "kpi",
            "/highlights",
            KPI_COLUMNS,
            _achievements,
            _month_rows,
            numbers=month_numbers,
        ),
        _analytics("value", "Business value per month, and its running total."),
        _analytics("time", "Hours saved per month, and their running total."),
        _analytics("categories", "Achievements per category, month by month."),
        _analytics("impact", "One dot per achievement: impact against complexity, sized by value."),
        _analytics("skills", "The most demonstrated skills and tags."),
        _analytics("platform", "Articles and engagement per platform, as tech-doc-generator reports them."),
        _analytics("prs", "Pull-request achievements, merged over time."),
    )
}
"""Every embeddable panel by id, in the order `/api/charts` lists them."""
