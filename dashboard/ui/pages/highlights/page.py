"""Highlights: the achievements for a TV — the value delivered, the top categories, the latest wins.

`/highlights?range=30d` (any range of the navbar's picker: `from=`/`to=` too); the wallboard
plays it as the `achievements-kpis` view. Drawn for a screen, not a desk: big figures, nothing
to click, nothing that scrolls. One callback fills it on load and on every refresh tick.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from dashboard.domain.kpis import DEFAULT_RANGE
from dashboard.ui.components.callbacks import REFRESH_INTERVAL, disabled_while_running
from dashboard.ui.components.live import live_inputs
from dashboard.ui.components.outages import outage_notices, outage_slot
from dashboard.ui.components.panel_menu import panel_dialogs
from dashboard.ui.components.screen import page_class
from dashboard.ui.components.tiles import FRESHNESS, freshness_output, freshness_store, kpi_card, sample_badge
from dashboard.ui.components.timepicker import declare_range_store, page_range, range_of, range_store
from dashboard.ui.pages.highlights import ids
from dashboard.ui.pages.highlights.view import build_highlights
from dashboard.web import runtime

dash.register_page(
    __name__,
    path="/highlights",
    name="Highlights",
    title="Highlights · Threads-Agent",
    nav=False,
    time_range=DEFAULT_RANGE,
)

VALUE_HINT = "Sum of the readable amounts of the achievements completed in the period, in one currency"


def layout(**query):
    time_range, problem = page_range(query, DEFAULT_RANGE)
    sample = "achievements" in runtime.current().services.sample_data_sets()
    period = time_range.label(runtime.current().clock.now())
    return html.Div(
        [
            html.Div(
                [
                    html.H1(["Highlights", *sample_badge(sample)]),
                    html.Div(period, id=ids.PERIOD, className="highlight-period"),
                ],
                className="page-header",
            ),
            dbc.Alert(problem, color="warning", className="py-2 small") if problem else None,
            outage_slot(ids.PAGE),
            range_store(ids.RANGE, time_range),
            freshness_store(ids.PAGE),
            panel_dialogs(),
            html.Div(
                [
                    kpi_card(ids.VALUE, f"Value delivered · {period.lower()}", VALUE_HINT, panel="kpi-value"),
                    kpi_card(
                        ids.MONTH,
                        "Value this month",
                        "The same sum, for the calendar month so far",
                        panel="kpi-value-month",
                    ),
                    kpi_card(
                        ids.COMPLETED,
                        f"Completed · {period.lower()}",
                        "Achievements completed in the period",
                        panel="kpi-completed",
                    ),
                ],
                className="highlight-figures",
            ),
            html.Div(
                [
                    _panel(ids.CATEGORIES, "Top categories by value"),
                    _panel(ids.LATEST, "Latest wins"),
                ],
                className="highlight-panels screen-grow",
            ),
        ],
        className=page_class("highlights", query),
    )


def _panel(tile: str, title: str) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span(title, className="tile-title"),
                    html.Small("", id={"type": FRESHNESS, "tile": tile}, className="tile-freshness"),
                ],
                className="d-flex justify-content-between align-items-baseline",
            ),
            dbc.CardBody(html.Div(id=f"{tile}-list", className=f"{tile}-list"), className="highlight-body"),
        ],
        id=f"{tile}-card",
        className="tile h-100 highlight-panel",
    )


def _per_figure(suffix: str, prop: str) -> dict:
    return {figure: Output(f"{figure}-{suffix}", prop) for figure in ids.FIGURES}


OUTPUTS = {
    "values": _per_figure("value", "children"),
    "deltas": _per_figure("delta", "children"),
    "delta_classes": _per_figure("delta", "className"),
    "classes": _per_figure("card", "className"),
    "categories": Output(f"{ids.CATEGORIES}-list", "children"),
    "categories_class": Output(f"{ids.CATEGORIES}-card", "className"),
    "latest": Output(f"{ids.LATEST}-list", "children"),
    "latest_class": Output(f"{ids.LATEST}-card", "className"),
    "freshness": freshness_output(ids.PAGE),
    "outages": Output(ids.OUTAGES, "children"),
}


def refresh_highlights(tick, range_key, live=None) -> dict:
    services = runtime.current().services
    achievements = services.achievements()
    now = runtime.current().clock.now()
    view = build_highlights(achievements, range_of(range_key, DEFAULT_RANGE), now=now, currency=services.currency)
    return {**view, "outages": outage_notices(services.outages(achievements=achievements))}


declare_range_store(ids.RANGE)  # a range; anything else reads as the default

dash.callback(
    output=OUTPUTS,
    inputs={
        "tick": Input(REFRESH_INTERVAL, "n_intervals"),
        "range_key": Input(ids.RANGE, "data"),
        "live": live_inputs("achievements"),
    },
    running=disabled_while_running(),
)(refresh_highlights)
