"""Content pipeline: the orchestrator's posts by status, a post's editor, and content generation.

Every URL is a permalink: `?view=board|table`, `?platform=<platform>` and `?post=<id>` (the open
post). The controls write the query string in place (history.replaceState), so changing a filter
never re-renders the page or loses what is typed in the editor or the Generate form.

One callback fills the KPIs, the board and the generation panel on load and on every refresh
tick, so a screen sends one request per tick. Writes (hook and body, status, generation) go
through dashboard.services.content.posts, which says what each source can do: against the real
orchestrator a post's status is read-only, and generating queues a task whose only answer is its id.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Optional

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update
from typing_extensions import TypedDict

from dashboard.domain.actors import Role
from dashboard.domain.business_value import format_money
from dashboard.domain.errors import BackendError
from dashboard.domain.models import PLATFORMS, ContentStats, Fresh, Post, SystemMetrics
from dashboard.services.content import posts as content
from dashboard.ui.components.outages import outage_notices, outage_slot
from dashboard.ui.components.tiles import (
    epoch_ms,
    freshness_entry,
    freshness_line,
    freshness_store,
    kpi_card,
    sample_badge,
    tile_class,
)
from dashboard.web import auth, runtime
from dashboard.web.callback_input import Count, RecordId, expect, readable

dash.register_page(__name__, path="/content", name="Content", title="Content pipeline · Threads-Agent", order=2)

PAGE = "content"
VIEWS = ("board", "table")
KPI_TILES = (
    ("content-total", "Total posts"),
    ("content-today", "Today"),
    ("content-week", "This week"),
    ("content-drafts", "Drafts"),
    ("content-ready", "Ready"),
    ("content-scheduled", "Scheduled"),
    ("content-published", "Published"),
    ("content-quality", "Avg. quality"),
)
KPI_IDS = tuple(tile for tile, _ in KPI_TILES)
BOARD_LIMIT = 30
"""Posts shown per board column; the table shows more."""
TABLE_LIMIT = 200
JOBS_KEPT = 5
STATUS_COLOURS = {
    "draft": "secondary",
    "ready": "info",
    "scheduled": "primary",
    "published": "success",
    "failed": "danger",
}
STATUS_BUTTONS = ("draft", "ready", "scheduled", "published")
OPEN_POST = "content-post-open"
ALL_PLATFORMS = "all"


def layout(view: Optional[str] = None, platform: Optional[str] = None, post: Optional[str] = None, **_query):
    view_key, platform_key, post_id, problems = parse_query(view, platform, post)
    sample = "posts" in runtime.current().services.sample_data_sets()
    return html.Div(
        [
            html.Div(
                [
                    html.H1("Content pipeline"),
                    html.Div(
                        [
                            dbc.RadioItems(
                                id="content-view",
                                options=[{"label": "Board", "value": "board"}, {"label": "Table", "value": "table"}],
                                value=view_key,
                                inline=True,
                                className="btn-group content-view",
                                inputClassName="btn-check",
                                labelClassName="btn btn-sm btn-outline-primary",
                                labelCheckedClassName="active",
                            ),
                            dbc.Select(
                                id="content-platform",
                                options=[{"label": "All platforms", "value": ALL_PLATFORMS}]
                                + [{"label": content.PLATFORM_LABELS[p], "value": p} for p in PLATFORMS],
                                value=platform_key or ALL_PLATFORMS,
                                size="sm",
                                className="content-platform",
                            ),
                            dbc.Button(
                                "Generate content",
                                id="content-generate-open",
                                color="primary",
                                size="sm",
                                disabled=not auth.current_actor().may(Role.EDITOR),
                            ),
                        ],
                        className="d-flex flex-wrap gap-2 align-items-center",
                    ),
                ],
                className="page-header",
            ),
            dbc.Alert(
                [html.Div(p) for p in problems], color="warning", className="py-2 small", id="content-url-problem"
            )
            if problems
            else None,
            freshness_store(PAGE),
            outage_slot(PAGE),
            dbc.Row(
                [dbc.Col(kpi_card(tile, title, sample=sample), xs=6, md=3, xxl=True) for tile, title in KPI_TILES],
                className="g-3 mb-3",
            ),
            html.Div(
                [
                    html.Div(id="content-jobs", **{"aria-live": "polite"}),
                    dbc.Button(
                        "Clear these messages", id="content-jobs-clear", size="sm", color="link", className="d-none"
                    ),
                ],
                className="content-jobs",
            ),
            dbc.Card(
                [
                    dbc.CardHeader(
                        [
                            html.Div(
                                [
                                    html.Span(["Posts by status", *sample_badge(sample)], className="tile-title me-2"),
                                    html.Small("", id="content-board-source", className="text-secondary"),
                                ]
                            ),
                            freshness_line("content-board"),
                        ],
                        className="d-flex flex-wrap justify-content-between align-items-baseline gap-2",
                    ),
                    dbc.CardBody(html.Div(id="content-board"), className="p-2"),
                ],
                id="content-board-card",
                className="tile",
            ),
            dcc.Store(id="content-board-version"),
            dcc.Store(id="content-selected-post", data={"id": post_id} if post_id is not None else None),
            dcc.Store(id="content-reload", data=0),
            dcc.Store(id="content-jobs-store", storage_type="session"),
            dcc.Store(id="content-url-sync"),
            _detail_panel(),
            _generate_modal(),
        ]
    )


def parse_query(view: Optional[str], platform: Optional[str], post: Optional[str]):
    """(view, platform or None, post id or None, problems) from the URL; bad values explained."""
    problems = []
    view_key = view if view in VIEWS else "board"
    if view not in (None, "") and view not in VIEWS:
        problems.append(f"Unknown view {view[:20]!r}: showing the board (accepted: {', '.join(VIEWS)}).")
    platform_key = platform if platform in PLATFORMS else None
    if platform not in (None, "") and platform not in PLATFORMS:
        problems.append(
            f"Unknown platform {platform[:20]!r}: showing all platforms (accepted: {', '.join(PLATFORMS)})."
        )
    post_id = None
    if post not in (None, ""):
        try:
            post_id = int(post)
            if not 1 <= post_id < 2**63:  # beyond SQLite's integers no post can have it
                raise ValueError
        except (TypeError, ValueError):
            post_id = None
            problems.append(f"post={str(post)[:20]} is not a post id (accepted: a positive whole number).")
    return view_key, platform_key, post_id, problems


def _detail_panel() -> dbc.Offcanvas:
    status_buttons = [
        dbc.Button(
            target,
            id=f"content-status-to-{target}",
            size="sm",
            outline=True,
            color=STATUS_COLOURS[target],
            className="d-none",
        )
        for target in STATUS_BUTTONS
    ]
    return dbc.Offcanvas(
        [
            html.Div(id="content-detail-meta", className="mb-3"),
            html.Section(
                [
                    html.H2("Status", className="h6"),
                    html.Div(id="content-detail-status", className="mb-2"),
                    html.Div(
                        [
                            dbc.Label(
                                "Schedule for (UTC)", html_for="content-detail-schedule-at", className="small mb-1"
                            ),
                            dbc.Input(id="content-detail-schedule-at", type="datetime-local", size="sm"),
                        ],
                        id="content-detail-schedule-group",
                        className="d-none mb-2",
                    ),
                    html.Div(status_buttons, className="d-flex flex-wrap gap-2"),
                    html.Div(id="content-status-message", className="mt-2"),
                ],
                className="content-detail-section",
            ),
            html.Section(
                [
                    html.H2("Text", className="h6"),
                    dbc.Label("Hook", html_for="content-detail-hook", className="small mb-1"),
                    dbc.Textarea(id="content-detail-hook", rows=2, className="mb-2"),
                    dbc.Label("Body", html_for="content-detail-body", className="small mb-1"),
                    dbc.Textarea(id="content-detail-body", rows=10),
                    html.Div(id="content-detail-message", className="mt-2"),
                    html.Div(
                        [
                            dbc.Button("Save", id="content-detail-save", color="primary", size="sm"),
                            dbc.Button(
                                "Save anyway", id="content-detail-force", color="warning", size="sm", className="d-none"
                            ),
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
                        id="content-adapt-platforms",
                        options=[{"label": content.PLATFORM_LABELS[p], "value": p} for p in PLATFORMS],
                        value=[],
                        inline=True,
                        className="mb-2",
                    ),
                    dbc.Button(
                        "Preview adaptation", id="content-adapt-run", size="sm", color="secondary", outline=True
                    ),
                    html.Div(id="content-adapt-result", className="mt-2"),
                ],
                className="content-detail-section",
            ),
            dcc.Store(id="content-detail-loaded"),
        ],
        id="content-detail",
        title="Post",
        placement="end",
        is_open=False,
        style={"width": "min(720px, 100vw)"},
    )


def _generate_modal() -> dbc.Modal:
    form = [
        html.Div(id="content-generate-source", className="small text-secondary mb-3"),
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label("Persona", html_for="content-generate-persona"),
                        dbc.Input(
                            id="content-generate-persona",
                            list="content-generate-personas",
                            placeholder="e.g. ai-engineer",
                            autocomplete="off",
                        ),
                        html.Datalist(id="content-generate-personas"),
                    ],
                    md=6,
                    className="mb-3",
                ),
                dbc.Col(
                    [
                        dbc.Label("Minimum value ($)", html_for="content-generate-min-value"),
                        # Text, not type=number: a browser drops a number input's value it finds
                        # invalid, and the server would then see "no minimum" instead of what was typed.
                        dbc.Input(
                            id="content-generate-min-value",
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
        dbc.Label("Platforms", html_for="content-generate-platforms"),
        dbc.Checklist(
            id="content-generate-platforms",
            options=[{"label": content.PLATFORM_LABELS[p], "value": p} for p in content.GENERATE_PLATFORMS],
            value=["dev.to", "linkedin"],
            inline=True,
            className="mb-2",
        ),
        dbc.Switch(
            id="content-generate-draft-only", label="Draft only (do not mark it ready)", value=True, className="mb-3"
        ),
        dbc.Label("Write about", html_for="content-generate-mode"),
        dbc.RadioItems(
            id="content-generate-mode",
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
            id="content-generate-picked",
            multi=True,
            placeholder="Search achievements…",
            options=[],
            disabled=True,
            className="mb-2 content-generate-picked",
        ),
        html.Div(id="content-generate-preview", className="small text-secondary mb-2"),
        html.Div(id="content-generate-errors"),
        dcc.Store(id="content-generate-submission", data=content.new_submission_id()),
    ]
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Generate content")),
            dbc.ModalBody(form),
            dbc.ModalFooter(
                [
                    dbc.Button("Cancel", id="content-generate-cancel", color="secondary"),
                    dbc.Button("Generate", id="content-generate-submit", color="primary"),
                ]
            ),
        ],
        id="content-generate-modal",
        is_open=False,
        size="lg",
    )


# What the browser sends back -----------------------------------------------------------------
# The stores hold what the callbacks below put there; any other shape is refused with a 400
# before a callback runs (dashboard/web/callback_input.py). The jobs live in the tab's session
# storage, where an older version may have left entries: those are dropped, not refused.


class SelectedPost(TypedDict, total=False):
    id: Optional[RecordId]
    nonce: Any


class LoadedPost(TypedDict):
    id: RecordId
    hook: Optional[str]
    body: Optional[str]


class Job(TypedDict, total=False):
    """A submission this screen follows (GenerateResult.as_job), as far as the page reads it."""

    status: str
    message: str
    post_id: Optional[RecordId]
    task_state: Optional[str]
    submitted_at: Optional[str]
    baseline_post_id: Optional[int]


expect("content-selected-post", "data", Optional[SelectedPost])
expect("content-detail-loaded", "data", Optional[LoadedPost])
expect("content-reload", "data", Optional[Count])
expect("content-jobs-store", "data", Optional[list[Any]])
expect("content-generate-persona", "value", Optional[str])


# The URL follows the controls in place: a page re-render would lose typed input.
dash.clientside_callback(
    """
    function(view, platform, selected, isOpen) {
        const params = new URLSearchParams(window.location.search);
        const set = (key, value) => { if (value) { params.set(key, value); } else { params.delete(key); } };
        set('view', view && view !== 'board' ? view : null);
        set('platform', platform && platform !== 'all' ? platform : null);
        set('post', isOpen && selected && selected.id ? String(selected.id) : null);
        const query = params.toString();
        const url = window.location.pathname + (query ? '?' + query : '') + window.location.hash;
        if (url !== window.location.pathname + window.location.search + window.location.hash) {
            window.history.replaceState(window.history.state, '', url);
        }
        return query;
    }
    """,
    Output("content-url-sync", "data"),
    Input("content-view", "value"),
    Input("content-platform", "value"),
    Input("content-selected-post", "data"),
    Input("content-detail", "is_open"),
)


# Refresh ----------------------------------------------------------------------------------------


@callback(
    [Output(f"{tile}-value", "children") for tile in KPI_IDS]
    + [Output(f"{tile}-delta", "children") for tile in KPI_IDS]
    + [Output(f"{tile}-card", "className") for tile in KPI_IDS]
    + [
        Output("content-board", "children"),
        Output("content-board-card", "className"),
        Output("content-board-source", "children"),
        Output("content-board-version", "data"),
        Output("content-jobs", "children"),
        Output({"type": "freshness-data", "page": PAGE}, "data"),
        Output("content-outages", "children"),
    ],
    Input("refresh-interval", "n_intervals"),
    Input("content-reload", "data"),
    Input("content-view", "value"),
    Input("content-platform", "value"),
    Input("content-jobs-store", "data"),
    State("content-board-version", "data"),
    # A tick that arrives while this runs is dropped rather than queued behind it.
    running=[(Output("refresh-interval", "disabled"), True, False)],
)
def refresh_content(_tick, _reload, view, platform, jobs, board_version):
    services = runtime.current().services
    jobs = readable(jobs, Job)
    stats = services.content_stats()
    posts = services.posts()
    metrics = services.system_metrics() if any(j.get("status") == "queued" for j in jobs or []) else None
    page = build_content(
        stats,
        posts,
        view,
        platform,
        jobs=jobs or [],
        metrics=metrics,
        read_only=not content.status_is_editable(services),
        source=content.source_name(services),
        now=runtime.current().clock.now(),
    )
    board = no_update if page["board_version"] == board_version else page["board"]
    return (
        [page["values"][t] for t in KPI_IDS]
        + [page["deltas"][t] for t in KPI_IDS]
        + [page["classes"][t] for t in KPI_IDS]
        + [
            board,
            page["board_class"],
            page["source"],
            page["board_version"],
            page["jobs"],
            page["freshness"],
            outage_notices(services.outages(content_stats=stats, posts=posts), note="your edits are kept"),
        ]
    )


def build_content(
    stats: Fresh[ContentStats],
    posts: Fresh[list[Post]],
    view: Optional[str],
    platform: Optional[str],
    *,
    jobs: list[dict],
    metrics: Optional[Fresh[SystemMetrics]],
    read_only: bool,
    source: str,
    now: datetime,
) -> dict:
    """Everything the page shows on a refresh, from the data sets; no I/O, so it is unit-testable."""
    values, deltas = _kpis(stats)
    classes = {tile: tile_class(stats, "tile kpi-card h-100") for tile in KPI_IDS}
    freshness = {tile: freshness_entry(stats) for tile in KPI_IDS}
    freshness["content-board"] = freshness_entry(posts)
    freshness["_updated"] = epoch_ms(now)
    view = view if view in VIEWS else "board"
    platform = platform if platform in PLATFORMS else None
    if posts.value is None:
        # The page's outage notice says why, once.
        board = html.P("No posts to show.", className="text-secondary fst-italic m-3 content-board-empty")
    elif view == "table":
        board = posts_table(content.group_by_status(posts.value, platform=platform))
    else:
        board = posts_board(content.group_by_status(posts.value, platform=platform))
    version = f"{posts.fetched_at}|{posts.error}|{view}|{platform}"
    note = f"from the {source}" + (
        " · status is read-only (the orchestrator stores only hook and body)" if read_only else ""
    )
    return {
        "values": values,
        "deltas": deltas,
        "classes": classes,
        "board": board,
        "board_class": tile_class(posts),
        "board_version": version,
        "source": note,
        "jobs": jobs_panel(jobs, posts, metrics, now),
        "freshness": freshness,
    }


def _kpis(stats: Fresh[ContentStats]) -> tuple[dict, dict]:
    if stats.value is None:
        return {t: "—" for t in KPI_IDS}, {t: "" for t in KPI_IDS}
    s = stats.value
    total = s.total_posts

    def share(count: int) -> str:
        return f"{count / total:.0%} of posts" if total else ""

    values = {
        "content-total": f"{total:,}",
        "content-today": f"{s.posts_today:,}",
        "content-week": f"{s.posts_this_week:,}",
        "content-drafts": f"{s.draft_count:,}",
        "content-ready": f"{s.ready_count:,}",
        "content-scheduled": f"{s.scheduled_count:,}",
        "content-published": f"{s.published_count:,}",
        "content-quality": "—" if s.avg_quality_score is None else _number(s.avg_quality_score),
    }
    deltas = {
        "content-total": f"{s.active_personas} persona{'s' if s.active_personas != 1 else ''}",
        "content-today": "created today",
        "content-week": "created this week",
        "content-drafts": share(s.draft_count),
        "content-ready": share(s.ready_count),
        "content-scheduled": share(s.scheduled_count),
        "content-published": share(s.published_count),
        "content-quality": "of scored posts" if s.avg_quality_score is not None else "no post is scored",
    }
    return values, deltas


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


# Board and table --------------------------------------------------------------------------------


def platform_badges(platforms: list[str]) -> list:
    return [
        dbc.Badge(
            content.PLATFORM_LABELS.get(p, p),
            className=f"platform-badge platform-{_slug(p)} me-1",
            color="light",
            text_color="dark",
        )
        for p in platforms
    ]


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower())


def _open_button(post: Post, where: str, text: Optional[str] = None) -> html.Button:
    return html.Button(
        text if text is not None else _clip(post.hook or "(no hook)", 140),
        id={"type": OPEN_POST, "post": post.id, "where": where},
        className="content-post-open",
        title=f"Open post #{post.id}",
    )


def _meta_line(post: Post) -> str:
    parts = [f"#{post.id}"]
    if post.persona_id:
        parts.append(post.persona_id)
    if post.created_at:
        parts.append(f"{post.created_at:%b %d, %H:%M}")
    if post.status == "scheduled" and post.scheduled_at:
        parts.append(f"for {post.scheduled_at:%b %d, %H:%M}")
    if post.quality_score is not None:
        parts.append(f"quality {_number(post.quality_score)}")
    return " · ".join(parts)


def posts_board(groups: dict[str, list[Post]]) -> html.Div:
    """One column per status, newest first, each post a card that opens its editor."""
    columns = []
    for status, posts in groups.items():
        cards = [
            html.Div(
                [
                    _open_button(post, "board"),
                    html.Div(_meta_line(post), className="content-post-meta"),
                    html.Div(platform_badges(post.platforms), className="content-post-platforms"),
                ],
                className="content-post",
                **{"data-post-id": str(post.id)},
            )
            for post in posts[:BOARD_LIMIT]
        ]
        if len(posts) > BOARD_LIMIT:
            cards.append(
                html.Div(f"and {len(posts) - BOARD_LIMIT} older (see the table view)", className="content-more")
            )
        if not cards:
            cards = [html.Div("No posts", className="content-empty")]
        columns.append(
            html.Div(
                [
                    html.Div(
                        [
                            dbc.Badge(status, color=STATUS_COLOURS.get(status, "dark"), className="me-2"),
                            html.Span(f"{len(posts)}", className="content-column-count"),
                        ],
                        className="content-column-header",
                    ),
                    html.Div(cards, className="content-column-body"),
                ],
                className="content-column",
                id=f"content-column-{_slug(status)}",
            )
        )
    return html.Div(columns, className="content-board")


def posts_table(groups: dict[str, list[Post]]) -> dbc.Table:
    """The posts in one table, a section per status, newest first."""
    rows = []
    for status, posts in groups.items():
        if not posts:
            continue
        rows.append(
            html.Tr(
                html.Th(
                    [
                        dbc.Badge(status, color=STATUS_COLOURS.get(status, "dark"), className="me-2"),
                        f"{len(posts)} posts",
                    ],
                    colSpan=6,
                    className="content-table-group",
                )
            )
        )
        for post in posts[:TABLE_LIMIT]:
            rows.append(
                html.Tr(
                    [
                        html.Td(f"#{post.id}", className="text-secondary"),
                        html.Td(_open_button(post, "table")),
                        html.Td(post.persona_id or "—", className="text-nowrap"),
                        html.Td(platform_badges(post.platforms)),
                        html.Td(
                            "—" if post.quality_score is None else _number(post.quality_score), className="text-end"
                        ),
                        html.Td(
                            f"{post.created_at:%Y-%m-%d %H:%M}" if post.created_at else "—", className="text-nowrap"
                        ),
                    ],
                    **{"data-post-id": str(post.id)},
                )
            )
        if len(posts) > TABLE_LIMIT:
            rows.append(html.Tr(html.Td(f"and {len(posts) - TABLE_LIMIT} older", colSpan=6, className="content-more")))
    if not rows:
        rows = [html.Tr(html.Td("No posts", colSpan=6, className="content-empty"))]
    head = html.Thead(html.Tr([html.Th(h) for h in ("Id", "Hook", "Persona", "Platforms", "Quality", "Created (UTC)")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, responsive=True, className="content-table mb-0")


# Generation progress ----------------------------------------------------------------------------


def jobs_panel(
    jobs: list[dict], posts: Fresh[list[Post]], metrics: Optional[Fresh[SystemMetrics]], now: datetime
) -> list:
    """What became of this screen's recent submissions; queued tasks are followed on each tick."""
    items = []
    for job in reversed((jobs or [])[-JOBS_KEPT:]):
        if job.get("status") == "done":
            post_id = job.get("post_id")
            items.append(
                dbc.Alert(
                    [
                        html.Strong("Generated · done. "),
                        job.get("message", ""),
                        " ",
                        _open_button(Post(id=post_id), "jobs", f"Open post #{post_id}") if post_id else None,
                    ],
                    color="success",
                    className="py-2 mb-2 small content-job content-job--done",
                )
            )
        elif job.get("status") == "queued":
            items.append(
                dbc.Alert(
                    _queued_lines(job, posts, metrics, now),
                    color="info",
                    className="py-2 mb-2 small content-job content-job--queued",
                )
            )
    return items


def _queued_lines(job: dict, posts: Fresh[list[Post]], metrics: Optional[Fresh[SystemMetrics]], now: datetime):
    submitted = _parse_time(job.get("submitted_at"))
    age = f" ({_age(now - submitted)} ago)" if submitted else ""
    lines = [
        html.Div(
            [
                html.Strong(f"Task {job.get('task_id')}"),
                f" · {job.get('task_state') or 'queued'}",
                f" · sent {submitted:%H:%M:%S} UTC{age}" if submitted else "",
            ]
        )
    ]
    if metrics is not None and metrics.value is not None:
        m = metrics.value
        lines.append(
            html.Div(
                f"Orchestrator now: {m.queue_size} queued, {m.active_tasks} active, "
                f"{m.completed_today} completed today."
            )
        )
    elif metrics is not None:
        lines.append(html.Div(f"Orchestrator queue unknown: {metrics.error}"))
    new = content.new_posts_since(posts.value or [], job.get("baseline_post_id"))
    if new:
        lines.append(
            html.Div(
                ["New posts since: "] + [_open_button(p, f"jobs-{job.get('submission')}", f"#{p.id}") for p in new[:5]]
            )
        )
    else:
        lines.append(
            html.Div(
                "No new post yet. The orchestrator reports no per-task status; "
                "new posts appear on the board as its worker writes them."
            )
        )
    return lines


def _age(delta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def _parse_time(text: Any) -> Optional[datetime]:
    try:
        return datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


@callback(
    Output("content-jobs-clear", "className"),
    Input("content-jobs-store", "data"),
)
def show_clear(jobs):
    return "p-0 mb-2" if jobs else "d-none"


@callback(
    Output("content-jobs-store", "data", allow_duplicate=True),
    Input("content-jobs-clear", "n_clicks"),
    prevent_initial_call=True,
)
def clear_jobs(_n):
    return []


# Opening a post ---------------------------------------------------------------------------------


@callback(
    Output("content-selected-post", "data"),
    Input({"type": OPEN_POST, "post": ALL, "where": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def open_post(_clicks):
    # Re-rendered cards arrive with n_clicks unset and trigger this too: only a click counts.
    clicked = [t for t in ctx.triggered if t.get("value")]
    if not clicked or not isinstance(ctx.triggered_id, dict):
        return no_update
    # A nonce: opening the same post again after closing it must still reload it.
    return {"id": ctx.triggered_id["post"], "nonce": time.monotonic_ns()}


@callback(
    Output("content-detail", "is_open"),
    Output("content-detail", "title"),
    Output("content-detail-meta", "children"),
    Output("content-detail-hook", "value"),
    Output("content-detail-body", "value"),
    Output("content-detail-loaded", "data"),
    Output("content-detail-message", "children"),
    Output("content-detail-force", "className"),
    Output("content-adapt-platforms", "value"),
    Output("content-adapt-result", "children"),
    Output("content-status-message", "children"),
    Output("content-detail-status", "children"),
    Output("content-detail-schedule-group", "className"),
    [Output(f"content-status-to-{s}", "className") for s in STATUS_BUTTONS],
    [Output(f"content-status-to-{s}", "children") for s in STATUS_BUTTONS],
    Input("content-selected-post", "data"),
)
def load_post(selected):
    if not selected or selected.get("id") is None:
        return (no_update,) * (13 + 2 * len(STATUS_BUTTONS))
    services = runtime.current().services
    post_id = selected["id"]
    empty_status = _status_outputs(None, True)
    try:
        post = content.get_post(services, post_id)
    except BackendError as exc:
        alert = dbc.Alert(f"Could not load post {post_id}: {exc}", color="danger", className="small")
        return (True, f"Post #{post_id}", alert, "", "", None, None, "d-none", [], None, None, *empty_status)
    if post is None:
        alert = dbc.Alert(f"Post {post_id} does not exist (any more).", color="secondary", className="small")
        return (True, f"Post #{post_id}", alert, "", "", None, None, "d-none", [], None, None, *empty_status)
    adapt_default = [p for p in post.platforms if p in PLATFORMS] or ["linkedin"]
    return (
        True,
        f"Post #{post.id}",
        _post_meta(post),
        post.hook,
        post.body,
        {"id": post.id, "hook": post.hook, "body": post.body},
        None,
        "d-none",
        adapt_default,
        None,
        None,
        *_status_outputs(post, content.status_is_editable(services)),
    )


def _post_meta(post: Post) -> html.Dl:
    def when(moment: Optional[datetime]) -> str:
        return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "—"

    return html.Dl(
        [
            html.Dt("Persona"),
            html.Dd(post.persona_id or "—"),
            html.Dt("Platforms"),
            html.Dd(platform_badges(post.platforms) or "—"),
            html.Dt("Quality"),
            html.Dd("not scored" if post.quality_score is None else _number(post.quality_score)),
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


_BUTTON_LABELS = {
    ("draft", "ready"): "Mark ready",
    ("ready", "scheduled"): "Schedule",
    ("ready", "draft"): "Back to draft",
    ("scheduled", "published"): "Mark published",
    ("scheduled", "ready"): "Unschedule",
    ("failed", "draft"): "Back to draft",
}


def _status_outputs(post: Optional[Post], editable: bool) -> tuple:
    """The status badge or note, the schedule field, and each status button's class and label."""
    hidden = ["d-none"] * len(STATUS_BUTTONS)
    labels = [no_update] * len(STATUS_BUTTONS)
    if post is None:
        return (None, "d-none", *hidden, *labels)
    badge = dbc.Badge(
        post.status, color=STATUS_COLOURS.get(post.status, "dark"), className="me-2", id="content-detail-status-badge"
    )
    if not editable:
        note = html.Span(content.READ_ONLY_STATUS, className="small text-secondary content-status-readonly")
        return (html.Div([badge, note]), "d-none", *hidden, *labels)
    allowed = content.TRANSITIONS.get(post.status, ())
    classes = ["" if target in allowed else "d-none" for target in STATUS_BUTTONS]
    labels = [_BUTTON_LABELS.get((post.status, target), target) for target in STATUS_BUTTONS]
    final = html.Span(" Final: no further change.", className="small text-secondary") if not allowed else None
    schedule = "mb-2" if "scheduled" in allowed else "d-none"
    return (html.Div([badge, final]), schedule, *classes, *labels)


# Saving hook and body ---------------------------------------------------------------------------


@callback(
    Output("content-detail-message", "children", allow_duplicate=True),
    Output("content-detail-loaded", "data", allow_duplicate=True),
    Output("content-detail-force", "className", allow_duplicate=True),
    Output("content-detail-meta", "children", allow_duplicate=True),
    Output("content-reload", "data", allow_duplicate=True),
    Input("content-detail-save", "n_clicks"),
    Input("content-detail-force", "n_clicks"),
    State("content-detail-hook", "value"),
    State("content-detail-body", "value"),
    State("content-detail-loaded", "data"),
    State("content-reload", "data"),
    running=[(Output("content-detail-save", "disabled"), True, False)],
    prevent_initial_call=True,
)
def save_text(_save, _force, hook, body, loaded, reload):
    if not loaded:
        return no_update, no_update, no_update, no_update, no_update
    force = ctx.triggered_id == "content-detail-force"
    result = content.save_post(
        runtime.current().services,
        loaded["id"],
        hook,
        body,
        actor=auth.current_actor(),
        expected={"hook": loaded["hook"], "body": loaded["body"]},
        force=force,
    )
    alert = _result_alert(result.status, result.message, result.errors)
    if result.status == "conflict":
        return alert, no_update, "", no_update, (reload or 0) + 1
    if not result.ok:
        # The editor keeps the text as typed; only the message changes.
        return alert, no_update, "d-none", no_update, no_update
    stored = result.post
    return (
        alert,
        {"id": stored.id, "hook": stored.hook, "body": stored.body},
        "d-none",
        _post_meta(stored),
        (reload or 0) + 1,
    )


def _result_alert(status: str, message: str, errors: list) -> dbc.Alert:
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


# Status changes ---------------------------------------------------------------------------------


@callback(
    Output("content-status-message", "children", allow_duplicate=True),
    Output("content-detail-status", "children", allow_duplicate=True),
    Output("content-detail-schedule-group", "className", allow_duplicate=True),
    [Output(f"content-status-to-{s}", "className", allow_duplicate=True) for s in STATUS_BUTTONS],
    [Output(f"content-status-to-{s}", "children", allow_duplicate=True) for s in STATUS_BUTTONS],
    Output("content-detail-meta", "children", allow_duplicate=True),
    Output("content-reload", "data", allow_duplicate=True),
    [Input(f"content-status-to-{s}", "n_clicks") for s in STATUS_BUTTONS],
    State("content-detail-schedule-at", "value"),
    State("content-detail-loaded", "data"),
    State("content-reload", "data"),
    prevent_initial_call=True,
)
def move_post(*args):
    *_clicks, scheduled_at, loaded, reload = args
    skip = (no_update,) * (5 + 2 * len(STATUS_BUTTONS))
    if not loaded or not ctx.triggered_id or not any(t.get("value") for t in ctx.triggered):
        return skip
    target = ctx.triggered_id.removeprefix("content-status-to-")
    services = runtime.current().services
    result = content.change_status(
        services, loaded["id"], target, scheduled_at=scheduled_at, actor=auth.current_actor()
    )
    alert = _result_alert(result.status, result.message, result.errors)
    if not result.ok:
        return (alert,) + (no_update,) * (4 + 2 * len(STATUS_BUTTONS))
    return (
        alert,
        *_status_outputs(result.post, content.status_is_editable(services)),
        _post_meta(result.post),
        (reload or 0) + 1,
    )


# Adaptation preview -----------------------------------------------------------------------------


@callback(
    Output("content-adapt-result", "children", allow_duplicate=True),
    Input("content-adapt-run", "n_clicks"),
    State("content-adapt-platforms", "value"),
    State("content-detail-loaded", "data"),
    running=[(Output("content-adapt-run", "disabled"), True, False)],
    prevent_initial_call=True,
)
def preview_adaptation(_n, platforms, loaded):
    if not loaded:
        return no_update
    result = content.adapt_preview(runtime.current().services, loaded["id"], platforms, actor=auth.current_actor())
    return adaptation_cards(result)


def adaptation_cards(result: content.AdaptResult) -> list:
    """One card per platform: title, content, hashtags, call to action, estimated engagement."""
    if result.error:
        return [dbc.Alert(result.error, color="danger", className="py-2 small content-adapt-error")]
    cards = []
    for a in result.adaptations:
        engagement = (
            "not estimated by the embedded templates"
            if a.estimated_engagement is None
            else f"{a.estimated_engagement:.4g}"
        )
        cards.append(
            dbc.Card(
                [
                    dbc.CardHeader(
                        [
                            dbc.Badge(content.PLATFORM_LABELS.get(a.platform, a.platform), className="me-2"),
                            html.Span(a.title, className="fw-semibold content-adapt-title"),
                        ]
                    ),
                    dbc.CardBody(
                        [
                            # Backend text is shown as text: white-space keeps its lines, nothing is parsed.
                            html.Div(a.content, className="content-adapt-text"),
                            html.Div(
                                [
                                    dbc.Badge(tag, color="light", text_color="dark", className="me-1")
                                    for tag in a.hashtags
                                ],
                                className="mt-2",
                            ),
                            html.Dl(
                                [
                                    html.Dt("Call to action"),
                                    html.Dd(a.call_to_action or "—"),
                                    html.Dt("Estimated engagement"),
                                    html.Dd(engagement, className="content-adapt-engagement"),
                                ],
                                className="small mb-0 mt-2 content-adapt-facts",
                            ),
                        ]
                    ),
                ],
                className=f"mb-2 content-adapt content-adapt--{_slug(a.platform)}",
            )
        )
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


# Generating -------------------------------------------------------------------------------------


@callback(
    Output("content-generate-modal", "is_open"),
    Output("content-generate-personas", "children"),
    Output("content-generate-persona", "value"),
    Output("content-generate-picked", "options"),
    Output("content-generate-source", "children"),
    Input("content-generate-open", "n_clicks"),
    Input("content-generate-cancel", "n_clicks"),
    State("content-generate-persona", "value"),
    prevent_initial_call=True,
)
def toggle_generate(_open, _cancel, persona):
    if ctx.triggered_id != "content-generate-open":
        return False, no_update, no_update, no_update, no_update
    services = runtime.current().services
    personas = content.known_personas(services.posts().value or [])
    achievements = services.achievements().value or []
    options = [
        {
            "label": f"{a.title} · {format_money(a.value_amount)} · impact {a.impact_score:.0f} · "
            f"{a.completed_at:%Y-%m-%d}",
            "value": a.id,
        }
        for a in achievements[:500]
    ]
    if services.orchestrator_client is not None:
        source = (
            "Queues a task on the orchestrator (POST /task) with the persona and a topic written from "
            "the chosen achievements. Platforms and draft-only are not part of that call: its worker "
            "decides them."
        )
    else:
        source = (
            "No orchestrator is configured: a post is written at once from the chosen achievements by "
            "the dashboard's own templates (no language model) and appears on the board."
        )
    return (
        True,
        [html.Option(value=p) for p in personas],
        persona or (personas[0] if personas else None),
        options,
        source,
    )


@callback(
    Output("content-generate-picked", "disabled"),
    Output("content-generate-preview", "children"),
    Input("content-generate-mode", "value"),
    Input("content-generate-min-value", "value"),
    Input("content-generate-modal", "is_open"),
)
def preview_choice(mode, min_value, is_open):
    if mode == "pick":
        return False, f"Pick 1–{content.MAX_PICKED} achievements; each must be worth at least the minimum value."
    if not is_open:
        return True, None
    errors: list = []
    minimum = content.parse_amount(min_value, errors)
    if errors:
        return True, str(errors[0])
    achievements = runtime.current().services.achievements().value or []
    chosen = content.recent_high_impact(achievements, runtime.current().clock.now(), min_value=minimum)
    if not chosen:
        return True, "No achievement of the last 30 days reaches that minimum."
    return True, "Will write about: " + "; ".join(a.title for a in chosen)


@callback(
    Output("content-generate-errors", "children"),
    Output("content-generate-modal", "is_open", allow_duplicate=True),
    Output("content-jobs-store", "data"),
    Output("content-generate-submission", "data"),
    Input("content-generate-submit", "n_clicks"),
    State("content-generate-persona", "value"),
    State("content-generate-platforms", "value"),
    State("content-generate-draft-only", "value"),
    State("content-generate-mode", "value"),
    State("content-generate-picked", "value"),
    State("content-generate-min-value", "value"),
    State("content-generate-submission", "data"),
    State("content-jobs-store", "data"),
    running=[
        (Output("content-generate-submit", "disabled"), True, False),
        (Output("content-generate-submit", "children"), "Sending…", "Generate"),
    ],
    prevent_initial_call=True,
)
def submit_generate(_n, persona, platforms, draft_only, mode, picked, min_value, submission, jobs):
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
        return (
            dbc.Alert(html.Ul(items, className="mb-0"), color="danger", className="small content-generate-error"),
            True,
            no_update,
            no_update,
        )
    kept = [j for j in readable(jobs, Job) if j.get("submission") != result.submission_id]
    return None, False, (kept + [result.as_job()])[-JOBS_KEPT:], content.new_submission_id()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
