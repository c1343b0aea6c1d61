"""What the Content page's refresh shows, from the data: KPIs, the board or table, the jobs panel.

Pure builders of Dash components, no I/O: nothing here needs an app or a request, so each is
unit-tested on its own; the callbacks (board.py) fetch the data and hand it here. The open post's
builders are in post_view.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Optional

import dash_bootstrap_components as dbc
from dash import html
from typing_extensions import TypedDict

from dashboard.domain.models import PLATFORMS, ContentStats, Fresh, Post, SystemMetrics
from dashboard.services.content import posts as content
from dashboard.services.content import stats as content_stats
from dashboard.ui.components.tiles import freshness_payload, tile_class
from dashboard.ui.pages.content import ids

VIEWS = ("board", "table")
KPI_TITLES = {
    ids.KPI_TOTAL: "Total posts",
    ids.KPI_TODAY: "Today",
    ids.KPI_WEEK: "This week",
    ids.KPI_DRAFTS: "Drafts",
    ids.KPI_READY: "Ready",
    ids.KPI_SCHEDULED: "Scheduled",
    ids.KPI_PUBLISHED: "Published",
    ids.KPI_QUALITY: "Avg. quality",
}
_PER_PLATFORM = "With a platform chosen, that platform's posts only, counted from the posts list"
KPI_HOW = {
    tile: f"{base}. {_PER_PLATFORM}{extra}."
    for tile, base, extra in (
        (ids.KPI_TOTAL, "Every post the orchestrator holds, whatever its status; and how many personas wrote them", ""),
        (ids.KPI_TODAY, "Posts created today, as the orchestrator counts them", ", since 00:00 UTC"),
        (ids.KPI_WEEK, "Posts created this week, as the orchestrator counts them", ", since Monday 00:00 UTC"),
        (ids.KPI_DRAFTS, "Posts whose status is draft", ""),
        (ids.KPI_READY, "Posts whose status is ready: approved, not yet scheduled", ""),
        (ids.KPI_SCHEDULED, "Posts whose status is scheduled", ""),
        (ids.KPI_PUBLISHED, "Posts whose status is published (not the achievements' portfolio-ready flag)", ""),
        (ids.KPI_QUALITY, "Mean quality score (0–100) of the posts that have one", ""),
    )
}
"""Each card's tooltip: how its number is computed (as the orchestrator's stats define it, or for
one platform as services/content/stats.py counts it)."""
BOARD_LIMIT = 30
"""Posts shown per board column; the table shows more."""
SCREEN_LIMIT = 4
"""Posts per column on a TV: what fits a 1080p screen under the KPIs, titles cut at two lines."""
TABLE_LIMIT = 200
JOBS_KEPT = 5
STATUS_COLOURS = {
    "draft": "secondary",
    "ready": "info",
    "scheduled": "primary",
    "published": "success",
    "failed": "danger",
}


class ContentView(TypedDict):
    """What a refresh shows; the keys are those of the refresh callback's outputs (board.REFRESHED)."""

    scope: str
    scope_class: str
    values: dict[str, str]
    deltas: dict[str, str]
    classes: dict[str, str]
    board: Any
    board_class: str
    board_version: str
    source: str
    jobs: list
    freshness: dict[str, Any]


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
    screen: bool = False,
) -> ContentView:
    """Everything the page shows on a refresh, from the data sets; `screen`: drawn for a TV.

    With a platform chosen, the KPIs are that platform's, counted from the posts."""
    view = view if view in VIEWS else "board"
    platform = platform if platform in PLATFORMS else None
    stats = content_stats.stats_for(stats, posts, platform, now)
    values, deltas = _kpis(stats)
    classes = {tile: tile_class(stats, "tile kpi-card h-100") for tile in ids.KPI_IDS}
    freshness = freshness_payload(now, {**dict.fromkeys(ids.KPI_IDS, stats), ids.BOARD: posts})
    board: Any
    if posts.value is None:
        # The page's outage notice says why, once.
        board = html.P("No posts to show.", className="text-secondary fst-italic m-3 content-board-empty")
    elif screen:
        board = posts_board(content.group_by_status(posts.value, platform=platform), screen=True)
    elif view == "table":
        board = posts_table(content.group_by_status(posts.value, platform=platform))
    else:
        board = posts_board(content.group_by_status(posts.value, platform=platform))
    version = f"{posts.fetched_at}|{posts.error}|{view}|{platform}|{screen}"
    note = f"from the {source}" + (
        " · status is read-only (the orchestrator stores only hook and body)" if read_only else ""
    )
    return {
        "scope": kpi_scope(platform),
        "scope_class": kpi_scope_class(platform),
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


def _kpis(stats: Fresh[ContentStats]) -> tuple[dict[str, str], dict[str, str]]:
    if stats.value is None:
        return {t: "—" for t in ids.KPI_IDS}, {t: "" for t in ids.KPI_IDS}
    return _kpi_words(stats.value)


def kpi_scope_class(platform: Optional[str]) -> str:
    """The scope line's class: a TV shows it only when the cards count one platform."""
    return "content-kpi-scope" + ("" if platform in PLATFORMS else " content-kpi-scope--all")


def kpi_scope(platform: Optional[str]) -> str:
    """The line over the KPI cards: whose posts they count."""
    if platform not in PLATFORMS:
        return "All platforms, as the orchestrator counts them."
    name = content.PLATFORM_LABELS.get(platform, platform)
    return f"{name} only: counted from the posts list."


def _kpi_words(s: ContentStats) -> tuple[dict[str, str], dict[str, str]]:
    total = s.total_posts

    def share(count: int) -> str:
        return f"{count / total:.0%} of posts" if total else ""

    values = {
        ids.KPI_TOTAL: f"{total:,}",
        ids.KPI_TODAY: f"{s.posts_today:,}",
        ids.KPI_WEEK: f"{s.posts_this_week:,}",
        ids.KPI_DRAFTS: f"{s.draft_count:,}",
        ids.KPI_READY: f"{s.ready_count:,}",
        ids.KPI_SCHEDULED: f"{s.scheduled_count:,}",
        ids.KPI_PUBLISHED: f"{s.published_count:,}",
        ids.KPI_QUALITY: "—" if s.avg_quality_score is None else number(s.avg_quality_score),
    }
    deltas = {
        ids.KPI_TOTAL: f"{s.active_personas} persona{'s' if s.active_personas != 1 else ''}",
        ids.KPI_TODAY: "created today",
        ids.KPI_WEEK: "created this week",
        ids.KPI_DRAFTS: share(s.draft_count),
        ids.KPI_READY: share(s.ready_count),
        ids.KPI_SCHEDULED: share(s.scheduled_count),
        ids.KPI_PUBLISHED: share(s.published_count),
        ids.KPI_QUALITY: "of scored posts" if s.avg_quality_score is not None else "no post is scored",
    }
    return values, deltas


def number(value: float) -> str:
    """A score as people write it: 0.78, 1, 12.5."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def content_platform_options() -> list[dict[str, str]]:
    """The platforms Generate and the adaptation preview offer: the same ones, in the same order."""
    return [{"label": content.PLATFORM_LABELS[p], "value": p} for p in content.CONTENT_PLATFORMS]


def platform_badges(platforms: list[str]) -> list[dbc.Badge]:
    return [
        dbc.Badge(
            content.PLATFORM_LABELS.get(p, p),
            className=f"platform-badge platform-{slug(p)} me-1",
            color="light",
            text_color="dark",
        )
        for p in platforms
    ]


def slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower())


def _open_button(post: Post, where: str, text: Optional[str] = None) -> html.Button:
    return html.Button(
        text if text is not None else _clip(post.hook or "(no hook)", 140),
        id=ids.open_post(post.id, where),
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
        parts.append(f"quality {number(post.quality_score)}")
    return " · ".join(parts)


PostAttribute = TypedDict("PostAttribute", {"data-post-id": str})
"""The post a card or row shows (dashboard.ui.components.attributes tells why a TypedDict)."""


def _post_attribute(post: Post) -> PostAttribute:
    return {"data-post-id": str(post.id)}


def _status_badge(status: str) -> dbc.Badge:
    return dbc.Badge(status, color=STATUS_COLOURS.get(status, "dark"), className="me-2")


def posts_board(groups: dict[str, list[Post]], *, screen: bool = False) -> html.Div:
    """One column per status, newest first, each post a card that opens its editor; on a TV
    (`screen`) the newest few of each, as text: there is nobody to click or scroll."""
    columns = []
    limit = SCREEN_LIMIT if screen else BOARD_LIMIT
    for status, posts in groups.items():
        cards = [
            html.Div(
                [
                    html.Div(_clip(post.hook or "(no hook)", 140), className="content-post-title")
                    if screen
                    else _open_button(post, "board"),
                    html.Div(_meta_line(post), className="content-post-meta"),
                    html.Div(platform_badges(post.platforms), className="content-post-platforms"),
                ],
                className="content-post",
                **_post_attribute(post),
            )
            for post in posts[:limit]
        ]
        if len(posts) > limit:
            more = "older" if screen else "older (see the table view)"
            cards.append(html.Div(f"and {len(posts) - limit} {more}", className="content-more"))
        if not cards:
            cards = [html.Div("No posts", className="content-empty")]
        columns.append(
            html.Div(
                [
                    html.Div(
                        [_status_badge(status), html.Span(f"{len(posts)}", className="content-column-count")],
                        className="content-column-header",
                    ),
                    html.Div(cards, className="content-column-body"),
                ],
                className="content-column",
                id=ids.column(slug(status)),
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
            html.Tr(html.Th([_status_badge(status), f"{len(posts)} posts"], colSpan=6, className="content-table-group"))
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
                            "—" if post.quality_score is None else number(post.quality_score), className="text-end"
                        ),
                        html.Td(
                            f"{post.created_at:%Y-%m-%d %H:%M}" if post.created_at else "—", className="text-nowrap"
                        ),
                    ],
                    **_post_attribute(post),
                )
            )
        if len(posts) > TABLE_LIMIT:
            rows.append(html.Tr(html.Td(f"and {len(posts) - TABLE_LIMIT} older", colSpan=6, className="content-more")))
    if not rows:
        rows = [html.Tr(html.Td("No posts", colSpan=6, className="content-empty"))]
    head = html.Thead(html.Tr([html.Th(h) for h in ("Id", "Hook", "Persona", "Platforms", "Quality", "Created (UTC)")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True, responsive=True, className="content-table mb-0")


def jobs_panel(
    jobs: list[dict], posts: Fresh[list[Post]], metrics: Optional[Fresh[SystemMetrics]], now: datetime
) -> list[dbc.Alert]:
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


def _queued_lines(
    job: dict, posts: Fresh[list[Post]], metrics: Optional[Fresh[SystemMetrics]], now: datetime
) -> list[html.Div]:
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


def _age(delta: timedelta) -> str:
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


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
