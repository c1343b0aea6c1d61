"""What the open post shows, from the data: its facts, its status section, the result of a save or
a move, and the adaptation preview. Pure builders of Dash components, like view.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import html
from typing_extensions import NotRequired, TypedDict

from dashboard.domain.models import PLATFORMS, Post
from dashboard.services.content import adaptation
from dashboard.services.content import posts as content
from dashboard.ui.pages.content import ids, view

STATUS_BUTTONS = ("draft", "ready", "scheduled", "published")
_BUTTON_LABELS = {
    ("draft", "ready"): "Mark ready",
    ("ready", "scheduled"): "Schedule",
    ("ready", "draft"): "Back to draft",
    ("scheduled", "published"): "Mark published",
    ("scheduled", "ready"): "Unschedule",
    ("failed", "draft"): "Back to draft",
}


class StatusView(TypedDict):
    """The open post's status section (editor.STATUS); labels only when the buttons show."""

    status: Any
    schedule_class: str
    button_classes: dict[str, str]
    button_labels: NotRequired[dict[str, str]]


def post_meta(post: Post) -> html.Dl:
    """The open post's facts: persona, platforms, quality, tokens, and its dates."""

    def when(moment: Optional[datetime]) -> str:
        return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "—"

    return html.Dl(
        [
            html.Dt("Persona"),
            html.Dd(post.persona_id or "—"),
            html.Dt("Platforms"),
            html.Dd(view.platform_badges(post.platforms) or "—"),
            html.Dt("Quality"),
            html.Dd("not scored" if post.quality_score is None else view.number(post.quality_score)),
            html.Dt("Tokens used"),
            html.Dd("—" if post.tokens_used is None else f"{post.tokens_used:,}"),
            html.Dt("Created"),
            html.Dd(when(post.created_at)),
            html.Dt("Scheduled"),
            html.Dd(when(post.scheduled_at)),
            html.Dt("Published"),
            html.Dd(when(post.published_at)),
        ],
        className="content-detail-meta small",
    )


def status_view(post: Optional[Post], editable: bool) -> StatusView:
    """The status badge or note, the schedule field, and each status button's class and label."""
    hidden = {target: "d-none" for target in STATUS_BUTTONS}
    if post is None:
        return {"status": None, "schedule_class": "d-none", "button_classes": hidden}
    badge = dbc.Badge(
        post.status, color=view.STATUS_COLOURS.get(post.status, "dark"), className="me-2", id=ids.DETAIL_STATUS_BADGE
    )
    if not editable:
        note = html.Span(content.READ_ONLY_STATUS, className="small text-secondary content-status-readonly")
        return {"status": html.Div([badge, note]), "schedule_class": "d-none", "button_classes": hidden}
    allowed = content.TRANSITIONS.get(post.status, ())
    final = html.Span(" Final: no further change.", className="small text-secondary") if not allowed else None
    return {
        "status": html.Div([badge, final]),
        "schedule_class": "mb-2" if "scheduled" in allowed else "d-none",
        "button_classes": {target: "" if target in allowed else "d-none" for target in STATUS_BUTTONS},
        "button_labels": {target: _BUTTON_LABELS.get((post.status, target), target) for target in STATUS_BUTTONS},
    }


def result_alert(status: str, message: str, errors: list) -> dbc.Alert:
    """What became of a save or a status change; each refusal listed when there are several."""
    colours = {
        "saved": "success",
        "conflict": "warning",
        "busy": "warning",
        "read_only": "secondary",
        "not_found": "secondary",
    }
    body: Any = message
    if len(errors) > 1:
        body = [html.Div("Not saved:"), html.Ul([html.Li(str(e)) for e in errors], className="mb-0")]
    return dbc.Alert(
        body, color=colours.get(status, "danger"), className=f"py-2 mb-0 small content-result content-result--{status}"
    )


def pipeline_href(view_key: Any, platform: Any) -> str:
    """The Content page's address with its view and platform, and no post open."""
    query = {}
    if view_key in view.VIEWS and view_key != "board":
        query["view"] = view_key
    if platform in PLATFORMS:
        query["platform"] = platform
    return dash.get_relative_path("/content") + (f"?{urlencode(query)}" if query else "")


def not_found_panel(wanted: Any, back_href: str) -> html.Div:
    """What the post panel shows for a post that is not there: which id, and the way back."""
    words = content.not_found_message(wanted)
    if content.parse_post_id(wanted) is not None:
        words += " It may have been deleted, or the link that led here is mistyped."
    return _no_post_panel(words, back_href)


def not_loaded_panel(message: str, back_href: str) -> html.Div:
    """What the post panel shows when the post could not be read: why, and the way back."""
    return _no_post_panel(message + " Nothing can be edited until it loads: open it again later.", back_href)


def _no_post_panel(words: str, back_href: str) -> html.Div:
    # The panel's title says "Post not found" (or names the post); this says which and why.
    return html.Div(
        [
            html.P(words, className="mb-3"),
            dbc.Button("Back to the pipeline", href=back_href, color="primary", size="sm"),
        ],
        className="content-no-post",
        role="status",
    )


def adaptation_cards(result: content.AdaptResult) -> list:
    """One card per platform, each part once (adaptation.preview_parts): the text with its
    character count against the platform's limit, then what the text does not already hold."""
    if result.error:
        return [dbc.Alert(result.error, color="danger", className="py-2 small content-adapt-error")]
    cards = [_adaptation_card(adaptation.preview_parts(a)) for a in result.adaptations]
    source = html.Small(f"Adapted by the {result.source}.", className="text-secondary d-block mb-2")
    missing = (
        [
            dbc.Alert(
                f"The {result.source} returned no adaptation for: {', '.join(result.missing)}.",
                color="warning",
                className="py-2 small",
            )
        ]
        if result.missing
        else []
    )
    return [source, *missing, *cards]


def _adaptation_card(parts: adaptation.PreviewParts) -> dbc.Card:
    count = parts.count
    engagement = (
        "not estimated by the embedded templates"
        if parts.estimated_engagement is None
        else f"{parts.estimated_engagement:.4g}"
    )
    facts: list = []
    if parts.call_to_action:
        facts += [html.Dt("Call to action"), html.Dd(parts.call_to_action, className="content-adapt-cta")]
    if parts.hashtags:
        facts += [
            html.Dt("Hashtags"),
            html.Dd(
                [dbc.Badge(tag, color="light", text_color="dark", className="me-1") for tag in parts.hashtags],
                className="content-adapt-hashtags",
            ),
        ]
    facts += [html.Dt("Estimated engagement"), html.Dd(engagement, className="content-adapt-engagement")]
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    dbc.Badge(parts.label, className="me-2"),
                    html.Span(
                        count.words,
                        className="content-adapt-count" + (" content-adapt-count--over" if count.over else ""),
                        title="Characters of the text below, spaces and line breaks included"
                        + ("" if count.limit is None else f"; {parts.label} takes at most {count.limit:,}"),
                    ),
                ],
                className="d-flex flex-wrap align-items-center gap-1",
            ),
            dbc.CardBody(
                [
                    html.Div(parts.title, className="fw-semibold mb-1 content-adapt-title") if parts.title else None,
                    # Backend text is shown as text: white-space keeps its lines, nothing is parsed.
                    html.Div(parts.text, className="content-adapt-text"),
                    html.Dl(facts, className="small mb-0 mt-2 content-adapt-facts"),
                ]
            ),
        ],
        className=f"mb-2 content-adapt content-adapt--{view.slug(parts.platform)}"
        + (" content-adapt--over" if count.over else ""),
    )
