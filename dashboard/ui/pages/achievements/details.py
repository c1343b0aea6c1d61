"""An achievement's details in a side panel (its description editable), and the audit trail."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard.domain.actors import Role
from dashboard.domain.errors import BackendError
from dashboard.ui.components.callbacks import skip
from dashboard.ui.pages.achievements import ids
from dashboard.ui.pages.achievements.edits import stamp
from dashboard.ui.pages.achievements.view import audit_table, value_details
from dashboard.web import auth, runtime

PANEL = {
    "is_open": Output(ids.DETAIL_PANEL, "is_open"),
    "title": Output(ids.DETAIL_PANEL, "title"),
    "meta": Output(ids.DETAIL_META, "children"),
    "description": Output(ids.DETAIL_DESCRIPTION, "value"),
    "row": Output(ids.DETAIL_ROW, "data"),
    "message": Output(ids.DETAIL_MESSAGE, "children"),
}
SAVED = {
    "message": Output(ids.DETAIL_MESSAGE, "children", allow_duplicate=True),
    "row": Output(ids.DETAIL_ROW, "data", allow_duplicate=True),
    "reload": Output(ids.RELOAD, "data", allow_duplicate=True),
}


def _refused(alert: dbc.Alert) -> dict:
    return {"is_open": True, "title": "Achievement", "meta": alert, "description": "", "row": None, "message": None}


def open_detail(event) -> dict:
    row_id = (event or {}).get("rowId")
    if row_id is None or (event or {}).get("colId") != "details":
        return skip(PANEL)
    try:
        achievement = runtime.current().services.get_achievement(int(row_id))
    except BackendError as exc:
        return _refused(dbc.Alert(f"Could not load it: {exc}", color="danger"))
    if achievement is None:
        return _refused(dbc.Alert("This achievement no longer exists.", color="secondary"))
    a = achievement
    meta = html.Dl(
        [
            html.Dt("Category"),
            html.Dd(a.category),
            html.Dt("Completed"),
            html.Dd(f"{a.completed_at:%Y-%m-%d}"),
            html.Dt("Business value"),
            html.Dd(value_details(a, runtime.current().services.currency)),
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
    row = {"id": a.id, "stamp": a.updated_at.isoformat() if a.updated_at else None}
    return {"is_open": True, "title": a.title, "meta": meta, "description": a.description, "row": row, "message": None}


def save_description(clicks, description, row, reload) -> dict:
    if not row:
        return skip(SAVED)
    result = runtime.current().services.edit_achievement(
        row["id"], {"description": description}, expected_updated_at=row["stamp"], actor=auth.current_actor()
    )
    colour = {"saved": "success", "conflict": "warning", "busy": "warning"}.get(result.status, "danger")
    alert = dbc.Alert(result.message, color=colour, className="py-2 small")
    if result.ok:
        return {"message": alert, "row": {"id": row["id"], "stamp": stamp(result)}, "reload": (reload or 0) + 1}
    return {**skip(SAVED), "message": alert}


def show_audit(reload):
    if not auth.current_actor().may(Role.ADMIN):
        return html.P("The audit trail is shown to admins.", className="text-secondary m-3 small")
    audit = runtime.current().services.audit
    return audit_table(audit.recent(15) if audit else [])


def register() -> None:
    dash.callback(
        output=PANEL,
        inputs={"event": Input(ids.GRID, "cellClicked")},
        prevent_initial_call=True,
    )(open_detail)
    dash.callback(
        output=SAVED,
        inputs={"clicks": Input(ids.DETAIL_SAVE, "n_clicks")},
        state={
            "description": State(ids.DETAIL_DESCRIPTION, "value"),
            "row": State(ids.DETAIL_ROW, "data"),
            "reload": State(ids.RELOAD, "data"),
        },
        prevent_initial_call=True,
    )(save_description)
    dash.callback(Output(ids.AUDIT, "children"), Input(ids.RELOAD, "data"))(show_audit)
