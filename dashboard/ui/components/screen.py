"""Pages drawn for a TV: `?kiosk=1`, or a view of a wallboard.

A screen on a wall has nobody to scroll it or to click: a page asked for one lays itself out to
fill the viewport (assets/25-screens.css) and leaves out what only a person at a desk can use.
The browser applies the same test to the address (assets/dashboard.js, isKiosk) for the chrome.
"""

from __future__ import annotations

from collections.abc import Mapping

KIOSK_FLAGS = ("1", "true")
"""The values of `?kiosk=` that mean a TV, exactly as the browser reads them."""


def on_screen(query: Mapping[str, object]) -> bool:
    """True when a page's query asks for the kiosk layout (`kiosk=1` or `kiosk=true`)."""
    flag = query.get("kiosk")
    return isinstance(flag, str) and flag in KIOSK_FLAGS


def page_class(name: str, query: Mapping[str, object], *extra: str) -> str:
    """The class of a page's root: `page page-<name>`, and `page--screen` when drawn for a TV."""
    return " ".join(["page", f"page-{name}", *(["page--screen"] if on_screen(query) else []), *extra])
