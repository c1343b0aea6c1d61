"""The Overview in headless Chromium: what a person sees, and a console without errors."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from dash.testing.wait import until

from dashboard import create_app
from dashboard.domain.business_value import format_money, parse_business_value
from dashboard.domain.models import Achievement
from tests.browser.freshness_lines import line_text
from tests.browser.time_range import open_picker, pick_quick_range, quick_item
from tests.clock import now as clock_now
from tests.conftest import free_port
from tests.fakes import ACHIEVEMENTS, FakeBackends

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_settings):
    return create_app(settings=make_settings())


def store_of(app):
    return app.server.extensions["threads_dashboard"].services.store


def start(dash_duo, app, path="/"):
    dash_duo.start_server(app, port=free_port(), path=path)
    return dash_duo


def in_last_days(items, days, now):
    return [a for a in items if a.completed_at > now - timedelta(days=days)]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Overview"),
        ("/achievements", "Achievements"),
        ("/content", "Content pipeline"),
        ("/analytics", "Analytics"),
        ("/system", "System health"),
        ("/no-such-page", "Page not found"),
    ],
)
def test_every_page_loads_without_console_errors(dash_duo, app, path, heading):
    start(dash_duo, app, path)
    dash_duo.wait_for_text_to_equal("h1", heading, timeout=10)
    nav = dash_duo.find_elements(".app-navbar .nav-link")
    assert [n.text for n in nav] == ["Overview", "Achievements", "Content", "Analytics", "System"]
    logs = dash_duo.get_logs()
    if path == "/no-such-page":
        # The address answers HTTP 404 (the browser says so); nothing else goes wrong.
        assert [(e["source"], e["message"].split(" - ")[0]) for e in logs] == [
            ("network", dash_duo.server_url + path)
        ], logs
        assert "404" in logs[0]["message"]
    else:
        assert logs == []


DRAWN_TRACE_TYPES = """
    var known = Object.keys(window.Plotly.PlotSchema.get().traces);
    var drawn = [];
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      (plot.data || []).forEach(function (trace) { drawn.push(trace.type || "scatter"); });
    });
    return {known: known, drawn: drawn};
"""


def test_every_chart_draws_with_the_partial_plotly_bundle(dash_duo, app):
    """The dashboard serves plotly.js's basic bundle (web/vendor): a chart with a trace type it
    lacks would draw nothing. Every page's charts are drawn and use only the types it knows."""
    start(dash_duo, app)
    every_graph_drawn = """var graphs = Array.from(document.querySelectorAll(".dash-graph"));
        var loading = Array.from(document.querySelectorAll(".tile-freshness")).some(function (line) {
          return line.offsetParent !== null && line.textContent.indexOf("Loading") === 0;
        });
        return !loading && graphs.length > 0 && graphs.every(function (g) { return g.querySelector(".main-svg"); });"""
    for path in ("/", "/analytics", "/wallboard?views=analytics"):  # the pages with charts
        dash_duo.driver.get(dash_duo.server_url + path)
        until(lambda: dash_duo.driver.execute_script(every_graph_drawn), timeout=15)
        types = dash_duo.driver.execute_script(DRAWN_TRACE_TYPES)
        assert "heatmap" not in types["known"]  # the partial bundle, not the full one
        assert types["drawn"] and set(types["drawn"]) <= set(types["known"]), (path, types["drawn"])
    assert dash_duo.get_logs() == []


FIRST_PAINTS = """
window.firstPaints = {};
new MutationObserver(function () {
  var seen = window.firstPaints, now = performance.now();
  var kpi = document.getElementById("overview-completed-value");
  if (!seen.kpi && kpi && kpi.textContent && kpi.textContent !== "\u2014") {
    seen.kpi = now;
    seen.plotlyBeforeKpi = !!(window.Plotly && window.Plotly.newPlot);
  }
  if (!seen.chart && document.querySelector("#overview-trend-graph .scatterlayer .trace")) { seen.chart = now; }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


def test_plotly_js_is_evaluated_after_the_first_numbers_are_on_screen(dash_duo, make_settings):
    """plotly.js downloads with the page but runs (a few hundred ms of main thread) only once
    the first data is painted: it must not hold the KPIs back. The collector answers after 1.5 s,
    long after the bundle arrived."""
    with FakeBackends() as backends:
        settings = make_settings(achievement_api_url=backends.achievement_url, cache_ttl_seconds=60)
        start(dash_duo, create_app(settings=settings), "/system")  # a page without the Overview's reads
        backends.set_fault(ACHIEVEMENTS, "slow", delay=1.5)
        dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_PAINTS})
        dash_duo.driver.get(dash_duo.server_url + "/?range=all")
        until(lambda: dash_duo.driver.execute_script("return window.firstPaints.chart"), timeout=15)
        paints = dash_duo.driver.execute_script("return window.firstPaints")
        assert paints["kpi"] < paints["chart"], paints
        assert paints["plotlyBeforeKpi"] is False, paints
        assert dash_duo.get_logs() == []


def test_overview_shows_the_store_numbers_and_range_changes_them(dash_duo, app):
    items = store_of(app).list_achievements()
    now = clock_now()
    last_30 = in_last_days(items, 30, now)
    start(dash_duo, app)
    dash_duo.wait_for_text_to_equal("#overview-completed-value", f"{len(last_30):,}", timeout=10)
    expected_value = sum(parse_business_value(a.business_value) or 0 for a in last_30)
    dash_duo.wait_for_text_to_equal("#overview-value-value", format_money(expected_value), timeout=5)
    published = sum(1 for a in last_30 if a.portfolio_ready)
    dash_duo.wait_for_text_to_equal("#overview-published-value", str(published), timeout=5)
    posts = store_of(app).list_posts()
    drafts = sum(p.status == "draft" for p in posts)
    scheduled = sum(p.status == "scheduled" for p in posts)
    done = sum(p.status == "published" for p in posts)
    pipeline = f"{drafts}\ndrafts\n{scheduled}\nscheduled\n{done}\npublished"  # each figure with its label
    dash_duo.wait_for_text_to_equal("#overview-pipeline-value", pipeline, timeout=5)
    assert "vs previous 30 days" in dash_duo.find_element("#overview-completed-delta").text

    pick_quick_range(dash_duo, "All time")
    dash_duo.wait_for_text_to_equal("#overview-completed-value", f"{len(items):,}", timeout=10)
    assert dash_duo.driver.current_url.endswith("?range=all")
    total = sum(parse_business_value(a.business_value) or 0 for a in items)
    dash_duo.wait_for_text_to_equal("#overview-value-value", format_money(total), timeout=5)
    newest = max(items, key=lambda a: (a.completed_at, a.id))
    assert dash_duo.find_elements(".newest-title")[0].text == newest.title
    assert dash_duo.get_logs() == []


def test_range_comes_from_the_url_and_a_bad_one_is_explained(dash_duo, app):
    items = store_of(app).list_achievements()
    start(dash_duo, app, "/?range=7d")
    dash_duo.wait_for_text_to_equal(
        "#overview-completed-value", f"{len(in_last_days(items, 7, clock_now())):,}", timeout=10
    )
    dash_duo.wait_for_text_to_equal("#time-range-label", "Last 7 days", timeout=10)
    open_picker(dash_duo)
    until(lambda: "active" in quick_item(dash_duo, "7d").get_attribute("class"), 5)

    dash_duo.wait_for_page(url=dash_duo.server_url + "/?range=fortnight")
    dash_duo.wait_for_contains_text("#overview-range-problem", "Unknown range 'fortnight'", timeout=10)
    dash_duo.wait_for_text_to_equal(
        "#overview-completed-value", f"{len(in_last_days(items, 30, clock_now())):,}", timeout=10
    )
    assert dash_duo.get_logs() == []


def test_new_data_appears_after_a_tick(dash_duo, app):
    store = store_of(app)
    before = len(in_last_days(store.list_achievements(), 30, clock_now()))
    start(dash_duo, app)
    dash_duo.wait_for_text_to_equal("#overview-completed-value", f"{before:,}", timeout=10)
    now = clock_now()
    store.save_achievement(
        Achievement(
            id=99_001,
            title="Shipped the live dashboard",
            category="feature",
            started_at=now - timedelta(hours=5),
            completed_at=now - timedelta(minutes=1),
            business_value="$12,345 annual value",
            impact_score=77,
        )
    )
    # refresh is 5 s and the cache TTL 1 s in test settings: one tick brings it.
    dash_duo.wait_for_text_to_equal("#overview-completed-value", f"{before + 1:,}", timeout=12)
    dash_duo.wait_for_text_to_equal(".newest-title", "Shipped the live dashboard", timeout=5)
    assert dash_duo.find_element("#last-update").text.startswith("Updated")
    assert dash_duo.get_logs() == []


def test_refresh_parameter_below_the_floor_is_clamped_and_said(dash_duo, app):
    start(dash_duo, app, "/?refresh=1")
    dash_duo.wait_for_contains_text(".url-notice", "below the floor of 5 s: using 5 s", timeout=10)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/?refresh=abc")
    dash_duo.wait_for_contains_text(".url-notice", "Ignored refresh=abc", timeout=10)
    assert dash_duo.get_logs() == []


def test_dark_mode_is_remembered(dash_duo, app):
    start(dash_duo, app)
    dash_duo.wait_for_text_to_equal("h1", "Overview", timeout=10)
    dash_duo.find_element("#theme-switch").click()
    dash_duo.wait_for_class_to_equal("#app-root", "app-root theme-dark", timeout=5)
    dash_duo.driver.refresh()
    dash_duo.wait_for_class_to_equal("#app-root", "app-root theme-dark", timeout=10)
    assert dash_duo.driver.execute_script("return document.documentElement.dataset.bsTheme") == "dark"
    assert dash_duo.get_logs() == []


def test_ages_move_on_in_the_browser_without_a_callback_each_second(dash_duo, make_settings):
    """An idle page costs the browser almost nothing: between refreshes no Dash callback runs,
    yet every "Updated N s ago" line (and the navbar's) keeps counting."""
    start(dash_duo, create_app(settings=make_settings(refresh_seconds=120)))
    line = "#overview-completed-card .tile-freshness"

    def seconds_ago(selector: str) -> int:
        match = re.fullmatch(r"Updated (\d+) s ago", line_text(dash_duo, selector))
        return int(match.group(1)) if match else -1

    until(lambda: seconds_ago(line) >= 0, timeout=10)
    first = seconds_ago(line)  # 0 s, or more on a loaded machine: what matters is that it moves
    dash_duo.driver.execute_script(
        """var functions = window.dash_clientside.dashboard;
        var draw = functions.updateAges;
        window.agesDrawn = 0;
        functions.updateAges = function () { window.agesDrawn += 1; return draw.apply(this, arguments); };"""
    )
    until(lambda: seconds_ago(line) >= first + 3, timeout=8)
    assert seconds_ago("#last-update") >= first + 3
    assert "freshness--ok" in dash_duo.find_element(line).get_attribute("class")
    assert dash_duo.driver.execute_script("return window.agesDrawn") == 0
    assert dash_duo.get_logs() == []
