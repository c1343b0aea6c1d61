"""Cross-filtering: a click on a category's bar or legend entry filters every panel of the page.

"Achievements per category over time" is the page's key: a click on a bar keeps that bar's
category, a click on a legend entry keeps that one (plotly's "toggleothers"), a double click
shows all again. The page's URL gets `category=…&via=chart` (the filters' own parameter, so the
filter bar, the summary and every chart follow), and a line above the charts says so, with
"Clear" and "Open these in the grid". The browser reads which traces are shown (plotly's
restyle event names none); the server checks the names against the categories.
"""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard.domain.models import CATEGORIES
from dashboard.domain.timerange import RANGE_PARAMS
from dashboard.services.analytics import Filters, merge_search, query_from_search
from dashboard.ui.pages.analytics import ids
from dashboard.web.callback_input import expect

PICKED = "analytics-crossfilter"
"""The categories the browser says the click kept ({"categories": [...]}, or {"all": true})."""
VIA = "via"
VIA_CHART = "chart"
SOURCE_GRAPH = f"{ids.tile_id('categories')}-graph"


def store() -> dcc.Store:
    return dcc.Store(id=PICKED)


def notice(filters: Filters, query: dict) -> Optional[dbc.Alert]:
    """ "Filtered to bugfix by a click on a chart · Clear · Open these in the grid"."""
    if query.get(VIA) != VIA_CHART or not filters.categories:
        return None
    kept = [(k, v) for k, v in query.items() if k not in ("category", VIA) and isinstance(v, str)]
    cleared = dash.get_relative_path("/analytics") + ("?" + urlencode(kept) if kept else "")
    grid = {k: v for k, v in query.items() if k in RANGE_PARAMS and isinstance(v, str)}
    grid.update({"category": ",".join(filters.categories), "back": "/analytics"})
    if filters.published_only:
        grid["published"] = "1"
    return dbc.Alert(
        [
            "Filtered to ",
            html.Strong(", ".join(filters.categories)),
            " by a click on a chart: every panel shows only these. ",
            html.A("Clear", href=cleared, id=f"{PICKED}-clear", className="alert-link me-3"),
            html.A(
                "Open these in the grid",
                href=dash.get_relative_path("/achievements") + "?" + urlencode(grid),
                id=f"{PICKED}-grid",
                className="alert-link",
            ),
        ],
        id=f"{PICKED}-notice",
        color="info",
        className="py-2 small",
    )


def search_for(picked: Any, search: Optional[str]) -> Any:
    """The page's URL for the categories a click kept; no change for anything else."""
    if not isinstance(picked, dict):
        return dash.no_update
    query = query_from_search(search)
    if picked.get("all") is True:
        if query.get(VIA) != VIA_CHART:
            return dash.no_update
        kept = [(k, v) for k, v in query.items() if k not in ("category", VIA)]
        return "?" + urlencode(kept, doseq=True) if kept else ""
    names = picked.get("categories")
    if not isinstance(names, list):
        return dash.no_update
    chosen = [c for c in CATEGORIES if c in {str(n).strip().lower() for n in names[: len(CATEGORIES) + 1]}]
    if not chosen or len(chosen) == len(CATEGORIES):
        return dash.no_update
    query.update({"category": chosen, VIA: VIA_CHART})
    return merge_search("", query)


def register() -> None:
    expect(PICKED, "data", Optional[dict[str, Any]])
    dash.clientside_callback(
        """function (click, restyle) {
            const gd = document.querySelector('#"""
        + SOURCE_GRAPH
        + """ .js-plotly-plot');
            if (!gd || !gd.data) { return window.dash_clientside.no_update; }
            const trigger = window.dash_clientside.callback_context.triggered.map(t => t.prop_id)[0] || "";
            if (trigger.endsWith("clickData")) {
                if (!click || !click.points || !click.points.length) { return window.dash_clientside.no_update; }
                const trace = gd.data[click.points[0].curveNumber];
                return {categories: trace && trace.name ? [trace.name] : []};
            }
            const shown = gd.data.filter(t => t.visible === undefined || t.visible === true).map(t => t.name);
            return shown.length === gd.data.length ? {all: true} : {categories: shown};
        }""",
        Output(PICKED, "data"),
        Input(SOURCE_GRAPH, "clickData"),
        Input(SOURCE_GRAPH, "restyleData"),
        prevent_initial_call=True,
    )
    dash.callback(
        Output(ids.LOCATION, "search", allow_duplicate=True),
        Input(PICKED, "data"),
        State(ids.LOCATION, "search"),
        prevent_initial_call=True,
    )(search_for)
