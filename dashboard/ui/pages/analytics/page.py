"""Analytics: business value, categories, impact, time saved, skills, pull requests and platforms.

The filters live in the URL (`?range=90d&category=bugfix&category=feature&published=1`, or
custom dates `?from=2026-01-01&to=2026-06-30`), so a link reproduces the view; a bad parameter is
explained on the page and ignored. Changing a control rewrites the URL, and the page is rebuilt
from it, as when the link is opened. One callback fills every chart on load, on a filter change,
on each refresh tick and on a theme change, so a screen sends one request per tick. Each chart
exports the rows it draws as CSV (and as PNG from the plot's toolbar).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional, Union
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard.charts.analytics import (
    categories_over_time_figure,
    impact_complexity_figure,
    no_data_figure,
    platform_performance_figure,
    pr_timeline_figure,
    skills_and_tags_figure,
    time_saved_figure,
    value_by_month_figure,
)
from dashboard.charts.theme import NO_DATA
from dashboard.domain.business_value import DEFAULT_CURRENCY, format_money
from dashboard.domain.models import CATEGORIES, Achievement, Fresh, PlatformPerformance
from dashboard.services.analytics import (
    CHARTS,
    CUSTOM,
    RANGE_LABELS,
    RANGE_PRESETS,
    Filters,
    apply_filters,
    chart_rows,
    controls_query,
    export_csv,
    merge_search,
    parse_filters,
    query_from_search,
    summarise,
)
from dashboard.ui.components.outages import outage_notices, outage_slot
from dashboard.ui.components.tiles import (
    epoch_ms,
    freshness_entry,
    freshness_line,
    freshness_store,
    sample_badge,
    tile_class,
)
from dashboard.web import runtime
from dashboard.web.callback_input import expect

dash.register_page(__name__, path="/analytics", name="Analytics", title="Analytics · Threads-Agent", order=3)

PAGE = "analytics"
FIGURES = {
    "value": value_by_month_figure,
    "categories": categories_over_time_figure,
    "impact": impact_complexity_figure,
    "time": time_saved_figure,
    "skills": skills_and_tags_figure,
    "prs": pr_timeline_figure,
    "platform": platform_performance_figure,
}
ACHIEVEMENT_CHARTS = tuple(k for k in FIGURES if CHARTS[k].source == "achievements")
EXPORT = "analytics-export"
UNAVAILABLE = "Not available from tech-doc-generator"
KEEP_PARAMS = ("refresh", "kiosk", "screen")
IMPACT_HINT = "One dot per achievement; its area is the business value"
PLATFORM_HINT = "As tech-doc-generator reports it: the filters above do not apply"


def tile_id(key: str) -> str:
    return f"{PAGE}-{key}"


def layout(**query):
    filters, problems = parse_filters(query)
    sample = "achievements" in runtime.current().services.sample_data_sets()
    return html.Div(
        [
            html.Div(
                [html.H1("Analytics"), html.Div("", id="analytics-summary", className="analytics-summary")],
                className="page-header",
            ),
            _filter_bar(filters, query),
            dbc.Alert(
                [html.Div(p) for p in problems],
                id="analytics-filter-problems",
                color="warning",
                is_open=bool(problems),
                className="py-2 small",
            ),
            # "callback-nav": a new search is pushed to the address bar and Dash's router rebuilds
            # the page from it, exactly as when the link is opened (the root Location does not).
            dcc.Location(id="analytics-location", refresh="callback-nav"),
            outage_slot(PAGE),
            dcc.Store(id="analytics-filters", data=filters.query()),
            freshness_store(PAGE),
            dcc.Download(id="analytics-download"),
            dbc.Row(
                [
                    dbc.Col(_chart_tile("value", "Business value per month and cumulative", sample=sample), lg=8),
                    dbc.Col(_chart_tile("time", "Time saved per month", sample=sample), lg=4),
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(_chart_tile("categories", "Achievements per category over time", sample=sample), lg=7),
                    dbc.Col(_chart_tile("impact", "Impact versus complexity", hint=IMPACT_HINT, sample=sample), lg=5),
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(_chart_tile("skills", "Most demonstrated skills and tags", sample=sample), lg=7),
                    dbc.Col(
                        _chart_tile(
                            "platform",
                            "Platform performance (tech-doc-generator)",
                            hint=PLATFORM_HINT,
                            notes=_platform_notes_area(),
                        ),
                        lg=5,
                    ),
                ],
                className="g-3 mb-3",
            ),
            _chart_tile("prs", "Pull-request achievements (merged over time)", height=300, sample=sample),
        ]
    )


def _filter_bar(filters: Filters, query: dict) -> dbc.Card:
    keep = {k: v for k, v in query.items() if k in KEEP_PARAMS and isinstance(v, str)}
    reset_href = dash.get_relative_path("/analytics") + (f"?{urlencode(keep)}" if keep else "")
    range_options = [{"label": RANGE_LABELS[k], "value": k} for k in RANGE_PRESETS]
    range_options.append({"label": RANGE_LABELS[CUSTOM], "value": CUSTOM})
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.Span("Completed", className="filter-label"),
                        dbc.RadioItems(
                            id="analytics-range",
                            options=range_options,
                            value=filters.range_key,
                            inline=True,
                            class_name="btn-group btn-group-sm filter-buttons",
                            input_class_name="btn-check",
                            label_class_name="btn btn-outline-primary btn-sm",
                            label_checked_class_name="active",
                        ),
                        html.Div(
                            [
                                html.Label("from", htmlFor="analytics-from", className="text-secondary small"),
                                dbc.Input(
                                    id="analytics-from",
                                    type="date",
                                    size="sm",
                                    debounce=True,
                                    value=filters.start.isoformat() if filters.start else None,
                                    class_name="filter-date",
                                ),
                                html.Label("to", htmlFor="analytics-to", className="text-secondary small"),
                                dbc.Input(
                                    id="analytics-to",
                                    type="date",
                                    size="sm",
                                    debounce=True,
                                    value=filters.end.isoformat() if filters.end else None,
                                    class_name="filter-date",
                                ),
                            ],
                            className="d-flex align-items-center gap-1",
                        ),
                    ],
                    className="filter-row",
                ),
                html.Div(
                    [
                        html.Span("Categories", className="filter-label"),
                        dbc.Checklist(
                            id="analytics-category",
                            options=[{"label": c, "value": c} for c in CATEGORIES],
                            value=list(filters.categories),
                            inline=True,
                            class_name="filter-buttons",
                            input_class_name="btn-check",
                            label_class_name="btn btn-outline-secondary btn-sm",
                            label_checked_class_name="active",
                        ),
                        html.Span("none picked: all", className="text-secondary small"),
                    ],
                    className="filter-row",
                ),
                html.Div(
                    [
                        dbc.Switch(
                            id="analytics-published",
                            label="Published (portfolio-ready) only",
                            value=filters.published_only,
                            class_name="mb-0",
                        ),
                        dbc.Button(
                            "Reset filters",
                            id="analytics-reset",
                            href=reset_href,
                            color="link",
                            size="sm",
                            class_name="p-0",
                        ),
                    ],
                    className="filter-row",
                ),
            ],
            class_name="d-flex flex-column gap-2 py-2",
        ),
        class_name="tile mb-3 analytics-filters",
    )


def _platform_notes_area() -> html.Div:
    return html.Div(id="analytics-platform-notes", className="platform-notes")


def _chart_tile(
    key: str, title: str, *, height: int = 320, hint: Optional[str] = None, notes=None, sample: bool = False
) -> dbc.Card:
    """A chart card like components.tiles.chart_card, plus a CSV export of the chart's rows."""
    tile = tile_id(key)
    body = [
        dcc.Graph(
            id=f"{tile}-graph",
            config={
                "displaylogo": False,
                "responsive": True,
                "toImageButtonOptions": {"format": "png", "filename": tile, "scale": 2},
            },
            style={"height": f"{height}px"},
        )
    ]
    if notes is not None:
        body.append(notes)
    status = [freshness_line(tile)]
    if key == "platform":
        # An optional service that does not offer this data is not a failing tile: it gets a
        # plain status line instead of the freshness line (which would turn red, and report the
        # screen as failing).
        status = [
            html.Span(status, id="analytics-platform-freshness"),
            html.Small("", id="analytics-platform-status", className="tile-freshness d-none"),
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
                    dbc.Button(
                        "CSV",
                        id={"type": EXPORT, "chart": key},
                        size="sm",
                        color="secondary",
                        outline=True,
                        class_name="export-button",
                        title=f"Download the data of “{title}” as CSV",
                    ),
                ],
                className="d-flex justify-content-between align-items-start gap-2",
            ),
            dbc.CardBody(body, class_name="p-2"),
        ],
        id=f"{tile}-card",
        className="tile h-100",  # className, not class_name: the refresh callback sets it
    )


# Filters: the controls write the URL; the page is then rebuilt from it. ------------------------

# What the controls and the filters store hold; any other shape is refused with a 400 before a
# callback runs (dashboard/web/callback_input.py). Their values are then checked by parse_filters.
expect("analytics-range", "value", Optional[str])
expect("analytics-from", "value", Optional[str])
expect("analytics-to", "value", Optional[str])
expect("analytics-category", "value", Optional[list[str]])
expect("analytics-published", "value", Optional[bool])
expect("analytics-filters", "data", Optional[dict[str, Union[str, list[str]]]])


@callback(
    Output("analytics-location", "search"),
    Output("analytics-filter-problems", "children"),
    Output("analytics-filter-problems", "is_open"),
    Input("analytics-range", "value"),
    Input("analytics-from", "value"),
    Input("analytics-to", "value"),
    Input("analytics-category", "value"),
    Input("analytics-published", "value"),
    State("analytics-location", "search"),
    State("analytics-filters", "data"),
    prevent_initial_call=True,
)
def apply_controls(range_key, start, end, categories, published, search, shown):
    # Should Dash call this when the page is rebuilt, every control is the trigger; a person
    # changes one control at a time.
    if len(ctx.triggered) != 1 or ctx.triggered_id is None:
        return no_update, no_update, no_update
    dates_changed = ctx.triggered_id in ("analytics-from", "analytics-to")
    query = controls_query(range_key, start, end, categories, published, dates_changed=dates_changed)
    filters, problems = parse_filters(query)
    if problems:
        # Nothing is applied; the controls keep what the user chose so it can be corrected.
        return no_update, [html.Div(p) for p in problems], True
    if filters == parse_filters(shown or {})[0]:
        # Back to what is shown: only the URL's own problems (if any) remain to be said.
        url_problems = parse_filters(query_from_search(search))[1]
        return no_update, [html.Div(p) for p in url_problems], bool(url_problems)
    return merge_search(search, filters.query()), no_update, no_update


# Refresh: every chart from one read of each data set. -------------------------------------------


@callback(
    [Output(f"{tile_id(k)}-graph", "figure") for k in FIGURES]
    + [Output(f"{tile_id(k)}-card", "className") for k in FIGURES]
    # Nothing to export from a chart whose data could not be read.
    + [Output({"type": EXPORT, "chart": k}, "disabled") for k in FIGURES]
    + [
        Output("analytics-summary", "children"),
        Output("analytics-platform-notes", "children"),
        Output("analytics-platform-freshness", "className"),
        Output("analytics-platform-status", "children"),
        Output("analytics-platform-status", "className"),
        Output({"type": "freshness-data", "page": PAGE}, "data"),
        Output("analytics-outages", "children"),
    ],
    Input("refresh-interval", "n_intervals"),
    Input("analytics-filters", "data"),
    Input("theme-store", "data"),
    # A tick that arrives while this runs is dropped rather than queued behind it.
    running=[(Output("refresh-interval", "disabled"), True, False)],
)
def refresh_analytics(_tick, query, theme):
    services = runtime.current().services
    filters, _ = parse_filters(query or {})
    achievements, performance = services.achievements(), services.platform_performance()
    view = build_analytics(
        achievements,
        performance,
        filters,
        dark=theme == "dark",
        now=runtime.current().clock.now(),
        currency=services.currency,
    )
    outages = services.outages(achievements=achievements, platform_performance=performance)
    return (
        [view["figures"][k] for k in FIGURES]
        + [view["classes"][k] for k in FIGURES]
        + [view["export_disabled"][k] for k in FIGURES]
        + [
            view["summary"],
            view["platform_notes"],
            *view["platform_status"],
            view["freshness"],
            outage_notices(outages),
        ]
    )


def build_analytics(
    achievements: Fresh[list[Achievement]],
    performance: Fresh[PlatformPerformance],
    filters: Filters,
    *,
    dark: bool,
    now: datetime,
    currency: str = DEFAULT_CURRENCY,
) -> dict:
    """Everything the page shows, from the two data sets; no I/O, so it is unit-testable."""
    figures, classes, freshness = {}, {}, {}
    if achievements.value is not None:
        items = apply_filters(achievements.value, filters, now)
        for key in ACHIEVEMENT_CHARTS:
            figures[key] = FIGURES[key](chart_rows(key, items, None, currency), dark=dark)
        totals = summarise(items, currency)
        left_out = [
            text
            for text in (
                totals.money.other_text(),
                f"{totals.unvalued:,} with no readable amount" if totals.unvalued else "",
            )
            if text
        ]
        summary = [
            html.Span(f"{totals.achievements:,} achievements", id="analytics-summary-count"),
            f" · {format_money(totals.value, currency=currency)}"
            + (f" ({'; '.join(left_out)})" if left_out else "")
            + f" · {totals.hours_saved:,.0f} h saved · {totals.published:,} published",
            html.Div(filters.describe(), className="analytics-summary-filters"),
        ]
    else:
        for key in ACHIEVEMENT_CHARTS:
            figures[key] = no_data_figure(NO_DATA, dark=dark)  # the outage notice says why, once
        summary = [
            html.Span("—", id="analytics-summary-count"),
            html.Div(filters.describe(), className="analytics-summary-filters"),
        ]
    for key in ACHIEVEMENT_CHARTS:
        classes[key] = tile_class(achievements, "tile h-100")
        freshness[tile_id(key)] = freshness_entry(achievements)

    if performance.value is not None:
        rows = chart_rows("platform", [], performance.value)
        figures["platform"] = platform_performance_figure(rows, dark=dark)
        classes["platform"] = tile_class(performance, "tile h-100")
        freshness[tile_id("platform")] = freshness_entry(performance)
        notes = _platform_notes(performance.value)
        status = ("", "", "tile-freshness d-none")
    else:
        # An optional service that does not offer this: say so, never draw invented numbers.
        figures["platform"] = no_data_figure(UNAVAILABLE, dark=dark)
        classes["platform"] = "tile h-100 tile--unavailable"
        notes = html.P(
            ["Reason: ", _reason(performance.error)],
            className="small text-secondary mb-0",
            id="analytics-platform-reason",
        )
        status = ("d-none", "Not available", "tile-freshness")
    freshness["_updated"] = epoch_ms(now)
    return {
        "figures": figures,
        "classes": classes,
        "summary": summary,
        "platform_notes": notes,
        "platform_status": status,
        "export_disabled": {k: (performance if k == "platform" else achievements).value is None for k in FIGURES},
        "freshness": freshness,
    }


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
        id="analytics-platform-facts",
    )


# Export: the rows the chart draws, under the filters of the page. -------------------------------


@callback(
    Output("analytics-download", "data"),
    Input({"type": EXPORT, "chart": ALL}, "n_clicks"),
    State("analytics-filters", "data"),
    prevent_initial_call=True,
)
def export_chart(clicks, query):
    trigger = ctx.triggered_id
    # A button rebuilt with the page reports n_clicks None: only a real click exports.
    if not trigger or not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update
    key = trigger.get("chart")
    if key not in CHARTS:  # a button id the page never drew
        return no_update
    services = runtime.current().services
    filters, _ = parse_filters(query or {})
    achievements = services.achievements().value or []
    performance = services.platform_performance().value if CHARTS[key].source == "performance" else None
    name, text = export_csv(key, achievements, performance, filters, runtime.current().clock.now(), services.currency)
    return dcc.send_string(text, name, type="text/csv")
