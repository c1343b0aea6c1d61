"""The command palette (Ctrl+K / ⌘K) and the keyboard shortcuts' help (`?`).

The palette is a modal with a search box: what is typed is searched on the server
(dashboard.services.search) among the pages, the wallboards, and the achievements and posts
every screen already reads through the cache, debounced; the results are links, grouped. The
keys are the browser's (assets/palette.js): Ctrl+K / ⌘K opens it anywhere, ↑/↓ move the
selection, Enter opens it, Esc closes; `r` refreshes, `?` shows the help and `t` (assets/
time-range.js) opens the time range, none of them while one types in a box or a grid cell.
On a TV (kiosk, wallboards) there is nobody at a keyboard: no button, and the keys do nothing.
"""

from __future__ import annotations

from typing import Optional
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard.domain.models import Achievement, Fresh, Post
from dashboard.services.search import Results, Target, clean_query, search, wallboard_targets
from dashboard.services.wallboard import load_profiles
from dashboard.ui.components.attributes import labelled
from dashboard.web import runtime
from dashboard.web.callback_input import expect

BUTTON = "palette-button"
MODAL = "palette"
QUERY = "palette-query"
RESULTS = "palette-results"
HELP = "shortcuts-help"
HELP_LINK = "palette-shortcuts"

DEBOUNCE_MS = 200
CARRIED = ("range", "from", "to", "tz", "compare", "refresh")
"""What a page link keeps of this URL, as the navbar's links do (assets/time-range.js)."""

SHORTCUTS: tuple[tuple[str, tuple[tuple[tuple[str, ...], str], ...]], ...] = (
    (
        "Everywhere",
        (
            (("Ctrl", "K"), "Search: go to a page, an achievement, a post or a wallboard"),
            (("r",), "Refresh this page's data now (as the Refresh button)"),
            (("t",), "Open the time range (on pages that have one)"),
            (("?",), "Show these shortcuts"),
            (("Esc",), "Close the open dialog, panel or menu"),
        ),
    ),
    (
        "In search",
        (
            (("↑", "or", "↓"), "Move through the results"),
            (("Enter",), "Open the selected result"),
        ),
    ),
    (
        "Achievements grid",
        (
            (("Ctrl", "Z"), "Undo the last edit (with a cell chosen, not while editing one)"),
            (("Ctrl", "Shift", "Z", "or", "Ctrl", "Y"), "Redo it"),
        ),
    ),
)
"""Every shortcut, as the help dialog lists them: keys pressed together ("or" between two that
are alternatives); on a Mac, Ctrl reads ⌘."""

expect(QUERY, "value", Optional[str])


def palette_button() -> dbc.Button:
    """The navbar's "Search… Ctrl K" (⌘ K on a Mac: assets/palette.js)."""
    return dbc.Button(
        [
            html.Span(className="palette-icon", role="presentation"),
            html.Span("Search…", className="palette-button-text"),
            html.Kbd([html.Span("Ctrl", className="kbd-mod"), " K"], className="palette-kbd"),
        ],
        id=BUTTON,
        size="sm",
        color="secondary",
        outline=True,
        class_name="palette-button",
        title="Search pages, achievements, posts and wallboards (Ctrl+K)",
    )


def _keys(keys: tuple[str, ...]) -> list:
    """Keys pressed together joined by "+", alternatives by "or" (each kept on one line)."""
    combos: list[list[str]] = [[]]
    for key in keys:
        if key == "or":
            combos.append([])
        else:
            combos[-1].append(key)
    out: list = []
    for index, combo in enumerate(combos):
        if index:
            out.append(html.Span(" or ", className="shortcut-plus"))
        pressed: list = []
        for position, key in enumerate(combo):
            if position:
                pressed.append(html.Span("+", className="shortcut-plus"))
            pressed.append(html.Kbd(key, className="kbd-mod" if key == "Ctrl" else None))
        out.append(html.Span(pressed, className="shortcut-combo"))
    return out


def _help() -> dbc.Modal:
    sections = []
    for heading, rows in SHORTCUTS:
        sections.append(
            html.Table(
                [
                    html.Caption(heading),
                    html.Tbody(
                        [
                            html.Tr([html.Td(_keys(keys), className="shortcut-keys"), html.Td(what)])
                            for keys, what in rows
                        ]
                    ),
                ],
                className="shortcuts-table",
            )
        )
    note = html.P(
        "The one-key shortcuts do nothing while you type in a box or edit a grid cell, "
        "and nothing on a TV (kiosk and wallboards).",
        className="shortcuts-note",
    )
    return dbc.Modal(
        [dbc.ModalHeader(dbc.ModalTitle("Keyboard shortcuts")), dbc.ModalBody([*sections, note])],
        id=HELP,
        is_open=False,
        class_name="shortcuts-help",
    )


def palette() -> html.Div:
    """The palette and the help, both closed; the root layout holds them once."""
    # The box must not be focused as the modal closes: its blur handler would read it once it is
    # gone and throw (dcc's and dbc's alike); palette.js blurs it first.
    box = dbc.Input(
        id=QUERY,
        type="text",
        placeholder="Search pages, achievements, posts, wallboards…",
        debounce=DEBOUNCE_MS,
        autocomplete="off",
        class_name="palette-query",
    )
    footer = html.Div(
        [
            html.Span([html.Kbd("↑"), html.Kbd("↓"), " to move, ", html.Kbd("Enter"), " to open, ", html.Kbd("Esc")]),
            html.Span(" to close", className="me-auto"),
            html.Button(["Shortcuts ", html.Kbd("?")], id=HELP_LINK, className="btn btn-link btn-sm p-0"),
        ],
        className="palette-footer",
    )
    return html.Div(
        [
            dbc.Modal(
                [
                    dbc.ModalBody(
                        [
                            html.Label("Search", id=f"{MODAL}-label", htmlFor=QUERY, className="visually-hidden"),
                            box,
                            html.Div(id=RESULTS, className="palette-results", role="listbox", **labelled("Results")),
                        ],
                        class_name="palette-body",
                    ),
                    dbc.ModalFooter(footer, class_name="palette-foot"),
                ],
                id=MODAL,
                is_open=False,
                size="lg",
                scrollable=True,
                class_name="palette",
                labelledby=f"{MODAL}-label",
            ),
            _help(),
        ]
    )


# The search ----------------------------------------------------------------------------------


def _carried(search_text: Optional[str]) -> str:
    kept = [(k, v) for k, v in parse_qsl((search_text or "").lstrip("?")) if k in CARRIED]
    return "?" + urlencode(kept) if kept else ""


NOT_PAGES = ("/404", "/wallboard")
"""Registered pages the palette does not list as pages (the wallboards are a group of their own)."""


def _pages(search_text: Optional[str]) -> list[Target]:
    """Every page a person opens (Highlights too, which the navbar leaves out), in the navbar's order."""
    tail = _carried(search_text)
    return [
        Target(page["name"], page["relative_path"] + tail, page["path"], (page["path"].strip("/"),))
        for page in dash.page_registry.values()
        if not page.get("path_template") and page["path"] not in NOT_PAGES
    ]


def find(text: object, search_text: Optional[str] = None) -> Results:
    """The palette's results for `text` (whatever the browser sent)."""
    services = runtime.current().services
    achievements: Fresh[list[Achievement]] = Fresh(value=[])
    posts: Fresh[list[Post]] = Fresh(value=[])
    if clean_query(text)[0]:  # the empty box lists the pages and wallboards only: no data is read
        achievements, posts = services.read_both(services.achievements, services.posts)
    try:
        boards = wallboard_targets(load_profiles(), dash.get_relative_path("/wallboard"))
    except (OSError, ValueError):
        boards = wallboard_targets({}, dash.get_relative_path("/wallboard"))
    return search(
        text,
        pages=_pages(search_text),
        wallboards=boards,
        achievements=achievements.value,
        posts=posts.value,
        achievements_note=f"Achievements could not be searched: {achievements.error or 'no data yet'}",
        posts_note=f"Posts could not be searched: {posts.error or 'no data yet'}",
        achievements_link=dash.get_relative_path("/achievements"),
        content_link=dash.get_relative_path("/content"),
    )


def results_view(results: Results) -> list:
    """The results, grouped under headings; the first one is what Enter opens until ↑/↓ move."""
    out: list = []
    first = True
    for group in results.groups:
        if not group.hits and not group.note:
            continue
        count = f"{len(group.hits)} of {group.total}" if group.total > len(group.hits) else ""
        out.append(
            html.Div(
                [html.Span(group.name), html.Span(count, className="palette-count")],
                className="palette-heading",
                role="presentation",
            )
        )
        if group.note:
            out.append(html.Div(group.note, className="palette-note"))
        items = []
        for hit in group.hits:
            title = [html.Mark(text) if matched else text for text, matched in hit.parts]
            items.append(
                dcc.Link(
                    [
                        html.Span(title, className="palette-title"),
                        html.Span(hit.target.detail, className="palette-detail"),
                    ],
                    href=hit.target.href,
                    className="palette-item is-first" if first else "palette-item",
                )
            )
            first = False
        if items:
            out.append(html.Div(items, className="palette-group", role="group", **labelled(group.name)))
    if results.empty:
        out.append(html.Div(f"No matches for “{results.query}”", className="palette-empty", role="status"))
    if results.cut:
        out.append(html.Div(f"Searched for the first words only: “{results.query}”", className="palette-note"))
    return out


def show_results(text, search_text):
    return results_view(find(text, search_text))


def register_callbacks(app: dash.Dash) -> None:
    """The palette's callbacks, on `app` itself (as timepicker's): a component module is imported
    once per process, while every app built (a test builds many) needs its own."""
    app.callback(
        Output(RESULTS, "children"),
        Input(QUERY, "value"),
        State("url", "search"),
    )(show_results)
    # The button opens the palette (the keys do it in assets/palette.js); going anywhere closes it.
    app.clientside_callback(
        dash.ClientsideFunction("palette", "toggle"),
        Output(MODAL, "is_open"),
        Input(BUTTON, "n_clicks"),
        Input("url", "href"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        dash.ClientsideFunction("palette", "showHelp"),
        Output(HELP, "is_open"),
        Output(MODAL, "is_open", allow_duplicate=True),
        Input(HELP_LINK, "n_clicks"),
        prevent_initial_call=True,
    )
