"""The navbar's time range, used as a person uses it (shared by the browser tests)."""

from __future__ import annotations

from dash.testing.wait import until

from tests.browser.waiting import present


def open_picker(dash_duo):
    """Open the panel (unless it is open) and wait until it has faded in and can be used."""
    if not present(dash_duo, "#time-range-popover"):
        dash_duo.find_element("#time-range-button").click()
    panel = dash_duo.wait_for_element("#time-range-popover", timeout=5)
    until(
        lambda: dash_duo.find_element("#time-range-apply").is_displayed() and "show" in panel.get_attribute("class"), 5
    )
    return panel


def pick_quick_range(dash_duo, label: str) -> None:
    """Open the picker and click a quick range by its label ("All time")."""
    open_picker(dash_duo)
    item = next(e for e in dash_duo.find_elements("#time-range-popover .list-group-item") if e.text == label)
    item.click()


def quick_item(dash_duo, key: str):
    return dash_duo.find_element(f'[id*=\'"key":"{key}"\']')
