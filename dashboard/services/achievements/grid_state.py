"""The Achievements grid's view as a link: sort, column filters, set filters, search, switches, columns.

`parse_state(query)` reads the query string Dash hands the page's layout into a `GridState`
and a message for each parameter it ignored (unknown column, operator, a bad number, too long:
never an exception); `GridState.query()` writes it back in readable names, and reads back as the
same state:

    ?sort=-impact_score,title&q=redis&category=performance,security&source_type=github_pr
    &published=1&value=unreadable&f.impact_score=greaterThan:50&f.title=contains:cache
    &f.title=contains:redis&f.title.join=or&cols=title,business_value,category

`from_view(...)` reads the same state back from what the grid asked for (its getRowsRequest's
sortModel and filterModel) and the page's controls, so the URL follows the grid. The set filters
(category, source type) are not AG Grid filters (Community has no set filter): they travel
beside the request and become a ``{"filterType": "set", "values": [...]}`` column model here
(grid_query/filters.py applies it). Standard library only: no Dash or Flask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Mapping, Optional, Sequence, Union

from dashboard.domain.models import CATEGORIES, SOURCE_TYPES
from dashboard.services.achievements.edits import FIELD_LABELS
from dashboard.services.achievements.grid_query.limits import MAX_FILTER_TEXT, MAX_SEARCH_LENGTH

QueryValue = Union[str, Sequence[str], None]

FILTER_KINDS: dict[str, str] = {
    "title": "text",
    "business_value": "number",
    "completed_at": "date",
    "impact_score": "number",
    "complexity_score": "number",
    "tags": "text",
    "time_saved_hours": "number",
    "source": "text",
}
"""The grid's column filters (AG Grid's text, number and date filters), by column."""
SET_FILTERS: dict[str, tuple[str, ...]] = {"category": CATEGORIES, "source_type": SOURCE_TYPES}
"""The set filters above the grid, with the values each may take."""
COLUMNS: tuple[str, ...] = (
    "title",
    "business_value",
    "category",
    "completed_at",
    "impact_score",
    "complexity_score",
    "portfolio_ready",
    "tags",
    "time_saved_hours",
    "source",
)
"""The columns a person may show or hide, in the grid's order (Title always shows)."""
SORTABLE = frozenset(COLUMNS)
DEFAULT_SORT: tuple[tuple[str, bool], ...] = (("completed_at", True),)
"""(column, descending): newest first, as columns.py declares it."""
LABELS = {**FIELD_LABELS, "source": "Source", "completed_at": "Completed"}

TEXT_TYPES = ("contains", "notContains", "equals", "notEqual", "startsWith", "endsWith", "blank", "notBlank")
SCALAR_TYPES = (
    "equals",
    "notEqual",
    "greaterThan",
    "greaterThanOrEqual",
    "lessThan",
    "lessThanOrEqual",
    "inRange",
    "blank",
    "notBlank",
)
NO_VALUE = ("blank", "notBlank")
MAX_CONDITIONS = 2
"""Conditions per column filter: AG Grid's maxNumConditions default, which the grid keeps."""
MAX_PROBLEMS = 5
"""Messages said for one link; the rest are counted."""
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")
_WORDS = {
    "contains": "contains",
    "notContains": "does not contain",
    "equals": "is",
    "notEqual": "is not",
    "startsWith": "starts with",
    "endsWith": "ends with",
    "blank": "is blank",
    "notBlank": "is not blank",
    "greaterThan": ">",
    "greaterThanOrEqual": "≥",
    "lessThan": "<",
    "lessThanOrEqual": "≤",
    "inRange": "between",
}
_DATE_WORDS = {"greaterThan": "after", "lessThan": "before", "equals": "on", "notEqual": "not on"}
FILTER_PREFIX = "f."
OWNED_KEYS = ("sort", "q", "published", "value", "cols", *SET_FILTERS)
"""The query parameters this grid owns, with every `f.<column>` (others are left alone)."""
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Condition:
    """One condition of a column filter: an AG Grid filter type and its one or two values."""

    type: str
    value: Optional[str] = None
    value_to: Optional[str] = None


@dataclass(frozen=True)
class ColumnFilter:
    conditions: tuple[Condition, ...]
    join: str = "AND"


@dataclass(frozen=True)
class Chip:
    """An active filter as a person reads it, and the key that removes it."""

    key: str
    """"q", "published", "value", a set filter's column, or "f.<column>"."""
    text: str


@dataclass(frozen=True)
class GridState:
    sort: tuple[tuple[str, bool], ...] = DEFAULT_SORT
    filters: tuple[tuple[str, ColumnFilter], ...] = ()
    sets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    search: str = ""
    published: bool = False
    unreadable: bool = False
    columns: tuple[str, ...] = COLUMNS
    """The columns shown, in the grid's order."""

    def set_values(self, column: str) -> list[str]:
        return list(dict(self.sets).get(column, ()))

    def hidden(self) -> list[str]:
        return [c for c in COLUMNS if c not in self.columns]

    def query(self) -> dict[str, Union[str, list[str]]]:
        """The canonical query parameters (defaults left out)."""
        out: dict[str, Union[str, list[str]]] = {}
        if self.sort != DEFAULT_SORT:
            out["sort"] = ",".join(("-" if desc else "") + col for col, desc in self.sort) or "none"
        if self.search:
            out["q"] = self.search
        for column, values in self.sets:
            out[column] = ",".join(values)
        if self.published:
            out["published"] = "1"
        if self.unreadable:
            out["value"] = UNREADABLE
        for column, model in self.filters:
            texts = [_condition_text(FILTER_KINDS[column], c) for c in model.conditions]
            out[FILTER_PREFIX + column] = texts[0] if len(texts) == 1 else texts
            if model.join == "OR" and len(texts) > 1:
                out[f"{FILTER_PREFIX}{column}.join"] = "or"
        if self.columns != COLUMNS:
            out["cols"] = ",".join(self.columns)
        return out

    def sort_model(self) -> list[dict[str, str]]:
        return [{"colId": col, "sort": "desc" if desc else "asc"} for col, desc in self.sort]

    def filter_model(self) -> dict[str, Any]:
        """The grid's own column filters, as AG Grid's filterModel."""
        return {column: _column_model(FILTER_KINDS[column], model) for column, model in self.filters}

    def chips(self) -> list[Chip]:
        """Every active filter, in the order of the controls."""
        chips = [Chip("q", f"Search “{self.search}”")] if self.search else []
        for column, values in self.sets:
            chips.append(Chip(column, f"{LABELS[column]} is {', '.join(values)}"))
        if self.published:
            chips.append(Chip("published", "Published only"))
        if self.unreadable:
            chips.append(Chip("value", "No readable amount"))
        for column, model in self.filters:
            kind = FILTER_KINDS[column]
            parts = [_condition_words(kind, c) for c in model.conditions]
            chips.append(Chip(FILTER_PREFIX + column, f"{LABELS[column]} " + f" {model.join.lower()} ".join(parts)))
        return chips

    def without(self, key: str) -> "GridState":
        """This state without the filter `key` names (a Chip's key); unknown keys change nothing."""
        if key == "q":
            return replace(self, search="")
        if key == "published":
            return replace(self, published=False)
        if key == "value":
            return replace(self, unreadable=False)
        if key in SET_FILTERS:
            return replace(self, sets=tuple((c, v) for c, v in self.sets if c != key))
        return replace(self, filters=tuple((c, m) for c, m in self.filters if FILTER_PREFIX + c != key))

    def cleared(self) -> "GridState":
        """No filters, search or switches; the sort and the columns stay."""
        return GridState(sort=self.sort, columns=self.columns)


# ----------------------------------------------------------------------------- reading a link


@dataclass
class _Reading:
    problems: list[str] = field(default_factory=list)

    def ignore(self, text: str) -> None:
        self.problems.append(text)

    def said(self) -> list[str]:
        if len(self.problems) <= MAX_PROBLEMS:
            return self.problems
        return [*self.problems[:MAX_PROBLEMS], f"… and {len(self.problems) - MAX_PROBLEMS} more ignored."]


def _values(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, (list, tuple)):
        return [v for v in raw if isinstance(v, str)]
    return []


def _shown(text: str) -> str:
    return "“" + (text[:40] + "…" if len(text) > 40 else text) + "”"


def _single(raw: Any, name: str, reading: _Reading) -> Optional[str]:
    values = _values(raw)
    if not values:
        return None
    if len(values) > 1:
        reading.ignore(f"{name} is given {len(values)} times: the first is used.")
    return values[0]


def _flag(raw: Any, name: str, reading: _Reading) -> bool:
    text = _single(raw, name, reading)
    if text is None:
        return False
    word = text.strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    reading.ignore(f"{name}={_shown(text)} ignored (use 1 or 0).")
    return False


def parse_state(query: Mapping[str, Any]) -> tuple[GridState, list[str]]:
    """The grid's state from URL parameters, and a message for each bad one (which is ignored).

    `query` is what Dash passes a page's layout: a string per parameter, a list when repeated.
    Parameters the grid does not own are left alone, unless they look like a column filter.
    """
    reading = _Reading()
    search = _single(query.get("q"), "q", reading) or ""
    if len(search) > MAX_SEARCH_LENGTH:
        reading.ignore(f"q is too long ({len(search):,} characters, at most {MAX_SEARCH_LENGTH}): search ignored.")
        search = ""
    value = _single(query.get("value"), "value", reading)
    if value not in (None, "", UNREADABLE):
        reading.ignore(f"value={_shown(value)} ignored (the one choice is value={UNREADABLE}).")
    state = GridState(
        sort=_parse_sort(_single(query.get("sort"), "sort", reading), reading),
        filters=_parse_filters(query, reading),
        sets=_parse_sets(query, reading),
        search=search.strip(),
        published=_flag(query.get("published"), "published", reading),
        unreadable=value == UNREADABLE,
        columns=_parse_columns(_single(query.get("cols"), "cols", reading), reading),
    )
    return state, reading.said()


def _names(text: str, name: str, reading: _Reading) -> list[str]:
    if len(text) > MAX_FILTER_TEXT:
        reading.ignore(f"{name} is too long ({len(text):,} characters): ignored.")
        return []
    return [part.strip() for part in text.split(",") if part.strip()]


def _parse_sort(text: Optional[str], reading: _Reading) -> tuple[tuple[str, bool], ...]:
    if text is None:
        return DEFAULT_SORT
    if text.strip() == "none":
        return ()
    spec: list[tuple[str, bool]] = []
    for part in _names(text, "sort", reading):
        column, descending = part.lstrip("-+"), part.startswith("-")
        if column not in SORTABLE:
            reading.ignore(f"sort by {_shown(column)} ignored: no such column.")
        elif any(column == seen for seen, _ in spec):
            reading.ignore(f"sort by {column} is given twice: the first is used.")
        else:
            spec.append((column, descending))
    return tuple(spec) if spec else DEFAULT_SORT


def _parse_sets(query: Mapping[str, Any], reading: _Reading) -> tuple[tuple[str, tuple[str, ...]], ...]:
    sets = []
    for column, choices in SET_FILTERS.items():
        raw = _values(query.get(column))
        picked: list[str] = []
        for text in raw:
            for name in _names(text, column, reading):
                if name.lower() not in choices:
                    reading.ignore(f"{column}={_shown(name)} ignored: not a {LABELS[column].lower()}.")
                elif name.lower() not in picked:
                    picked.append(name.lower())
        if picked:
            sets.append((column, tuple(c for c in choices if c in picked)))  # the list's own order
    return tuple(sets)


def _parse_columns(text: Optional[str], reading: _Reading) -> tuple[str, ...]:
    if text is None:
        return COLUMNS
    wanted = set()
    for name in _names(text, "cols", reading):
        if name in COLUMNS:
            wanted.add(name)
        else:
            reading.ignore(f"cols: {_shown(name)} ignored: no such column.")
    wanted.add("title")  # the row's name always shows
    return tuple(c for c in COLUMNS if c in wanted)


def _parse_filters(query: Mapping[str, Any], reading: _Reading) -> tuple[tuple[str, ColumnFilter], ...]:
    found = []
    for key in query:
        if not isinstance(key, str) or not key.startswith(FILTER_PREFIX) or key.endswith(".join"):
            continue
        column = key[len(FILTER_PREFIX) :]
        kind = FILTER_KINDS.get(column)
        if kind is None:
            reading.ignore(f"{_shown(key)} ignored: no filter on such a column.")
            continue
        texts = _values(query[key])
        if len(texts) > MAX_CONDITIONS:
            reading.ignore(f"{key}: at most {MAX_CONDITIONS} conditions; the first {MAX_CONDITIONS} are used.")
            texts = texts[:MAX_CONDITIONS]
        conditions = [c for c in (_parse_condition(kind, key, text, reading) for text in texts) if c]
        if not conditions:
            continue
        join = (_single(query.get(key + ".join"), key + ".join", reading) or "and").strip().upper()
        if join not in ("AND", "OR"):
            reading.ignore(f"{key}.join={_shown(join)} ignored (and or or).")
            join = "AND"
        found.append((column, ColumnFilter(tuple(conditions), join)))
    return tuple(sorted(found, key=lambda item: COLUMNS.index(item[0])))


def _parse_condition(kind: str, key: str, text: str, reading: _Reading) -> Optional[Condition]:
    if len(text) > MAX_FILTER_TEXT:
        reading.ignore(f"{key} is too long ({len(text):,} characters, at most {MAX_FILTER_TEXT}): ignored.")
        return None
    ftype, _, rest = text.partition(":")
    allowed = TEXT_TYPES if kind == "text" else SCALAR_TYPES
    if ftype not in allowed:
        reading.ignore(f"{key}={_shown(text)} ignored: {_shown(ftype)} is not one of {', '.join(allowed)}.")
        return None
    if ftype in NO_VALUE:
        return Condition(ftype)
    if kind == "text":
        if not rest.strip():
            reading.ignore(f"{key}={_shown(text)} ignored: nothing to compare with.")
            return None
        return Condition(ftype, rest)
    low, _, high = rest.partition("..") if ftype == "inRange" else (rest, "", "")
    check = _number if kind == "number" else _day
    values = [check(v.strip()) for v in ((low, high) if ftype == "inRange" else (low,))]
    if any(v is None for v in values):
        what = "a number" if kind == "number" else "a date YYYY-MM-DD"
        shape = f"{ftype}:A..B" if ftype == "inRange" else f"{ftype}:VALUE"
        reading.ignore(f"{key}={_shown(text)} ignored: needs {what} ({shape}).")
        return None
    return Condition(ftype, *values)


def _number(text: str) -> Optional[str]:
    if len(text) > 40:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return _number_text(number) if math.isfinite(number) else None


def _number_text(number: float) -> str:
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _day(text: str) -> Optional[str]:
    try:
        return date.fromisoformat(text[:10]).isoformat() if len(text) == 10 else None
    except ValueError:
        return None


# ----------------------------------------------------------------------------- writing it back


def _condition_text(kind: str, condition: Condition) -> str:
    if condition.type in NO_VALUE:
        return condition.type
    if condition.type == "inRange" and kind != "text":
        return f"inRange:{condition.value}..{condition.value_to}"
    return f"{condition.type}:{condition.value}"


def _condition_words(kind: str, condition: Condition) -> str:
    words = (_DATE_WORDS if kind == "date" else {}).get(condition.type) or _WORDS[condition.type]
    if condition.type in NO_VALUE:
        return words
    if condition.type == "inRange":
        return f"{words} {condition.value} and {condition.value_to}"
    return f"{words} “{condition.value}”" if kind == "text" else f"{words} {condition.value}"


def _condition_model(kind: str, condition: Condition) -> dict[str, Any]:
    model: dict[str, Any] = {"filterType": kind, "type": condition.type}
    if condition.type in NO_VALUE:
        return model
    if kind == "text":
        model["filter"] = condition.value
    elif kind == "number":
        model["filter"] = float(condition.value or 0)
        if condition.type == "inRange":
            model["filterTo"] = float(condition.value_to or 0)
    else:
        model["dateFrom"] = f"{condition.value} 00:00:00"
        model["dateTo"] = f"{condition.value_to} 00:00:00" if condition.type == "inRange" else None
    return model


def _column_model(kind: str, model: ColumnFilter) -> dict[str, Any]:
    if len(model.conditions) == 1:
        return _condition_model(kind, model.conditions[0])
    return {
        "filterType": kind,
        "operator": model.join,
        "conditions": [_condition_model(kind, c) for c in model.conditions],
    }


def server_filter_model(filter_model: Any, sets: Mapping[str, Sequence[str]]) -> Any:
    """The grid's filterModel with the set filters added as `set` column models, for grid_query.

    A filterModel that is not an object is passed on as it is, for grid_query to refuse in words.
    """
    extra = {column: {"filterType": "set", "values": list(values)} for column, values in sets.items() if values}
    if not extra:
        return filter_model
    if filter_model is None:
        return extra
    if not isinstance(filter_model, dict):
        return filter_model
    return {**filter_model, **extra}


# ----------------------------------------------------------------------------- following the grid


def from_view(
    request: Any,
    *,
    search: Any = None,
    published: Any = None,
    unreadable: Any = None,
    sets: Optional[Mapping[str, Any]] = None,
    columns: Any = None,
) -> GridState:
    """The state of what the grid asked for and the page's controls hold; anything it cannot
    say in a link (a filter the grid would never send) is left out, never an error."""
    request = request if isinstance(request, dict) else {}
    query: dict[str, Any] = {}
    sort = request.get("sortModel")
    if isinstance(sort, list):
        parts = [
            ("-" if item.get("sort") == "desc" else "") + str(item.get("colId"))
            for item in sort[: len(COLUMNS)]
            if isinstance(item, dict) and item.get("sort") in ("asc", "desc")
        ]
        if parts or not sort:  # an empty model is no sort; one of nothing but junk says nothing
            query["sort"] = ",".join(parts) or "none"
    model = request.get("filterModel")
    if isinstance(model, dict):
        for column, column_model in list(model.items())[: len(FILTER_KINDS)]:
            if column in FILTER_KINDS and isinstance(column_model, dict):
                texts, join = _model_texts(FILTER_KINDS[column], column_model)
                if texts:
                    query[FILTER_PREFIX + column] = texts
                    query[f"{FILTER_PREFIX}{column}.join"] = join
    if isinstance(search, str):
        query["q"] = search
    query["published"] = "1" if published else "0"
    query["value"] = UNREADABLE if unreadable else ""
    for column, values in (sets or {}).items():
        if isinstance(values, list):
            query[column] = ",".join(v for v in values if isinstance(v, str))
    if isinstance(columns, list):
        query["cols"] = ",".join(c for c in columns if isinstance(c, str))
    state, _ = parse_state(query)
    return state


def _model_texts(kind: str, model: dict[str, Any]) -> tuple[list[str], str]:
    conditions = model.get("conditions") if model.get("operator") else [model]
    if not isinstance(conditions, list):
        return [], "and"
    texts = []
    for c in conditions[:MAX_CONDITIONS]:
        if not isinstance(c, dict) or not isinstance(c.get("type"), str):
            continue
        ftype = c["type"]
        if ftype in NO_VALUE:
            texts.append(ftype)
        elif kind == "text":
            texts.append(f"{ftype}:{c.get('filter')}")
        elif kind == "number":
            low, high = c.get("filter"), c.get("filterTo")
            texts.append(f"{ftype}:{low}" + (f"..{high}" if ftype == "inRange" else ""))
        else:
            low, high = str(c.get("dateFrom") or "")[:10], str(c.get("dateTo") or "")[:10]
            texts.append(f"{ftype}:{low}" + (f"..{high}" if ftype == "inRange" else ""))
    return texts, str(model.get("operator") or "and").lower()
