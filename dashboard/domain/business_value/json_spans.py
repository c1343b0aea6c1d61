"""Where in the JSON text an amount stands: the span of the value at a path of keys and indices."""

from __future__ import annotations

import json
import re
from typing import Iterable, Optional

from dashboard.domain.business_value.json_reading import _JsonHit, _JsonPath

_DECODER = json.JSONDecoder()
_NOT_WHITESPACE = re.compile(r"[^ \t\n\r]")  # JSON's whitespace is these four characters


def _skip_whitespace(raw: str, pos: int) -> int:
    """The index of the first character at or after `pos` that is not JSON whitespace (or the end)."""
    found = _NOT_WHITESPACE.search(raw, pos)
    return len(raw) if found is None else found.start()


def _locate(raw: str, path: _JsonPath) -> Optional[tuple[int, int]]:
    """The (start, end) of the JSON value at `path` in `raw`, or None."""
    if len(path) > 8:
        return None
    # Fast path: every key on the path occurs once in the whole text, so that occurrence is it.
    pos = 0
    try:
        for step in path:
            if not isinstance(step, str):
                break
            simple = step.isascii() and step.isidentifier()
            needle = f'"{step}"' if simple else json.dumps(step, ensure_ascii=False)
            found = raw.find(needle, pos)
            if found < 0 or raw.find(needle, found + 1) >= 0 or raw.find(needle) != found:
                break
            colon = _skip_whitespace(raw, found + len(needle))
            if raw[colon] != ":":
                break
            pos = _skip_whitespace(raw, colon + 1)
        else:
            number = _JSON_NUMBER.match(raw, pos)
            if number:
                return pos, number.end()
            return pos, _DECODER.raw_decode(raw, pos)[1]
    except (ValueError, RecursionError, IndexError):
        pass
    return _locate_slowly(raw, path)


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?(?![0-9.eE])")


def _locate_slowly(raw: str, path: _JsonPath) -> Optional[tuple[int, int]]:
    try:
        pos = _skip_whitespace(raw, 0)
        end = _DECODER.raw_decode(raw, pos)[1]
        for step in path:
            found = None
            if raw[pos] == "{" and isinstance(step, str):
                for key, start, stop in _members(raw, pos):
                    if key == step:
                        found = (start, stop)  # the last one wins, as in json.loads
            elif raw[pos] == "[" and isinstance(step, int):
                for index, (start, stop) in enumerate(_items(raw, pos)):
                    if index == step:
                        found = (start, stop)
                        break
            if found is None:
                return None
            pos, end = found
        return pos, end
    except (ValueError, RecursionError, IndexError):
        return None


def _members(raw: str, pos: int) -> Iterable[tuple[str, int, int]]:
    i = _skip_whitespace(raw, pos + 1)
    if raw[i] == "}":
        return
    while True:
        key, i = _DECODER.raw_decode(raw, i)  # a key: the JSON string at i
        i = _skip_whitespace(raw, i) + 1  # the colon
        i = _skip_whitespace(raw, i)
        _, stop = _DECODER.raw_decode(raw, i)
        yield key, i, stop
        i = _skip_whitespace(raw, stop)
        if raw[i] != ",":
            return
        i = _skip_whitespace(raw, i + 1)


def _items(raw: str, pos: int) -> Iterable[tuple[int, int]]:
    i = _skip_whitespace(raw, pos + 1)
    if raw[i] == "]":
        return
    while True:
        _, stop = _DECODER.raw_decode(raw, i)
        yield i, stop
        i = _skip_whitespace(raw, stop)
        if raw[i] != ",":
            return
        i = _skip_whitespace(raw, i + 1)


def _span(raw: str, found: _JsonHit) -> tuple[int, int]:
    located = _locate(raw, found.path)
    if located is None:
        return 0, len(raw)
    start, end = located
    if found.kind == "pair":
        low = _locate(raw, found.path + (found.keys[0],))
        high = _locate(raw, found.path + (found.keys[1],))
        if low and high:
            return min(low[0], high[0]), max(low[1], high[1])
        return start, end
    if found.kind == "string" and found.text_hit is not None and raw[start] == '"':
        inner = raw[start + 1 : end - 1]
        if "\\" not in inner:
            return start + 1 + found.text_hit.start, start + 1 + found.text_hit.end
    return start, end
