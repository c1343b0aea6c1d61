"""A 390x844 phone: Overview and Achievements never scroll sideways, and the grid's Title leaves room."""

from __future__ import annotations

import pytest

from dashboard import create_app
from tests.browser.freshness_lines import wait_for_line
from tests.conftest import free_port

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
PAGE_WIDTH_JS = "return document.documentElement.scrollWidth;"


def test_overview_and_achievements_fit_a_390px_phone(dash_duo, make_settings):
    # The embedded sample data (make_settings: no service configured): KPI cards, two charts, the
    # newest list on /, the KPI strip and a grid of achievements on /achievements.
    app = create_app(settings=make_settings(refresh_seconds=3600))
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    dash_duo.start_server(app, port=free_port(), path="/")
    wait_for_line(dash_duo, "#overview-completed-card .tile-freshness", "Updated", timeout=15)
    dash_duo.wait_for_element("#overview-trend-graph .main-svg", timeout=15)
    assert dash_duo.driver.execute_script(PAGE_WIDTH_JS) <= 390

    dash_duo.wait_for_page(url=dash_duo.server_url + "/achievements")
    dash_duo.wait_for_element(".ag-row .ag-cell[col-id='title']", timeout=15)
    assert dash_duo.driver.execute_script(PAGE_WIDTH_JS) <= 390
    title = dash_duo.driver.execute_script(
        "return document.querySelector(\".ag-header-cell[col-id='title']\").getBoundingClientRect().width;"
    )
    assert title < 0.6 * 390, f"the Title column takes {title:.0f} of 390 px"
    assert dash_duo.get_logs() == []
