"""CSV export: the rows in the grid's view, under its filters, sort and search."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc

from dashboard.ui.components.callbacks import skip
from dashboard.ui.pages.achievements import ids
from dashboard.ui.pages.achievements.rows import completed_in, view_filters, with_sets
from dashboard.web import runtime

EXPORTED = {
    "download": Output(ids.DOWNLOAD, "data"),
    "message": Output(ids.MESSAGES, "children", allow_duplicate=True),
}


def export_csv(
    clicks, request, search, published_only, unreadable_only, categories, source_types, time_range=None
) -> dict:
    current = runtime.current()
    export = current.services.export_achievements_csv(
        with_sets(request, categories, source_types),
        search=search,
        published_only=bool(published_only),
        unreadable_only=bool(unreadable_only),
        completed=completed_in(time_range),
    )
    if export.error:
        refused = dbc.Alert(export.error, color="danger", dismissable=True, className="py-2 mb-2 small export-refused")
        return {**skip(EXPORTED), "message": refused}
    name = f"achievements-{current.clock.now():%Y%m%d-%H%M%S}.csv"
    return {**skip(EXPORTED), "download": dcc.send_string(export.text, name, type="text/csv")}


def register() -> None:
    dash.callback(
        output=EXPORTED,
        inputs={"clicks": Input(ids.EXPORT, "n_clicks")},
        state={"request": State(ids.GRID, "getRowsRequest"), **view_filters(), "time_range": State(ids.RANGE, "data")},
        prevent_initial_call=True,
    )(export_csv)
