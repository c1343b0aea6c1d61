"""What every page shares, used as a person does: Refresh now, the refresh-interval picker (kept in
the address), one "Updated N s ago" per page, and placeholders that keep their place while loading."""

from __future__ import annotations

import time

import pytest
from dash.testing.wait import until
from selenium.webdriver.support.ui import Select

from dashboard import create_app
from tests.conftest import free_port
from tests.fakes import FakeBackends

pytestmark = pytest.mark.browser

LAST_ANSWER = "return (window.dashboardFreshness && window.dashboardLastUpdated) || null;"
"""When the server answered the page's latest refresh (its clock, ms), as the browser holds it."""


def test_refresh_now_asks_again_without_waiting_for_the_timer(dash_duo, make_settings):
    # A timer of an hour: only the button can bring a second answer within the test.
    app = create_app(settings=make_settings(refresh_seconds=3600, cache_ttl_seconds=1.0))
    dash_duo.start_server(app, port=free_port(), path="/")
    first = until(lambda: dash_duo.driver.execute_script(LAST_ANSWER), 10, msg="no first answer")
    time.sleep(1.2)  # past the cache's freshness, so the second answer is a new read
    dash_duo.find_element("#refresh-now").click()
    # The timer's next tick is an hour away: a newer answer came from the click.
    until(lambda: (dash_duo.driver.execute_script(LAST_ANSWER) or 0) > first, 10, msg="no second answer")
    assert dash_duo.get_logs() == []


def test_the_interval_picker_is_kept_in_the_address_and_survives_a_reload(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=30))
    dash_duo.start_server(app, port=free_port(), path="/analytics?range=90d")
    picker = Select(dash_duo.wait_for_element("#refresh-picker", timeout=10))
    assert picker.first_selected_option.text == "Every 30 s (default)"
    picker.select_by_visible_text("Every 5 min")
    until(lambda: "refresh=300" in dash_duo.driver.current_url, 10, msg=dash_duo.driver.current_url)
    assert "range=90d" in dash_duo.driver.current_url  # the page's own parameters stay
    dash_duo.driver.refresh()
    until(lambda: Select(dash_duo.find_element("#refresh-picker")).first_selected_option.text == "Every 5 min", 10)
    Select(dash_duo.find_element("#refresh-picker")).select_by_visible_text("Off")
    until(lambda: "refresh=off" in dash_duo.driver.current_url, 10)
    # Back to the default: the parameter goes, as a link to the plain page reads.
    Select(dash_duo.find_element("#refresh-picker")).select_by_visible_text("Every 30 s (default)")
    until(lambda: "refresh=" not in dash_duo.driver.current_url, 10, msg=dash_duo.driver.current_url)
    assert dash_duo.get_logs() == []


def test_a_link_with_an_unusual_interval_shows_it_in_the_picker(dash_duo, make_settings):
    dash_duo.start_server(create_app(settings=make_settings(refresh_seconds=30)), port=free_port(), path="/?refresh=45")
    until(
        lambda: Select(dash_duo.find_element("#refresh-picker")).first_selected_option.text == "Every 45 s",
        10,
        msg="the picker does not show refresh=45",
    )


SHOWN_UPDATED = """
return [...document.querySelectorAll("body *")].filter(el =>
  el.children.length === 0 && /^Updated \\d/.test(el.textContent) && el.getClientRects().length &&
  getComputedStyle(el).visibility !== "hidden").map(el => el.id || el.className);
"""


def test_updated_is_said_once_per_page_while_every_tile_is_up_to_date(dash_duo, make_settings):
    dash_duo.start_server(create_app(settings=make_settings(refresh_seconds=3600)), port=free_port(), path="/")
    dash_duo.wait_for_contains_text("#last-update", "Updated", timeout=10)
    assert dash_duo.driver.execute_script(SHOWN_UPDATED) == ["last-update"]


def test_on_a_slow_network_the_tiles_keep_their_place_while_loading(dash_duo, make_settings):
    """The charts and the newest list hold their final size before data comes: nothing jumps."""
    with FakeBackends() as backends:
        backends.set_fault("achievement-collector", "slow", delay=3.0)
        app = create_app(
            settings=make_settings(
                achievement_api_url=backends.achievement_url,
                orchestrator_url=backends.orchestrator_url,
                refresh_seconds=3600,
                wait_seconds=10.0,
                http_timeout_seconds=10.0,
            )
        )
        dash_duo.start_server(app, port=free_port(), path="/")
        boxes = """return ["#overview-trend-card", "#overview-newest-card", "#overview-categories-card"]
                   .map(s => { const r = document.querySelector(s).getBoundingClientRect();
                               return [Math.round(r.top), Math.round(r.height)]; });"""
        dash_duo.wait_for_element("#overview-newest-card .skeleton-item", timeout=10)
        loading = dash_duo.driver.execute_script(boxes)
        dash_duo.wait_for_element("#overview-trend-graph .main-svg", timeout=20)
        dash_duo.wait_for_element("#overview-newest-list .newest-item", timeout=10)
        loaded = dash_duo.driver.execute_script(boxes)
    # Same top for every tile; the charts keep their height and the list grows by under a line.
    assert [top for top, _ in loading] == [top for top, _ in loaded], (loading, loaded)
    assert loading[0][1] == loaded[0][1] and abs(loading[1][1] - loaded[1][1]) < 40, (loading, loaded)


def test_the_system_page_keeps_its_own_pace_until_the_picker_names_one(dash_duo, make_settings):
    dash_duo.start_server(create_app(settings=make_settings(refresh_seconds=30)), port=free_port(), path="/system")
    dash_duo.wait_for_text_to_equal("#system-cadence", "Checks every 5 s", timeout=10)
    Select(dash_duo.find_element("#refresh-picker")).select_by_visible_text("Every 1 min")
    dash_duo.wait_for_text_to_equal("#system-cadence", "Checks every 60 s", timeout=5)
    until(lambda: "refresh=60" in dash_duo.driver.current_url, 10, msg=dash_duo.driver.current_url)
    assert dash_duo.get_logs() == []
