"""A getRowsRequest answered: its block bounds checked, its view filtered, searched, sorted, paged."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from dashboard.services.achievements.grid_query.cells import ColumnKinds, JsonObject, Row
from dashboard.services.achievements.grid_query.filters import filter_rows
from dashboard.services.achievements.grid_query.limits import MAX_BLOCK_ROWS, MAX_START_ROW, GridQueryError, short
from dashboard.services.achievements.grid_query.search import search_rows, search_words
from dashboard.services.achievements.grid_query.sort import apply_sort, sort_spec


def _index(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        return max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return default


def page(rows: Sequence[Row], start_row: Any, end_row: Any, *, max_rows: int = 500) -> list[Row]:
    """rows[start_row:end_row], clamped: negatives to 0, invalid values to defaults, at most max_rows."""
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, got {max_rows!r}")
    start = _index(start_row, 0)
    end = min(_index(end_row, start + max_rows), start + max_rows)  # never more than one page
    return list(rows[start:end])


def _request_index(request: JsonObject, key: str, default: int) -> int:
    value = request.get(key)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():  # JSON numbers may arrive as 100.0
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise GridQueryError(f"{key} must be an integer, got {short(value)}")  # NaN and Infinity too
    return value


def block_bounds(request: JsonObject, max_rows: int = MAX_BLOCK_ROWS) -> tuple[int, int]:
    """(startRow, endRow) of a getRowsRequest, checked: a block of at most max_rows rows."""
    limit = min(max_rows, MAX_BLOCK_ROWS)
    start = _request_index(request, "startRow", 0)
    if not 0 <= start <= MAX_START_ROW:
        raise GridQueryError(f"startRow must be between 0 and {MAX_START_ROW:,}, got {short(start)}")
    end = _request_index(request, "endRow", start + limit)
    if end < start:
        raise GridQueryError(f"endRow ({end:,}) is before startRow ({start:,})")
    if end - start > limit:
        raise GridQueryError(f"too many rows in one block: {end - start:,} (at most {limit})")
    return start, end


def check_request(request: Any) -> JsonObject:
    """The getRowsRequest as an object ({} for none); GridQueryError for anything else."""
    if request is None:
        return {}
    if not isinstance(request, dict):
        raise GridQueryError(f"getRowsRequest must be an object, got {short(request)}")
    return request


def view(
    rows: Sequence[Row],
    request: Optional[JsonObject],
    kinds: ColumnKinds,
    *,
    search: Optional[str] = None,
    search_fields: Sequence[str] = (),
) -> list[Row]:
    """Every row of a getRowsRequest's view: filtered, searched and sorted (not paged).

    Every part of the request is checked and bounded before a row is read.
    """
    request = check_request(request)
    spec = sort_spec(request.get("sortModel") or [], kinds)
    search_words(search)
    matching = filter_rows(rows, request.get("filterModel"), kinds)
    matching = search_rows(matching, search, tuple(search_fields) or kinds.columns())
    # Sort after filtering: fewer rows to sort.
    return apply_sort(matching, spec)


def query(
    rows: Sequence[Row],
    request: Optional[JsonObject],
    kinds: ColumnKinds,
    *,
    search: Optional[str] = None,
    search_fields: Sequence[str] = (),
    max_rows: int = MAX_BLOCK_ROWS,
) -> tuple[list[Row], int]:
    """Answer a getRowsRequest: (the requested slice, number of rows after filter + search).

    Quick search looks in `search_fields`, or in every column of `kinds` when none are given.
    A block of more than `max_rows` rows (never above MAX_BLOCK_ROWS) is refused.
    """
    if max_rows < 1:
        raise ValueError(f"max_rows must be at least 1, got {max_rows!r}")
    start, end = block_bounds(check_request(request), max_rows)
    ordered = view(rows, request, kinds, search=search, search_fields=search_fields)
    return ordered[start:end], len(ordered)
