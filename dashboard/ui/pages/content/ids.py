"""Every component id of the Content page, as constants: the modules and the tests use these names.

Ids are `content-<part>`. A few come from the shared components, which build them from the page
key or a tile id: the KPI cards (`<tile>-value`, `-delta`, `-card`), the freshness store and the
outage slot. The refresh interval is the shell's, not this page's.
"""

from __future__ import annotations

from typing import Any

from dash import ALL

from dashboard.ui.components.tiles import FRESHNESS_DATA

PAGE = "content"
"""The page key the shared components build ids from."""

# Header and URL
VIEW = "content-view"
PLATFORM = "content-platform"
URL_PROBLEM = "content-url-problem"
URL_SYNC = "content-url-sync"

# KPI tiles; kpi_card adds the suffixes below.
KPI_SCOPE = "content-kpi-scope"
"""The line over the cards saying whose posts they count (all platforms, or the one chosen)."""
KPI_TOTAL = "content-total"
KPI_TODAY = "content-today"
KPI_WEEK = "content-week"
KPI_DRAFTS = "content-drafts"
KPI_READY = "content-ready"
KPI_SCHEDULED = "content-scheduled"
KPI_PUBLISHED = "content-published"
KPI_QUALITY = "content-quality"
KPI_IDS = (KPI_TOTAL, KPI_TODAY, KPI_WEEK, KPI_DRAFTS, KPI_READY, KPI_SCHEDULED, KPI_PUBLISHED, KPI_QUALITY)


def kpi_value(tile: str) -> str:
    return f"{tile}-value"


def kpi_delta(tile: str) -> str:
    return f"{tile}-delta"


def kpi_card(tile: str) -> str:
    return f"{tile}-card"


FRESHNESS = {"type": FRESHNESS_DATA, "page": PAGE}
"""The page's freshness store (tiles.freshness_store)."""
OUTAGES = f"{PAGE}-outages"
"""The page's outage notices (outages.outage_slot)."""

# Board and table; the board's freshness line is keyed by BOARD.
BOARD = "content-board"
BOARD_CARD = "content-board-card"
BOARD_SOURCE = "content-board-source"
BOARD_VERSION = "content-board-version"
SCREEN = "content-screen"
"""True when the page is drawn for a TV (components.screen): the board shows no controls."""
RELOAD = "content-reload"
"""A counter a write bumps so that the board refreshes at once."""


def column(status_slug: str) -> str:
    """A board column, by its status as a slug."""
    return f"content-column-{status_slug}"


OPEN_POST = "content-post-open"
"""The type of the pattern-matching ids of the buttons that open a post."""
OPEN_ANY_POST = {"type": OPEN_POST, "post": ALL, "where": ALL}


def open_post(post_id: Any, where: str) -> dict:
    """The id of a button opening `post_id`; `where` tells the board, the table and the jobs apart."""
    return {"type": OPEN_POST, "post": post_id, "where": where}


# Generation progress
JOBS = "content-jobs"
JOBS_CLEAR = "content-jobs-clear"
JOBS_STORE = "content-jobs-store"

# The open post
SELECTED_POST = "content-selected-post"
DETAIL = "content-detail"
DETAIL_META = "content-detail-meta"
DETAIL_LOADED = "content-detail-loaded"
DETAIL_FORM = "content-detail-form"
"""The open post's status, text and preview sections: hidden when there is no post to edit."""
DETAIL_NOT_FOUND = "content-detail-not-found"
"""What the panel says instead of the form when the post is not there (or cannot be read)."""
DETAIL_STATUS = "content-detail-status"
DETAIL_STATUS_BADGE = "content-detail-status-badge"
SCHEDULE_GROUP = "content-detail-schedule-group"
SCHEDULE_AT = "content-detail-schedule-at"
STATUS_MESSAGE = "content-status-message"
STATUS_TO_PREFIX = "content-status-to-"


def status_to(target: str) -> str:
    """The button that moves the open post to `target`."""
    return STATUS_TO_PREFIX + target


HOOK = "content-detail-hook"
BODY = "content-detail-body"
DETAIL_MESSAGE = "content-detail-message"
SAVE = "content-detail-save"
SAVE_ANYWAY = "content-detail-force"

# Adaptation preview
ADAPT_PLATFORMS = "content-adapt-platforms"
ADAPT_RUN = "content-adapt-run"
ADAPT_RESULT = "content-adapt-result"

# Generation form
GENERATE_OPEN = "content-generate-open"
GENERATE_MODAL = "content-generate-modal"
GENERATE_SOURCE = "content-generate-source"
GENERATE_PERSONA = "content-generate-persona"
GENERATE_PERSONAS = "content-generate-personas"
GENERATE_MIN_VALUE = "content-generate-min-value"
GENERATE_PLATFORMS = "content-generate-platforms"
GENERATE_DRAFT_ONLY = "content-generate-draft-only"
GENERATE_MODE = "content-generate-mode"
GENERATE_PICKED = "content-generate-picked"
GENERATE_PREVIEW = "content-generate-preview"
GENERATE_ERRORS = "content-generate-errors"
GENERATE_SUBMISSION = "content-generate-submission"
GENERATE_CANCEL = "content-generate-cancel"
GENERATE_SUBMIT = "content-generate-submit"
