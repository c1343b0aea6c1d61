"""Wallboard: a playlist of views rotating on a TV, in kiosk mode.

`/wallboard?views=overview:30:7d,system:15,achievements-kpis:20:30d` plays those views, each for its
seconds and time range; `/wallboard/<profile>` plays a named profile of wallboards.yaml. A view
whose data failed stays on screen with its failed state. Add `&screen=lobby` so the System page
can show when this screen last refreshed.
"""

from __future__ import annotations

from typing import Optional

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.services.wallboard import Playlist, load_profiles, parse_views, stored_views
from dashboard.web.callback_input import Count, expect

dash.register_page(__name__, path="/wallboard", name="Wallboard", title="Wallboard · Threads-Agent", nav=False)


def profile_layout(profile: Optional[str] = None, **query):
    playlists = load_profiles()
    playlist = playlists.get(profile or "")
    if playlist is None:
        known = ", ".join(sorted(playlists))
        fallback = parse_views(None)
        playlist = Playlist(
            fallback.title, fallback.views, (f"unknown wallboard profile {str(profile)[:40]!r} (known: {known})",)
        )
    return _board(playlist)


dash.register_page(
    f"{__name__}_profile",
    path_template="/wallboard/<profile>",
    name="Wallboard profile",
    title="Wallboard · Threads-Agent",
    nav=False,
    layout=profile_layout,
)


def layout(views: Optional[str] = None, **query):
    return _board(parse_views(views))


def _board(playlist: Playlist):
    views = [v.as_dict() for v in playlist.views]
    first = views[0]
    return html.Div(
        [
            html.Div(
                [
                    html.Span(playlist.title, className="wallboard-title"),
                    html.Span(_caption(0, views), id="wallboard-caption", className="wallboard-caption"),
                ],
                className="wallboard-header",
            ),
            html.Div(
                [html.Div(problem, className="alert alert-warning py-1 small mb-1") for problem in playlist.problems],
                id="wallboard-problems",
            ),
            html.Div(render_view(first), id="wallboard-view"),
            dcc.Store(id="wallboard-playlist", data=views),
            dcc.Store(id="wallboard-index", data=0),
            dcc.Interval(id="wallboard-rotate", interval=first["seconds"] * 1000, disabled=len(views) < 2),
        ],
        className="wallboard",
    )


def render_view(view: dict):
    """The layout of one view, as its own page would render it for that range."""
    name = view["view"]
    module = "overview" if name == "achievements-kpis" else name
    page = next(
        (p for p in dash.page_registry.values() if p["module"].endswith((f".pages.{module}", f".pages.{module}.page"))),
        None,
    )
    if page is None:
        return html.Div(f"View {name!r} is not available.", className="alert alert-danger")
    query = {"range": view["range"]} if view.get("range") else {}
    if name == "achievements-kpis":
        query["view"] = "kpis"
    body = page["layout"](**query) if callable(page["layout"]) else page["layout"]
    return html.Div(body, className=f"wallboard-view view-{name}")


def _caption(index: int, views: list[dict]) -> str:
    view = views[index]
    label = view["view"].replace("-", " ")
    suffix = f" · {view['range']}" if view.get("range") else ""
    return f"{label}{suffix} · {index + 1}/{len(views)}"


# The browser advances the index on the view's own timer; the server renders the next view.
dash.clientside_callback(
    """
    function(n, views, index) {
        if (!views || views.length < 2) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
        var next = ((index || 0) + 1) % views.length;
        return [next, views[next].seconds * 1000];
    }
    """,
    Output("wallboard-index", "data"),
    Output("wallboard-rotate", "interval"),
    Input("wallboard-rotate", "n_intervals"),
    State("wallboard-playlist", "data"),
    State("wallboard-index", "data"),
    prevent_initial_call=True,
)


expect("wallboard-index", "data", Optional[Count])  # what the client-side rotation above writes


@callback(
    Output("wallboard-view", "children"),
    Output("wallboard-caption", "children"),
    Input("wallboard-index", "data"),
    State("wallboard-playlist", "data"),
    prevent_initial_call=True,
)
def show_view(index, views):
    views = [view.as_dict() for view in stored_views(views)]
    index = (index or 0) % len(views)
    return render_view(views[index]), _caption(index, views)
