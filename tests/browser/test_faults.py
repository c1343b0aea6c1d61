"""Faults seen in headless Chromium: the stale tile on screen with its error, the other tiles
untouched, and its recovery on the next tick."""

from __future__ import annotations

import pytest

from dashboard import create_app
from tests.browser.freshness_lines import line_text, wait_for_line
from tests.browser.waiting import present
from tests.conftest import free_port
from tests.fakes import ACHIEVEMENTS, FakeBackends

pytestmark = pytest.mark.browser

FRESHNESS = "#{} .tile-freshness"


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        fake.add_achievements(150 - len(fake.achievements))  # two pages of 100
        yield fake


def freshness_text(dash_duo, card: str) -> str:
    return line_text(dash_duo, FRESHNESS.format(card))


def test_overview_shows_the_stale_tile_and_recovers_on_the_next_tick(
    dash_duo, backends, make_settings, statuses, fault_tally
):
    app = create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            cache_ttl_seconds=1.0,
            retry_backoff_seconds=1.0,
        )
    )
    statuses.watch(app)
    dash_duo.start_server(app, port=free_port(), path="/?range=all")
    dash_duo.wait_for_text_to_equal("#overview-completed-value", "150", timeout=15)
    wait_for_line(dash_duo, FRESHNESS.format("overview-completed-card"), "Updated 0 s ago", exact=True, timeout=10)

    # The collector closes the connection in the middle of page 2 of the list.
    backends.set_fault(ACHIEVEMENTS, "drop_mid_body", query={"page": 2})
    dash_duo.wait_for_contains_class("#overview-completed-card", "tile--stale", timeout=12)
    wait_for_line(dash_duo, FRESHNESS.format("overview-completed-card"), "Stale · ", timeout=3)
    stale = freshness_text(dash_duo, "overview-completed-card")
    assert stale.endswith("achievement-collector: closed the connection before answering"), stale
    # The whole story once, in the page's notice: what, since when, the values kept, what to check.
    dash_duo.wait_for_element("#overview-outages .outage-notice", timeout=5)
    notice = dash_duo.find_element("#overview-outages .outage-notice").text
    assert notice.startswith("achievement-collector closes the connection before answering since "), notice
    assert "showing the last values" in notice and "Check ACHIEVEMENT_API_URL" in notice, notice
    dash_duo.find_element("#overview-outages summary").click()  # the client's own words, on demand
    dash_duo.wait_for_contains_text("#overview-outages .outage-error", "page 2 of 2", timeout=5)
    assert dash_duo.find_element("#overview-completed-value").text == "150"  # the last good value
    assert "tile--ok" in dash_duo.find_element("#overview-pipeline-card").get_attribute("class")
    assert freshness_text(dash_duo, "overview-pipeline-card").startswith("Updated ")

    backends.set_fault(ACHIEVEMENTS, None)
    dash_duo.wait_for_contains_class("#overview-completed-card", "tile--ok", timeout=12)  # the next tick
    wait_for_line(dash_duo, FRESHNESS.format("overview-completed-card"), "Updated 0 s ago", exact=True, timeout=3)
    assert dash_duo.find_element("#overview-completed-value").text == "150"
    assert not present(dash_duo, "#overview-outages .outage-notice")  # said gone once it is
    assert dash_duo.get_logs() == []  # no failed callback
    statuses.assert_clean()
    fault_tally.fault("drop_mid_body@page=2 (browser)", ACHIEVEMENTS)


def visible_text(dash_duo) -> str:
    return dash_duo.find_element("body").text


def test_a_collector_unreachable_from_the_start_is_said_once_and_never_shown_as_zero(dash_duo, make_settings):
    with FakeBackends() as backends:
        backends.set_fault(ACHIEVEMENTS, "down")
        # The orchestrator is not configured: its tiles are the embedded sample data, and say so.
        app = create_app(
            settings=make_settings(
                achievement_api_url=backends.achievement_url, cache_ttl_seconds=1.0, retry_backoff_seconds=1.0
            )
        )
        dash_duo.start_server(app, port=free_port(), path="/achievements")

        # The grid says why it has no rows; nothing reads 0; what needs the service waits for it.
        dash_duo.wait_for_contains_text(
            "#achievements-grid-overlay", "achievement-collector is unreachable since", timeout=15
        )
        overlay = dash_duo.find_element("#achievements-grid-overlay").text
        assert "retrying every 1 s; your edits are kept" in overlay, overlay
        assert "No Rows To Show" not in visible_text(dash_duo)
        for kpi in ("count", "value", "published", "average"):
            assert dash_duo.find_element(f"#achievements-kpi-{kpi}").text == "—", kpi
        assert not dash_duo.find_element("#achievements-add-open").is_enabled()
        assert "achievement-collector" in dash_duo.find_element("#achievements-add-wrap").get_attribute("title")
        assert not dash_duo.find_element("#achievements-export").is_enabled()
        assert "achievement-collector" in dash_duo.find_element("#achievements-export-wrap").get_attribute("title")
        (notice,) = dash_duo.find_elements("#achievements-outages .outage-notice")
        assert "Check ACHIEVEMENT_API_URL (" + backends.achievement_url in notice.text, notice.text
        assert "no success since this dashboard started" in notice.text
        dash_duo.wait_for_text_to_equal("#last-update", "No data from achievement-collector", timeout=5)

        # The Overview says it once too: its tiles read "—" and "No data", not the error twenty times.
        dash_duo.driver.get(dash_duo.server_url + "/?range=all")
        dash_duo.wait_for_element("#overview-outages .outage-notice", timeout=15)
        wait_for_line(dash_duo, "#overview-completed-card .tile-freshness", "No data", exact=True, timeout=5)
        text = visible_text(dash_duo)
        assert text.count("unreachable") == 1, text
        assert dash_duo.find_element("#overview-value-value").text == "—"
        assert dash_duo.find_element("#overview-pipeline-card .sample-badge").text == "sample data"
        assert not present(dash_duo, "#overview-value-card .sample-badge")

        # And Analytics: the outage said once, in one notice that says what to check.
        dash_duo.driver.get(dash_duo.server_url + "/analytics?range=all")
        dash_duo.wait_for_element("#analytics-outages .outage-notice", timeout=15)
        (notice,) = dash_duo.find_elements("#analytics-outages .outage-notice")
        assert "Check ACHIEVEMENT_API_URL" in notice.text, notice.text
        text = visible_text(dash_duo)
        assert text.count("unreachable") == 1, text

        # Back: the next tick after the backoff draws the rows and lifts every guard.
        backends.set_fault(ACHIEVEMENTS, None)
        dash_duo.driver.get(dash_duo.server_url + "/achievements")
        newest = max(backends.achievements, key=lambda a: a["completed_at"])
        dash_duo.wait_for_element(f'.ag-row[row-id="{newest["id"]}"]', timeout=15)
        dash_duo.wait_for_text_to_equal("#achievements-kpi-count", f"{len(backends.achievements):,}", timeout=5)
        assert "d-none" in dash_duo.find_element("#achievements-grid-overlay").get_attribute("class")
        assert dash_duo.find_element("#achievements-add-open").is_enabled()
        assert not present(dash_duo, "#achievements-outages .outage-notice")
        assert dash_duo.get_logs() == []
