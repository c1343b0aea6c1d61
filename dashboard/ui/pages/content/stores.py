"""What the browser sends back in the Content page's stores, declared for the callback-input check.

The stores hold what the page's callbacks put there; any other shape is refused with a 400 before
a callback runs (dashboard/web/callback_input.py). The jobs live in the tab's session storage,
where an older version may have left entries: those are dropped (`readable`), not refused.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import Field
from typing_extensions import TypedDict

from dashboard.ui.pages.content import ids
from dashboard.web.callback_input import Count, RecordId, expect

UNKNOWN_MAX = 60
"""The most of a bad `?post=` the page keeps to name it."""


class SelectedPost(TypedDict, total=False):
    """The post to open: its id, or (from a `?post=` that is no id) the text given, cut short."""

    id: Optional[RecordId]
    unknown: Annotated[str, Field(max_length=UNKNOWN_MAX)]
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


def declare() -> None:
    """Tell the callback-input check the shapes of this page's stores (idempotent)."""
    expect(ids.SELECTED_POST, "data", Optional[SelectedPost])
    expect(ids.DETAIL_LOADED, "data", Optional[LoadedPost])
    expect(ids.RELOAD, "data", Optional[Count])
    expect(ids.SCREEN, "data", Optional[bool])
    expect(ids.JOBS_STORE, "data", Optional[list[Any]])
    expect(ids.GENERATE_PERSONA, "value", Optional[str])
