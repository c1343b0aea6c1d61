"""Where in the JSON text an amount stands: the span of the value at a path of keys and indices."""

from __future__ import annotations

import json
import json.decoder
import re
from typing import Iterable, Optional

from dashboard.domain.business_value.json_reading import _JsonHit, _JsonPath

_DECODER = json.JSONDecoder()


def _locate(raw: str, path: _JsonPath) -> Optional[tuple[int, int]]:
    """The (start, end) of the JSON value at `path` in `raw`, or None."""
    if len(path) > 8:
        return None
    # Fast path: every key on the path occurs once in the whole text, so that occurrence is it.
    ws = json.decoder.WHITESPACE
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
            colon = ws.match(raw, found + len(needle)).end()
            if raw[colon] != ":":
                break
            pos = ws.match(raw, colon + 1).end()
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
    ws = json.decoder.WHITESPACE
    try:
        pos = ws.match(raw, 0).end()
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
    ws = json.decoder.WHITESPACE
    i = ws.match(raw, pos + 1).end()
    if raw[i] == "}":
        return
    while True:
        key, i = json.decoder.scanstring(raw, i + 1)
        i = ws.match(raw, i).end() + 1  # the colon
        i = ws.match(raw, i).end()
        _, stop = _DECODER.raw_decode(raw, i)
        yield key, i, stop
        i = ws.match(raw, stop).end()
        if raw[i] != ",":
            return
        i = ws.match(raw, i + 1).end()


def _items(raw: str, pos: int) -> Iterable[tuple[int, int]]:
    ws = json.decoder.WHITESPACE
    i = ws.match(raw, pos + 1).end()
    if raw[i] == "]":
        return
    while True:
        _, stop = _DECODER.raw_decode(raw, i)
        yield i, stop
        i = ws.match(raw, stop).end()
        if raw[i] != ",":
            return
        i = ws.match(raw, i + 1).end()


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
