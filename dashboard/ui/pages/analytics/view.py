"""Pure builders of the Analytics page: a chart's tile, and what a refresh shows from the data."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import dash_bootstrap_components as dbc
from dash import html
from typing_extensions import TypedDict

from dashboard.charts.analytics import no_data_figure
from dashboard.charts.registry import FIGURES as PANEL_FIGURES
from dashboard.charts.theme import NO_DATA
from dashboard.domain.business_value import DEFAULT_CURRENCY, format_money
from dashboard.domain.models import Achievement, Fresh, PlatformPerformance
from dashboard.services.analytics import CHARTS, Filters, apply_filters, chart_rows, previous_period, summarise
from dashboard.ui.components.panel_menu import panel_menu
from dashboard.ui.components.tiles import freshness_line, freshness_payload, graph_frame, sample_badge, tile_class
from dashboard.ui.pages.analytics import ids

FIGURES = {
    key: PANEL_FIGURES[f"analytics-{key}"]
    for key in ("value", "categories", "impact", "time", "skills", "prs", "platform")
}
"""Chart key -> its figure builder, in the order the refresh callback's outputs list them."""
ACHIEVEMENT_CHARTS = tuple(k for k in FIGURES if CHARTS[k].source == "achievements")
UNAVAILABLE = "Not available from tech-doc-generator"


class AnalyticsView(TypedDict):
    """What a refresh shows; the keys are those of the refresh callback's outputs (page.OUTPUTS)."""

    figures: dict[str, Any]
    classes: dict[str, str]
    export_disabled: dict[str, bool]
    summary: list
    platform_notes: html.Div | html.P
    platform_status: tuple[str, str, str]
    """The freshness line's class, the plain status line's text and its class."""
    freshness: dict[str, Any]


def chart_tile(
    key: str, title: str, *, height: int = 320, hint: Optional[str] = None, notes=None, sample: bool = False
) -> dbc.Card:
    """A chart card like components.tiles.chart_card, plus a CSV export of the chart's rows."""
    tile = ids.tile_id(key)
    body: list = [
        graph_frame(f"{tile}-graph", height, toImageButtonOptions={"format": "png", "filename": tile, "scale": 2})
    ]
    if notes is not None:
        body.append(notes)
    status: list[html.Small | html.Span] = [freshness_line(tile)]
    if key == "platform":
        # An optional service that does not offer this data is not a failing tile: it gets a
        # plain status line instead of the freshness line (which would turn red, and report the
        # screen as failing).
        status = [
            html.Span(status, id=ids.PLATFORM_FRESHNESS),
            html.Small("", id=ids.PLATFORM_STATUS, className="tile-freshness d-none"),
        ]
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Div(
                        [
                            html.Span([title, *sample_badge(sample)], className="tile-title"),
                            *([html.Small(hint, className="tile-hint")] if hint else []),
                            *status,
                        ],
                        className="d-flex flex-column",
                    ),
                    html.Div(
                        [
                            dbc.Button(
                                "CSV",
                                id=ids.export_button(key),
                                size="sm",
                                color="secondary",
                                outline=True,
                                class_name="export-button",
                                title=f"Download the data of “{title}” as CSV",
                            ),
                            panel_menu(f"analytics-{key}", tile, title),
                        ],
                        className="tile-tools",
                    ),
                ],
                className="d-flex justify-content-between align-items-start gap-2",
            ),
            dbc.CardBody(body, class_name="p-2"),
        ],
        id=f"{tile}-card",
        className="tile h-100",  # className, not class_name: the refresh callback sets it
    )


def build_analytics(
    achievements: Fresh[list[Achievement]],
    performance: Fresh[PlatformPerformance],
    filters: Filters,
    *,
    dark: bool,
    now: datetime,
    currency: str = DEFAULT_CURRENCY,
) -> AnalyticsView:
    """Everything the page shows, from the two data sets; no I/O, so it is unit-testable."""
    figures: dict[str, Any] = {}
    classes: dict[str, str] = {}
    read_from: dict[str, Fresh] = {}
    if achievements.value is not None:
        items = apply_filters(achievements.value, filters, now)
        for key in ACHIEVEMENT_CHARTS:
            figures[key] = FIGURES[key](chart_rows(key, items, None, currency), dark=dark)
        before = previous_period(achievements.value, filters, now)
        if before is not None:  # "compare": the previous period's running total over the value bars
            figures["value"] = FIGURES["value"](
                chart_rows("value", items, None, currency),
                dark=dark,
                previous=chart_rows("value", before, None, currency),
            )
        summary = _summary(items, filters, currency, now)
    else:
        for key in ACHIEVEMENT_CHARTS:
            figures[key] = no_data_figure(NO_DATA, dark=dark)  # the outage notice says why, once
        summary = [
            html.Span("—", id=ids.SUMMARY_COUNT),
            html.Div(filters.describe(now), className="analytics-summary-filters"),
        ]
    for key in ACHIEVEMENT_CHARTS:
        classes[key] = tile_class(achievements, "tile h-100")
        read_from[ids.tile_id(key)] = achievements

    notes: html.Div | html.P
    if performance.value is not None:
        rows = chart_rows("platform", [], performance.value)
        figures["platform"] = FIGURES["platform"](rows, dark=dark)
        classes["platform"] = tile_class(performance, "tile h-100")
        read_from[ids.tile_id("platform")] = performance
        notes = _platform_notes(performance.value)
        status = ("", "", "tile-freshness d-none")
    else:
        # An optional service that does not offer this: say so, never draw invented numbers.
        figures["platform"] = no_data_figure(UNAVAILABLE, dark=dark)
        classes["platform"] = "tile h-100 tile--unavailable"
        notes = html.P(
            ["Reason: ", _reason(performance.error)], className="small text-secondary mb-0", id=ids.PLATFORM_REASON
        )
        status = ("d-none", "Not available", "tile-freshness")
    return {
        "figures": figures,
        "classes": classes,
        "summary": summary,
        "platform_notes": notes,
        "platform_status": status,
        "export_disabled": {k: (performance if k == "platform" else achievements).value is None for k in FIGURES},
        "freshness": freshness_payload(now, read_from),
    }


def _summary(items: list[Achievement], filters: Filters, currency: str, now: datetime) -> list:
    """'12 achievements · $3,400 (…) · 40 h saved · 5 published', then what the filters are."""
    totals = summarise(items, currency)
    left_out = [
        text
        for text in (
            # A summary without its money breakdown has no other currencies to mention.
            totals.money.other_text() if totals.money is not None else "",
            f"{totals.unvalued:,} with no readable amount" if totals.unvalued else "",
        )
        if text
    ]
    return [
        html.Span(f"{totals.achievements:,} achievements", id=ids.SUMMARY_COUNT),
        f" · {format_money(totals.value, currency=currency)}"
        + (f" ({'; '.join(left_out)})" if left_out else "")
        + f" · {totals.hours_saved:,.0f} h saved · {totals.published:,} published",
        html.Div(filters.describe(now), className="analytics-summary-filters"),
    ]


def _reason(error: Optional[str]) -> str:
    text = (error or "it sent no performance data").strip()
    # The facade's "not available: ..." would repeat the tile's own headline.
    return text[len("not available:") :].strip() if text.lower().startswith("not available:") else text


def _platform_notes(perf: PlatformPerformance) -> html.Div:
    def number(value: Optional[float]) -> str:
        return "—" if value is None else f"{value:,.2f}"

    # Backend text, shown as text.
    facts = [
        f"{perf.total_generated:,} articles generated"
        f" · average engagement {number(perf.avg_engagement_score)}"
        f" · average quality {number(perf.avg_quality_score)}"
    ]
    items = [html.Li(str(i)) for i in perf.insights]
    if perf.recommendation:
        items.append(html.Li(["Recommendation: ", str(perf.recommendation)]))
    return html.Div(
        [html.Div(facts, className="small text-secondary")]
        + ([html.Ul(items, className="small mb-0 ps-3")] if items else []),
        id=ids.PLATFORM_FACTS,
    )
