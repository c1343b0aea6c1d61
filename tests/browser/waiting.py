"""Waiting for what a page shows, with the reason said when it never comes."""

from __future__ import annotations

import time


def wait_until(predicate, timeout=10.0, message="condition"):
    """`predicate()`'s first truthy answer within `timeout` seconds; an exception counts as not yet
    (the page may be re-rendering)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as exc:  # noqa: BLE001 - the page may be re-rendering: try again
            last = exc
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message} (last: {last!r})")


def present(dash_duo, selector: str) -> bool:
    """Whether `selector` matches now, asked by script: the driver's find_elements waits its implicit
    2 s before it answers "none", a cost paid on every check that something is gone."""
    return dash_duo.driver.execute_script("return document.querySelector(arguments[0]) !== null;", selector)
