"""The kinds of the grid's columns, and each cell read as a comparable value (None when blank)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable, Optional

from dashboard.domain.clock import to_naive_utc
from dashboard.services.achievements.grid_query.limits import GridQueryError, short

Row = dict[str, Any]
"""A grid row: column name -> cell value."""

JsonObject = dict[str, Any]
"""An object decoded from the grid's JSON request: any JSON value under any key, checked on use."""

KINDS = ("text", "number", "date", "boolean", "tags")


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
        raise GridQueryError(f"unknown column {short(column)}")

    def columns(self) -> tuple[str, ...]:
        return tuple(sorted(name for kind in KINDS for name in getattr(self, kind)))


# Each normaliser returns a comparable value, or None for a blank cell.

_BOOL_WORDS = {True: ("true", "yes"), False: ("false", "no")}


def as_text(raw: Any) -> Optional[tuple[str, ...]]:
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


def as_number(raw: Any) -> Optional[float]:
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


def as_datetime(raw: Any) -> Optional[datetime]:
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


def as_day(raw: Any) -> Optional[date]:
    moment = as_datetime(raw)
    return None if moment is None else moment.date()


def as_bool(raw: Any) -> Optional[bool]:
    if raw is None:
        return None
    if isinstance(raw, str):
        word = raw.strip().casefold()
        return True if word in _BOOL_WORDS[True] else False if word in _BOOL_WORDS[False] else None
    return bool(raw)


def _text_key(raw: Any) -> Optional[str]:
    texts = as_text(raw)
    return None if texts is None else texts[0]


SORT_KEYS: dict[str, Callable[[Any], Any]] = {
    "text": _text_key,
    "number": as_number,
    "date": as_datetime,
    "boolean": as_bool,  # False before True
    "tags": as_text,  # tuples compare tag by tag
}
