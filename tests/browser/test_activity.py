"""The activity feed in headless Chromium: an edit made elsewhere appears on the Overview's side
panel within seconds (pushed; the screen's own timer is 300 s), opens the grid on a click, and
the Activity view fits a TV without a scrollbar."""

from __future__ import annotations

import pytest

from dashboard import create_app
from tests.actors import EDITOR
from tests.browser.waiting import wait_until
from tests.conftest import free_port

pytestmark = pytest.mark.browser

FEED = "#overview-activity-list"


def services_of(app):
    return app.server.extensions["threads_dashboard"].services


def test_an_edit_elsewhere_appears_in_the_feed_and_opens_the_grid(dash_duo, make_settings):
    app = create_app(settings=make_settings(live=True, refresh_seconds=300))
    services = services_of(app)
    target = services.achievements().value[0]
    dash_duo.start_server(app, port=free_port(), path="/?refresh=300")
    dash_duo.wait_for_element(f"{FEED} .activity-item", timeout=15)  # the sample posts, at least
    wait_until(
        lambda: dash_duo.driver.execute_script("return window.dashboardLive && window.dashboardLive.state") == "live",
        timeout=15,
        message="the channel is live",
    )
    # Someone else edits, through the same write path the grid uses.
    stamp = services.get_achievement(target.id).updated_at.isoformat()
    saved = services.edit_achievement(target.id, {"impact_score": 97}, expected_updated_at=stamp, actor=EDITOR)
    assert saved.status == "saved", saved.message
    dash_duo.wait_for_contains_text(f"{FEED} .activity-item:first-child", "edited: Impact", timeout=8)
    first = dash_duo.find_element(f"{FEED} .activity-item:first-child")
    assert EDITOR.name in first.text and " UTC" in first.text  # a moment, not an age that would freeze
    assert first.find_element("css selector", ".activity-kind").text == "EDITED"
    first.find_element("css selector", "a").click()
    wait_until(lambda: "/achievements?q=" in dash_duo.driver.current_url, timeout=10, message="the grid opens")
    dash_duo.wait_for_element(".ag-row", timeout=15)
    assert dash_duo.get_logs() == []


def test_the_activity_view_fits_a_tv(dash_duo, make_settings):
    app = create_app(settings=make_settings())
    dash_duo.start_server(app, port=free_port(), path="/wallboard?views=activity:60")
    dash_duo.driver.set_window_size(1920, 1080)
    dash_duo.wait_for_element("#activity-page-activity-list .activity-item", timeout=15)
    sizes = dash_duo.driver.execute_script(
        "var e = document.scrollingElement; return [e.scrollHeight, window.innerHeight,"
        " document.querySelectorAll('#activity-page-activity-list .activity-item').length];"
    )
    scroll_height, height, items = sizes
    assert scroll_height <= height, sizes
    assert items >= 5  # a screenful of entries, not one
    assert "Activity" in dash_duo.find_element(".wallboard-caption").text
    assert dash_duo.get_logs() == []
