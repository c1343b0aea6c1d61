"""Saved views: the grid's current state named and kept per person, got back from a menu.

A saved view is a link (services/achievements/saved_views.py keeps its query string), so
opening one is opening that link: the page is built from it as from any other.
"""

from __future__ import annotations

from typing import Any, Optional

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html

from dashboard.services.achievements.saved_views import Outcome, SavedView, SavedViews
from dashboard.ui.pages.achievements import ids
from dashboard.ui.pages.achievements.gridstate import remove_button
from dashboard.web import auth, runtime
from dashboard.web.callback_input import expect

expect(ids.VIEW_NAME, "value", Optional[str])
expect(ids.URL_WRITTEN, "data", Optional[str])


def saved_views() -> SavedViews:
    current = runtime.current()
    return SavedViews.open(current.services.cache.redis, current.settings.data_dir, current.clock.time)


def owner() -> str:
    actor = auth.current_actor()
    return f"{actor.via}:{actor.name}"


def menu() -> html.Details:
    found = saved_views().views(owner())
    return html.Details(
        [
            html.Summary("Saved views", className="btn btn-sm btn-outline-secondary grid-menu-toggle"),
            html.Div(
                [
                    html.Div(view_list(found), id=ids.VIEWS_LIST),
                    dbc.InputGroup(
                        [
                            # No maxLength: a cut name would be saved without a word; the server says.
                            dbc.Input(id=ids.VIEW_NAME, placeholder="Name this view", size="sm"),
                            dbc.Button("Save", id=ids.VIEW_SAVE, size="sm", color="primary"),
                        ],
                        size="sm",
                        className="mt-2",
                    ),
                    html.Div(found.message, id=ids.VIEW_MESSAGE, className="small mt-1 grid-view-message"),
                ],
                className="grid-menu-panel grid-views-panel",
            ),
        ],
        className="grid-menu grid-views-menu",
    )


def view_list(outcome: Outcome) -> Any:
    if not outcome.views:
        return html.Div("No saved views yet.", className="small text-secondary")
    return html.Ul([_item(view) for view in outcome.views], className="list-unstyled mb-0 grid-views")


def _item(view: SavedView) -> html.Li:
    href = dash.get_relative_path("/achievements") + (f"?{view.query}" if view.query else "")
    return html.Li(
        [
            html.A(view.name, href=href, className="grid-view-link"),
            remove_button({"type": ids.VIEW_DELETE, "name": view.name}, f"Delete saved view: {view.name}"),
        ],
        className="d-flex align-items-center justify-content-between gap-2",
    )


CHANGED = {
    "list": Output(ids.VIEWS_LIST, "children"),
    "message": Output(ids.VIEW_MESSAGE, "children"),
    "name": Output(ids.VIEW_NAME, "value"),
}


def change_views(save_clicks, delete_clicks, name, search) -> dict:
    trigger = ctx.triggered_id
    views = saved_views()
    if trigger == ids.VIEW_SAVE and save_clicks:
        outcome = views.save(owner(), name, search or "")
        return {"list": view_list(outcome), "message": _said(outcome), "name": "" if outcome.ok else dash.no_update}
    if isinstance(trigger, dict) and any(t.get("value") for t in ctx.triggered):
        outcome = views.delete(owner(), trigger.get("name"))
        return {"list": view_list(outcome), "message": _said(outcome), "name": dash.no_update}
    return {key: dash.no_update for key in CHANGED}


def _said(outcome: Outcome) -> html.Span:
    return html.Span(outcome.message, className="text-success" if outcome.ok else "text-danger")


def register() -> None:
    dash.callback(
        output=CHANGED,
        inputs={
            "save_clicks": Input(ids.VIEW_SAVE, "n_clicks"),
            "delete_clicks": Input({"type": ids.VIEW_DELETE, "name": ALL}, "n_clicks"),
        },
        state={"name": State(ids.VIEW_NAME, "value"), "search": State(ids.URL_WRITTEN, "data")},
        prevent_initial_call=True,
    )(change_views)
