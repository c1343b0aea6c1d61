"""What the pages' callbacks share: dict-keyed outputs left alone, a control held while one runs,
and a memo of drawings shared by the screens that ask for the same."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any, Union

from dash import Output, no_update

REFRESH_INTERVAL = "refresh-interval"
"""The root layout's refresh timer (app.py), which every page's refresh callback listens to."""


def skip(outputs: Union[Mapping[str, Any], Iterable[str]]) -> dict[str, Any]:
    """`no_update` for every output of a dict-keyed callback: `{**skip(OUTPUTS), "message": alert}`.

    `outputs` is the callback's `output=` mapping (a nested mapping, a group of components, gets a
    nested answer) or just the keys to leave alone.
    """
    if not isinstance(outputs, Mapping):
        return dict.fromkeys(outputs, no_update)
    return {key: skip(value) if isinstance(value, Mapping) else no_update for key, value in outputs.items()}


def disabled_while_running(*component_ids: str) -> list[tuple[Output, bool, bool]]:
    """A callback's `running=`: each of `component_ids` (the root refresh timer when none is named)
    is disabled while the callback runs.

    On a refresh timer, a tick that arrives meanwhile is dropped rather than queued behind it; on a
    button, a second click cannot send the same request twice.
    """
    return [(Output(component_id, "disabled"), True, False) for component_id in component_ids or (REFRESH_INTERVAL,)]


class Drawings(MutableMapping[str, tuple]):
    """A process's last few drawings of a page, by what they were drawn from: the screens that
    ask for the same drawing (a wall of them, told of one change at once) share one.

    Bounded (the oldest is dropped) and safe across threads; a drawing is never changed once
    stored, so every screen may send the same objects."""

    def __init__(self, size: int = 8):
        self._items: OrderedDict[str, tuple] = OrderedDict()
        self._size = size
        self._mutex = threading.Lock()

    def __getitem__(self, key: str) -> tuple:
        with self._mutex:
            value = self._items[key]
            self._items.move_to_end(key)
            return value

    def __setitem__(self, key: str, value: tuple) -> None:
        with self._mutex:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def __delitem__(self, key: str) -> None:
        with self._mutex:
            del self._items[key]

    def __iter__(self) -> Iterator[str]:
        with self._mutex:
            return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)
