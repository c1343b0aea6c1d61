"""What the browser sends back to the Achievements page's callbacks, declared to the callback door.

The stores hold what the page's callbacks put there, and the grid's events have AG Grid's shape;
any other shape is refused with a 400 before a callback runs (dashboard/web/callback_input.py).
getRowsRequest and the quick search are not declared: the grid says itself why it refuses one.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import Field
from typing_extensions import TypedDict

from dashboard.ui.pages.achievements import history, ids
from dashboard.web.callback_input import Count, Id, RecordId, expect


class Edit(TypedDict):
    """An edit kept to retry (the pending store)."""

    id: RecordId
    changes: dict[str, Any]
    stamp: Optional[str]


class Conflict(Edit):
    title: str
    stored: dict[str, Any]


class HistoryRow(TypedDict):
    """One row of an undo/redo step: its values before and after, the version it was left at."""

    id: RecordId
    before: dict[str, Any]
    after: dict[str, Any]
    stamp: str
    title: Annotated[str, Field(max_length=300)]


class Step(TypedDict):
    label: Annotated[str, Field(max_length=300)]
    rows: Annotated[list[HistoryRow], Field(min_length=1, max_length=history.MAX_ROWS)]


class History(TypedDict):
    """The tab's undo/redo history (history.py), each way at most history.LIMIT steps."""

    undo: Annotated[list[Step], Field(max_length=history.LIMIT)]
    redo: Annotated[list[Step], Field(max_length=history.LIMIT)]


class CellClick(TypedDict, total=False):
    rowId: Optional[Id]
    colId: Any


class SelectedRow(TypedDict, total=False):
    id: RecordId
    updated_at: Optional[str]


class DetailRow(TypedDict):
    id: RecordId
    stamp: Optional[str]


expect(ids.UNDO_STORE, "data", Optional[History])
expect(ids.PENDING_STORE, "data", Optional[list[Edit]])
expect(ids.CONFLICT_STORE, "data", Optional[list[Conflict]])
expect(ids.RELOAD, "data", Optional[Count])
expect(ids.GRID, "cellClicked", Optional[CellClick])
expect(ids.GRID, "selectedRows", Optional[list[SelectedRow]])
expect(ids.DETAIL_ROW, "data", Optional[DetailRow])
