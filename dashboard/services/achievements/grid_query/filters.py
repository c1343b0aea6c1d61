"""Server-side filtering, quick search, sorting and paging for AG Grid's infinite row model.

The Achievements grid asks for rows with a `getRowsRequest`
(``{"startRow", "endRow", "sortModel", "filterModel"}``); `query` answers it from a list of row
dicts with ``(slice, total after filter + search)``. Everything here mirrors what AG Grid
Community's own text / number / date filters do client-side with their default parameters, so
switching the grid between the client-side and the infinite row model does not change results:

* text: case-insensitive; a blank cell (None, whitespace, empty list) passes only ``blank``,
  ``notEqual`` and ``notContains``. A list cell (tags) matches when any tag does, so
  ``notContains`` passes only when no tag contains the text. Booleans read as "true"/"yes" or
  "false"/"no". A text filter may be used on a column of any kind (it sees the value as text).
* number and date: a blank cell passes only ``blank`` (AG Grid's ``includeBlanksIn*`` default to
  false, so even ``notEqual`` drops blanks). ``inRange`` is EXCLUSIVE at both ends, because
  ``inRangeInclusive`` defaults to false.
* date: compared by calendar day (``equals`` = same day), the grid's filter has no time of day.
  Aware datetimes are compared in UTC. Unparseable dates count as blank.
* sort: stable, multi-column, case-insensitive; blank values go last in both directions.

Anything the grid should never send (an unknown column, filter type, operator, a bad value)
raises `GridQueryError`, whose message names the problem; the caller shows it in place of the
rows. So does a request larger than the grid ever sends (the limits below): every part of a
request is bounded before any row is read, so no request costs more than a few milliseconds per
thousand rows, whoever sends it. Standard library only: no Dash or Flask here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, Callable, Iterable, Optional, Sequence

from dashboard.domain.clock import to_naive_utc

Row = dict
Predicate = Callable[[Row], bool]

KINDS = ("text", "number", "date", "boolean", "tags")

# --------------------------------------------------------------------------- limits
# What the Achievements grid (dash-ag-grid, infinite row model, AG Grid Community's column
# filters) ever sends, with room to spare. Past them a request is not the grid's: it is refused
# with a GridQueryError saying what is too large and the limit, before any row is read (measured
# before these limits: 20,000 OR conditions took 3.4 s of a worker, 20,000 sort entries 3.6 s and
# 200,000 search words 2.7 s, on 180 rows; bench/grid_hostile.py).

MAX_BLOCK_ROWS = 500
"""endRow - startRow: the grid asks for cacheBlockSize rows at a time (100 on the Achievements
page); `query(max_rows=)` lowers it."""
MAX_START_ROW = 10_000_000
"""startRow is a row the grid scrolled to, below the row count: the page is built for 10,000
achievements, and ten million is far past any list it will hold."""
MAX_CONDITIONS_PER_COLUMN = 10
"""A column filter sends at most its maxNumConditions conditions: 2 by default, which the grid's
columns keep; 10 leaves room to raise it."""
MAX_CONDITIONS = 40
"""In the whole filterModel: the grid's 9 filterable columns with 2 conditions each are 18."""
MAX_NESTING = 1
"""A column filter's conditions are combined one level deep ({operator, conditions: [...]});
a combined condition inside another is the Enterprise advanced filter's, which the grid lacks."""
MAX_FILTER_TEXT = 500
"""Characters of a text filter value: typed into a filter box; a title is at most 255."""
MAX_DATE_TEXT = 40
"""Characters of a date filter value: the grid sends 'YYYY-MM-DD hh:mm:ss' (19), an ISO time
with fractions and offset is 32. (Parsed dates are memoised: unbounded texts would fill it.)"""
MAX_NUMBER_TEXT = 40
"""Characters of a number filter value sent as text (the grid sends numbers)."""
MAX_SEARCH_LENGTH = 500
"""Characters of the quick search, which a person types: twice the longest title."""
MAX_SEARCH_WORDS = 20
"""Words of the quick search, each of which a row must contain: a long sentence."""
# Sort keys: at most one per column (AG Grid's multi-sort sorts each column once), so at most
# the number of columns of the ColumnKinds; a column sorted twice is refused.


class GridQueryError(ValueError):
    """A request the grid should never send (unknown column, filter type or operator).

    The message says what; callers answer it with a 400, never a 500.
    """


@dataclass(frozen=True)
class ColumnKinds:
    """Which row keys are text / number / date / boolean / list-of-strings (tags) columns."""

    text: frozenset[str]
    number: frozenset[str]
    date: frozenset[str]
    boolean: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for kind in KINDS:
            names = getattr(self, kind)
            if isinstance(names, str):  # frozenset("title") would silently become letters
                raise TypeError(f"ColumnKinds.{kind} must be a collection of names, not the string {names!r}")
            object.__setattr__(self, kind, frozenset(names))
            for name in names:
                if name in seen:
                    raise ValueError(f"column {name!r} is both {seen[name]} and {kind}")
                seen[name] = kind

    def kind_of(self, column: Any) -> str:
        if isinstance(column, str):  # a list or dict as colId is unhashable: not a column either
            for kind in KINDS:
                if column in getattr(self, kind):
                    return kind
        raise GridQueryError(f"unknown column {_short(column)}")

    def columns(self) -> tuple[str, ...]:
        return tuple(sorted(name for kind in KINDS for name in getattr(self, kind)))


def _short(value: Any) -> str:
    """A value from the request for an error message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _lookup(table: dict, key: Any) -> Any:
    """table.get(key), with None for a key that cannot be one (a list or dict from the JSON)."""
    try:
        return table.get(key)
    except TypeError:
        return None


# --------------------------------------------------------------------------- cell values
# Each normaliser returns a comparable value, or None for a blank cell.

_BOOL_WORDS = {True: ("true", "yes"), False: ("false", "no")}


def _as_text(raw: Any) -> Optional[tuple[str, ...]]:
    """The cell as lower-case strings for text filters and search: one per tag, words for booleans."""
    if isinstance(raw, str):  # the common case first: this runs per cell
        return (raw.casefold(),) if raw.strip() else None
    if raw is None:
        return None
    if isinstance(raw, bool):
        return _BOOL_WORDS[raw]
    if isinstance(raw, (list, tuple, set, frozenset)):
        texts = tuple(t for t in (str(item).casefold() for item in raw if item is not None) if t.strip())
        return texts or None
    if isinstance(raw, (date, datetime)):
        text = raw.isoformat()
    elif isinstance(raw, float) and math.isnan(raw):
        return None
    else:
        text = str(raw)
    return (text.casefold(),) if text.strip() else None


def _as_number(raw: Any) -> Optional[float]:
    if raw is None or isinstance(raw, bool):
        return None
    try:
        number = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None  # bad data in a number column sorts and filters as blank, it must not 500
    return None if math.isnan(number) else number


@lru_cache(maxsize=65536)  # the same few thousand ISO strings are parsed on every request
def _parse_iso(text: str) -> Optional[datetime]:
    text = text.strip()
    if text[-1:] in ("Z", "z"):  # fromisoformat accepts "Z" only from Python 3.11
        text = text[:-1] + "+00:00"
    try:
        return to_naive_utc(datetime.fromisoformat(text))
    except (ValueError, OverflowError):  # Overflow: 0001-01-01T00:00+01:00 is before year 1 in UTC
        return None


def _as_datetime(raw: Any) -> Optional[datetime]:
    if isinstance(raw, str):
        return _parse_iso(raw) if raw.strip() else None
    if isinstance(raw, datetime):
        try:
            return to_naive_utc(raw)
        except OverflowError:
            return None
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    return None


def _as_day(raw: Any) -> Optional[date]:
    moment = _as_datetime(raw)
    return None if moment is None else moment.date()


def _as_bool(raw: Any) -> Optional[bool]:
    if raw is None:
        return None
    if isinstance(raw, str):
        word = raw.strip().casefold()
        return True if word in _BOOL_WORDS[True] else False if word in _BOOL_WORDS[False] else None
    return bool(raw)


def _text_key(raw: Any) -> Optional[str]:
    texts = _as_text(raw)
    return None if texts is None else texts[0]


_SORT_KEYS: dict[str, Callable[[Any], Any]] = {
    "text": _text_key,
    "number": _as_number,
    "date": _as_datetime,
    "boolean": _as_bool,  # False before True
    "tags": _as_text,  # tuples compare tag by tag
}

# --------------------------------------------------------------------------- filters

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


def _text_predicate(column: str, kind: str, condition: dict) -> Predicate:
    ftype = condition.get("type")
    if ftype in _BLANK_TYPES:
        return _blank_predicate(column, _as_text, ftype == "blank")
    negate = _lookup(_TEXT_NEGATIONS, ftype) is not None
    matcher = _lookup(_TEXT_MATCHERS, _lookup(_TEXT_NEGATIONS, ftype) or ftype)
    if matcher is None:
        raise GridQueryError(
            f"unknown text filter type {_short(ftype)} on column {column!r} "
            f"(expected one of: {_options([*_TEXT_MATCHERS, *_TEXT_NEGATIONS])})"
        )
    needle = condition.get("filter")
    if needle is None or isinstance(needle, (dict, list, bool)):
        raise GridQueryError(
            f"text filter {ftype!r} on column {column!r} needs a 'filter' string, got {_short(needle)}"
        )
    needle = str(needle)
    if len(needle) > MAX_FILTER_TEXT:
        raise GridQueryError(
            f"text filter on column {column!r} is too long: {len(needle):,} characters (at most {MAX_FILTER_TEXT})"
        )
    needle = needle.casefold()

    def passes(row: Row) -> bool:
        values = _as_text(row.get(column))
        if values is None:
            return negate  # AG Grid: a blank cell passes notEqual / notContains only
        return any(matcher(value, needle) for value in values) is not negate

    return passes


def _number_value(column: str, ftype: str, condition: dict, key: str) -> float:
    raw = condition.get(key)
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
            f"number filter {ftype!r} on column {column!r} needs a numeric {key!r}, got {_short(raw)}"
        ) from None
    if not math.isfinite(number):
        raise GridQueryError(f"number filter {ftype!r} on column {column!r} got a non-finite {key!r}: {raw!r}")
    return number


def _date_value(column: str, ftype: str, condition: dict, key: str) -> date:
    raw = condition.get(key)
    if isinstance(raw, str) and len(raw) > MAX_DATE_TEXT:
        raise GridQueryError(
            f"date filter on column {column!r}: {key!r} is too long, {len(raw):,} characters (at most {MAX_DATE_TEXT})"
        )
    day = _as_day(raw) if isinstance(raw, str) else None
    if day is None:
        raise GridQueryError(
            f"date filter {ftype!r} on column {column!r} needs {key!r} as 'YYYY-MM-DD hh:mm:ss', got {_short(raw)}"
        )
    return day


# filterType -> (kind of column it applies to, cell reader, filter value parser, (from key, to key))
_SCALAR_FILTERS = {
    "number": ("number", _as_number, _number_value, ("filter", "filterTo")),
    "date": ("date", _as_day, _date_value, ("dateFrom", "dateTo")),
}


def _scalar_predicate(column: str, kind: str, condition: dict) -> Predicate:
    filter_type = condition["filterType"]
    wanted_kind, read, parse, (from_key, to_key) = _SCALAR_FILTERS[filter_type]
    if kind != wanted_kind:
        raise GridQueryError(f"{filter_type} filter on column {column!r}, which is a {kind} column")
    ftype = condition.get("type")
    if ftype in _BLANK_TYPES:
        return _blank_predicate(column, read, ftype == "blank")
    compare = _lookup(_SCALAR_OPS, ftype)
    if compare is None:
        raise GridQueryError(
            f"unknown {filter_type} filter type {_short(ftype)} on column {column!r} "
            f"(expected one of: {_options(_SCALAR_OPS)})"
        )
    low = parse(column, ftype, condition, from_key)
    high = parse(column, ftype, condition, to_key) if ftype == "inRange" else None

    def passes(row: Row) -> bool:
        value = read(row.get(column))
        return value is not None and compare(value, low, high)  # blanks: includeBlanksIn* = false

    return passes


_CONDITION_BUILDERS: dict[str, Callable[[str, str, dict], Predicate]] = {
    "text": _text_predicate,
    "number": _scalar_predicate,
    "date": _scalar_predicate,
}
_COMBINERS = {"AND": all, "OR": any}


def _condition_predicate(column: str, kind: str, condition: Any, parent_type: Any = None) -> Predicate:
    if not isinstance(condition, dict):
        raise GridQueryError(f"filter condition on column {column!r} must be an object, got {_short(condition)}")
    if condition.get("operator"):  # only a combined model's conditions can have one here
        raise GridQueryError(
            f"filter on column {column!r} nests combined conditions: at most {MAX_NESTING} level "
            "of AND/OR (a column filter's own conditions)"
        )
    filter_type = condition.get("filterType", parent_type)
    build = _lookup(_CONDITION_BUILDERS, filter_type)
    if build is None:
        raise GridQueryError(
            f"unsupported filterType {_short(filter_type)} on column {column!r} "
            f"(expected one of: {', '.join(sorted(_CONDITION_BUILDERS))})"
        )
    return build(column, kind, {**condition, "filterType": filter_type})


def _column_predicate(column: str, kind: str, model: Any) -> Predicate:
    if not isinstance(model, dict):
        raise GridQueryError(f"filter model of column {column!r} must be an object, got {_short(model)}")
    if not model.get("operator"):  # AG Grid's own test for a combined model
        return _condition_predicate(column, kind, model)
    combine = _lookup(_COMBINERS, model["operator"])
    if combine is None:
        raise GridQueryError(
            f"unknown filter operator {_short(model['operator'])} on column {column!r} (expected AND or OR)"
        )
    conditions = _conditions(column, model)
    parts = [_condition_predicate(column, kind, c, model.get("filterType")) for c in conditions]
    return lambda row: combine(part(row) for part in parts)


def _conditions(column: str, model: dict) -> list:
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


def filter_rows(rows: Sequence[Row], filter_model: Optional[dict], kinds: ColumnKinds) -> list[Row]:
    """Rows passing every column's filter of an AG Grid filter model ({colId: model})."""
    if not filter_model:
        return list(rows)
    if not isinstance(filter_model, dict):
        raise GridQueryError(f"filterModel must be an object, got {_short(filter_model)}")
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


# --------------------------------------------------------------------------- search, sort, page


def search_words(text: Any) -> list[str]:
    """The quick search's words, case-folded; GridQueryError past the limits or for a non-string."""
    if text is None:
        return []
    if not isinstance(text, str):
        raise GridQueryError(f"search must be a string, got {_short(text)}")
    if len(text) > MAX_SEARCH_LENGTH:
        raise GridQueryError(f"search is too long: {len(text):,} characters (at most {MAX_SEARCH_LENGTH})")
    words = text.casefold().split()
    if len(words) > MAX_SEARCH_WORDS:
        raise GridQueryError(f"search has too many words: {len(words):,} (at most {MAX_SEARCH_WORDS})")
    return words


def search_rows(rows: Sequence[Row], text: Optional[str], fields: Sequence[str]) -> list[Row]:
    """Quick search: every whitespace-separated word appears (case-insensitive) in one of the fields."""
    words = search_words(text)
    if not words:
        return list(rows)
    if not fields:
        raise ValueError("search_rows needs at least one field to search")

    def haystack(row: Row) -> str:
        # "\n" between fields (and " " between tags): a word has no whitespace, so it cannot
        # match across two fields.
        return "\n".join(" ".join(_as_text(row.get(field)) or ()) for field in fields)

    hays = ((haystack(row), row) for row in rows)
    return [row for hay, row in hays if all(word in hay for word in words)]


def _sort_spec(sort_model: Any, kinds: ColumnKinds) -> list[tuple[str, Callable[[Any], Any], bool]]:
    if not isinstance(sort_model, list):
        raise GridQueryError(f"sortModel must be a list, got {_short(sort_model)}")
    limit = len(kinds.columns())
    if len(sort_model) > limit:
        raise GridQueryError(f"sortModel has too many entries: {len(sort_model):,} (at most {limit}, one per column)")
    spec, seen = [], set()
    for item in sort_model:
        if not isinstance(item, dict):
            raise GridQueryError(f"sortModel entries must be objects, got {_short(item)}")
        column, direction = item.get("colId"), item.get("sort")
        kind = kinds.kind_of(column)
        if direction not in ("asc", "desc"):
            raise GridQueryError(
                f"sort direction of column {column!r} must be 'asc' or 'desc', got {_short(direction)}"
            )
        if column in seen:
            raise GridQueryError(f"sortModel sorts column {column!r} twice (each column at most once)")
        seen.add(column)
        spec.append((column, _SORT_KEYS[kind], direction == "desc"))
    return spec


def sort_rows(rows: Sequence[Row], sort_model: Optional[list], kinds: ColumnKinds) -> list[Row]:
    """Rows sorted by an AG Grid sort model: multi-column, stable, blanks last in both directions."""
    return _sorted(rows, _sort_spec(sort_model, kinds) if sort_model else [])


def _sorted(rows: Sequence[Row], spec: list[tuple[str, Callable[[Any], Any], bool]]) -> list[Row]:
    result = list(rows)
    # Sort by the least significant column first: Python's sort is stable (reverse=True too),
    # so each pass keeps the order of the previous one among equal keys.
    for column, key, descending in reversed(spec):
        keyed = [(key(row.get(column)), row) for row in result]
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=itemgetter(0), reverse=descending)
        result = [row for _, row in present] + [row for value, row in keyed if value is None]
    return result


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


def _request_index(request: dict, key: str, default: int) -> int:
    value = request.get(key)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():  # JSON numbers may arrive as 100.0
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise GridQueryError(f"{key} must be an integer, got {_short(value)}")  # NaN and Infinity too
    return value


def block_bounds(request: dict, max_rows: int = MAX_BLOCK_ROWS) -> tuple[int, int]:
    """(startRow, endRow) of a getRowsRequest, checked: a block of at most max_rows rows."""
    limit = min(max_rows, MAX_BLOCK_ROWS)
    start = _request_index(request, "startRow", 0)
    if not 0 <= start <= MAX_START_ROW:
        raise GridQueryError(f"startRow must be between 0 and {MAX_START_ROW:,}, got {_short(start)}")
    end = _request_index(request, "endRow", start + limit)
    if end < start:
        raise GridQueryError(f"endRow ({end:,}) is before startRow ({start:,})")
    if end - start > limit:
        raise GridQueryError(f"too many rows in one block: {end - start:,} (at most {limit})")
    return start, end


def check_request(request: Any) -> dict:
    """The getRowsRequest as an object ({} for none); GridQueryError for anything else."""
    if request is None:
        return {}
    if not isinstance(request, dict):
        raise GridQueryError(f"getRowsRequest must be an object, got {_short(request)}")
    return request


def view(
    rows: Sequence[Row],
    request: Optional[dict],
    kinds: ColumnKinds,
    *,
    search: Optional[str] = None,
    search_fields: Sequence[str] = (),
) -> list[Row]:
    """Every row of a getRowsRequest's view: filtered, searched and sorted (not paged).

    Every part of the request is checked and bounded before a row is read.
    """
    request = check_request(request)
    sort_spec = _sort_spec(request.get("sortModel") or [], kinds)
    search_words(search)
    matching = filter_rows(rows, request.get("filterModel"), kinds)
    matching = search_rows(matching, search, tuple(search_fields) or kinds.columns())
    # Sort after filtering: fewer rows to sort.
    return _sorted(matching, sort_spec)


def query(
    rows: Sequence[Row],
    request: Optional[dict],
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
