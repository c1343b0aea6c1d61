"""Reading rows: the grid asks for a block, the server filters, sorts and slices it.

AG Grid's infinite row model asks for blocks of rows (getRowsRequest); each answer also fills
the KPI strip, the page's freshness and outage notices, and says which actions can work now.
A search, a filter or a reload purges the grid's blocks (assets/achievements.js, syncGrid), and
the grid then asks again.
"""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State

from dashboard.domain.actors import Role
from dashboard.domain.ranges import Range
from dashboard.services.achievements.grid_state import server_filter_model
from dashboard.ui.components.callbacks import REFRESH_INTERVAL
from dashboard.ui.components.live import live_inputs
from dashboard.ui.components.outages import outage_notices
from dashboard.ui.components.tiles import freshness_output, freshness_payload
from dashboard.ui.components.timepicker import range_of
from dashboard.ui.pages.achievements import gridstate, ids
from dashboard.ui.pages.achievements.view import grid_view
from dashboard.web import auth, runtime

OUTPUTS = {
    "rows": Output(ids.GRID, "getRowsResponse"),
    "count": Output(ids.KPI_COUNT, "children"),
    "value": Output(ids.KPI_VALUE, "children"),
    "published": Output(ids.KPI_PUBLISHED, "children"),
    "average": Output(ids.KPI_AVERAGE, "children"),
    "value_note": Output(ids.KPI_VALUE_NOTE, "children"),
    "freshness": freshness_output(ids.PAGE),
    "outages": Output(ids.OUTAGES, "children"),
    "overlay": Output(ids.GRID_OVERLAY, "children"),
    "overlay_class": Output(ids.GRID_OVERLAY, "className"),
    "add_disabled": Output(ids.ADD_OPEN, "disabled"),
    "add_title": Output(ids.ADD_WRAP, "title"),
    "export_disabled": Output(ids.EXPORT, "disabled"),
    "export_title": Output(ids.EXPORT_WRAP, "title"),
    "chips": Output(ids.CHIPS, "children"),
    "url": Output(ids.URL_STATE, "data"),
}


DEFAULT_RANGE = "all"
"""The grid's range when the URL names none: every achievement."""


def view_filters() -> dict:
    """The quick search, the switches and the set filters, as every read of the grid's view takes them.

    A new dict each time: Dash merges a callback's inputs into the `state` dict it is given.
    """
    return {
        "search": State(ids.SEARCH, "value"),
        "published_only": State(ids.PUBLISHED_ONLY, "value"),
        "unreadable_only": State(ids.UNREADABLE_ONLY, "value"),
        "categories": State(ids.CATEGORY_FILTER, "value"),
        "source_types": State(ids.SOURCE_TYPE_FILTER, "value"),
    }


def with_sets(request, categories, source_types):
    """The grid's request with the set filters above it added to its filterModel (grid_state)."""
    if not isinstance(request, dict):
        return request  # refused in words by grid_query
    sets = {"category": categories or [], "source_type": source_types or []}
    return {**request, "filterModel": server_filter_model(request.get("filterModel"), sets)}


def completed_in(time_range) -> Range:
    """The navbar's range as the grid reads it: the rows completed in it (all time by default)."""
    return range_of(time_range, DEFAULT_RANGE).resolve(runtime.current().clock.now())


def load_rows(
    request, search, published_only, unreadable_only, categories, source_types, columns, time_range=None
) -> dict:
    current = runtime.current()
    services = current.services
    block = services.query_achievements(
        with_sets(request, categories, source_types),
        search=search,
        published_only=bool(published_only),
        unreadable_only=bool(unreadable_only),
        completed=completed_in(time_range),
    )
    # The state these rows were computed for: said as chips, written to the URL.
    state = gridstate.view_state(request, search, published_only, unreadable_only, categories, source_types, columns)
    freshness = freshness_payload(current.clock.now(), {ids.GRID: block.fresh})
    if block.error:
        freshness[ids.GRID]["error"] = block.error
    outages = services.outages(achievements=block.fresh)
    return {
        "rows": {"rowData": block.rows, "rowCount": block.total},
        "freshness": freshness,
        "outages": outage_notices(outages, note="your edits are kept"),
        "chips": gridstate.chips(state),
        "url": gridstate.url_data(state),
        **grid_view(
            block, outages, can_edit=auth.current_actor().may(Role.EDITOR), empty=gridstate.empty_result(state)
        ),
    }


def register() -> None:
    dash.callback(
        output=OUTPUTS,
        inputs={"request": Input(ids.GRID, "getRowsRequest")},
        state={
            **view_filters(),
            "columns": State(ids.COLUMN_CHOOSER, "value"),
            "time_range": State(ids.RANGE, "data"),
        },
        prevent_initial_call=True,
    )(load_rows)
    dash.clientside_callback(
        ClientsideFunction(namespace="achievements", function_name="syncGrid"),
        Output(ids.GRID_SYNC, "data"),
        Input(ids.SEARCH, "value"),
        Input(ids.PUBLISHED_ONLY, "value"),
        Input(ids.UNREADABLE_ONLY, "value"),
        Input(ids.CATEGORY_FILTER, "value"),
        Input(ids.SOURCE_TYPE_FILTER, "value"),
        Input(ids.RELOAD, "data"),
        Input(REFRESH_INTERVAL, "n_intervals"),
        *live_inputs("achievements"),
        prevent_initial_call=True,
    )
    dash.clientside_callback(
        ClientsideFunction(namespace="achievements", function_name="fitTitle"),
        Output(ids.GRID_FIT, "data"),
        Input(ids.GRID, "id"),
    )
