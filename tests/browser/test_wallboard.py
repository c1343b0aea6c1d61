"""Wallboards in headless Chromium: kiosk, rotation, staleness, self-reload, heartbeats."""

from __future__ import annotations

import time

import pytest

from dashboard import create_app
from tests.browser.freshness_lines import wait_for_line
from tests.conftest import free_port

pytestmark = pytest.mark.browser


def start(dash_duo, app, path):
    dash_duo.start_server(app, port=free_port(), path=path)


def runtime_of(app):
    return app.server.extensions["threads_dashboard"]


def test_kiosk_hides_navigation_and_survives_a_reload(dash_duo, make_settings):
    app = create_app(settings=make_settings())
    start(dash_duo, app, "/?kiosk=1&range=7d")
    dash_duo.wait_for_class_to_equal("#app-root", "app-root theme-dark kiosk", timeout=10)
    assert not dash_duo.find_element(".app-navbar").is_displayed()
    assert not dash_duo.find_element("#time-range-button").is_displayed()
    dash_duo.driver.refresh()
    dash_duo.wait_for_class_to_equal("#app-root", "app-root theme-dark kiosk", timeout=10)
    assert not dash_duo.find_element(".app-navbar").is_displayed()
    assert dash_duo.driver.execute_script("return document.documentElement.dataset.bsTheme") == "dark"
    assert dash_duo.get_logs() == []


def test_rotation_follows_each_views_duration(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    start(dash_duo, app, "/wallboard?views=overview:5:7d,system:7,nonsense:3")
    dash_duo.wait_for_contains_text("#wallboard-problems", "unknown view 'nonsense'", timeout=10)
    dash_duo.wait_for_text_to_equal("#wallboard-caption", "Overview · 7d · 1/2", timeout=10)
    shown = time.monotonic()
    dash_duo.wait_for_text_to_equal("#wallboard-caption", "System · 2/2", timeout=10)
    first = time.monotonic() - shown
    dash_duo.wait_for_text_to_equal("h1", "System health", timeout=10)
    dash_duo.wait_for_text_to_equal("#wallboard-caption", "Overview · 7d · 1/2", timeout=15)
    second = time.monotonic() - shown - first
    # Each view stays for its own duration (5 s, then 7 s). `first` starts once the page has loaded,
    # after the first timer started, so it is short by the load time (2.6 s on a busy 2-core
    # machine): its low bound only says the view did not switch at once. `second` runs from one
    # switch to the next, so it is the second view's whole 7 s: longer than the first view's 5 s
    # could ever be.
    assert 1.0 <= first <= 8.0 and second >= max(6.0, first + 1.0), (first, second)
    assert not dash_duo.find_element(".app-navbar").is_displayed()
    assert dash_duo.get_logs() == []


def test_named_profile_plays_and_an_unknown_one_is_explained(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    start(dash_duo, app, "/wallboard/lobby")
    dash_duo.wait_for_text_to_equal(".wallboard-title", "Lobby", timeout=10)
    dash_duo.wait_for_text_to_equal("#wallboard-caption", "Overview · 30d · 1/2", timeout=10)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/wallboard/nope")
    dash_duo.wait_for_contains_text("#wallboard-problems", "unknown wallboard profile 'nope'", timeout=10)
    assert dash_duo.get_logs() == []


def test_a_tile_whose_data_grows_old_turns_stale_with_its_age(dash_duo, make_settings):
    # No refresh for an hour, stale after 10 s: the browser must flag the old numbers itself.
    app = create_app(settings=make_settings(refresh_seconds=3600, stale_after_seconds=10))
    start(dash_duo, app, "/?kiosk=1")
    wait_for_line(dash_duo, "#overview-completed-card .tile-freshness", "Updated", timeout=10)
    wait_for_line(dash_duo, "#overview-completed-card .tile-freshness", "Stale · 1", timeout=15)
    line = dash_duo.find_element("#overview-completed-card .tile-freshness")
    assert "freshness--stale" in line.get_attribute("class") and "s old" in line.text
    assert dash_duo.get_logs() == []


def test_kiosk_reloads_when_the_build_changes_and_reports_heartbeats(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=5))
    start(dash_duo, app, "/?kiosk=1&screen=lobby")
    wait_for_line(dash_duo, "#overview-completed-card .tile-freshness", "Updated", timeout=10)
    registry = runtime_of(app).screens
    deadline = time.monotonic() + 10
    while not registry.all() and time.monotonic() < deadline:
        time.sleep(0.2)
    beat = registry.all()[0]
    assert (beat.screen, beat.page, beat.state) == ("lobby", "overview", "ok")

    dash_duo.driver.execute_script("window.beforeNewBuild = true;")
    runtime_of(app).build_id = "build-2"
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if dash_duo.driver.execute_script("return window.beforeNewBuild === undefined;"):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the kiosk page did not reload after the build changed")
    dash_duo.wait_for_class_to_equal("#app-root", "app-root theme-dark kiosk", timeout=10)
    assert dash_duo.get_logs() == []


def test_wallboard_fits_a_1920_by_1080_screen(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    # The viewport of a full-screen TV browser, without a window's chrome around it.
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False}
    )
    start(dash_duo, app, "/wallboard?views=overview:60:30d")
    wait_for_line(dash_duo, "#overview-completed-card .tile-freshness", "Updated", timeout=10)
    dash_duo.wait_for_element("#overview-trend-graph .main-svg", timeout=10)
    bottom, height = dash_duo.driver.execute_script(
        "return [document.querySelector('.wallboard').getBoundingClientRect().bottom, window.innerHeight];"
    )
    assert bottom <= height, f"wallboard ends at {bottom}px on a {height}px screen"
    size = dash_duo.driver.execute_script(
        "return parseFloat(getComputedStyle(document.querySelector('#overview-value-value')).fontSize);"
    )
    assert size >= 40  # readable across a room
    assert dash_duo.get_logs() == []


def test_system_page_lists_screens_and_flags_a_silent_one(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=5))
    registry = runtime_of(app).screens
    registry.record("lobby", "overview", "ok")
    old = registry.record("kitchen", "system", "ok")
    registry.clock = lambda: old.at + 60  # a minute later: lobby and kitchen both silent ...
    registry.record("lobby", "overview", "ok")  # ... but lobby just reported again
    start(dash_duo, app, "/system")
    dash_duo.wait_for_element(".screens-table", timeout=15)
    rows = {
        r.find_element("css selector", "td").text: r.get_attribute("class")
        for r in dash_duo.find_elements(".screen-row")
    }
    assert rows["lobby"].endswith("screen-row--ok") and rows["kitchen"].endswith("screen-row--silent")
    assert dash_duo.get_logs() == []
