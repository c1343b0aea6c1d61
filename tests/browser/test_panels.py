"""The panel menu in headless Chromium: a person inspects a chart, downloads it, embeds a KPI and
views a chart full screen, with real clicks and keys."""

from __future__ import annotations

import csv
import json
import os
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard import create_app
from tests.browser.waiting import present, wait_until
from tests.conftest import free_port

pytestmark = pytest.mark.browser


def choose(dash_duo, tile, action):
    """Open the ⋮ menu of `tile` and click one of its items, as a person does."""
    dash_duo.find_element(f"#{tile}-menu .panel-menu-toggle").click()
    item = dash_duo.wait_for_element(f"#{tile}-menu .panel-menu-{action}", timeout=10)
    wait_until(item.is_displayed, message=f"the {action} item")
    item.click()


def press_escape(dash_duo):
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)


def test_a_person_inspects_downloads_embeds_and_views_a_panel_full_screen(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=3600))
    dash_duo.start_server(app, port=free_port(), path="/?range=90d")
    drawn = (
        "var gd = document.querySelector('#overview-categories-graph .js-plotly-plot');"
        "return gd && gd.data && gd.data[0] && gd.data[0].x ? JSON.stringify(gd.data[0]) : null;"
    )
    bars = json.loads(wait_until(lambda: dash_duo.driver.execute_script(drawn), message="the category chart"))

    # Inspect data: the table holds the rows the chart draws (plotly draws the first bar lowest).
    choose(dash_duo, "overview-categories", "inspect")
    dash_duo.wait_for_contains_text(".panel-inspect .modal-title", "Value by category", timeout=10)
    assert "Last 90 days" in dash_duo.find_element(".panel-inspect-meta").text
    table = [
        [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        for row in dash_duo.find_elements(".panel-inspect-table tbody tr")
    ]
    assert [r[0].lower() for r in table] == [name.lower() for name in reversed(bars["y"])]
    assert [float(r[2].replace(",", "")) for r in table] == pytest.approx(list(reversed(bars["x"])), abs=0.01)
    press_escape(dash_duo)
    wait_until(lambda: not present(dash_duo, ".panel-inspect.show"), message="the table closed by Esc")

    # Download CSV: a real file, the same rows.
    choose(dash_duo, "overview-categories", "csv")
    folder = dash_duo.download_path

    def downloaded():
        return next((n for n in os.listdir(folder) if n.startswith("value-by-category-") and n.endswith(".csv")), None)

    name = wait_until(downloaded, message="the CSV download")
    with open(os.path.join(folder, name), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["category"], int(r["achievements"])) for r in rows] == [(t[0], int(t[1])) for t in table]

    # Copy embed code of a KPI: the iframe and JSON URLs carry the range; the JSON says the card's number.
    choose(dash_duo, "overview-value", "embed")
    box = dash_duo.wait_for_element('[id*="panel-share-field"][id*="iframe"]', timeout=10)
    iframe = wait_until(lambda: box.get_attribute("value"), message="the embed code")
    assert iframe.startswith('<iframe src="http://') and "/embed/kpi-value?range=90d" in iframe
    json_url = dash_duo.find_element('[id*="panel-share-field"][id*="json"]').get_attribute("value")
    assert json_url.endswith("/api/charts/kpi-value?range=90d")
    dash_duo.find_element('[id*="panel-copy"][id*="iframe"]').click()
    # Headless Chromium may refuse the clipboard: then the text is selected for Ctrl+C, and said.
    said = wait_until(lambda: dash_duo.find_element('[id*="panel-copied"][id*="iframe"]').text, message="copied")
    assert said in ("Copied", "Selected: press Ctrl+C (⌘C) to copy")
    with urllib.request.urlopen(json_url, timeout=10) as answer:
        kpi = json.loads(answer.read())
    assert kpi["text"] == dash_duo.find_element("#overview-value-value").text and kpi["range"]["range"] == "90d"
    press_escape(dash_duo)
    wait_until(lambda: not present(dash_duo, ".panel-share.show"), message="the embed dialog closed by Esc")

    # View full screen, then Esc: the chart over the page, and back in its place.
    choose(dash_duo, "overview-trend", "fullscreen")
    card = dash_duo.find_element("#overview-trend-card")
    wait_until(lambda: "panel-fullscreen" in card.get_attribute("class"), message="full screen")
    assert card.size["width"] > dash_duo.driver.get_window_size()["width"] * 0.8
    press_escape(dash_duo)
    wait_until(lambda: "panel-fullscreen" not in card.get_attribute("class"), message="full screen closed by Esc")
    assert dash_duo.get_logs() == []
