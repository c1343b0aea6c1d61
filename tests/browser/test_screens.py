"""Every wallboard view and every ?kiosk=1 page fits a TV: measured in Chromium at the TV's size.

A screen on a wall has nobody to scroll it or to click: each view must fill 1920x1080 (and
3840x2160) without overflowing, without a control on screen, with no tile cut at the bottom
edge, and with chart text large enough to read from across a room.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from dashboard.services.wallboard import VIEWS
from tests.conftest import free_port

pytestmark = pytest.mark.browser

WALLBOARD_VIEWS = {
    "overview": "/wallboard?views=overview:600:30d",
    "achievements-kpis": "/wallboard?views=achievements-kpis:600:30d",
    "analytics": "/wallboard?views=analytics:600:365d",
    "content": "/wallboard?views=content:600",
    "system": "/wallboard?views=system:600",
    "activity": "/wallboard?views=activity:600",
}
KIOSK_PAGES = [
    "/?kiosk=1",
    "/achievements?kiosk=1",
    "/analytics?kiosk=1",
    "/content?kiosk=1",
    "/system?kiosk=1",
    "/highlights?kiosk=1",
    "/activity?kiosk=1",
]

# What a screen shows once its data is in: no "Loading…" left, every chart drawn; on a page with
# charts (arguments[0]), at least one shown, with its text (before the first answer, none is).
SETTLED = """
const text = document.body.innerText;
if (text.includes("Loading…")) { return false; }
const graphs = [...document.querySelectorAll(".dash-graph")].filter(g => g.getClientRects().length);
if (arguments[0] && !graphs.some(g => g.querySelector(".main-svg text"))) { return false; }
return graphs.every(g => g.querySelector(".main-svg"));
"""

# Everything the fit rules forbid, measured in one pass of the page.
MEASURE = """
const W = window.innerWidth, H = window.innerHeight;
const root = document.documentElement;
const shown = el => {
  if (!el.getClientRects().length) { return false; }
  const style = getComputedStyle(el);
  if (style.visibility === "hidden" || Number(style.opacity) === 0) { return false; }
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1 && r.bottom > 0 && r.top < H && r.right > 0 && r.left < W;
};
const describe = el => (el.tagName + (el.id ? "#" + el.id : "") + "." + String(el.className || "").slice(0, 60)
                        + " '" + (el.innerText || el.value || "").slice(0, 40) + "'");
const controls = [...document.querySelectorAll(
  "button, input, select, textarea, [role=button], [role=checkbox], [role=combobox], [role=switch], " +
  ".modebar-container, .ag-checkbox-input-wrapper, .ag-header-cell-menu-button, .ag-floating-filter")]
  .filter(shown).map(describe);
const cut = [...document.querySelectorAll(".tile, .card, .screen-panel")]
  .filter(el => el.getClientRects().length)
  .filter(el => { const r = el.getBoundingClientRect(); return r.bottom > H + 1 || r.right > W + 1; })
  .map(describe);
const chartText = [...document.querySelectorAll(".js-plotly-plot svg text")]
  .filter(t => t.textContent.trim() && t.getClientRects().length)
  .map(t => [parseFloat(getComputedStyle(t).fontSize) * (t.currentCSSZoom || 1), t.textContent.slice(0, 30)]);
const small = chartText.filter(([size]) => size < 14 * W / 1920 - 0.01);
return {
  scroll: [root.scrollWidth, root.scrollHeight, document.body.scrollHeight],
  size: [W, H],
  controls: controls,
  cut: cut,
  smallChartText: small.slice(0, 5),
  chartTexts: chartText.length,
};
"""


def _has_charts(path: str) -> bool:
    return "analytics" in path or path.startswith("/?") or "overview" in path


def _measure(dash_duo, url, width, height, charts: bool):
    driver = dash_duo.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.get(url)
    dash_duo.wait_for_element("#app-root.kiosk", timeout=10)
    WebDriverWait(driver, 20, poll_frequency=0.1).until(
        lambda d: d.execute_script(SETTLED, charts), message=f"{url} never settled (charts drawn: {charts})"
    )
    return driver.execute_script(MEASURE)


def _problems(found: dict, width: int, height: int) -> list[str]:
    problems = []
    scroll_width, scroll_height, body_height = found["scroll"]
    if max(scroll_height, body_height) > height + 1 or scroll_width > width + 1:
        problems.append(f"scrolls: {scroll_width}x{max(scroll_height, body_height)} px on a {width}x{height} screen")
    if found["controls"]:
        problems.append(f"controls on screen: {found['controls'][:6]}")
    if found["cut"]:
        problems.append(f"cut at the edge: {found['cut'][:4]}")
    if found["smallChartText"]:
        problems.append(f"chart text under 14 px (at 1080p): {found['smallChartText']}")
    return problems


@pytest.fixture
def screen_app(make_settings):
    # A refresh of an hour: the measure sees one settled screen, not a redraw in progress.
    return create_app(settings=make_settings(refresh_seconds=3600))


def test_every_wallboard_view_is_measured():
    assert set(WALLBOARD_VIEWS) == set(VIEWS)


# Two tests, not one walk: the two sizes run on different workers.
SCREENS = {
    "1080p": (1920, 1080, [*WALLBOARD_VIEWS.values(), *KIOSK_PAGES]),
    "4k": (3840, 2160, list(WALLBOARD_VIEWS.values())),
}


@pytest.mark.parametrize("screen", SCREENS)
def test_every_view_and_kiosk_page_fits_the_screen(dash_duo, screen_app, screen):
    width, height, paths = SCREENS[screen]
    dash_duo.start_server(screen_app, port=free_port(), path="/?kiosk=1")
    base = dash_duo.server_url
    failures = {}
    try:
        for path in paths:
            found = _measure(dash_duo, base + path, width, height, charts=_has_charts(path))
            problems = _problems(found, width, height)
            if problems:
                failures[f"{path} at {width}x{height}"] = problems
            elif _has_charts(path):
                assert found["chartTexts"] > 10, (path, found)  # the charts were measured at all
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not failures, "\n".join(f"{view}: {'; '.join(p)}" for view, p in failures.items())
    assert dash_duo.get_logs() == []
