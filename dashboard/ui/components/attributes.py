"""HTML attributes with a hyphen (`aria-*`, `data-*`), which Dash components take as extra keywords.

Their names are no Python identifiers, so they are passed as `**{...}`; typed as TypedDicts, mypy
checks each key against the component's parameters (none of which has a hyphen) instead of
matching the dict's values against every one of them.
"""

from __future__ import annotations

from typing import Final, TypedDict

LiveRegion = TypedDict("LiveRegion", {"aria-live": str})
"""A region whose changes a screen reader announces."""

POLITE: Final[LiveRegion] = {"aria-live": "polite"}
"""Announced when the reader is idle: status messages, never an interruption."""

Labelled = TypedDict("Labelled", {"aria-label": str})
"""An element whose words for a screen reader are not its text (a sparkline, an icon)."""


def labelled(words: str) -> Labelled:
    return {"aria-label": words}


KeyShortcuts = TypedDict("KeyShortcuts", {"aria-keyshortcuts": str})
"""A control a keyboard shortcut also presses ("Control+Z"), announced by a screen reader."""


def key_shortcuts(keys: str) -> KeyShortcuts:
    return {"aria-keyshortcuts": keys}


AriaHidden = TypedDict("AriaHidden", {"aria-hidden": str})
"""Shown, not read: a mark whose words are given beside it for screen readers."""


def hidden() -> AriaHidden:
    return {"aria-hidden": "true"}
