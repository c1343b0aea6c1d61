"""Wallboard: a playlist of views rotating on a TV, in kiosk mode.

`/wallboard?views=overview:30:7d,system:15,achievements-kpis:20:30d` plays those views, each for its
seconds and time range; `/wallboard/<profile>` plays a named profile of wallboards.yaml. A view
whose data failed stays on screen with its failed state. Add `&screen=lobby` so the System page
can show when this screen last refreshed.

The browser advances the index on the view's own timer (assets/wallboard.js,
`dash_clientside.wallboard.rotate`); the server renders the next view (show_view).
"""

from __future__ import annotations

from typing import Optional

import dash
from dash import ClientsideFunction, Input, Output, State

from dashboard.services.wallboard import Playlist, load_profiles, parse_views, stored_views
from dashboard.ui.pages.wallboard import ids
from dashboard.ui.pages.wallboard.view import board, caption, render_view
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
    return board(playlist)


dash.register_page(
    f"{__name__}_profile",
    path_template="/wallboard/<profile>",
    name="Wallboard profile",
    title="Wallboard · Threads-Agent",
    nav=False,
    layout=profile_layout,
)


def layout(views: Optional[str] = None, **query):
    return board(parse_views(views))


def show_view(index, views):
    views = [view.as_dict() for view in stored_views(views)]
    index = (index or 0) % len(views)
    return render_view(views[index]), caption(index, views)


# The callbacks, declared while this module runs: Dash runs it for every app it builds.

dash.clientside_callback(
    ClientsideFunction("wallboard", "rotate"),
    Output(ids.INDEX, "data"),
    Output(ids.ROTATE, "interval"),
    Input(ids.ROTATE, "n_intervals"),
    State(ids.PLAYLIST, "data"),
    State(ids.INDEX, "data"),
    prevent_initial_call=True,
)

expect(ids.INDEX, "data", Optional[Count])  # what the client-side rotation writes

dash.callback(
    Output(ids.VIEW, "children"),
    Output(ids.CAPTION, "children"),
    Input(ids.INDEX, "data"),
    State(ids.PLAYLIST, "data"),
    prevent_initial_call=True,
)(show_view)
