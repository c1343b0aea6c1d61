"""The posts listing: the refresh that fills KPIs, board (or table) and jobs, and opening a post.

One refresh fills the KPIs, the board and the generation panel on load and on every tick, so a
screen sends one request per tick. page.py wires these functions as callbacks.
"""

from __future__ import annotations

import time
from typing import Any, Optional

from dash import Output, ctx, no_update

from dashboard.services.content import posts as content
from dashboard.ui.components.outages import outage_notices
from dashboard.ui.pages.content import ids, view
from dashboard.ui.pages.content.stores import Job
from dashboard.web import runtime
from dashboard.web.callback_input import readable

REFRESHED = {
    "scope": Output(ids.KPI_SCOPE, "children"),
    "scope_class": Output(ids.KPI_SCOPE, "className"),
    "values": {tile: Output(ids.kpi_value(tile), "children") for tile in ids.KPI_IDS},
    "deltas": {tile: Output(ids.kpi_delta(tile), "children") for tile in ids.KPI_IDS},
    "classes": {tile: Output(ids.kpi_card(tile), "className") for tile in ids.KPI_IDS},
    "board": Output(ids.BOARD, "children"),
    "board_class": Output(ids.BOARD_CARD, "className"),
    "source": Output(ids.BOARD_SOURCE, "children"),
    "board_version": Output(ids.BOARD_VERSION, "data"),
    "jobs": Output(ids.JOBS, "children"),
    "freshness": Output(ids.FRESHNESS, "data"),
    "outages": Output(ids.OUTAGES, "children"),
}
"""What a refresh fills: view.build_content's keys, and the page's outage notices."""


def refresh(
    tick: Any,
    reload: Any,
    view_key: Optional[str],
    platform: Optional[str],
    jobs: Any,
    board_version: Optional[str],
    screen: Optional[bool] = False,
    live: Any = None,
) -> dict[str, Any]:
    """Everything the page shows, from one read of each data set; the board only when it changed."""
    services = runtime.current().services
    jobs = readable(jobs, Job)
    stats, posts = services.read_both(services.content_stats, services.posts)
    metrics = services.system_metrics() if any(j.get("status") == "queued" for j in jobs or []) else None
    page = view.build_content(
        stats,
        posts,
        view_key,
        platform,
        jobs=jobs or [],
        metrics=metrics,
        read_only=not content.status_is_editable(services),
        source=content.source_name(services),
        now=runtime.current().clock.now(),
        screen=bool(screen),
    )
    return {
        **page,
        "board": no_update if page["board_version"] == board_version else page["board"],
        "outages": outage_notices(services.outages(content_stats=stats, posts=posts), note="your edits are kept"),
    }


def show_clear(jobs: Any) -> str:
    """The "Clear these messages" button shows while there are messages."""
    return "p-0 mb-2" if jobs else "d-none"


def clear_jobs(_clicks: Any) -> list:
    return []


def open_post(_clicks: Any) -> Any:
    """The post whose open button was clicked becomes the selected post."""
    # Re-rendered cards arrive with n_clicks unset and trigger this too: only a click counts.
    clicked = [t for t in ctx.triggered if t.get("value")]
    if not clicked or not isinstance(ctx.triggered_id, dict):
        return no_update
    # A nonce: opening the same post again after closing it must still reload it.
    return {"id": ctx.triggered_id["post"], "nonce": time.monotonic_ns()}
