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
