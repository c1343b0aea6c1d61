"""The Achievements page's fixed parts: header, KPI strip, actions, grid, dialogs and panels.

Built once per layout, from nothing but the reader's role and the query; the callbacks fill them.
"""

from __future__ import annotations

from typing import Optional

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.domain.models import CATEGORIES, SOURCE_TYPES
from dashboard.services.achievements.grid_state import GridState
from dashboard.ui.components.attributes import POLITE, hidden, key_shortcuts
from dashboard.ui.components.dialogs import dialog, side_panel
from dashboard.ui.components.outages import outage_slot
from dashboard.ui.components.tiles import freshness_line, freshness_store, sample_badge
from dashboard.ui.pages.achievements import gridstate, ids, saved
from dashboard.ui.pages.achievements.columns import BLOCK_SIZE, COLUMNS, L


def body(*, can_edit: bool, sample: bool, state: GridState, problems: list[str], screen: bool = False) -> html.Div:
    """The whole page; `can_edit` spares a viewer controls that cannot work for them, and a
    TV (`screen`) gets the grid alone, read-only, as tall as the screen: the controls are left
    in the page (the callbacks read them) but not shown (assets/25-screens.css). `state` is the
    grid's view the link holds (gridstate.py), `problems` what of the link was ignored."""
    can_edit = can_edit and not screen
    return html.Div(
        [
            html.Div(
                [
                    html.H1(["Achievements", *sample_badge(sample)]),
                    html.Div(
                        [
                            dbc.Input(
                                id=ids.SEARCH,
                                type="search",
                                placeholder="Search title, tags…",
                                debounce=0.4,
                                className=ids.SEARCH,
                                value=state.search,
                            ),
                            _filter_switch(ids.PUBLISHED_ONLY, "Published only", on=state.published),
                            _filter_switch(ids.UNREADABLE_ONLY, "No readable amount", on=state.unreadable),
                            # Wrapped: a disabled button shows no tooltip, its wrapper does.
                            html.Span(
                                dbc.Button(
                                    "Add achievement",
                                    id=ids.ADD_OPEN,
                                    color="primary",
                                    size="sm",
                                    disabled=not can_edit,
                                ),
                                id=ids.ADD_WRAP,
                                className="d-inline-block",
                            ),
                            *(
                                []
                                if can_edit
                                else [dbc.Badge("Read-only: viewer role", color="secondary", id=ids.READ_ONLY)]
                            ),
                        ],
                        className="d-flex flex-wrap gap-2 align-items-center achievements-controls",
                    ),
                ],
                className="page-header",
            ),
            freshness_store(ids.PAGE),
            outage_slot(ids.PAGE),
            kpi_strip(),
            html.Div(
                [
                    _grid_action("Publish", ids.PUBLISH, "success"),
                    _grid_action("Unpublish", ids.UNPUBLISH, "secondary"),
                    html.Span(
                        dbc.Button("Export CSV", id=ids.EXPORT, size="sm", color="secondary", outline=True),
                        id=ids.EXPORT_WRAP,
                        className="d-inline-block",
                    ),
                    *history_buttons(),
                    dbc.Button("Retry unsaved edits", id=ids.RETRY, size="sm", color="danger", className="d-none"),
                    freshness_line(ids.GRID),
                ],
                className="d-flex flex-wrap gap-2 align-items-center mb-2 achievements-actions",
            ),
            html.Div(id=ids.MESSAGES, className=ids.MESSAGES, **POLITE),
            gridstate.toolbar(state, problems, extra=(saved.menu(),)),
            gridstate.chips_row(),
            grid(can_edit, state, screen=screen),
            gridstate.footer(),
            *gridstate.stores(),
            html.Small(
                "Double-click a cell to edit it; “Details” opens the description and source.",
                className="text-secondary achievements-hint",
            ),
            dcc.Store(id=ids.UNDO_STORE),
            dcc.Store(id=ids.PENDING_STORE),
            dcc.Store(id=ids.CONFLICT_STORE),
            dcc.Store(id=ids.RELOAD, data=0),
            dcc.Store(id=ids.GRID_SYNC),
            dcc.Store(id=ids.GRID_FIT),
            dcc.Download(id=ids.DOWNLOAD),
            conflict_modal(),
            add_modal(),
            detail_panel(),
            audit_card(),
        ],
        className="page page-achievements" + (" page--screen" if screen else ""),
    )


def _filter_switch(component_id: str, label: str, *, on: bool) -> dbc.Checklist:
    """A one-option switch of the header's filters: its value is ["yes"] when on."""
    return dbc.Checklist(
        id=component_id,
        options=[{"label": label, "value": "yes"}],
        value=["yes"] if on else [],
        switch=True,
        className="mb-0",
    )


def _grid_action(label: str, component_id: str, colour: str) -> dbc.Button:
    """A button above the grid acting on its rows; disabled until there is something to act on."""
    return dbc.Button(label, id=component_id, size="sm", color=colour, outline=True, disabled=True)


def history_buttons() -> list[html.Button]:
    """Undo and Redo, each saying what it would undo ("Undo: Title of #12"); Ctrl+Z, Ctrl+Shift+Z
    and Ctrl+Y in the grid press them (assets/achievements.js)."""
    return [
        # A plain button in Bootstrap's classes: dbc.Button takes no aria-keyshortcuts.
        html.Button(
            word,
            id=component_id,
            disabled=True,
            className="btn btn-sm btn-outline-secondary history-button",
            **key_shortcuts(keys),
        )
        for word, component_id, keys in (
            ("Undo", ids.UNDO, "Control+Z"),
            ("Redo", ids.REDO, "Control+Shift+Z Control+Y"),
        )
    ]


def grid(can_edit: bool, state: GridState, *, screen: bool = False) -> html.Div:
    """The grid, and the overlay that covers it while the achievements cannot be read."""
    if screen:
        columns = screen_columns()
    else:
        columns = COLUMNS if can_edit else [dict(column, editable=False) for column in COLUMNS]
    columns = gridstate.grid_columns(columns, state)
    filters = state.filter_model()
    return html.Div(
        [
            # Says why there are no rows instead of AG Grid's "No Rows To Show". Before the grid,
            # so that the stylesheet can hide the grid's own overlay with a sibling selector
            # (a `:has()` rule missed it now and then under load).
            html.Div(id=ids.GRID_OVERLAY, className="grid-overlay d-none", role="alert"),
            dag.AgGrid(
                id=ids.GRID,
                columnDefs=columns,
                rowModelType="infinite",
                getRowId="params.data.id.toString()",  # AG Grid wants a string (warning #25 otherwise)
                **({"filterModel": filters} if filters else {}),
                defaultColDef={
                    "resizable": True,
                    "sortable": True,
                    "filter": False,
                    "floatingFilter": False,
                    "suppressHeaderMenuButton": False,
                    # Whole header names, on two lines where a column is narrow.
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                },
                dashGridOptions={
                    # The checkbox stays beside the title (both pinned) when the rest scrolls.
                    **({} if screen else {"rowSelection": SELECTION, "selectionColumnDef": {"pinned": "left"}}),
                    "cacheBlockSize": BLOCK_SIZE,
                    "maxBlocksInCache": 20,
                    "infiniteInitialRowCount": 1,
                    "undoRedoCellEditing": False,
                    "stopEditingWhenCellsLoseFocus": True,
                    "tooltipShowDelay": 400,
                    "animateRows": False,
                    # Our overlay says why there are no rows; AG Grid's own would also announce
                    # "No Rows To Show" to screen readers through its live region.
                    "suppressNoRowsOverlay": True,
                },
                className=ids.GRID,
                style={"height": "62vh", "width": "100%"},
            ),
        ],
        className="grid-frame screen-grow",
    )


SELECTION = {"mode": "multiRow", "checkboxes": True, "headerCheckbox": False}
"""Rows are picked with a checkbox, for the bulk publish and unpublish above the grid."""
_SCREEN_HIDDEN = {"complexity_score", "time_saved_hours", "details"}


def screen_columns() -> list[dict]:
    """The columns a TV shows: read-only, no menus or checkboxes, the title taking the room."""
    shown = []
    for column in COLUMNS:
        if column.get("field", column.get("colId")) in _SCREEN_HIDDEN:
            continue
        column = {**column, "editable": False, "filter": False, "suppressHeaderMenuButton": True}
        if column.get("field") == "portfolio_ready":
            # A checkbox reads as something to tick; on a wall the word says it.
            column.update(cellDataType=False, cellRenderer=None, valueFormatter={"function": "params.value ? '✓' : ''"})
        if column.get("field") == "title":
            column.update(flex=1, pinned=None)
        shown.append(column)
    return shown


def kpi_strip() -> dbc.Row:
    def kpi(tile: str, label: str, note: bool = False) -> dbc.Col:
        parts = [html.Div(label, className="kpi-title"), html.Div("—", id=tile, className="kpi-strip-value")]
        if note:  # other currencies and unreadable amounts, said beside the total
            parts.append(html.Div("", id=f"{tile}-note", className="kpi-note"))
        return dbc.Col(html.Div(parts, className="kpi-strip-item"), xs=6, md=3)

    return dbc.Row(
        [
            kpi(ids.KPI_COUNT, "Achievements in view"),
            kpi(ids.KPI_VALUE, "Total value", note=True),
            kpi(ids.KPI_PUBLISHED, "Published"),
            kpi(ids.KPI_AVERAGE, "Average value"),
        ],
        className="g-2 mb-3 kpi-strip",
    )


def conflict_modal() -> dbc.Modal:
    return dialog(
        ids.CONFLICT_MODAL,
        "This achievement changed elsewhere",
        dbc.ModalBody(id=ids.CONFLICT_BODY),
        cancel=("Keep the stored values", ids.CONFLICT_KEEP),
        confirm=("Apply my values", ids.CONFLICT_APPLY),
        backdrop="static",
    )


def _field(label: str, component, help_text: Optional[str] = None, *, required: bool = False, md: int = 6) -> dbc.Col:
    """A labelled field of the Add form, with the place its refusal is said (invalid state and
    message, filled by adding.py) and, when `required`, a mark (the word is for screen readers)."""
    mark = [
        html.Span("*", className="required-mark", **hidden()),
        html.Span(" (required)", className="visually-hidden"),
    ]
    return dbc.Col(
        [
            dbc.Label([label, *(mark if required else [])], html_for=component.id),
            component,
            dbc.FormFeedback(id=ids.feedback(component.id), type="invalid"),
            *([dbc.FormText(help_text)] if help_text else []),
        ],
        md=md,
        className="mb-2",
    )


def add_modal() -> dbc.Modal:
    form = dbc.Row(
        [
            # No maxLength: a cut title would be added without a word; the server says the limit.
            _field(L["title"], dbc.Input(id=ids.ADD_TITLE, required=True), required=True),
            _field(
                "Category",
                dbc.Select(id=ids.ADD_CATEGORY, options=[{"label": c, "value": c} for c in CATEGORIES], required=True),
                required=True,
            ),
            _field("Description", dbc.Textarea(id=ids.ADD_DESCRIPTION, rows=3, required=True), required=True, md=12),
            _field("Started", dbc.Input(id=ids.ADD_STARTED, type="date", required=True), required=True),
            _field(
                "Completed",
                dbc.Input(id=ids.ADD_COMPLETED, type="date", required=True),
                "on or after the start",
                required=True,
            ),
            # Text, not type=number: a browser hands an out-of-range number over as empty, which
            # would add the achievement without what was typed; the server checks the text instead.
            _field(
                L["business_value"],
                dbc.Input(id=ids.ADD_VALUE, type="text", inputMode="decimal"),
                "e.g. 12500 or $12,500",
            ),
            _field(
                L["impact_score"],
                dbc.Input(id=ids.ADD_IMPACT, type="text", inputMode="decimal"),
                "0–100; left empty, it is unknown (—), not 0",
            ),
            _field(
                "Source type",
                dbc.Select(
                    id=ids.ADD_SOURCE_TYPE, value="manual", options=[{"label": s, "value": s} for s in SOURCE_TYPES]
                ),
            ),
            _field("Source URL", dbc.Input(id=ids.ADD_SOURCE_URL, type="url")),
            _field("Tags", dbc.Input(id=ids.ADD_TAGS), "comma-separated"),
            dbc.Col(
                dbc.Checkbox(id=ids.ADD_PUBLISHED, label="Published (portfolio-ready)", value=False),
                md=6,
                className="mb-2 d-flex align-items-end",
            ),
        ]
    )
    return dialog(
        ids.ADD_MODAL,
        "Add achievement",
        # What is wrong as a whole is said first; each field says its own under it.
        dbc.ModalBody([html.Div(id=ids.ADD_ERRORS, **POLITE), form]),
        cancel=("Cancel", ids.ADD_CANCEL),
        confirm=("Add", ids.ADD_SUBMIT),
        size="lg",
        # The body scrolls and the footer stays: Add and Cancel are in view on a 900 px screen.
        scrollable=True,
    )


def detail_panel() -> dbc.Offcanvas:
    return side_panel(
        ids.DETAIL_PANEL,
        "Achievement",
        [
            html.Div(id=ids.DETAIL_META, className="mb-3"),
            dbc.Label("Description", html_for=ids.DETAIL_DESCRIPTION),
            dbc.Textarea(id=ids.DETAIL_DESCRIPTION, rows=10),
            html.Div(id=ids.DETAIL_MESSAGE, className="mt-2"),
            dbc.Button("Save description", id=ids.DETAIL_SAVE, color="primary", className="mt-2"),
            dcc.Store(id=ids.DETAIL_ROW),
        ],
        width_px=640,
    )


def audit_card() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader("Recent changes (audit trail)", className="tile-title"),
            dbc.CardBody(html.Div(id=ids.AUDIT), className="p-0"),
        ],
        className="tile mt-3 achievements-audit",
    )
