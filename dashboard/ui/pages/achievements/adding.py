"""Adding an achievement: the dialog opens, the form is sent once, and keeps what was typed on refusal."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html

from dashboard.ui.components.callbacks import disabled_while_running, skip
from dashboard.ui.pages.achievements import ids
from dashboard.web import auth, runtime

ADD_FIELDS = {
    "title": ids.ADD_TITLE,
    "category": ids.ADD_CATEGORY,
    "description": ids.ADD_DESCRIPTION,
    "started_at": ids.ADD_STARTED,
    "completed_at": ids.ADD_COMPLETED,
    "business_value": ids.ADD_VALUE,
    "impact_score": ids.ADD_IMPACT,
    "source_type": ids.ADD_SOURCE_TYPE,
    "source_url": ids.ADD_SOURCE_URL,
    "tags": ids.ADD_TAGS,
    "portfolio_ready": ids.ADD_PUBLISHED,
}
"""The service's field name -> the form's input."""
KEPT_AFTER_ADD = ("portfolio_ready", "source_type", "category")
"""Choices that stay for the next achievement; the typed fields are cleared."""

ADDED = {
    "errors": Output(ids.ADD_ERRORS, "children"),
    "is_open": Output(ids.ADD_MODAL, "is_open", allow_duplicate=True),
    "message": Output(ids.MESSAGES, "children", allow_duplicate=True),
    "reload": Output(ids.RELOAD, "data", allow_duplicate=True),
    "fields": {name: Output(component, "value", allow_duplicate=True) for name, component in ADD_FIELDS.items()},
}


def toggle_add(open_clicks, cancel_clicks) -> bool:
    return ctx.triggered_id == ids.ADD_OPEN


def add_achievement(clicks, form: dict, reload) -> dict:
    result = runtime.current().services.create_achievement(form, actor=auth.current_actor())
    if not result.ok:
        # The form keeps everything typed; only the message changes.
        errors = [html.Li(str(e)) for e in result.errors] or [html.Li(result.message)]
        colour = "warning" if result.status == "busy" else "danger"
        return {
            **skip(ADDED),
            "errors": dbc.Alert(html.Ul(errors, className="mb-0"), color=colour, className="small add-error"),
            "is_open": True,
            "fields": skip(ADD_FIELDS),
        }
    message = dbc.Alert(
        # A saved add carries the stored achievement; without it the message stands alone.
        result.message + (f" ({result.achievement.title})" if result.achievement is not None else ""),
        color="success",
        className="py-2 small edit-result edit-result--saved",
        dismissable=True,
        duration=8000,
    )
    return {
        "errors": None,
        "is_open": False,
        "message": message,
        "reload": (reload or 0) + 1,
        "fields": {**dict.fromkeys(ADD_FIELDS, ""), **skip(KEPT_AFTER_ADD)},
    }


def register() -> None:
    dash.callback(
        Output(ids.ADD_MODAL, "is_open"),
        Input(ids.ADD_OPEN, "n_clicks"),
        Input(ids.ADD_CANCEL, "n_clicks"),
        prevent_initial_call=True,
    )(toggle_add)
    dash.callback(
        output=ADDED,
        inputs={"clicks": Input(ids.ADD_SUBMIT, "n_clicks")},
        state={
            "form": {name: State(component, "value") for name, component in ADD_FIELDS.items()},
            "reload": State(ids.RELOAD, "data"),
        },
        # Unavailable while the create runs: a second click would send the form a second time.
        running=disabled_while_running(ids.ADD_SUBMIT),
        prevent_initial_call=True,
    )(add_achievement)
