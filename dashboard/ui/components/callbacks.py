"""What the pages' callbacks share: dict-keyed outputs left alone, a control held while one runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
