"""What the pages' callbacks share: dict-keyed outputs left alone, a control held while one runs."""

from __future__ import annotations

from collections.abc import Iterable

from dash import Output, no_update

REFRESH_INTERVAL = "refresh-interval"
"""The root layout's refresh timer (app.py), which every page's refresh callback listens to."""


def skip(outputs: Iterable[str]) -> dict:
    """`no_update` for every key of a dict-keyed callback's outputs: `{**skip(OUTPUTS), "message": alert}`."""
    return dict.fromkeys(outputs, no_update)


def disabled_while_running(component_id: str = REFRESH_INTERVAL) -> list:
    """A callback's `running=`: `component_id` is disabled while the callback runs.

    On a refresh timer, a tick that arrives meanwhile is dropped rather than queued behind it; on a
    button, a second click cannot send the same request twice.
    """
    return [(Output(component_id, "disabled"), True, False)]
