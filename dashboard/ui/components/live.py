"""The screen's side of the live channel (assets/live.js): one store per data set, and the
navbar's quiet word on whether changes are pushed ("Live") or polled ("Polling")."""

from __future__ import annotations

from dash import Input, dcc, html

from dashboard.services.live import LIVE_NAMES

NAMES = tuple(LIVE_NAMES.values())
"""Every data set a screen can hear of (achievements, posts, health, …)."""


def store_id(name: str) -> str:
    return f"live-{name}"


def live_stores() -> list[dcc.Store]:
    """The root layout's stores: live.js sets `live-<name>` to the new version when it changes."""
    return [dcc.Store(id=store_id(name)) for name in NAMES]


def live_inputs(*names: str) -> list[Input]:
    """A refresh callback's inputs for the data sets it draws: `"live": live_inputs("posts")`."""
    unknown = set(names) - set(NAMES)
    if unknown:
        raise ValueError(f"no live data set named {sorted(unknown)}; known: {', '.join(NAMES)}")
    return [Input(store_id(name), "data") for name in names]


def live_status() -> html.Span:
    """Filled in by live.js: "Live", "Connecting…" or "Polling" (the reason on hover)."""
    return html.Span("", id="live-status", className="live-status", role="status")
