"""The Wallboard's builders: the board of a playlist, one view on it, and the caption."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.services.wallboard import Playlist
from dashboard.ui.pages.wallboard import ids


def board(playlist: Playlist) -> html.Div:
    views = [v.as_dict() for v in playlist.views]
    first = views[0]
    return html.Div(
        [
            html.Div(
                [
                    html.Span(playlist.title, className="wallboard-title"),
                    html.Span(caption(0, views), id=ids.CAPTION, className="wallboard-caption"),
                ],
                className="wallboard-header",
            ),
            html.Div(
                [html.Div(problem, className="alert alert-warning py-1 small mb-1") for problem in playlist.problems],
                id=ids.PROBLEMS,
            ),
            html.Div(render_view(first), id=ids.VIEW),
            dcc.Store(id=ids.PLAYLIST, data=views),
            dcc.Store(id=ids.INDEX, data=0),
            dcc.Interval(id=ids.ROTATE, interval=first["seconds"] * 1000, disabled=len(views) < 2),
        ],
        className="wallboard",
    )


SCREENS = {"achievements-kpis": "highlights"}
"""Views drawn by a page of another name: the achievements' view is the Highlights screen."""


def render_view(view: dict) -> html.Div:
    """The layout of one view, as its own page draws it for a TV (`kiosk=1`) and that range."""
    name = view["view"]
    module = SCREENS.get(name, name)
    page = next(
        (p for p in dash.page_registry.values() if p["module"].endswith((f".pages.{module}", f".pages.{module}.page"))),
        None,
    )
    if page is None:
        return html.Div(f"View {name!r} is not available.", className="alert alert-danger")
    query = {"kiosk": "1", **({"range": view["range"]} if view.get("range") else {})}
    body = page["layout"](**query) if callable(page["layout"]) else page["layout"]
    return html.Div(body, className=f"wallboard-view view-{name}")


def caption(index: int, views: list[dict]) -> str:
    """'overview · 7d · 1/3': the view on screen, its range and its place in the playlist."""
    view = views[index]
    label = SCREENS.get(view["view"], view["view"]).replace("-", " ")
    suffix = f" · {view['range']}" if view.get("range") else ""
    return f"{label}{suffix} · {index + 1}/{len(views)}"
