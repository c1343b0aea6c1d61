"""AG Grid's column filters (filterModel), as AG Grid Community applies them client-side.

With their default parameters, so switching the grid between the client-side and the infinite
row model does not change results:

* text: case-insensitive; a blank cell (None, whitespace, empty list) passes only ``blank``,
  ``notEqual`` and ``notContains``. A list cell (tags) matches when any tag does, so
  ``notContains`` passes only when no tag contains the text. Booleans read as "true"/"yes" or
  "false"/"no". A text filter may be used on a column of any kind (it sees the value as text).
* number and date: a blank cell passes only ``blank`` (AG Grid's ``includeBlanksIn*`` default to
  false, so even ``notEqual`` drops blanks). ``inRange`` is EXCLUSIVE at both ends, because
  ``inRangeInclusive`` defaults to false.
* date: compared by calendar day (``equals`` = same day), the grid's filter has no time of day.
  Aware datetimes are compared in UTC. Unparseable dates count as blank.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, TypeVar

from dashboard.services.achievements.grid_query.cells import ColumnKinds, JsonObject, Row, as_day, as_number, as_text
from dashboard.services.achievements.grid_query.limits import (
    MAX_CONDITIONS,
    MAX_CONDITIONS_PER_COLUMN,
    MAX_DATE_TEXT,
    MAX_FILTER_TEXT,
    MAX_NESTING,
    MAX_NUMBER_TEXT,
    MAX_SET_VALUES,
    GridQueryError,
    short,
)

Predicate = Callable[[Row], bool]
_Value = TypeVar("_Value")


def _lookup(table: Mapping[str, _Value], key: Any) -> Optional[_Value]:
    """table.get(key), with None for a key that cannot be one (a list or dict from the JSON)."""
    try:
        return table.get(key)
    except TypeError:
        return None


# Positive text matchers; the negated types are "not (positive)" so a tags cell passes
# notContains only when no tag contains the text.
_TEXT_MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "equals": str.__eq__,
    "contains": lambda value, needle: needle in value,
    "startsWith": str.startswith,
    "endsWith": str.endswith,
}
_TEXT_NEGATIONS = {"notEqual": "equals", "notContains": "contains"}

# Number and date comparisons of a non-blank cell value v with the filter values a (and b).
_SCALAR_OPS: dict[str, Callable[[Any, Any, Any], bool]] = {
    "equals": lambda v, a, b: v == a,
    "notEqual": lambda v, a, b: v != a,
    "greaterThan": lambda v, a, b: v > a,
    "greaterThanOrEqual": lambda v, a, b: v >= a,
    "lessThan": lambda v, a, b: v < a,
    "lessThanOrEqual": lambda v, a, b: v <= a,
    "inRange": lambda v, a, b: a < v < b,  # AG Grid default: inRangeInclusive = false
}

_BLANK_TYPES = ("blank", "notBlank")


def _blank_predicate(column: str, read: Callable[[Any], Any], blank: bool) -> Predicate:
    return lambda row: (read(row.get(column)) is None) is blank


def _options(table: Iterable[str]) -> str:
    return ", ".join(sorted([*table, *_BLANK_TYPES]))


def _text_predicate(column: str, kind: str, condition: JsonObject) -> Predicate:
    ftype = condition.get("type")
    if ftype in _BLANK_TYPES:
        return _blank_predicate(column, as_text, ftype == "blank")
    negate = _lookup(_TEXT_NEGATIONS, ftype) is not None
    matcher = _lookup(_TEXT_MATCHERS, _lookup(_TEXT_NEGATIONS, ftype) or ftype)
    if matcher is None:
        raise GridQueryError(
            f"unknown text filter type {short(ftype)} on column {column!r} "
            f"(expected one of: {_options([*_TEXT_MATCHERS, *_TEXT_NEGATIONS])})"
        )
    needle = condition.get("filter")
    if needle is None or isinstance(needle, (dict, list, bool)):
        raise GridQueryError(f"text filter {ftype!r} on column {column!r} needs a 'filter' string, got {short(needle)}")
    needle = str(needle)
    if len(needle) > MAX_FILTER_TEXT:
        raise GridQueryError(
            f"text filter on column {column!r} is too long: {len(needle):,} characters (at most {MAX_FILTER_TEXT})"
        )
    needle = needle.casefold()

    def passes(row: Row) -> bool:
        values = as_text(row.get(column))
        if values is None:
            return negate  # AG Grid: a blank cell passes notEqual / notContains only
        return any(matcher(value, needle) for value in values) is not negate

    return passes


def _number_value(column: str, ftype: str, condition: JsonObject, key: str) -> float:
    raw: Any = condition.get(key)  # any JSON value
    if isinstance(raw, str) and len(raw) > MAX_NUMBER_TEXT:
        raise GridQueryError(
            f"number filter on column {column!r}: {key!r} is too long, {len(raw):,} characters "
            f"(at most {MAX_NUMBER_TEXT})"
        )
    try:
        if isinstance(raw, bool):  # True is an int in Python, never a number the grid sends
            raise TypeError
        number = float(raw)
    except (TypeError, ValueError, OverflowError):
        raise GridQueryError(
            f"number filter {ftype!r} on column {column!r} needs a numeric {key!r}, got {short(raw)}"
        ) from None
    if not math.isfinite(number):
        raise GridQueryError(f"number filter {ftype!r} on column {column!r} got a non-finite {key!r}: {raw!r}")
    return number


def _date_value(column: str, ftype: str, condition: JsonObject, key: str) -> date:
    raw: Any = condition.get(key)  # any JSON value
    if isinstance(raw, str) and len(raw) > MAX_DATE_TEXT:
        raise GridQueryError(
            f"date filter on column {column!r}: {key!r} is too long, {len(raw):,} characters (at most {MAX_DATE_TEXT})"
        )
    day = as_day(raw) if isinstance(raw, str) else None
    if day is None:
        raise GridQueryError(
            f"date filter {ftype!r} on column {column!r} needs {key!r} as 'YYYY-MM-DD hh:mm:ss', got {short(raw)}"
        )
    return day


# filterType -> (kind of column it applies to, cell reader, filter value parser, (from key, to key))
_SCALAR_FILTERS = {
    "number": ("number", as_number, _number_value, ("filter", "filterTo")),
    "date": ("date", as_day, _date_value, ("dateFrom", "dateTo")),
}


def _scalar_predicate(column: str, kind: str, condition: JsonObject) -> Predicate:
    filter_type = condition["filterType"]
    wanted_kind, read, parse, (from_key, to_key) = _SCALAR_FILTERS[filter_type]
    if kind != wanted_kind:
        raise GridQueryError(f"{filter_type} filter on column {column!r}, which is a {kind} column")
    ftype: Any = condition.get("type")  # any JSON value until the lookup below accepts it
    if ftype in _BLANK_TYPES:
        return _blank_predicate(column, read, ftype == "blank")
    compare = _lookup(_SCALAR_OPS, ftype)
    if compare is None:
        raise GridQueryError(
            f"unknown {filter_type} filter type {short(ftype)} on column {column!r} "
            f"(expected one of: {_options(_SCALAR_OPS)})"
        )
    low = parse(column, ftype, condition, from_key)
    high = parse(column, ftype, condition, to_key) if ftype == "inRange" else None

    def passes(row: Row) -> bool:
        value = read(row.get(column))
        return value is not None and compare(value, low, high)  # blanks: includeBlanksIn* = false

    return passes


def _set_predicate(column: str, kind: str, condition: JsonObject) -> Predicate:
    """A set filter ({"filterType": "set", "values": [...]}, AG Grid Enterprise's shape): the
    cell is one of the values, case-insensitive; a blank cell passes only an empty set."""
    values = condition.get("values")
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise GridQueryError(f"set filter on column {column!r} needs a list of strings, got {short(values)}")
    if len(values) > MAX_SET_VALUES:
        raise GridQueryError(f"set filter on column {column!r} has {len(values):,} values (at most {MAX_SET_VALUES})")
    if sum(len(v) for v in values) > MAX_FILTER_TEXT:
        raise GridQueryError(f"set filter on column {column!r} is too long (at most {MAX_FILTER_TEXT} characters)")
    wanted = {v.casefold() for v in values}
    if not wanted:
        return lambda row: True

    def passes(row: Row) -> bool:
        cell = as_text(row.get(column))
        return cell is not None and any(value in wanted for value in cell)

    return passes


_CONDITION_BUILDERS: dict[str, Callable[[str, str, JsonObject], Predicate]] = {
    "text": _text_predicate,
    "number": _scalar_predicate,
    "date": _scalar_predicate,
    "set": _set_predicate,
}
_COMBINERS = {"AND": all, "OR": any}


def _condition_predicate(column: str, kind: str, condition: Any, parent_type: Any = None) -> Predicate:
    if not isinstance(condition, dict):
        raise GridQueryError(f"filter condition on column {column!r} must be an object, got {short(condition)}")
    if condition.get("operator"):  # only a combined model's conditions can have one here
        raise GridQueryError(
            f"filter on column {column!r} nests combined conditions: at most {MAX_NESTING} level "
            "of AND/OR (a column filter's own conditions)"
        )
    filter_type = condition.get("filterType", parent_type)
    build = _lookup(_CONDITION_BUILDERS, filter_type)
    if build is None:
        raise GridQueryError(
            f"unsupported filterType {short(filter_type)} on column {column!r} "
            f"(expected one of: {', '.join(sorted(_CONDITION_BUILDERS))})"
        )
    return build(column, kind, {**condition, "filterType": filter_type})


def _column_predicate(column: str, kind: str, model: Any) -> Predicate:
    if not isinstance(model, dict):
        raise GridQueryError(f"filter model of column {column!r} must be an object, got {short(model)}")
    if not model.get("operator"):  # AG Grid's own test for a combined model
        return _condition_predicate(column, kind, model)
    combine = _lookup(_COMBINERS, model["operator"])
    if combine is None:
        raise GridQueryError(
            f"unknown filter operator {short(model['operator'])} on column {column!r} (expected AND or OR)"
        )
    conditions = _conditions(column, model)
    parts = [_condition_predicate(column, kind, c, model.get("filterType")) for c in conditions]
    return lambda row: combine(part(row) for part in parts)


def _conditions(column: str, model: JsonObject) -> list[Any]:
    """The conditions of a combined column model, at most MAX_CONDITIONS_PER_COLUMN."""
    # `conditions` since AG Grid 29; `condition1`/`condition2` before it.
    conditions = model.get("conditions")
    if conditions is None:
        conditions = [c for c in (model.get("condition1"), model.get("condition2")) if c is not None]
    if not isinstance(conditions, list) or not conditions:
        raise GridQueryError(f"combined filter on column {column!r} has no conditions")
    if len(conditions) > MAX_CONDITIONS_PER_COLUMN:
        raise GridQueryError(
            f"too many filter conditions on column {column!r}: {len(conditions):,} "
            f"(at most {MAX_CONDITIONS_PER_COLUMN} per column)"
        )
    return conditions


def _condition_count(column: str, model: Any) -> int:
    if isinstance(model, dict) and model.get("operator"):
        return len(_conditions(column, model))
    return 1


def filter_rows(rows: Sequence[Row], filter_model: Optional[JsonObject], kinds: ColumnKinds) -> list[Row]:
    """Rows passing every column's filter of an AG Grid filter model ({colId: model})."""
    if not filter_model:
        return list(rows)
    if not isinstance(filter_model, dict):
        raise GridQueryError(f"filterModel must be an object, got {short(filter_model)}")
    # Count, then build every predicate, before reading a row: a bad or oversized model fails
    # at once, even when there are no rows.
    columns = [(col, kinds.kind_of(col), model) for col, model in filter_model.items()]
    total = sum(_condition_count(col, model) for col, _, model in columns)
    if total > MAX_CONDITIONS:
        raise GridQueryError(f"too many filter conditions: {total:,} (at most {MAX_CONDITIONS} in all)")
    predicates = [_column_predicate(col, kind, model) for col, kind, model in columns]
    kept = list(rows)
    for passes in predicates:  # one pass per column: cheaper than all() per row, and shrinking
        kept = [row for row in kept if passes(row)]
    return kept
