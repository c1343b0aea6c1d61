"""AG Grid's sortModel: stable, multi-column, case-insensitive; blank values go last in both directions."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable, Optional, Sequence

from dashboard.services.achievements.grid_query.cells import SORT_KEYS, ColumnKinds, Row
from dashboard.services.achievements.grid_query.limits import GridQueryError, short

SortSpec = list[tuple[str, Callable[[Any], Any], bool]]
"""(column, key of a cell, descending) per sorted column, most significant first."""


def sort_spec(sort_model: Any, kinds: ColumnKinds) -> SortSpec:
    """The checked sort model: a known column at most once each, 'asc' or 'desc'."""
    if not isinstance(sort_model, list):
        raise GridQueryError(f"sortModel must be a list, got {short(sort_model)}")
    limit = len(kinds.columns())
    if len(sort_model) > limit:
        raise GridQueryError(f"sortModel has too many entries: {len(sort_model):,} (at most {limit}, one per column)")
    spec, seen = [], set()
    for item in sort_model:
        if not isinstance(item, dict):
            raise GridQueryError(f"sortModel entries must be objects, got {short(item)}")
        column: Any = item.get("colId")  # any JSON value until kind_of accepts it
        direction = item.get("sort")
        kind = kinds.kind_of(column)
        if direction not in ("asc", "desc"):
            raise GridQueryError(f"sort direction of column {column!r} must be 'asc' or 'desc', got {short(direction)}")
        if column in seen:
            raise GridQueryError(f"sortModel sorts column {column!r} twice (each column at most once)")
        seen.add(column)
        spec.append((column, SORT_KEYS[kind], direction == "desc"))
    return spec


def sort_rows(rows: Sequence[Row], sort_model: Optional[list[Any]], kinds: ColumnKinds) -> list[Row]:
    """Rows sorted by an AG Grid sort model: multi-column, stable, blanks last in both directions."""
    return apply_sort(rows, sort_spec(sort_model, kinds) if sort_model else [])


def apply_sort(rows: Sequence[Row], spec: SortSpec) -> list[Row]:
    result = list(rows)
    # Sort by the least significant column first: Python's sort is stable (reverse=True too),
    # so each pass keeps the order of the previous one among equal keys.
    for column, key, descending in reversed(spec):
        keyed = [(key(row.get(column)), row) for row in result]
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=itemgetter(0), reverse=descending)
        result = [row for _, row in present] + [row for value, row in keyed if value is None]
    return result
