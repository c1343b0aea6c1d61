"""Achievements: every achievement in an editable AG Grid that never loses or corrupts an edit.

The grid uses AG Grid's infinite row model: the browser asks for blocks of rows and the server
filters, sorts and slices (dashboard.services.achievements.grid_query), so 10,000 achievements never travel
at once. Every edit goes through the service layer, which validates it against the contract,
refuses it when the row changed elsewhere since it was loaded, and keeps the user's input when a
write fails. After any edit the grid re-reads its rows, so a cell always shows what is stored.
"""

from __future__ import annotations

from typing import Any, Optional

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from typing_extensions import TypedDict

from dashboard.domain.actors import Role
from dashboard.domain.business_value import format_reading, unreadable_reason
from dashboard.domain.errors import BackendError
from dashboard.domain.models import CATEGORIES, SOURCE_TYPES
from dashboard.services.achievements.edits import FIELD_LABELS, EditResult, group_cell_changes, show_value
from dashboard.ui.components.money import money_note
from dashboard.ui.components.outages import outage_notices, outage_slot
from dashboard.ui.components.tiles import epoch_ms, freshness_entry, freshness_line, freshness_store, sample_badge
from dashboard.web import auth, runtime
from dashboard.web.callback_input import Count, Id, RecordId, expect

dash.register_page(__name__, path="/achievements", name="Achievements", title="Achievements · Threads-Agent", order=1)

PAGE = "achievements"
GRID = "achievements-grid"
BLOCK_SIZE = 100

# assets/dashAgGridFunctions.js: the amount in its own currency, a range with both bounds.
_MONEY = {"function": "moneyCell(params)"}
UNREADABLE = "unreadable"
"""?value=unreadable: only the achievements whose business value has no readable amount."""
_DATE = {"function": "params.value ? params.value.slice(0, 10) : ''"}
_LINK = {"function": "params.value"}

# The editors hold no limits of their own (no min, max or maxLength): a value the browser refused
# or cut would be put back or saved without a word. Every value goes to the server, which saves
# it or says, in the column's own name, what is wrong and what is accepted.
EDITOR_MAX_TEXT = 100_000
"""Only a bound against a runaway paste; the server refuses a title over 255 characters."""
L = FIELD_LABELS
COLUMNS = [
    {
        "field": "title",
        "headerName": L["title"],
        "pinned": "left",
        "editable": True,
        "minWidth": 280,
        "filter": "agTextColumnFilter",
        "cellEditor": "agLargeTextCellEditor",
        "cellEditorParams": {"maxLength": EDITOR_MAX_TEXT},
        "tooltipField": "title",
    },
    {"field": "category", "headerName": "Category", "filter": "agTextColumnFilter", "width": 140},
    {
        "field": "completed_at",
        "headerName": "Completed",
        "filter": "agDateColumnFilter",
        "width": 130,
        "valueFormatter": _DATE,
        "sort": "desc",
    },
    {
        "field": "business_value",
        "headerName": L["business_value"],
        "editable": True,
        "width": 150,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "valueFormatter": _MONEY,
        "tooltipField": "business_value_read_as",
        "cellEditor": "agNumberCellEditor",
    },
    {
        "field": "impact_score",
        "headerName": L["impact_score"],
        "editable": True,
        "width": 110,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "cellEditor": "agNumberCellEditor",
    },
    {
        "field": "complexity_score",
        "headerName": L["complexity_score"],
        "editable": True,
        "width": 120,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "cellEditor": "agNumberCellEditor",
    },
    {
        "field": "portfolio_ready",
        "headerName": L["portfolio_ready"],
        "editable": True,
        "width": 115,
        "cellDataType": "boolean",
        "cellRenderer": "agCheckboxCellRenderer",
        "cellEditor": "agCheckboxCellEditor",
    },
    {
        "field": "tags",
        "headerName": L["tags"],
        "editable": True,
        "filter": "agTextColumnFilter",
        "minWidth": 180,
        "tooltipField": "tags",
    },
    {
        "field": "time_saved_hours",
        "headerName": L["time_saved_hours"],
        "editable": True,
        "width": 135,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "cellEditor": "agNumberCellEditor",
    },
    {
        "field": "source",
        "headerName": "Source",
        "width": 150,
        "filter": "agTextColumnFilter",
        "cellRenderer": "SourceLink",
    },
    {
        "colId": "details",
        "headerName": "",
        "width": 100,
        "pinned": "right",
        "sortable": False,
        "resizable": False,
        "cellRenderer": "DetailsButton",
    },
]


def layout(value: Optional[str] = None, **_query):
    """`?value=unreadable` opens the grid on the achievements with no readable business value
    (the Overview links here when it counts them)."""
    # The service layer refuses a viewer's writes whatever the page does; this only spares
    # viewers controls that cannot work for them.
    can_edit = auth.current_actor().may(Role.EDITOR)
    return html.Div(
        [
            html.Div(
                [
                    html.H1(
                        ["Achievements", *sample_badge("achievements" in runtime.current().services.sample_data_sets())]
                    ),
                    html.Div(
                        [
                            dbc.Input(
                                id="achievements-search",
                                type="search",
                                placeholder="Search title, tags…",
                                debounce=0.4,
                                className="achievements-search",
                            ),
                            dbc.Checklist(
                                id="achievements-published-only",
                                options=[{"label": "Published only", "value": "yes"}],
                                value=[],
                                switch=True,
                                className="mb-0",
                            ),
                            dbc.Checklist(
                                id="achievements-unreadable-only",
                                options=[{"label": "No readable amount", "value": "yes"}],
                                value=["yes"] if value == UNREADABLE else [],
                                switch=True,
                                className="mb-0",
                            ),
                            # Wrapped: a disabled button shows no tooltip, its wrapper does.
                            html.Span(
                                dbc.Button(
                                    "Add achievement",
                                    id="achievements-add-open",
                                    color="primary",
                                    size="sm",
                                    disabled=not can_edit,
                                ),
                                id="achievements-add-wrap",
                                className="d-inline-block",
                            ),
                            *(
                                []
                                if can_edit
                                else [
                                    dbc.Badge("Read-only: viewer role", color="secondary", id="achievements-read-only")
                                ]
                            ),
                        ],
                        className="d-flex flex-wrap gap-2 align-items-center",
                    ),
                ],
                className="page-header",
            ),
            freshness_store(PAGE),
            outage_slot(PAGE),
            _kpi_strip(),
            html.Div(
                [
                    dbc.Button(
                        "Publish selected",
                        id="achievements-publish",
                        size="sm",
                        color="success",
                        outline=True,
                        disabled=True,
                    ),
                    dbc.Button(
                        "Unpublish selected",
                        id="achievements-unpublish",
                        size="sm",
                        color="secondary",
                        outline=True,
                        disabled=True,
                    ),
                    html.Span(
                        dbc.Button("Export CSV", id="achievements-export", size="sm", color="secondary", outline=True),
                        id="achievements-export-wrap",
                        className="d-inline-block",
                    ),
                    dbc.Button(
                        "Undo last edit",
                        id="achievements-undo",
                        size="sm",
                        color="warning",
                        outline=True,
                        disabled=True,
                    ),
                    dbc.Button(
                        "Retry unsaved edits", id="achievements-retry", size="sm", color="danger", className="d-none"
                    ),
                    freshness_line("achievements-grid"),
                ],
                className="d-flex flex-wrap gap-2 align-items-center mb-2",
            ),
            html.Div(id="achievements-messages", className="achievements-messages", **{"aria-live": "polite"}),
            _grid(can_edit),
            html.Small(
                "Double-click a cell to edit it; “Details” opens the description and source.",
                className="text-secondary",
            ),
            dcc.Store(id="achievements-undo-store"),
            dcc.Store(id="achievements-pending-store"),
            dcc.Store(id="achievements-conflict-store"),
            dcc.Store(id="achievements-reload", data=0),
            dcc.Store(id="achievements-grid-sync"),
            dcc.Download(id="achievements-download"),
            _conflict_modal(),
            _add_modal(),
            _detail_panel(),
            _audit_card(),
        ]
    )


def _grid(can_edit: bool) -> html.Div:
    """The grid, and the overlay that covers it while the achievements cannot be read."""
    return html.Div(
        [
            # Says why there are no rows instead of AG Grid's "No Rows To Show". Before the grid,
            # so that the stylesheet can hide the grid's own overlay with a sibling selector
            # (a `:has()` rule missed it now and then under load).
            html.Div(id="achievements-grid-overlay", className="grid-overlay d-none", role="alert"),
            dag.AgGrid(
                id=GRID,
                columnDefs=COLUMNS if can_edit else [dict(column, editable=False) for column in COLUMNS],
                rowModelType="infinite",
                getRowId="params.data.id.toString()",  # AG Grid wants a string (warning #25 otherwise)
                defaultColDef={
                    "resizable": True,
                    "sortable": True,
                    "filter": False,
                    "floatingFilter": False,
                    "suppressHeaderMenuButton": False,
                },
                dashGridOptions={
                    "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": False},
                    "cacheBlockSize": BLOCK_SIZE,
                    "maxBlocksInCache": 20,
                    "infiniteInitialRowCount": 1,
                    "undoRedoCellEditing": False,
                    "stopEditingWhenCellsLoseFocus": True,
                    "tooltipShowDelay": 400,
                    "animateRows": False,
                },
                className="achievements-grid",
                style={"height": "62vh", "width": "100%"},
            ),
        ],
        className="grid-frame",
    )


def _kpi_strip() -> dbc.Row:
    def kpi(tile: str, label: str, note: bool = False) -> dbc.Col:
        parts = [html.Div(label, className="kpi-title"), html.Div("—", id=tile, className="kpi-strip-value")]
        if note:  # other currencies and unreadable amounts, said beside the total
            parts.append(html.Div("", id=f"{tile}-note", className="kpi-note"))
        return dbc.Col(html.Div(parts, className="kpi-strip-item"), xs=6, md=3)

    return dbc.Row(
        [
            kpi("achievements-kpi-count", "Achievements in view"),
            kpi("achievements-kpi-value", "Total value", note=True),
            kpi("achievements-kpi-published", "Published"),
            kpi("achievements-kpi-average", "Average value"),
        ],
        className="g-2 mb-3 kpi-strip",
    )


def _conflict_modal() -> dbc.Modal:
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("This achievement changed elsewhere")),
            dbc.ModalBody(id="achievements-conflict-body"),
            dbc.ModalFooter(
                [
                    dbc.Button("Keep the stored values", id="achievements-conflict-keep", color="secondary"),
                    dbc.Button("Apply my values", id="achievements-conflict-apply", color="primary"),
                ]
            ),
        ],
        id="achievements-conflict-modal",
        is_open=False,
        backdrop="static",
    )


def _field(label: str, component, help_text: Optional[str] = None) -> dbc.Col:
    return dbc.Col(
        [dbc.Label(label, html_for=component.id), component] + ([dbc.FormText(help_text)] if help_text else []),
        md=6,
        className="mb-2",
    )


def _add_modal() -> dbc.Modal:
    form = dbc.Row(
        [
            # No maxLength: a cut title would be added without a word; the server says the limit.
            _field(L["title"], dbc.Input(id="add-title", required=True)),
            _field("Category", dbc.Select(id="add-category", options=[{"label": c, "value": c} for c in CATEGORIES])),
            dbc.Col(
                [
                    dbc.Label("Description", html_for="add-description"),
                    dbc.Textarea(id="add-description", rows=3, required=True),
                ],
                md=12,
                className="mb-2",
            ),
            _field("Started", dbc.Input(id="add-started", type="date")),
            _field("Completed", dbc.Input(id="add-completed", type="date"), "on or after the start"),
            # Text, not type=number: a browser hands an out-of-range number over as empty, which
            # would add the achievement without what was typed; the server checks the text instead.
            _field(
                L["business_value"],
                dbc.Input(id="add-value", type="text", inputMode="decimal"),
                "e.g. 12500 or $12,500",
            ),
            _field(L["impact_score"], dbc.Input(id="add-impact", type="text", inputMode="decimal"), "0–100"),
            _field(
                "Source type",
                dbc.Select(
                    id="add-source-type", value="manual", options=[{"label": s, "value": s} for s in SOURCE_TYPES]
                ),
            ),
            _field("Source URL", dbc.Input(id="add-source-url", type="url")),
            _field("Tags", dbc.Input(id="add-tags"), "comma-separated"),
            dbc.Col(
                dbc.Checkbox(id="add-published", label="Published (portfolio-ready)", value=False),
                md=6,
                className="mb-2 d-flex align-items-end",
            ),
        ]
    )
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Add achievement")),
            dbc.ModalBody([form, html.Div(id="add-errors")]),
            dbc.ModalFooter(
                [
                    dbc.Button("Cancel", id="add-cancel", color="secondary"),
                    dbc.Button("Add", id="add-submit", color="primary"),
                ]
            ),
        ],
        id="add-modal",
        is_open=False,
        size="lg",
    )


def _detail_panel() -> dbc.Offcanvas:
    return dbc.Offcanvas(
        [
            html.Div(id="detail-meta", className="mb-3"),
            dbc.Label("Description", html_for="detail-description"),
            dbc.Textarea(id="detail-description", rows=10),
            html.Div(id="detail-message", className="mt-2"),
            dbc.Button("Save description", id="detail-save", color="primary", className="mt-2"),
            dcc.Store(id="detail-row"),
        ],
        id="detail-panel",
        title="Achievement",
        placement="end",
        is_open=False,
        style={"width": "min(640px, 100vw)"},
    )


def _audit_card() -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader("Recent changes (audit trail)", className="tile-title"),
            dbc.CardBody(html.Div(id="achievements-audit"), className="p-0"),
        ],
        className="tile mt-3",
    )


# What the browser sends back -----------------------------------------------------------------
# The stores hold what the callbacks below put there, and the grid's events have AG Grid's shape;
# any other shape is refused with a 400 before a callback runs (dashboard/web/callback_input.py).
# getRowsRequest and the quick search are not declared: the grid says itself why it refuses one.


class Edit(TypedDict):
    """An edit kept to undo or retry (undo and pending stores)."""

    id: RecordId
    changes: dict[str, Any]
    stamp: Optional[str]


class Conflict(Edit):
    title: str
    stored: dict[str, Any]


class CellClick(TypedDict, total=False):
    rowId: Optional[Id]
    colId: Any


class SelectedRow(TypedDict, total=False):
    id: RecordId
    updated_at: Optional[str]


class DetailRow(TypedDict):
    id: RecordId
    stamp: Optional[str]


expect("achievements-undo-store", "data", Optional[list[Edit]])
expect("achievements-pending-store", "data", Optional[list[Edit]])
expect("achievements-conflict-store", "data", Optional[list[Conflict]])
expect("achievements-reload", "data", Optional[Count])
expect(GRID, "cellClicked", Optional[CellClick])
expect(GRID, "selectedRows", Optional[list[SelectedRow]])
expect("detail-row", "data", Optional[DetailRow])


# Reading rows ----------------------------------------------------------------------------------


@callback(
    Output(GRID, "getRowsResponse"),
    Output("achievements-kpi-count", "children"),
    Output("achievements-kpi-value", "children"),
    Output("achievements-kpi-published", "children"),
    Output("achievements-kpi-average", "children"),
    Output("achievements-kpi-value-note", "children"),
    Output({"type": "freshness-data", "page": PAGE}, "data"),
    Output("achievements-outages", "children"),
    Output("achievements-grid-overlay", "children"),
    Output("achievements-grid-overlay", "className"),
    Output("achievements-add-open", "disabled"),
    Output("achievements-add-wrap", "title"),
    Output("achievements-export", "disabled"),
    Output("achievements-export-wrap", "title"),
    Input(GRID, "getRowsRequest"),
    State("achievements-search", "value"),
    State("achievements-published-only", "value"),
    State("achievements-unreadable-only", "value"),
    prevent_initial_call=True,
)
def load_rows(request, search, published_only, unreadable_only):
    current = runtime.current()
    services = current.services
    block = services.query_achievements(
        request, search=search, published_only=bool(published_only), unreadable_only=bool(unreadable_only)
    )
    freshness = {"achievements-grid": freshness_entry(block.fresh), "_updated": epoch_ms(current.clock.now())}
    if block.error:
        freshness["achievements-grid"]["error"] = block.error
    outages = services.outages(achievements=block.fresh)
    view = grid_view(block, outages, can_edit=auth.current_actor().may(Role.EDITOR))
    return (
        {"rowData": block.rows, "rowCount": block.total},
        *view["kpis"],
        freshness,
        outage_notices(outages, note="your edits are kept"),
        *view["overlay"],
        *view["add"],
        *view["export"],
    )


def grid_view(block, outages: list, *, can_edit: bool) -> dict:
    """The KPI strip, the overlay and the actions for a block of rows; no I/O (unit-testable).

    Never loaded means unknown, not zero: the KPIs read "—", the grid says why instead of
    "No Rows To Show", and the actions that need the service wait for it.
    """
    if block.fresh.value is None:
        outage = outages[0] if outages else None
        why = (
            f"{outage.headline()} — retrying every {outage.retry_seconds:g} s; your edits are kept."
            if outage
            else f"No achievements loaded: {block.fresh.error or 'not loaded yet'}."
        )
        service = outage.service if outage else "the achievement source"
        return {
            "kpis": ("—", "—", "—", "—", ""),
            "overlay": (
                html.Div([html.Strong("No achievements to show"), html.Div(why)], className="grid-overlay-text"),
                "grid-overlay",
            ),
            "add": (True, f"Adding needs {service}, which cannot be reached now."),
            "export": (True, f"Nothing to export: {service} cannot be reached now."),
        }
    if block.error:
        # A filter, sort or search the server refused: said over the rows (the header with its
        # filters stays usable to change it); the KPIs of a view that was not computed are unknown.
        return {
            "kpis": ("—", "—", "—", "—", ""),
            "overlay": (
                html.Div(
                    [
                        html.Strong("This view cannot be shown"),
                        html.Div(block.error),
                        html.Div("Change the filters, the sort or the search.", className="small"),
                    ],
                    className="grid-overlay-text grid-refused",
                ),
                "grid-overlay",
            ),
            "add": (not can_edit, None if can_edit else "Adding needs the editor role."),
            "export": (True, "Nothing to export: the view cannot be shown."),
        }
    summary = block.summary
    return {
        "kpis": (
            f"{summary.count:,}",
            summary.total_text(),
            f"{summary.published:,}",
            summary.average_text(),
            money_note(summary.money),
        ),
        "overlay": (None, "grid-overlay d-none"),
        "add": (not can_edit, None if can_edit else "Adding needs the editor role."),
        "export": (False, "Download the rows in view as CSV"),
    }


# Search, filters and reloads purge the grid's blocks; the grid then asks for rows again.
dash.clientside_callback(
    """
    function(search, publishedOnly, unreadableOnly, reload, tick) {
        const api = dash_ag_grid.getApi('achievements-grid');
        if (!api) { return window.dash_clientside.no_update; }
        const trigger = window.dash_clientside.callback_context.triggered.map(t => t.prop_id);
        if (trigger.some(t => t.startsWith('achievements-search') || t.startsWith('achievements-published')
                          || t.startsWith('achievements-unreadable'))) {
            api.purgeInfiniteCache();
        } else if (!api.getEditingCells().length) {
            api.refreshInfiniteCache();  // keeps the scroll position; skipped while someone types
        }
        return window.dash_clientside.no_update;
    }
    """,
    Output("achievements-grid-sync", "data"),
    Input("achievements-search", "value"),
    Input("achievements-published-only", "value"),
    Input("achievements-unreadable-only", "value"),
    Input("achievements-reload", "data"),
    Input("refresh-interval", "n_intervals"),
    prevent_initial_call=True,
)


# Editing ------------------------------------------------------------------------------------------


def _apply(
    batch: list[tuple[int, dict, Optional[str]]], *, force: bool = False, undo: bool = False
) -> list[EditResult]:
    services, actor = runtime.current().services, auth.current_actor()
    return [
        services.edit_achievement(row_id, changes, expected_updated_at=stamp, force=force, actor=actor, undo=undo)
        for row_id, changes, stamp in batch
    ]


EDIT_OUTCOME = [
    Output("achievements-messages", "children", allow_duplicate=True),
    Output("achievements-undo-store", "data", allow_duplicate=True),
    Output("achievements-pending-store", "data", allow_duplicate=True),
    Output("achievements-conflict-store", "data", allow_duplicate=True),
    Output("achievements-reload", "data", allow_duplicate=True),
]
"""What every write callback updates: messages, undo, pending retries, conflicts, reload."""


def _outcome(results: list[EditResult], undo_store, pending_store, reload):
    """Messages, undo, pending retries, conflicts and a grid reload from a batch of results."""
    saved = [r for r in results if r.ok and r.previous]
    pending = [_pending(r) for r in results if r.status in ("failed", "busy")]
    conflicts = [_conflict(r) for r in results if r.status == "conflict"]
    undo = [{"id": r.achievement_id, "changes": r.previous, "stamp": _stamp(r)} for r in saved]
    return (
        _messages(results),
        undo or undo_store,
        pending or None,
        conflicts or None,
        (reload or 0) + 1,
    )


def _pending(result: EditResult) -> dict:
    # The version the edit was made on, even when the failure came before the row could be
    # read: the retry is checked against it, never written blindly.
    return {"id": result.achievement_id, "changes": result.changes, "stamp": result.version}


def _conflict(result: EditResult) -> dict:
    stored = result.achievement
    return {
        "id": result.achievement_id,
        "title": stored.title if stored else "",
        "changes": result.changes,
        "stored": {k: _editor_value(stored, k) for k in result.changes} if stored else {},
        "stamp": _stamp(result),
        "message": result.message,
    }


def _editor_value(achievement, name: str) -> Any:
    if name == "business_value":
        return achievement.value_amount
    if name == "tags":
        return ", ".join(achievement.tags)
    return getattr(achievement, name, None)


def _stamp(result: EditResult) -> Optional[str]:
    a = result.achievement
    return a.updated_at.isoformat() if a is not None and a.updated_at else None


def _messages(results: list[EditResult]) -> list:
    colours = {
        "saved": "success",
        "invalid": "danger",
        "conflict": "warning",
        "busy": "warning",
        "failed": "danger",
        "not_found": "secondary",
        "forbidden": "secondary",
    }
    alerts = []
    for r in results:
        title = r.achievement.title if r.achievement else f"#{r.achievement_id}"
        typed = []
        if r.status == "invalid" and r.changes:
            # The grid shows the stored value again; what was typed stays here, to copy and fix.
            rows = [
                part
                for name, value in r.changes.items()
                for part in (
                    html.Dt(FIELD_LABELS.get(name, str(name))),
                    html.Dd(show_value(value), className="typed-value"),
                )
            ]
            typed = [
                html.Details(
                    [html.Summary("What you typed"), html.Dl(rows, className="mb-0 small")], className="edit-typed"
                )
            ]
        alerts.append(
            dbc.Alert(
                [html.Strong(f"{title}: "), r.message, *typed],
                color=colours[r.status],
                className=f"py-2 mb-2 small edit-result edit-result--{r.status}",
                dismissable=True,
                duration=8000 if r.status == "saved" else None,
            )
        )
    return alerts


@callback(
    *EDIT_OUTCOME,
    Input(GRID, "cellValueChanged"),
    State("achievements-undo-store", "data"),
    State("achievements-reload", "data"),
    prevent_initial_call=True,
)
def save_cell_edits(events, undo_store, reload):
    results = _apply(group_cell_changes(events))
    return _outcome(results, undo_store, None, reload)


@callback(
    *EDIT_OUTCOME,
    Input("achievements-undo", "n_clicks"),
    Input("achievements-retry", "n_clicks"),
    Input("achievements-conflict-apply", "n_clicks"),
    State("achievements-undo-store", "data"),
    State("achievements-pending-store", "data"),
    State("achievements-conflict-store", "data"),
    State("achievements-reload", "data"),
    prevent_initial_call=True,
)
def replay_edits(_undo, _retry, _apply_mine, undo_store, pending, conflicts, reload):
    """Undo writes the previous values back; retry resends kept input; 'apply mine' overrides."""
    trigger = ctx.triggered_id
    if trigger == "achievements-undo" and undo_store:
        results = _apply([(e["id"], e["changes"], e["stamp"]) for e in undo_store], undo=True)
        messages, _, pending_out, conflicts_out, reload_out = _outcome(results, None, None, reload)
        return messages, None, pending_out, conflicts_out, reload_out
    if trigger == "achievements-retry" and pending:
        return _outcome(_apply([(e["id"], e["changes"], e["stamp"]) for e in pending]), undo_store, None, reload)
    if trigger == "achievements-conflict-apply" and conflicts:
        first, rest = conflicts[0], conflicts[1:]
        # Against the version shown in the dialog: a change made after it opened is shown in turn,
        # never overwritten unseen.
        results = _apply([(first["id"], first["changes"], first["stamp"])])
        messages, undo, pending_out, conflicts_out, reload_out = _outcome(results, undo_store, None, reload)
        return messages, undo, pending_out, (conflicts_out or []) + rest or None, reload_out
    return no_update, no_update, no_update, no_update, no_update


@callback(
    Output("achievements-undo", "disabled"),
    Output("achievements-retry", "className"),
    Output("achievements-retry", "children"),
    Input("achievements-undo-store", "data"),
    Input("achievements-pending-store", "data"),
)
def edit_buttons(undo_store, pending):
    retry_class = "" if pending else "d-none"
    return not undo_store, retry_class, f"Retry {len(pending or [])} unsaved edit(s)"


@callback(
    Output("achievements-conflict-modal", "is_open"),
    Output("achievements-conflict-body", "children"),
    Input("achievements-conflict-store", "data"),
)
def show_conflict(conflicts):
    if not conflicts:
        return False, None
    first = conflicts[0]
    rows = [
        html.Tr(
            [
                html.Td(FIELD_LABELS.get(name, name)),
                html.Td(show_value(first["stored"].get(name)), className="conflict-stored"),
                html.Td(show_value(value), className="conflict-mine"),
            ]
        )
        for name, value in first["changes"].items()
    ]
    return True, [
        html.P(
            [
                html.Strong(first["title"]),
                ": ",
                first.get("message") or "Changed elsewhere.",
                " Choose which values to keep.",
            ]
        ),
        dbc.Table(
            [html.Thead(html.Tr([html.Th("Field"), html.Th("Stored now"), html.Th("Your value")])), html.Tbody(rows)],
            bordered=True,
            size="sm",
        ),
    ]


@callback(
    Output("achievements-conflict-store", "data", allow_duplicate=True),
    Output("achievements-reload", "data", allow_duplicate=True),
    Input("achievements-conflict-keep", "n_clicks"),
    State("achievements-conflict-store", "data"),
    State("achievements-reload", "data"),
    prevent_initial_call=True,
)
def keep_stored(_n, conflicts, reload):
    return (conflicts or [])[1:] or None, (reload or 0) + 1


# Bulk actions and export ----------------------------------------------------------------------


@callback(
    Output("achievements-publish", "disabled"),
    Output("achievements-unpublish", "disabled"),
    Input(GRID, "selectedRows"),
)
def bulk_buttons(selected):
    return not selected, not selected


@callback(
    *EDIT_OUTCOME,
    Input("achievements-publish", "n_clicks"),
    Input("achievements-unpublish", "n_clicks"),
    State(GRID, "selectedRows"),
    State("achievements-undo-store", "data"),
    State("achievements-reload", "data"),
    prevent_initial_call=True,
)
def bulk_publish(_publish, _unpublish, selected, undo_store, reload):
    if not selected:
        return no_update, no_update, no_update, no_update, no_update
    publish = ctx.triggered_id == "achievements-publish"
    batch = [(row["id"], {"portfolio_ready": publish}, row.get("updated_at")) for row in selected if "id" in row]
    return _outcome(_apply(batch), undo_store, None, reload)


@callback(
    Output("achievements-download", "data"),
    Output("achievements-messages", "children", allow_duplicate=True),
    Input("achievements-export", "n_clicks"),
    State(GRID, "getRowsRequest"),
    State("achievements-search", "value"),
    State("achievements-published-only", "value"),
    State("achievements-unreadable-only", "value"),
    prevent_initial_call=True,
)
def export_csv(_n, request, search, published_only, unreadable_only):
    current = runtime.current()
    export = current.services.export_achievements_csv(
        request, search=search, published_only=bool(published_only), unreadable_only=bool(unreadable_only)
    )
    if export.error:
        return no_update, dbc.Alert(
            export.error, color="danger", dismissable=True, className="py-2 mb-2 small export-refused"
        )
    return (
        dcc.send_string(export.text, f"achievements-{current.clock.now():%Y%m%d-%H%M%S}.csv", type="text/csv"),
        no_update,
    )


# Adding -------------------------------------------------------------------------------------------

ADD_FIELDS = {
    "title": "add-title",
    "category": "add-category",
    "description": "add-description",
    "started_at": "add-started",
    "completed_at": "add-completed",
    "business_value": "add-value",
    "impact_score": "add-impact",
    "source_type": "add-source-type",
    "source_url": "add-source-url",
    "tags": "add-tags",
    "portfolio_ready": "add-published",
}


@callback(
    Output("add-modal", "is_open"),
    Input("achievements-add-open", "n_clicks"),
    Input("add-cancel", "n_clicks"),
    prevent_initial_call=True,
)
def toggle_add(_open, _cancel):
    return ctx.triggered_id == "achievements-add-open"


@callback(
    Output("add-errors", "children"),
    Output("add-modal", "is_open", allow_duplicate=True),
    Output("achievements-messages", "children", allow_duplicate=True),
    Output("achievements-reload", "data", allow_duplicate=True),
    [Output(component, "value", allow_duplicate=True) for component in ADD_FIELDS.values()],
    Input("add-submit", "n_clicks"),
    [State(component, "value") for component in ADD_FIELDS.values()],
    State("achievements-reload", "data"),
    # Unavailable while the create runs: a second click would send the form a second time.
    running=[(Output("add-submit", "disabled"), True, False)],
    prevent_initial_call=True,
)
def add_achievement(_n, *values):
    *field_values, reload = values
    form = dict(zip(ADD_FIELDS, field_values))
    result = runtime.current().services.create_achievement(form, actor=auth.current_actor())
    if not result.ok:
        # The form keeps everything typed; only the message changes.
        errors = [html.Li(str(e)) for e in result.errors] or [html.Li(result.message)]
        colour = "warning" if result.status == "busy" else "danger"
        return (
            dbc.Alert(html.Ul(errors, className="mb-0"), color=colour, className="small add-error"),
            True,
            no_update,
            no_update,
            *([no_update] * len(ADD_FIELDS)),
        )
    cleared = ["" if name not in ("portfolio_ready", "source_type", "category") else no_update for name in ADD_FIELDS]
    message = dbc.Alert(
        result.message + f" ({result.achievement.title})",
        color="success",
        className="py-2 small edit-result edit-result--saved",
        dismissable=True,
        duration=8000,
    )
    return None, False, message, (reload or 0) + 1, *cleared


# Detail panel -------------------------------------------------------------------------------------


@callback(
    Output("detail-panel", "is_open"),
    Output("detail-panel", "title"),
    Output("detail-meta", "children"),
    Output("detail-description", "value"),
    Output("detail-row", "data"),
    Output("detail-message", "children"),
    Input(GRID, "cellClicked"),
    prevent_initial_call=True,
)
def open_detail(event):
    row_id = (event or {}).get("rowId")
    if row_id is None or (event or {}).get("colId") != "details":
        return (no_update,) * 6
    try:
        achievement = runtime.current().services.get_achievement(int(row_id))
    except BackendError as exc:
        return True, "Achievement", dbc.Alert(f"Could not load it: {exc}", color="danger"), "", None, None
    if achievement is None:
        return True, "Achievement", dbc.Alert("This achievement no longer exists.", color="secondary"), "", None, None
    a = achievement
    meta = html.Dl(
        [
            html.Dt("Category"),
            html.Dd(a.category),
            html.Dt("Completed"),
            html.Dd(f"{a.completed_at:%Y-%m-%d}"),
            html.Dt("Business value"),
            html.Dd(_value_details(a, runtime.current().services.currency)),
            html.Dt("Source"),
            html.Dd(
                html.A(a.source_url, href=a.source_url, target="_blank", rel="noopener")
                if a.source_url
                else a.source_type
            ),
            html.Dt("AI summary"),
            html.Dd(a.ai_summary or "—"),
        ],
        className="detail-meta small",
    )
    stamp = a.updated_at.isoformat() if a.updated_at else None
    return True, a.title, meta, a.description, {"id": a.id, "stamp": stamp}, None


@callback(
    Output("detail-message", "children", allow_duplicate=True),
    Output("detail-row", "data", allow_duplicate=True),
    Output("achievements-reload", "data", allow_duplicate=True),
    Input("detail-save", "n_clicks"),
    State("detail-description", "value"),
    State("detail-row", "data"),
    State("achievements-reload", "data"),
    prevent_initial_call=True,
)
def save_description(_n, description, row, reload):
    if not row:
        return no_update, no_update, no_update
    result = runtime.current().services.edit_achievement(
        row["id"], {"description": description}, expected_updated_at=row["stamp"], actor=auth.current_actor()
    )
    colour = {"saved": "success", "conflict": "warning", "busy": "warning"}.get(result.status, "danger")
    alert = dbc.Alert(result.message, color=colour, className="py-2 small")
    if result.ok:
        return alert, {"id": row["id"], "stamp": _stamp(result)}, (reload or 0) + 1
    return alert, no_update, no_update


def _value_details(a, currency: str) -> list:
    """The amount as read, how it was read, and the text it was read from."""
    reading = a.value_reading(currency)
    if reading is None:
        head = html.Span(["—", html.Span(f" ({unreadable_reason(a.business_value)})", className="text-secondary")])
    else:
        head = html.Span(
            [html.Strong(format_reading(reading)), " — ", reading.describe(a.business_value)], className="value-read-as"
        )
    stored = html.Div(
        ["Stored text: ", html.Code(a.business_value if a.business_value is not None else "null")],
        className="small text-secondary value-stored",
    )
    return [head, stored]


# Audit --------------------------------------------------------------------------------------------


@callback(
    Output("achievements-audit", "children"),
    Input("achievements-reload", "data"),
)
def show_audit(_reload):
    actor = auth.current_actor()
    if not actor.may(Role.ADMIN):
        return html.P("The audit trail is shown to admins.", className="text-secondary m-3 small")
    audit = runtime.current().services.audit
    entries = audit.recent(15) if audit else []
    if not entries:
        return html.P("No changes yet.", className="text-secondary m-3 small")
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in ("When (UTC)", "Item", "Action", "Field", "Old", "New")])),
            html.Tbody(
                [
                    html.Tr(
                        [
                            html.Td(f"{e.at:%Y-%m-%d %H:%M:%S}"),
                            html.Td(str(e.achievement_id)),
                            html.Td(e.action),
                            html.Td(FIELD_LABELS.get(e.field or "", e.field or "")),
                            html.Td(show_value(e.old_value), className="audit-old"),
                            html.Td(show_value(e.new_value)),
                        ]
                    )
                    for e in entries
                ]
            ),
        ],
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 small audit-table",
    )
