"""Drill-down in headless Chromium: a click on a bar opens the grid on its rows, and Back returns."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains

from dashboard import create_app
from tests.conftest import free_port

pytestmark = pytest.mark.browser


def test_a_category_bar_opens_the_grid_on_its_rows_and_back_returns(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    items = app.server.extensions["threads_dashboard"].services.store.list_achievements()
    dash_duo.start_server(app, port=free_port(), path="/?range=all")
    dash_duo.wait_for_element("#overview-categories-graph .bars .point", timeout=15)
    bar = dash_duo.find_elements("#overview-categories-graph .bars .point")[-1]
    category = dash_duo.driver.execute_script(
        "const g = document.querySelector('#overview-categories-graph .js-plotly-plot');"
        "return g.data[0].y[g.data[0].y.length - 1];"  # the top bar, the largest: the last .point
    )
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", bar)
    ActionChains(dash_duo.driver).move_to_element(bar).click().perform()

    until(lambda: "/achievements?" in dash_duo.driver.current_url, 10)
    url = dash_duo.driver.current_url
    assert f"category={category}" in url and "range=all" in url
    expected = sum(1 for a in items if a.category == category)
    dash_duo.wait_for_text_to_equal("#achievements-kpi-count", f"{expected:,}", timeout=15)
    dash_duo.wait_for_contains_text("#achievements-chips", category, timeout=10)

    dash_duo.find_element("#achievements-back").click()
    until(lambda: dash_duo.driver.current_url.rstrip("/").endswith("?range=all"), 10)
    dash_duo.wait_for_element("#overview-categories-graph .bars .point", timeout=15)
    assert dash_duo.get_logs() == []
