"""The navbar's time range in headless Chromium: typed, picked, reversed, reloaded, carried, dragged."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from dash.testing import errors
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import create_app
from tests.browser.time_range import open_picker
from tests.browser.waiting import present
from tests.clock import now as clock_now
from tests.conftest import free_port

pytestmark = pytest.mark.browser


def store_of(app):
    return app.server.extensions["threads_dashboard"].services.store


def completed_between(items, start, end=None):
    return sum(1 for a in items if a.completed_at >= start and (end is None or a.completed_at < end))


def wait_url(dash_duo, fragment, timeout=10):
    until(lambda: fragment in dash_duo.driver.current_url, timeout=timeout)


def retype(element, text):
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def test_typed_reversed_reloaded_carried_and_shared(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    items = store_of(app).list_achievements()
    dash_duo.start_server(app, port=free_port())
    now = clock_now()
    dash_duo.wait_for_text_to_equal(
        "#overview-completed-value", f"{completed_between(items, now - timedelta(days=30)):,}", timeout=10
    )
    dash_duo.wait_for_text_to_equal("#time-range-label", "Last 30 days", timeout=10)

    # "t" opens the picker with the From box focused; a relative form applies on leaving the box.
    dash_duo.find_element("body").send_keys("t")
    dash_duo.wait_for_element("#time-range-popover", timeout=10)
    box = dash_duo.find_element("#time-range-from")
    until(lambda: dash_duo.driver.switch_to.active_element == box, timeout=10)
    retype(box, "now-7d")
    box.send_keys(Keys.TAB)
    wait_url(dash_duo, "?range=7d")
    dash_duo.wait_for_text_to_equal(
        "#overview-completed-value", f"{completed_between(items, now - timedelta(days=7)):,}", timeout=10
    )

    # What is not a time is said in the panel; nothing is applied and the text stays to be corrected.
    retype(box, "soon")
    box.send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#time-range-message", "'soon' is not a time", timeout=10)
    assert dash_duo.driver.current_url.endswith("?range=7d")
    assert box.get_attribute("value") == "soon"

    # Days typed the wrong way round: swapped, said, and the boxes corrected (YYYY-MM-DD both ways).
    later, earlier = (now - timedelta(days=10)).date(), (now - timedelta(days=40)).date()
    retype(box, later.isoformat())
    retype(dash_duo.find_element("#time-range-to"), earlier.isoformat())
    dash_duo.find_element("#time-range-apply").click()
    wait_url(dash_duo, f"from={earlier}&to={later}")
    dash_duo.wait_for_contains_text("#time-range-message", "from was after to: swapped", timeout=10)
    assert dash_duo.find_element("#time-range-from").get_attribute("value") == earlier.isoformat()
    assert dash_duo.find_element("#time-range-to").get_attribute("value") == later.isoformat()
    first = datetime.combine(earlier, datetime.min.time())
    last = datetime.combine(later + timedelta(days=1), datetime.min.time())
    expected = f"{completed_between(items, first, last):,}"
    dash_duo.wait_for_text_to_equal("#overview-completed-value", expected, timeout=10)
    label = f"{earlier} → {later}"
    dash_duo.wait_for_text_to_equal("#overview-range-label", label, timeout=10)

    # A reload keeps it; the navbar's links carry it to the next page.
    dash_duo.driver.refresh()
    dash_duo.wait_for_text_to_equal("#overview-completed-value", expected, timeout=10)
    dash_duo.wait_for_text_to_equal("#time-range-label", label, timeout=10)
    link = next(e for e in dash_duo.find_elements(".app-navbar .nav-link") if e.text == "Analytics")
    link.click()
    wait_url(dash_duo, f"/analytics?from={earlier}&to={later}")
    dash_duo.wait_for_contains_text("#analytics-summary", label, timeout=10)
    assert "active" in link.get_attribute("class")

    # The link, opened in a browser with nothing stored, shows the same view.
    shared = dash_duo.driver.current_url
    dash_duo.driver.delete_all_cookies()
    dash_duo.driver.execute_script("window.localStorage.clear(); window.sessionStorage.clear();")
    dash_duo.driver.get(shared)
    dash_duo.wait_for_contains_text("#analytics-summary", label, timeout=10)
    dash_duo.wait_for_text_to_equal("#time-range-label", label, timeout=10)
    assert dash_duo.get_logs() == []


def test_compare_overlays_the_previous_period_and_a_drag_zooms_into_the_range(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    dash_duo.start_server(app, port=free_port(), path="/?range=90d")

    def traces():
        figure = dash_duo.driver.execute_script(
            "const g = document.querySelector('#overview-trend-graph .js-plotly-plot');"
            "return g && g.data ? JSON.stringify(g.data.map(t => t.name)) : null;"
        )
        return json.loads(figure) if figure else None

    until(lambda: traces() == ["This period"], timeout=15)
    open_picker(dash_duo)
    dash_duo.find_element("#time-range-compare").click()
    wait_url(dash_duo, "?range=90d&compare=1")
    until(lambda: traces() == ["This period", "Previous period"], timeout=15)
    dash_duo.wait_for_text_to_equal("#time-range-label", "Last 90 days · vs previous", timeout=10)
    dash_duo.find_element("#overview-range-label").click()  # a click outside closes the panel

    # A drag across the time chart sets the range (as in Grafana), and the comparison stays on.
    until(lambda: not present(dash_duo, "#time-range-popover"), timeout=5)

    def dragged():
        plot = dash_duo.find_element("#overview-trend-graph")
        dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", plot)
        drag = ActionChains(dash_duo.driver).move_to_element(plot).move_by_offset(-plot.size["width"] // 4, 0)
        drag.click_and_hold().move_by_offset(plot.size["width"] // 3, 10).release().perform()
        try:
            until(lambda: "from=" in dash_duo.driver.current_url, timeout=4)
            return True
        except errors.TestingTimeoutError:  # a drag that landed while plotly was still redrawing the new figure
            return False

    assert any(dragged() for _ in range(3)), "a drag across the chart never set the range"
    url = dash_duo.driver.current_url
    assert "compare=1" in url and "range=" not in url
    label = dash_duo.find_element("#time-range-label").text
    assert "→" in label and label.endswith("· vs previous")
    until(lambda: traces() == ["This period", "Previous period"], timeout=15)
    assert dash_duo.get_logs() == []
