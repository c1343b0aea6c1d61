"""Drill-down in headless Chromium: a click on a bar opens the grid on its rows, and Back returns."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from dash.testing import errors
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains

from dashboard import create_app
from dashboard.domain.models import CATEGORIES
from tests.browser.waiting import present
from tests.conftest import free_port

pytestmark = pytest.mark.browser


def largest(dash_duo, selector):
    """The bar with the most area: a click at its middle cannot miss it (a thin one can). On
    Analytics the selector takes the first trace: a category (the largest, "Other", is several)."""
    return dash_duo.driver.execute_script(
        "const bars = [...document.querySelectorAll(arguments[0])];"
        "const area = b => { const r = b.getBoundingClientRect(); return r.width * r.height; };"
        "return bars.reduce((a, b) => (area(b) > area(a) ? b : a));",
        selector,
    )


def settled(dash_duo, selector):
    """Wait until the largest bar stands still and is what a click at its middle would hit: panels
    still loading above it move it (a bar 28 px high, clicked where it was, is a click on nothing)."""
    probe = (
        "const bars = [...document.querySelectorAll(arguments[0])];"
        "if (!bars.length) { return null; }"
        "const area = b => { const r = b.getBoundingClientRect(); return r.width * r.height; };"
        "const bar = bars.reduce((a, b) => (area(b) > area(a) ? b : a));"
        "const r = bar.getBoundingClientRect();"
        "const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
        "const plot = bar.closest('.js-plotly-plot');"
        "return [Math.round(r.x), Math.round(r.y), !!(hit && plot && plot.contains(hit))];"
    )
    seen = []

    def still():
        seen.append(dash_duo.driver.execute_script(probe, selector))
        return len(seen) > 2 and seen[-1] is not None and seen[-1][2] and seen[-1] == seen[-2] == seen[-3]

    until(still, 10, poll=0.2)


def click_until(dash_duo, selector, arrived):
    """Click the largest bar of `selector` until `arrived()` (a click that lands while plotly is
    still drawing the figure it just got is not a click on a bar); at most three tries."""
    for _ in range(3):
        bar = largest(dash_duo, selector)
        dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", bar)
        settled(dash_duo, selector)
        ActionChains(dash_duo.driver).move_to_element(largest(dash_duo, selector)).click().perform()
        try:
            until(arrived, 5)
            return
        except errors.TestingTimeoutError:
            continue
    raise AssertionError(f"three clicks on {selector} went nowhere: {dash_duo.driver.current_url}")


def test_a_category_bar_opens_the_grid_on_its_rows_and_back_returns(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    items = app.server.extensions["threads_dashboard"].services.store.list_achievements()
    dash_duo.start_server(app, port=free_port(), path="/?range=all")
    dash_duo.wait_for_element("#overview-categories-graph .bars .point", timeout=15)
    click_until(
        dash_duo, "#overview-categories-graph .bars .point", lambda: "/achievements?" in dash_duo.driver.current_url
    )
    query = parse_qs(urlsplit(dash_duo.driver.current_url).query)
    (category,) = query["category"]
    assert category in CATEGORIES and query["range"] == ["all"] and query["back"] == ["/"]
    expected = sum(1 for a in items if a.category == category)
    dash_duo.wait_for_text_to_equal("#achievements-kpi-count", f"{expected:,}", timeout=15)
    dash_duo.wait_for_contains_text("#achievements-chips", category, timeout=10)

    dash_duo.find_element("#achievements-back").click()
    until(lambda: dash_duo.driver.current_url.rstrip("/").endswith("?range=all"), 10)
    dash_duo.wait_for_element("#overview-categories-graph .bars .point", timeout=15)
    assert dash_duo.get_logs() == []


def test_a_category_bar_on_analytics_filters_every_panel_and_says_so(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    dash_duo.start_server(app, port=free_port(), path="/analytics?range=all")
    dash_duo.wait_for_element("#analytics-categories-graph .bars .point", timeout=15)
    click_until(
        dash_duo,
        "#analytics-categories-graph .trace.bars:first-child .point",
        lambda: "via=chart" in dash_duo.driver.current_url,
    )
    query = parse_qs(urlsplit(dash_duo.driver.current_url).query)
    (category,) = query["category"]
    assert category in CATEGORIES and query["range"] == ["all"]
    dash_duo.wait_for_contains_text("#analytics-crossfilter-notice", f"Filtered to {category}", timeout=10)
    dash_duo.wait_for_contains_text("#analytics-summary", category, timeout=10)  # every panel: the summary too
    dash_duo.find_element("#analytics-crossfilter-clear").click()
    until(lambda: "category=" not in dash_duo.driver.current_url, 10)
    assert dash_duo.driver.current_url.endswith("/analytics?range=all")
    assert not present(dash_duo, "#analytics-crossfilter-notice")
    assert dash_duo.get_logs() == []
