"""Adding an achievement: the dialog opens, the form is sent once, and keeps what was typed on refusal."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html

from dashboard.domain.outcomes import EditResult, FieldProblem
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

CHECKED = {name: component for name, component in ADD_FIELDS.items() if name != "portfolio_ready"}
"""The fields that show their own refusal (a checkbox cannot be wrong)."""

ADDED = {
    "errors": Output(ids.ADD_ERRORS, "children"),
    "invalid": {name: Output(component, "invalid") for name, component in CHECKED.items()},
    "feedback": {name: Output(ids.feedback(component), "children") for name, component in CHECKED.items()},
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
        # The form keeps everything typed; each refused field says why under it.
        return {
            **skip(ADDED),
            **field_errors(result.errors),
            "errors": refusal_alert(result),
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
        **field_errors([]),
        "errors": None,
        "is_open": False,
        "message": message,
        "reload": (reload or 0) + 1,
        "fields": {**dict.fromkeys(ADD_FIELDS, ""), **skip(KEPT_AFTER_ADD)},
    }


def field_errors(errors: list[FieldProblem]) -> dict:
    """Each form field's invalid state and message: 'Impact 150 is out of range (accepted: …).'"""
    mine = {e.field: e for e in errors if e.field in CHECKED}
    return {
        "invalid": {name: name in mine for name in CHECKED},
        "feedback": {name: _beside(mine[name]) if name in mine else None for name in CHECKED},
    }


def _beside(problem: FieldProblem) -> str:
    """A refusal under its field: 'Title is required.', 'Impact 150 is out of range (accepted: …).'"""
    name = problem.label or problem.field
    if problem.message == "is required":  # the field shows what it takes (its choices, its format)
        return f"{name} is required."
    return f"{name} {problem.message} (accepted: {problem.accepted})."


def refusal_alert(result: EditResult) -> dbc.Alert:
    """What is wrong as a whole: the fields to fix (each says why under it), or a refusal that is
    no field's (busy, the service down), in full."""
    order = list(CHECKED)
    beside = sorted((e for e in result.errors if e.field in CHECKED), key=lambda e: order.index(e.field))  # as read
    elsewhere = [html.Li(str(e)) for e in result.errors if e.field not in CHECKED]
    if beside:
        names = ", ".join(dict.fromkeys(e.label or e.field for e in beside))
        count = len(dict.fromkeys(e.field for e in beside))
        head = f"Not added: {count} field{'s' if count > 1 else ''} to fix ({names}), said under each."
    else:
        head = result.message if not elsewhere else "Not added:"
    return dbc.Alert(
        [head, *([html.Ul(elsewhere, className="mb-0")] if elsewhere else [])],
        color="warning" if result.status == "busy" else "danger",
        className="small add-error",
    )


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
