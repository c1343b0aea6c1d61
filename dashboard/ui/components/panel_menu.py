"""The "⋮" menu of every chart and KPI card, Grafana's panel menu, and the dialogs it opens.

A card names its panel (an id of dashboard/services/panels.py) and its tile (the page's
`<tile>-card`); its menu offers: view full screen (Esc closes), inspect the data as a table,
download CSV (the same rows), download PNG (a chart: plotly's own downloadImage), copy a link to
the panel with the current range, and copy its embed code (iframe and figure-JSON URL).

The range is the URL's (the navbar's picker writes it there), read as the page reads it. The
dialogs are on each page that has panels (`panel_dialogs()`); full screen, PNG and the copy
buttons run in the browser (assets/panels.js).
"""

from __future__ import annotations

import html as html_text
import json
from datetime import datetime
from typing import Any, Optional
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html

from dashboard.domain.timerange import search_with
from dashboard.services.analytics import query_from_search
from dashboard.services.panels import MAX_TABLE_ROWS, PANELS, Panel, PanelRead, panel_params, panel_query, read_panel
from dashboard.ui.components.attributes import POLITE, hidden
from dashboard.ui.components.callbacks import skip
from dashboard.web import runtime

ACTION = "panel-action"
"""A menu item: {"type": ACTION, "action": one of ACTIONS, "panel": panel id, "tile": tile id}."""
INSPECT = "panel-inspect"
INSPECT_TITLE = "panel-inspect-title"
INSPECT_BODY = "panel-inspect-body"
SHARE = "panel-share"
SHARE_TITLE = "panel-share-title"
SHARE_BODY = "panel-share-body"
DOWNLOAD = "panel-download"
CLIENT = "panel-client"
"""A store the browser-side actions write to (a callback needs an output)."""
FIELD = "panel-share-field"
COPY = "panel-copy"
COPIED = "panel-copied"

ITEMS = {
    "fullscreen": "View full screen",
    "inspect": "Inspect data",
    "csv": "Download CSV",
    "png": "Download PNG",
    "link": "Copy link",
    "embed": "Copy embed code",
}
"""The menu's items in its order; a KPI has no PNG (its CSV says the same)."""
CHART_FRAME = (600, 360)
KPI_FRAME = (400, 200)
"""The iframe's width and height in the embed code."""


def action_id(action: str, panel: object, tile: object) -> dict:
    return {"type": ACTION, "action": action, "panel": panel, "tile": tile}


def panel_menu(panel: str, tile: str, title: str) -> dbc.DropdownMenu:
    """The "⋮" button of a card's header and its menu; keyboard reachable (Bootstrap's dropdown:
    Enter opens it, arrows move, Esc closes) and named for a screen reader."""
    spec = PANELS[panel]
    items = [
        dbc.DropdownMenuItem(label, id=action_id(action, panel, tile), class_name=f"panel-menu-{action}")
        for action, label in ITEMS.items()
        if not (action == "png" and spec.kind != "chart")
    ]
    return dbc.DropdownMenu(
        items,
        label=[html.Span("⋮", **hidden()), html.Span(f"Menu of {title}", className="visually-hidden")],
        id=f"{tile}-menu",
        caret=False,
        align_end=True,
        size="sm",
        color="link",
        class_name="panel-menu",
        toggle_class_name="panel-menu-toggle",
    )


def panel_dialogs() -> html.Div:
    """The menu's dialogs and download, once on a page that has panels."""
    return html.Div(
        [
            dbc.Modal(
                [
                    dbc.ModalHeader(dbc.ModalTitle("Data", id=INSPECT_TITLE)),
                    dbc.ModalBody(id=INSPECT_BODY),
                ],
                id=INSPECT,
                is_open=False,
                size="xl",
                scrollable=True,
                class_name="panel-inspect",
            ),
            dbc.Modal(
                [
                    dbc.ModalHeader(dbc.ModalTitle("Embed", id=SHARE_TITLE)),
                    dbc.ModalBody(id=SHARE_BODY),
                ],
                id=SHARE,
                is_open=False,
                size="lg",
                class_name="panel-share",
            ),
            dcc.Download(id=DOWNLOAD),
            dcc.Store(id=CLIENT),
        ]
    )


# What the menu's server-side items answer -------------------------------------------------------


def _clicked() -> Optional[tuple[Panel, str, str]]:
    """The panel and tile of the item clicked; None when nothing was (a menu drawn anew reports
    n_clicks None) or the id names no panel (a request the page never sends)."""
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
        return None
    panel = PANELS.get(str(trigger.get("panel")))
    tile = trigger.get("tile")
    if panel is None or not isinstance(tile, str):
        return None
    return panel, tile, str(trigger.get("action"))


def _read(panel: Panel, search: Optional[str]) -> PanelRead:
    """The panel's data under the range (and filters) of the page's URL."""
    current = runtime.current()
    services = current.services
    query, _ = panel_query(
        panel, query_from_search(search), current.clock.now(), currency=services.currency, tz=services.timezone
    )  # a bad parameter is explained on the page, and ignored here as there
    return read_panel(panel, services, query)


INSPECTED = {
    "open": Output(INSPECT, "is_open"),
    "title": Output(INSPECT_TITLE, "children"),
    "body": Output(INSPECT_BODY, "children"),
}


def inspect_panel(clicks, search) -> dict:
    clicked = _clicked()
    if clicked is None:
        return skip(INSPECTED)
    read = _read(clicked[0], search)
    return {"open": True, "title": f"Data · {read.panel.title}", "body": inspect_table(read)}


def inspect_table(read: PanelRead) -> list:
    """The rows the panel draws, as a table, with what they are (range, count, freshness)."""
    time_range = read.query.time_range
    if read.rows is None:
        return [html.P(f"No data: {read.fresh.error or 'the service sent none'}.", className="text-secondary mb-0")]
    rows = read.rows
    # An Analytics chart's filters say its range too ("Last 12 months · all categories").
    scope = read.query.filters.describe() if read.panel.filtered else time_range.label()
    said = f"{len(rows):,} row{'s' if len(rows) != 1 else ''} · {scope}"
    if len(rows) > MAX_TABLE_ROWS:
        said += f" · the first {MAX_TABLE_ROWS:,} shown (the CSV has them all)"
    if read.fresh.stale:
        said += " · stale: " + (read.fresh.error or "the last refresh failed")
    if not rows:
        return [html.P(said, className="panel-inspect-meta"), html.P("Nothing to show in this range.")]
    head = html.Thead(
        html.Tr([html.Th(column, scope="col", className=_align(rows[0].get(column))) for column in read.panel.columns])
    )
    body = html.Tbody(
        [html.Tr([_cell(row.get(column)) for column in read.panel.columns]) for row in rows[:MAX_TABLE_ROWS]]
    )
    return [
        html.P(said, className="panel-inspect-meta"),
        dbc.Table([head, body], size="sm", striped=True, hover=True, responsive=True, class_name="panel-inspect-table"),
    ]


def _align(value: Any) -> Optional[str]:
    """Numbers line up on the right, as in a spreadsheet."""
    return "text-end" if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _cell(value: Any) -> html.Td:
    return html.Td(cell_text(value), className=_align(value))


def cell_text(value: Any) -> str:
    """A cell as a person reads it; an unknown value is "—", never 0."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def download_csv(clicks, search):
    clicked = _clicked()
    if clicked is None:
        return dash.no_update
    name, text = _read(clicked[0], search).csv()
    return dcc.send_string(text, name, type="text/csv")


SHARED = {
    "open": Output(SHARE, "is_open"),
    "title": Output(SHARE_TITLE, "children"),
    "body": Output(SHARE_BODY, "children"),
}


def share_panel(link_clicks, embed_clicks, pathname, search, theme) -> dict:
    clicked = _clicked()
    if clicked is None:
        return skip(SHARED)
    panel, tile, action = clicked
    current = runtime.current()
    services = current.services
    query, _ = panel_query(
        panel, query_from_search(search), current.clock.now(), currency=services.currency, tz=services.timezone
    )
    host = flask.request.host_url.rstrip("/")
    if action == "link":
        path = pathname if isinstance(pathname, str) and pathname.startswith("/") else current.prefix
        link = f"{host}{path}{search_with(search, query.time_range, services.timezone)}#{tile}-card"
        fields = [("link", "Link to this panel, with the current range", link)]
        return {"open": True, "title": f"Link · {panel.title}", "body": share_fields(fields)}
    # The embed in the page's theme (an embed's own default is light).
    dark = {"theme": "dark"} if theme == "dark" else {}
    params = urlencode({**panel_params(panel, query, services.timezone), **dark}, doseq=True)
    embed_url = f"{host}{current.prefix}embed/{panel.id}?{params}"
    width, height = KPI_FRAME if panel.kind == "kpi" else CHART_FRAME
    iframe = (
        f'<iframe src="{html_text.escape(embed_url)}" width="{width}" height="{height}" '
        f'style="border:0" title="{html_text.escape(panel.title)}"></iframe>'
    )
    json_words = "Figure JSON (Plotly)" if panel.kind == "chart" else "KPI JSON (its numbers)"
    fields = [
        ("iframe", "Embed code (iframe)", iframe),
        ("json", json_words, f"{host}{current.prefix}api/charts/{panel.id}?{params}"),
    ]
    notes = [
        html.P(
            f"The panel alone, refreshed every {current.settings.refresh_seconds} s (&refresh=N for another "
            "interval), in this page's theme (&theme=light or dark).",
            className="small text-secondary",
        )
    ]
    if current.settings.auth != "none":
        notes.append(
            html.P(
                "Sign-in is on: add &token=… with a read-only token for a page that is not signed in "
                "(README, “Embed any panel”).",
                className="small text-secondary",
            )
        )
    return {"open": True, "title": f"Embed · {panel.title}", "body": [*share_fields(fields), *notes]}


def share_fields(fields: list[tuple[str, str, str]]) -> list:
    """Each text in a read-only box with a Copy button and a line that says it was copied."""
    return [
        html.Div(
            [
                dbc.Label(words, html_for=json.dumps({"field": name, "type": FIELD}), class_name="mb-1"),
                dbc.Textarea(
                    id={"type": FIELD, "field": name},
                    value=text,
                    readonly=True,
                    rows=4 if len(text) > 110 else 2,
                    class_name="panel-share-text font-monospace small",
                ),
                html.Div(
                    [
                        dbc.Button("Copy", id={"type": COPY, "field": name}, size="sm", color="primary"),
                        html.Span("", id={"type": COPIED, "field": name}, className="panel-copied small", **POLITE),
                    ],
                    className="d-flex align-items-center gap-2 mt-1",
                ),
            ],
            className="panel-share-field mb-3",
        )
        for name, words, text in fields
    ]


def register_callbacks(app: dash.Dash) -> None:
    """The menu's callbacks, on `app` (the factory calls this once per app: a module-level
    dash.callback would reach only the first app a process builds, which takes Dash's global list)."""
    app.callback(
        output=INSPECTED,
        inputs={"clicks": Input(action_id("inspect", ALL, ALL), "n_clicks")},
        state={"search": State("url", "search")},
        prevent_initial_call=True,
    )(inspect_panel)
    app.callback(
        Output(DOWNLOAD, "data"),
        Input(action_id("csv", ALL, ALL), "n_clicks"),
        State("url", "search"),
        prevent_initial_call=True,
    )(download_csv)
    app.callback(
        output=SHARED,
        inputs={
            "link_clicks": Input(action_id("link", ALL, ALL), "n_clicks"),
            "embed_clicks": Input(action_id("embed", ALL, ALL), "n_clicks"),
        },
        state={
            "pathname": State("url", "pathname"),
            "search": State("url", "search"),
            "theme": State("theme-store", "data"),
        },
        prevent_initial_call=True,
    )(share_panel)
    for action in ("fullscreen", "png"):
        app.clientside_callback(
            ClientsideFunction("panels", action),
            Output(CLIENT, "data", allow_duplicate=True),
            Input(action_id(action, ALL, ALL), "n_clicks"),
            prevent_initial_call=True,
        )
    app.clientside_callback(
        ClientsideFunction("panels", "copy"),
        Output({"type": COPIED, "field": ALL}, "children"),
        Input({"type": COPY, "field": ALL}, "n_clicks"),
        State({"type": FIELD, "field": ALL}, "value"),
        prevent_initial_call=True,
    )
