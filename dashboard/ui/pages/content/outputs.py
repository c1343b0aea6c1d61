"""Dict-keyed callback outputs: a callback answers with a dict, `skip(...)` leaving keys alone.

The page's callbacks declare `output=` as a dict (nested dicts for groups of components), so an
answer names what it changes instead of counting positions.
"""

from __future__ import annotations

from typing import Any

from dash import no_update


def skip(outputs: dict[str, Any]) -> dict[str, Any]:
    """`no_update` for every output of `outputs`, nested groups included: update what you set over it."""
    return {key: skip(value) if isinstance(value, dict) else no_update for key, value in outputs.items()}
