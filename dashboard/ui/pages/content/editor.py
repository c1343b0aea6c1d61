"""The open post: its panel (facts, status, hook and body, adaptation preview) and its callbacks.

Opening a post loads it into the panel; saving writes the hook and body (a conflict offers "Save
anyway"), a status button moves it. Every write bumps the reload counter so the board follows.
page.py wires these functions as callbacks.
"""

from __future__ import annotations

from typing import Any, Optional

import dash_bootstrap_components as dbc
from dash import Output, ctx, dcc, html

from dashboard.domain.errors import BackendError
from dashboard.domain.models import Post
from dashboard.services.content import posts as content
from dashboard.ui.components.callbacks import skip
from dashboard.ui.components.dialogs import side_panel
from dashboard.ui.pages.content import ids, post_view, view
from dashboard.web import auth, runtime


def panel() -> dbc.Offcanvas:
    """The post panel, closed; load() fills and opens it."""
    status_buttons = [
        dbc.Button(
            target,
            id=ids.status_to(target),
            size="sm",
            outline=True,
            color=view.STATUS_COLOURS[target],
            className="d-none",
        )
        for target in post_view.STATUS_BUTTONS
    ]
    return side_panel(
        ids.DETAIL,
        "Post",
        [
            html.Div(id=ids.DETAIL_META, className="mb-3"),
            html.Div(id=ids.DETAIL_NOT_FOUND),
            html.Div(_form_sections(status_buttons), id=ids.DETAIL_FORM),
            dcc.Store(id=ids.DETAIL_LOADED),
        ],
        width_px=720,
    )


def _form_sections(status_buttons: list) -> list[html.Section]:
    """The open post's status, text and adaptation preview."""
    return [
        html.Section(
            [
                html.H2("Status", className="h6"),
                html.Div(id=ids.DETAIL_STATUS, className="mb-2"),
                html.Div(
                    [
                        dbc.Label("Schedule for (UTC)", html_for=ids.SCHEDULE_AT, className="small mb-1"),
                        dbc.Input(id=ids.SCHEDULE_AT, type="datetime-local", size="sm"),
                    ],
                    id=ids.SCHEDULE_GROUP,
                    className="d-none mb-2",
                ),
                html.Div(status_buttons, className="d-flex flex-wrap gap-2"),
                html.Div(id=ids.STATUS_MESSAGE, className="mt-2"),
            ],
            className="content-detail-section",
        ),
        html.Section(
            [
                html.H2("Text", className="h6"),
                dbc.Label("Hook", html_for=ids.HOOK, className="small mb-1"),
                dbc.Textarea(id=ids.HOOK, rows=2, className="mb-2"),
                dbc.Label("Body", html_for=ids.BODY, className="small mb-1"),
                dbc.Textarea(id=ids.BODY, rows=10),
                html.Div(id=ids.DETAIL_MESSAGE, className="mt-2"),
                html.Div(
                    [
                        dbc.Button("Save", id=ids.SAVE, color="primary", size="sm"),
                        dbc.Button("Save anyway", id=ids.SAVE_ANYWAY, color="warning", size="sm", className="d-none"),
                    ],
                    className="d-flex gap-2 mt-2",
                ),
            ],
            className="content-detail-section",
        ),
        html.Section(
            [
                html.H2("Preview per platform", className="h6"),
                html.Small("Of the saved hook and body.", className="text-secondary d-block mb-1"),
                dbc.Checklist(
                    id=ids.ADAPT_PLATFORMS,
                    options=view.content_platform_options(),
                    value=[],
                    inline=True,
                    className="mb-2",
                ),
                dbc.Button("Preview adaptation", id=ids.ADAPT_RUN, size="sm", color="secondary", outline=True),
                html.Div(id=ids.ADAPT_RESULT, className="mt-2"),
            ],
            className="content-detail-section",
        ),
    ]


def _status_outputs(**options: Any) -> dict[str, Any]:
    """The status section's outputs, the keys of post_view.status_view."""
    return {
        "status": Output(ids.DETAIL_STATUS, "children", **options),
        "schedule_class": Output(ids.SCHEDULE_GROUP, "className", **options),
        "button_classes": {t: Output(ids.status_to(t), "className", **options) for t in post_view.STATUS_BUTTONS},
        "button_labels": {t: Output(ids.status_to(t), "children", **options) for t in post_view.STATUS_BUTTONS},
    }


def _status(post: Optional[Post], editable: bool) -> dict[str, Any]:
    """The status section's answer: the labels stay as they are while the buttons are hidden."""
    return {**skip(_status_outputs()), **post_view.status_view(post, editable)}


LOADED = {
    "is_open": Output(ids.DETAIL, "is_open"),
    "title": Output(ids.DETAIL, "title"),
    "meta": Output(ids.DETAIL_META, "children"),
    "not_found": Output(ids.DETAIL_NOT_FOUND, "children"),
    "form_class": Output(ids.DETAIL_FORM, "className"),
    "hook": Output(ids.HOOK, "value"),
    "body": Output(ids.BODY, "value"),
    "loaded": Output(ids.DETAIL_LOADED, "data"),
    "message": Output(ids.DETAIL_MESSAGE, "children"),
    "save_anyway_class": Output(ids.SAVE_ANYWAY, "className"),
    "adapt_platforms": Output(ids.ADAPT_PLATFORMS, "value"),
    "adapt_result": Output(ids.ADAPT_RESULT, "children"),
    "status_message": Output(ids.STATUS_MESSAGE, "children"),
    "post_status": _status_outputs(),
}
"""What opening a post sets: the panel, cleared of the previous post's messages and previews."""


def load(selected: Any, view_key: Any = None, platform: Any = None) -> dict[str, Any]:
    """Open the panel on the selected post, read afresh from its source; a post that is not there
    (or an id that is none) gets a "not found" panel with no form, and a way back to the board."""
    if not selected or (selected.get("id") is None and selected.get("unknown") is None):
        return skip(LOADED)
    services = runtime.current().services
    wanted = selected["id"] if selected.get("id") is not None else selected["unknown"]
    cleared = {
        "is_open": True,
        "title": "Post not found",
        "meta": None,
        "not_found": None,
        "form_class": "d-none",
        "hook": "",
        "body": "",
        "loaded": None,
        "message": None,
        "save_anyway_class": "d-none",
        "adapt_platforms": [],
        "adapt_result": None,
        "status_message": None,
        "post_status": _status(None, True),
    }
    back = post_view.pipeline_href(view_key, platform)
    try:
        post = content.get_post(services, wanted)
    except BackendError as exc:
        return {
            **cleared,
            "title": f"Post #{wanted}",
            "not_found": post_view.not_loaded_panel(f"Could not load post {wanted}: {exc}", back),
        }
    if post is None:
        return {**cleared, "not_found": post_view.not_found_panel(wanted, back)}
    return {
        **cleared,
        "title": f"Post #{post.id}",
        "meta": post_view.post_meta(post),
        "form_class": "",
        "hook": post.hook,
        "body": post.body,
        "loaded": {"id": post.id, "hook": post.hook, "body": post.body},
        "adapt_platforms": [p for p in post.platforms if p in content.CONTENT_PLATFORMS] or ["linkedin"],
        "post_status": _status(post, content.status_is_editable(services)),
    }


SAVED = {
    "message": Output(ids.DETAIL_MESSAGE, "children", allow_duplicate=True),
    "loaded": Output(ids.DETAIL_LOADED, "data", allow_duplicate=True),
    "save_anyway_class": Output(ids.SAVE_ANYWAY, "className", allow_duplicate=True),
    "meta": Output(ids.DETAIL_META, "children", allow_duplicate=True),
    "reload": Output(ids.RELOAD, "data", allow_duplicate=True),
}


def save(_save: Any, _force: Any, hook: Any, body: Any, loaded: Any, reload: Any) -> dict[str, Any]:
    """Save the hook and body if nobody changed them since they were loaded (or "Save anyway")."""
    if not loaded:  # the panel shows no Save then: only a request made by hand gets here
        return {**skip(SAVED), "message": post_view.result_alert("not_found", "Not saved: no post is open.", [])}
    result = content.save_post(
        runtime.current().services,
        loaded["id"],
        hook,
        body,
        actor=auth.current_actor(),
        expected={"hook": loaded["hook"], "body": loaded["body"]},
        force=ctx.triggered_id == ids.SAVE_ANYWAY,
    )
    answer = {**skip(SAVED), "message": post_view.result_alert(result.status, result.message, result.errors)}
    if result.status == "conflict":
        return {**answer, "save_anyway_class": "", "reload": (reload or 0) + 1}
    stored = result.post
    if not result.ok or stored is None:
        # The editor keeps the text as typed; only the message changes (a save names its post).
        return {**answer, "save_anyway_class": "d-none"}
    return {
        **answer,
        "loaded": {"id": stored.id, "hook": stored.hook, "body": stored.body},
        "save_anyway_class": "d-none",
        "meta": post_view.post_meta(stored),
        "reload": (reload or 0) + 1,
    }


MOVED = {
    "message": Output(ids.STATUS_MESSAGE, "children", allow_duplicate=True),
    "post_status": _status_outputs(allow_duplicate=True),
    "meta": Output(ids.DETAIL_META, "children", allow_duplicate=True),
    "reload": Output(ids.RELOAD, "data", allow_duplicate=True),
}


def move(clicks: Any, scheduled_at: Any, loaded: Any, reload: Any) -> dict[str, Any]:
    """Move the open post to the status of the button clicked (`clicks`: each button's count)."""
    if not loaded or not ctx.triggered_id or not any(t.get("value") for t in ctx.triggered):
        return skip(MOVED)
    target = ctx.triggered_id.removeprefix(ids.STATUS_TO_PREFIX)
    services = runtime.current().services
    result = content.change_status(
        services, loaded["id"], target, scheduled_at=scheduled_at, actor=auth.current_actor()
    )
    alert = post_view.result_alert(result.status, result.message, result.errors)
    if not result.ok or result.post is None:  # a move that is done names its post
        return {**skip(MOVED), "message": alert}
    return {
        "message": alert,
        "post_status": _status(result.post, content.status_is_editable(services)),
        "meta": post_view.post_meta(result.post),
        "reload": (reload or 0) + 1,
    }
