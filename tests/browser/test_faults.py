"""Faults seen in headless Chromium: the stale tile on screen with its error, the other tiles
untouched, and its recovery on the next tick."""

from __future__ import annotations

import pytest

from dashboard import create_app
from tests.conftest import free_port
from tests.contract_server import ACHIEVEMENTS, FakeBackends

pytestmark = pytest.mark.browser

FRESHNESS = "#{} .tile-freshness"


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        fake.add_achievements(150 - len(fake.achievements))  # two pages of 100
        yield fake


def freshness_text(dash_duo, card: str) -> str:
    return dash_duo.find_element(FRESHNESS.format(card)).text


def test_overview_shows_the_stale_tile_and_recovers_on_the_next_tick(dash_duo, backends, make_settings,
                                                                      statuses, fault_tally):
    app = create_app(settings=make_settings(
        achievement_api_url=backends.achievement_url, orchestrator_url=backends.orchestrator_url,
        cache_ttl_seconds=1.0, retry_backoff_seconds=1.0,
    ))
    statuses.watch(app)
    dash_duo.start_server(app, port=free_port())
    dash_duo.wait_for_page(url=dash_duo.server_url + "/?range=all")
    dash_duo.wait_for_text_to_equal("#overview-completed-value", "150", timeout=15)
    dash_duo.wait_for_text_to_equal(FRESHNESS.format("overview-completed-card"), "Updated 0 s ago", timeout=10)

    # The collector closes the connection in the middle of page 2 of the list.
    backends.set_fault(ACHIEVEMENTS, "drop_mid_body", query={"page": 2})
    dash_duo.wait_for_contains_class("#overview-completed-card", "tile--stale", timeout=12)
    dash_duo.wait_for_contains_text(FRESHNESS.format("overview-completed-card"), "Stale · ", timeout=3)
    stale = freshness_text(dash_duo, "overview-completed-card")
    assert "achievement-collector" in stale and "page 2 of 2" in stale, stale
    assert dash_duo.find_element("#overview-completed-value").text == "150"  # the last good value
    assert "tile--ok" in dash_duo.find_element("#overview-pipeline-card").get_attribute("class")
    assert freshness_text(dash_duo, "overview-pipeline-card").startswith("Updated ")

    backends.set_fault(ACHIEVEMENTS, None)
    dash_duo.wait_for_contains_class("#overview-completed-card", "tile--ok", timeout=12)  # the next tick
    dash_duo.wait_for_text_to_equal(FRESHNESS.format("overview-completed-card"), "Updated 0 s ago", timeout=3)
    assert dash_duo.find_element("#overview-completed-value").text == "150"
    assert dash_duo.get_logs() == []  # no failed callback
    statuses.assert_clean()
    fault_tally.fault("drop_mid_body@page=2 (browser)", ACHIEVEMENTS)
