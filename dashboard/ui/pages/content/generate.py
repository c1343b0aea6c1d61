"""The Generate form: a modal that writes (embedded) or queues (orchestrator) a post.

Opening it offers the personas and achievements the sources know; the preview says what the post
will be about; submitting adds a job to this tab's jobs, which the board's jobs panel follows.
A submission id makes a double click one submission. page.py wires these functions as callbacks.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Output, ctx, dcc, html

from dashboard.domain.business_value import format_money
from dashboard.domain.models import score_text
from dashboard.services.content import posts as content
from dashboard.ui.components.callbacks import skip
from dashboard.ui.components.dialogs import dialog
from dashboard.ui.pages.content import ids, view
from dashboard.ui.pages.content.stores import Job
from dashboard.web import auth, runtime
from dashboard.web.callback_input import readable


def modal() -> dbc.Modal:
    """The form, closed; `toggle` opens it."""
    form = [
        html.Div(id=ids.GENERATE_SOURCE, className="small text-secondary mb-3"),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label("Persona", html_for=ids.GENERATE_PERSONA),
                        dbc.Input(
                            id=ids.GENERATE_PERSONA,
                            list=ids.GENERATE_PERSONAS,
                            placeholder="e.g. ai-engineer",
                            autocomplete="off",
                        ),
                        html.Datalist(id=ids.GENERATE_PERSONAS),
                    ],
                    md=6,
                    className="mb-3",
                ),
                dbc.Col(
                    [
                        dbc.Label("Minimum value ($)", html_for=ids.GENERATE_MIN_VALUE),
                        # Text, not type=number: a browser drops a number input's value it finds
                        # invalid, and the server would then see "no minimum" instead of what was typed.
                        dbc.Input(
                            id=ids.GENERATE_MIN_VALUE,
                            type="text",
                            inputMode="decimal",
                            placeholder="no minimum, e.g. 10000",
                            autocomplete="off",
                        ),
                    ],
                    md=6,
                    className="mb-3",
                ),
            ]
        ),
        dbc.Label("Platforms", html_for=ids.GENERATE_PLATFORMS),
        dbc.Checklist(
            id=ids.GENERATE_PLATFORMS,
            options=view.content_platform_options(),
            value=["dev.to", "linkedin"],
            inline=True,
            className="mb-2",
        ),
        dbc.Switch(id=ids.GENERATE_DRAFT_ONLY, label="Draft only (do not mark it ready)", value=True, className="mb-3"),
        dbc.Label("Write about", html_for=ids.GENERATE_MODE),
        dbc.RadioItems(
            id=ids.GENERATE_MODE,
            options=[
                {
                    "label": f"Recent high-impact achievements (the {content.RECENT_COUNT} highest-impact "
                    f"of the last {content.RECENT_DAYS} days)",
                    "value": "recent",
                },
                {"label": f"Achievements I pick (up to {content.MAX_PICKED})", "value": "pick"},
            ],
            value="recent",
            className="mb-2",
        ),
        dcc.Dropdown(
            id=ids.GENERATE_PICKED,
            multi=True,
            placeholder="Search achievements…",
            options=[],
            disabled=True,
            className="mb-2 content-generate-picked",
        ),
        html.Div(id=ids.GENERATE_PREVIEW, className="small text-secondary mb-2"),
        html.Div(id=ids.GENERATE_ERRORS),
        dcc.Store(id=ids.GENERATE_SUBMISSION, data=content.new_submission_id()),
    ]
    return dialog(
        ids.GENERATE_MODAL,
        "Generate content",
        dbc.ModalBody(form),
        cancel=("Cancel", ids.GENERATE_CANCEL),
        confirm=("Generate", ids.GENERATE_SUBMIT),
        size="lg",
    )


TOGGLED = {
    "is_open": Output(ids.GENERATE_MODAL, "is_open"),
    "personas": Output(ids.GENERATE_PERSONAS, "children"),
    "persona": Output(ids.GENERATE_PERSONA, "value"),
    "achievements": Output(ids.GENERATE_PICKED, "options"),
    "source": Output(ids.GENERATE_SOURCE, "children"),
}

_QUEUES_A_TASK = (
    "Queues a task on the orchestrator (POST /task) with the persona and a topic written from "
    "the chosen achievements. Platforms and draft-only are not part of that call: its worker "
    "decides them."
)
_WRITES_AT_ONCE = (
    "No orchestrator is configured: a post is written at once from the chosen achievements by "
    "the dashboard's own templates (no language model) and appears on the board."
)


def toggle(_open: Any, _cancel: Any, persona: Any) -> dict[str, Any]:
    """Open the form with what the sources know (keeping a persona typed before), or close it."""
    if ctx.triggered_id != ids.GENERATE_OPEN:
        return {**skip(TOGGLED), "is_open": False}
    services = runtime.current().services
    personas = content.known_personas(services.posts().value or [])
    achievements = services.achievements().value or []
    return {
        "is_open": True,
        "personas": [html.Option(value=p) for p in personas],
        "persona": persona or (personas[0] if personas else None),
        "achievements": [
            {
                "label": f"{a.title} · {format_money(a.value_amount)} · impact {score_text(a.impact_score)} · "
                f"{a.completed_at:%Y-%m-%d}",
                "value": a.id,
            }
            for a in achievements[:500]
        ],
        "source": _QUEUES_A_TASK if content.queues_tasks(services) else _WRITES_AT_ONCE,
    }


PREVIEWED = {
    "picked_disabled": Output(ids.GENERATE_PICKED, "disabled"),
    "preview": Output(ids.GENERATE_PREVIEW, "children"),
}


def preview(mode: Any, min_value: Any, is_open: Any) -> dict[str, Any]:
    """What the post will be about, or how to pick; the pick list is enabled in pick mode only."""
    if mode == "pick":
        return {
            "picked_disabled": False,
            "preview": f"Pick 1–{content.MAX_PICKED} achievements; each must be worth at least the minimum value.",
        }
    if not is_open:
        return {"picked_disabled": True, "preview": None}
    errors: list = []
    minimum = content.parse_amount(min_value, errors)
    if errors:
        return {"picked_disabled": True, "preview": str(errors[0])}
    achievements = runtime.current().services.achievements().value or []
    chosen = content.recent_high_impact(achievements, runtime.current().clock.now(), min_value=minimum)
    if not chosen:
        return {"picked_disabled": True, "preview": "No achievement of the last 30 days reaches that minimum."}
    return {"picked_disabled": True, "preview": "Will write about: " + "; ".join(a.title for a in chosen)}


SUBMITTED = {
    "errors": Output(ids.GENERATE_ERRORS, "children"),
    "is_open": Output(ids.GENERATE_MODAL, "is_open", allow_duplicate=True),
    "jobs": Output(ids.JOBS_STORE, "data"),
    "submission": Output(ids.GENERATE_SUBMISSION, "data"),
}


def submit(
    _clicks: Any,
    persona: Any,
    platforms: Any,
    draft_only: Any,
    mode: Any,
    picked: Any,
    min_value: Any,
    submission: Any,
    jobs: Any,
) -> dict[str, Any]:
    """Generate (or queue) a post; the form closes and the job joins this tab's jobs."""
    form = {
        "persona_id": persona,
        "platforms": platforms,
        "draft_only": draft_only,
        "mode": mode,
        "picked": picked,
        "min_value": min_value,
    }
    result = content.generate_content(runtime.current().services, form, submission, actor=auth.current_actor())
    if not result.ok:
        # The form keeps everything chosen; only the message changes.
        items = [html.Li(str(e)) for e in result.errors] or [html.Li(result.message)]
        alert = dbc.Alert(html.Ul(items, className="mb-0"), color="danger", className="small content-generate-error")
        return {**skip(SUBMITTED), "errors": alert, "is_open": True}
    kept = [j for j in readable(jobs, Job) if j.get("submission") != result.submission_id]
    return {
        "errors": None,
        "is_open": False,
        "jobs": (kept + [result.as_job()])[-view.JOBS_KEPT :],
        "submission": content.new_submission_id(),
    }
