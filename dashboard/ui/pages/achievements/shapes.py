"""What the browser sends back to the Achievements page's callbacks, declared to the callback door.

The stores hold what the page's callbacks put there, and the grid's events have AG Grid's shape;
any other shape is refused with a 400 before a callback runs (dashboard/web/callback_input.py).
getRowsRequest and the quick search are not declared: the grid says itself why it refuses one.
"""

from __future__ import annotations

from typing import Any, Optional

from typing_extensions import TypedDict

from dashboard.ui.pages.achievements import ids
from dashboard.web.callback_input import Count, Id, RecordId, expect


class Edit(TypedDict):
    """An edit kept to undo or retry (undo and pending stores)."""

    id: RecordId
    changes: dict[str, Any]
    stamp: Optional[str]


class Conflict(Edit):
    title: str
    stored: dict[str, Any]


class CellClick(TypedDict, total=False):
    rowId: Optional[Id]
    colId: Any


class SelectedRow(TypedDict, total=False):
    id: RecordId
    updated_at: Optional[str]


class DetailRow(TypedDict):
    id: RecordId
    stamp: Optional[str]


expect(ids.UNDO_STORE, "data", Optional[list[Edit]])
expect(ids.PENDING_STORE, "data", Optional[list[Edit]])
expect(ids.CONFLICT_STORE, "data", Optional[list[Conflict]])
expect(ids.RELOAD, "data", Optional[Count])
expect(ids.GRID, "cellClicked", Optional[CellClick])
expect(ids.GRID, "selectedRows", Optional[list[SelectedRow]])
expect(ids.DETAIL_ROW, "data", Optional[DetailRow])
