"""Content pipeline: the orchestrator's posts by status, a post's editor, and content generation.

Every URL is a permalink: `?view=board|table`, `?platform=<platform>` and `?post=<id>` (the open
post). The controls write the query string in place (history.replaceState, assets/content.js), so
changing a filter never re-renders the page or loses what is typed in the editor or the Generate
form.

This module registers the page, builds its layout and wires every callback of the feature modules
(board.py, editor.py, adapt.py, generate.py): Dash runs it once per app, so the callbacks are
declared for each app. Writes (hook and body, status, generation) go through
dashboard.services.content.posts, which says what each source can do: against the real
orchestrator a post's status is read-only, and generating queues a task whose only answer is its id.
"""

from __future__ import annotations

from typing import Optional

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard.domain.actors import Role
from dashboard.domain.models import PLATFORMS
from dashboard.services.content import posts as content
from dashboard.ui.components.attributes import POLITE
from dashboard.ui.components.buttons import toggle_buttons
from dashboard.ui.components.callbacks import REFRESH_INTERVAL, disabled_while_running
from dashboard.ui.components.live import live_inputs
from dashboard.ui.components.outages import outage_slot
from dashboard.ui.components.screen import on_screen, page_class
from dashboard.ui.components.tiles import freshness_line, freshness_store, kpi_card, sample_badge
from dashboard.ui.pages.content import adapt, board, editor, generate, ids, post_view, stores
from dashboard.ui.pages.content.view import KPI_HOW, KPI_TITLES, VIEWS, kpi_scope, kpi_scope_class
from dashboard.web import auth, runtime

dash.register_page(__name__, path="/content", name="Content", title="Content pipeline · Threads-Agent", order=2)

ALL_PLATFORMS = "all"


def layout(view: Optional[str] = None, platform: Optional[str] = None, post: Optional[str] = None, **query):
    view_key, platform_key, selected, problems = parse_query(view, platform, post)
    sample = "posts" in runtime.current().services.sample_data_sets()
    return html.Div(
        [
            _header(view_key, platform_key),
            dbc.Alert([html.Div(p) for p in problems], color="warning", className="py-2 small", id=ids.URL_PROBLEM)
            if problems
            else None,
            freshness_store(ids.PAGE),
            outage_slot(ids.PAGE),
            html.Div(kpi_scope(platform_key), id=ids.KPI_SCOPE, className=kpi_scope_class(platform_key), **POLITE),
            dbc.Row(
                [
                    dbc.Col(kpi_card(tile, title, KPI_HOW[tile], sample=sample), xs=6, md=3, xxl=True)
                    for tile, title in KPI_TITLES.items()
                ],
                className="g-3 mb-3",
            ),
            html.Div(
                [
                    html.Div(id=ids.JOBS, **POLITE),
                    dbc.Button("Clear these messages", id=ids.JOBS_CLEAR, size="sm", color="link", className="d-none"),
                ],
                className="content-jobs",
            ),
            # On a TV the board takes the height the KPIs leave (assets/25-screens.css).
            html.Div(_board_card(sample), className="content-board-frame screen-grow"),
            dcc.Store(id=ids.BOARD_VERSION),
            dcc.Store(id=ids.SCREEN, data=on_screen(query)),
            dcc.Store(id=ids.SELECTED_POST, data=selected),
            dcc.Store(id=ids.RELOAD, data=0),
            dcc.Store(id=ids.JOBS_STORE, storage_type="session"),
            dcc.Store(id=ids.URL_SYNC),
            editor.panel(),
            generate.modal(),
        ],
        className=page_class("content", query),
    )


def _header(view_key: str, platform_key: Optional[str]) -> html.Div:
    return html.Div(
        [
            html.H1("Content pipeline"),
            html.Div(
                [
                    toggle_buttons(
                        dbc.RadioItems,
                        ids.VIEW,
                        [{"label": "Board", "value": "board"}, {"label": "Table", "value": "table"}],
                        view_key,
                        class_name="btn-group content-view",
                    ),
                    dbc.Select(
                        id=ids.PLATFORM,
                        options=[{"label": "All platforms", "value": ALL_PLATFORMS}]
                        + [{"label": content.PLATFORM_LABELS[p], "value": p} for p in PLATFORMS],
                        value=platform_key or ALL_PLATFORMS,
                        size="sm",
                        className="content-platform",
                    ),
                    dbc.Button(
                        "Generate content",
                        id=ids.GENERATE_OPEN,
                        color="primary",
                        size="sm",
                        disabled=not auth.current_actor().may(Role.EDITOR),
                    ),
                ],
                className="d-flex flex-wrap gap-2 align-items-center",
            ),
        ],
        className="page-header",
    )


def _board_card(sample: bool) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Div(
                        [
                            html.Span(["Posts by status", *sample_badge(sample)], className="tile-title me-2"),
                            html.Small("", id=ids.BOARD_SOURCE, className="text-secondary"),
                        ]
                    ),
                    freshness_line(ids.BOARD),
                ],
                className="d-flex flex-wrap justify-content-between align-items-baseline gap-2",
            ),
            dbc.CardBody(html.Div(id=ids.BOARD), className="p-2"),
        ],
        id=ids.BOARD_CARD,
        className="tile",
    )


def parse_query(view: Optional[str], platform: Optional[str], post: Optional[str]):
    """(view, platform or None, the post to open or None, problems) from the URL; a bad view or
    platform is explained and ignored. A `post` that is no post id is still opened, so the post
    panel says it is not found (naming it), rather than a warning beside a closed panel."""
    problems = []
    view_key = view if view in VIEWS else "board"
    if view not in (None, "") and view not in VIEWS:
        problems.append(f"Unknown view {str(view)[:20]!r}: showing the board (accepted: {', '.join(VIEWS)}).")
    platform_key = platform if platform in PLATFORMS else None
    if platform not in (None, "") and platform not in PLATFORMS:
        problems.append(
            f"Unknown platform {str(platform)[:20]!r}: showing all platforms (accepted: {', '.join(PLATFORMS)})."
        )
    selected: Optional[stores.SelectedPost] = None
    if post not in (None, ""):
        post_id = content.parse_post_id(post)
        selected = {"id": post_id} if post_id is not None else {"unknown": str(post)[: stores.UNKNOWN_MAX]}
    return view_key, platform_key, selected, problems


# The callbacks, declared while this module runs: Dash runs it for every app it builds, and a
# callback declared elsewhere (at a helper's import) would reach only the first app.

stores.declare()

dash.clientside_callback(
    ClientsideFunction("content", "syncUrl"),
    Output(ids.URL_SYNC, "data"),
    Input(ids.VIEW, "value"),
    Input(ids.PLATFORM, "value"),
    Input(ids.SELECTED_POST, "data"),
    Input(ids.DETAIL, "is_open"),
)

dash.callback(
    output=board.REFRESHED,
    inputs={
        "tick": Input(REFRESH_INTERVAL, "n_intervals"),
        "reload": Input(ids.RELOAD, "data"),
        "view_key": Input(ids.VIEW, "value"),
        "platform": Input(ids.PLATFORM, "value"),
        "jobs": Input(ids.JOBS_STORE, "data"),
        "live": live_inputs("posts", "content-stats", "system-metrics"),
    },
    state={"board_version": State(ids.BOARD_VERSION, "data"), "screen": State(ids.SCREEN, "data")},
    # A tick that arrives while this runs is dropped rather than queued behind it.
    running=disabled_while_running(),
)(board.refresh)
dash.callback(Output(ids.JOBS_CLEAR, "className"), Input(ids.JOBS_STORE, "data"))(board.show_clear)
dash.callback(
    Output(ids.JOBS_STORE, "data", allow_duplicate=True), Input(ids.JOBS_CLEAR, "n_clicks"), prevent_initial_call=True
)(board.clear_jobs)
dash.callback(Output(ids.SELECTED_POST, "data"), Input(ids.OPEN_ANY_POST, "n_clicks"), prevent_initial_call=True)(
    board.open_post
)

dash.callback(
    output=editor.LOADED,
    inputs={"selected": Input(ids.SELECTED_POST, "data")},
    state={"view_key": State(ids.VIEW, "value"), "platform": State(ids.PLATFORM, "value")},
)(editor.load)
dash.callback(
    output=editor.SAVED,
    inputs={"_save": Input(ids.SAVE, "n_clicks"), "_force": Input(ids.SAVE_ANYWAY, "n_clicks")},
    state={
        "hook": State(ids.HOOK, "value"),
        "body": State(ids.BODY, "value"),
        "loaded": State(ids.DETAIL_LOADED, "data"),
        "reload": State(ids.RELOAD, "data"),
    },
    running=disabled_while_running(ids.SAVE),
    prevent_initial_call=True,
)(editor.save)
dash.callback(
    output=editor.MOVED,
    inputs={"clicks": {target: Input(ids.status_to(target), "n_clicks") for target in post_view.STATUS_BUTTONS}},
    state={
        "scheduled_at": State(ids.SCHEDULE_AT, "value"),
        "loaded": State(ids.DETAIL_LOADED, "data"),
        "reload": State(ids.RELOAD, "data"),
    },
    prevent_initial_call=True,
)(editor.move)

dash.callback(
    Output(ids.ADAPT_RESULT, "children", allow_duplicate=True),
    Input(ids.ADAPT_RUN, "n_clicks"),
    State(ids.ADAPT_PLATFORMS, "value"),
    State(ids.DETAIL_LOADED, "data"),
    running=disabled_while_running(ids.ADAPT_RUN),
    prevent_initial_call=True,
)(adapt.preview)

dash.callback(
    output=generate.TOGGLED,
    inputs={"_open": Input(ids.GENERATE_OPEN, "n_clicks"), "_cancel": Input(ids.GENERATE_CANCEL, "n_clicks")},
    state={"persona": State(ids.GENERATE_PERSONA, "value")},
    prevent_initial_call=True,
)(generate.toggle)
dash.callback(
    output=generate.PREVIEWED,
    inputs={
        "mode": Input(ids.GENERATE_MODE, "value"),
        "min_value": Input(ids.GENERATE_MIN_VALUE, "value"),
        "is_open": Input(ids.GENERATE_MODAL, "is_open"),
    },
)(generate.preview)
dash.callback(
    output=generate.SUBMITTED,
    inputs={"_clicks": Input(ids.GENERATE_SUBMIT, "n_clicks")},
    state={
        "persona": State(ids.GENERATE_PERSONA, "value"),
        "platforms": State(ids.GENERATE_PLATFORMS, "value"),
        "draft_only": State(ids.GENERATE_DRAFT_ONLY, "value"),
        "mode": State(ids.GENERATE_MODE, "value"),
        "picked": State(ids.GENERATE_PICKED, "value"),
        "min_value": State(ids.GENERATE_MIN_VALUE, "value"),
        "submission": State(ids.GENERATE_SUBMISSION, "data"),
        "jobs": State(ids.JOBS_STORE, "data"),
    },
    running=[
        *disabled_while_running(ids.GENERATE_SUBMIT),
        (Output(ids.GENERATE_SUBMIT, "children"), "Sending…", "Generate"),
    ],
    prevent_initial_call=True,
)(generate.submit)
