"""A tile's freshness line, read as the page holds it.

An up-to-date tile's line is in the page but not shown (the navbar says "Updated N s ago" once
for the page); Selenium's `.text` is empty for what is not shown, so these read `textContent`.
"""

from __future__ import annotations

import time

FRESHNESS = "#{} .tile-freshness"
"""The freshness line of the card with this id."""


def line_text(dash_duo, selector: str) -> str:
    """The line's words, shown or not ("" while it is not in the page)."""
    found = dash_duo.driver.find_elements("css selector", selector)
    return (found[0].get_attribute("textContent") or "") if found else ""


def wait_for_line(dash_duo, selector: str, text: str, *, exact: bool = False, timeout: float = 10) -> str:
    """Wait until the line says `text` (or contains it); its words then."""

    deadline = time.monotonic() + timeout
    while True:
        words = line_text(dash_duo, selector)
        if words == text if exact else text in words:
            return words
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector} did not say {text!r} within {timeout} s; it says {words!r}")
        time.sleep(0.1)
