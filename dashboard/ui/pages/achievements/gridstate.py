"""The grid's view as a link: set filters, column chooser, filter chips, the footer and the URL.

The layout is built from the link (`GridState`, services/achievements/grid_state.py): the sort
and hidden columns go into the column definitions, the column filters into the grid's
filterModel, the search and switches into their controls. Each answer of the grid's rows
(rows.py) then says the state it was computed for: the chips above the grid, and the URL, which
the browser rewrites in place (history.replaceState, assets/achievements.js: no reload, no new
history entry, the other pages' parameters kept). So a reload or a pasted link shows the same view.
"""

from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html

from dashboard.services.achievements.grid_state import (
    COLUMNS,
    FILTER_PREFIX,
    LABELS,
    OWNED_KEYS,
    SET_FILTERS,
    GridState,
    from_view,
)
from dashboard.ui.components.attributes import labelled
from dashboard.ui.components.callbacks import skip
from dashboard.ui.pages.achievements import ids
from dashboard.web.callback_input import expect

expect(ids.CATEGORY_FILTER, "value", Optional[list[str]])
expect(ids.SOURCE_TYPE_FILTER, "value", Optional[list[str]])
expect(ids.COLUMN_CHOOSER, "value", Optional[list[str]])

SET_IDS = {"category": ids.CATEGORY_FILTER, "source_type": ids.SOURCE_TYPE_FILTER}


# ----------------------------------------------------------------------------- layout


def toolbar(state: GridState, problems: list[str], extra: tuple = ()) -> html.Div:
    """The set filters, the column chooser (and `extra` menus), and what of the link was ignored."""
    menus = [
        _checklist_menu(SET_IDS[column], LABELS[column], choices, state.set_values(column))
        for column, choices in SET_FILTERS.items()
    ]
    chooser = _checklist_menu(
        ids.COLUMN_CHOOSER,
        "Columns",
        COLUMNS,
        list(state.columns),
        labels=LABELS,
        disabled=("title",),
    )
    return html.Div(
        [
            html.Div([*menus, chooser, *extra], className="d-flex flex-wrap gap-2 align-items-center grid-toolbar"),
            dbc.Alert(
                [html.Strong("Part of this link was ignored: "), *[html.Div(p) for p in problems]],
                id=ids.LINK_PROBLEMS,
                color="warning",
                is_open=bool(problems),
                dismissable=True,
                className="py-2 small mt-2 mb-0",
            ),
        ],
        className="mb-2 grid-toolbar-wrap",
    )


def _checklist_menu(
    component_id: str,
    label: str,
    choices: tuple[str, ...],
    value: list[str],
    *,
    labels: Optional[dict[str, str]] = None,
    disabled: tuple[str, ...] = (),
) -> html.Details:
    """A menu holding a checklist: AG Grid Community has no set filter, so it lives here."""
    options = [
        {"label": (labels or {}).get(choice, choice), "value": choice, "disabled": choice in disabled}
        for choice in choices
    ]
    # A disclosure, not a Bootstrap dropdown: it stays open while boxes are ticked (closing at
    # each tick would make a set of three, three trips) and needs no script.
    return html.Details(
        [
            html.Summary(
                # How many are ticked, seen with the menu closed (set filters; assets/achievements.js).
                [label, *([_count(component_id, value)] if component_id in SET_IDS.values() else [])],
                className="btn btn-sm btn-outline-secondary grid-menu-toggle",
            ),
            html.Div(
                dbc.Checklist(id=component_id, options=options, value=value, className="grid-checklist"),
                className="grid-menu-panel",
            ),
        ],
        className=f"grid-menu {component_id}-menu",
    )


def _count(component_id: str, value: list[str]) -> html.Span:
    return html.Span(str(len(value)) if value else "", id=f"{component_id}-count", className="grid-menu-count")


def chips_row() -> html.Div:
    return html.Div(id=ids.CHIPS, className="grid-chips")


def footer() -> html.Div:
    """ "Rows 1–100 of 1,234", written by the browser as the grid scrolls (assets/achievements.js)."""
    return html.Div("", id=ids.FOOTER, className="grid-footer")


def stores() -> list:
    return [
        dcc.Store(id=ids.URL_STATE),
        dcc.Store(id=ids.URL_WRITTEN),
        dcc.Store(id=ids.FOOTER_SET),
        dcc.Store(id=ids.COLUMNS_SET),
    ]


def grid_columns(columns: list[dict], state: GridState) -> list[dict]:
    """The column definitions with the link's sort (its order, too) and hidden columns."""
    order = {column: index for index, (column, _) in enumerate(state.sort)}
    descending = dict(state.sort)
    hidden = set(state.hidden())
    shaped = []
    for column in columns:
        name = column.get("field", column.get("colId"))
        column = {**column, "sort": None, "sortIndex": None}
        if name in order:
            column.update(sort="desc" if descending[name] else "asc", sortIndex=order[name])
        if name in hidden:
            column["hide"] = True
        shaped.append(column)
    return shaped


# ----------------------------------------------------------------------------- what the rows say


def view_state(
    request: Any, search: Any, published: Any, unreadable: Any, categories: Any, source_types: Any, columns: Any
) -> GridState:
    return from_view(
        request,
        search=search,
        published=published,
        unreadable=unreadable,
        sets={"category": categories, "source_type": source_types},
        columns=columns,
    )


def url_data(state: GridState) -> dict:
    """What the browser needs to rewrite its URL: this grid's part, and the names it owns."""
    return {
        "query": urlencode(state.query(), doseq=True),
        "owned": list(OWNED_KEYS),
        "prefix": FILTER_PREFIX,
        "columns": list(COLUMNS),
    }


def chips(state: GridState) -> list:
    found = state.chips()
    if not found:
        return []
    return [
        html.Span("Filters:", className="grid-chips-label"),
        *[
            html.Span(
                [
                    html.Span(chip.text, className="grid-chip-text"),
                    remove_button({"type": ids.CHIP, "key": chip.key}, f"Remove filter: {chip.text}"),
                ],
                className="grid-chip",
            )
            for chip in found
        ],
        clear_all("chips", "Clear all"),
    ]


def remove_button(component_id: dict, words: str) -> html.Button:
    """A small round ×, said in words to a screen reader and as a tooltip."""
    return html.Button("×", id=component_id, className="grid-chip-remove", title=words, **labelled(words))


def clear_all(where: str, text: str) -> dbc.Button:
    return dbc.Button(
        text, id={"type": ids.CLEAR_ALL, "where": where}, color="link", size="sm", className="p-0 grid-clear-all"
    )


def empty_result(state: GridState) -> Optional[html.Div]:
    """Why no row shows: the filters that hide them, and a way out; None when none is set."""
    found = state.chips()
    if not found:
        return None
    said = ", ".join(chip.text[0].lower() + chip.text[1:] for chip in found)
    return html.Div(
        [html.Div([html.Strong("No rows match: "), f"{said}."]), clear_all("overlay", "Clear all filters")],
        className="grid-overlay-text grid-empty",
    )


# ----------------------------------------------------------------------------- removing filters

REMOVED = {
    "filter_model": Output(ids.GRID, "filterModel", allow_duplicate=True),
    "search": Output(ids.SEARCH, "value", allow_duplicate=True),
    "published": Output(ids.PUBLISHED_ONLY, "value", allow_duplicate=True),
    "unreadable": Output(ids.UNREADABLE_ONLY, "value", allow_duplicate=True),
    "category": Output(ids.CATEGORY_FILTER, "value", allow_duplicate=True),
    "source_type": Output(ids.SOURCE_TYPE_FILTER, "value", allow_duplicate=True),
}


def remove_filter(chip_clicks, clear_clicks, filter_model) -> dict:
    """A chip's × removes its filter; "Clear all" every filter, search and switch (not the sort)."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not any(t.get("value") for t in ctx.triggered):
        return skip(REMOVED)  # a chip drawn anew, not clicked
    model = filter_model if isinstance(filter_model, dict) else {}
    if trigger.get("type") == ids.CLEAR_ALL:
        return {"filter_model": {}, "search": "", "published": [], "unreadable": [], "category": [], "source_type": []}
    key = trigger.get("key")
    out = skip(REMOVED)
    if key == "q":
        out["search"] = ""
    elif key == "published":
        out["published"] = []
    elif key == "value":
        out["unreadable"] = []
    elif key in SET_FILTERS:
        out[key] = []
    elif isinstance(key, str) and key.startswith(FILTER_PREFIX):
        out["filter_model"] = {c: m for c, m in model.items() if c != key[len(FILTER_PREFIX) :]}
    return out


def register() -> None:
    dash.callback(
        output=REMOVED,
        inputs={
            "chip_clicks": Input({"type": ids.CHIP, "key": ALL}, "n_clicks"),
            "clear_clicks": Input({"type": ids.CLEAR_ALL, "where": ALL}, "n_clicks"),
        },
        state={"filter_model": State(ids.GRID, "filterModel")},
        prevent_initial_call=True,
    )(remove_filter)
    dash.clientside_callback(
        ClientsideFunction(namespace="achievements", function_name="writeUrl"),
        Output(ids.URL_WRITTEN, "data"),
        Input(ids.URL_STATE, "data"),
        Input(ids.COLUMN_CHOOSER, "value"),
        prevent_initial_call=True,
    )
    dash.clientside_callback(
        ClientsideFunction(namespace="achievements", function_name="showColumns"),
        Output(ids.COLUMNS_SET, "data"),
        Input(ids.COLUMN_CHOOSER, "value"),
        State(ids.GRID, "id"),
        prevent_initial_call=True,
    )
    for component_id in SET_IDS.values():
        dash.clientside_callback(
            ClientsideFunction(namespace="achievements", function_name="countTicked"),
            Output(f"{component_id}-count", "children"),
            Input(component_id, "value"),
            prevent_initial_call=True,
        )
    dash.clientside_callback(
        ClientsideFunction(namespace="achievements", function_name="followRows"),
        Output(ids.FOOTER_SET, "data"),
        Input(ids.GRID, "id"),
    )
