"""A browser page on gunicorn whose worker is SIGKILLed under its refresh recovers on its next tick.

The refresh callback disables the page's interval while it runs (`running=`); a request that gets
no answer at all must not leave it disabled, or a wallboard would never refresh again.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.browser.freshness_lines import wait_for_line
from tests.fakes import ACHIEVEMENTS, FakeBackends
from tests.integration.test_faults_gunicorn import SLOW, worker_calling

pytestmark = pytest.mark.browser

FRESHNESS = "#{} .tile-freshness"


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        fake.add_achievements(150 - len(fake.achievements))
        yield fake


def test_page_recovers_after_its_gunicorn_worker_is_killed_mid_refresh(
    dash_duo, backends, gunicorn_dashboard, fault_tally
):
    server = gunicorn_dashboard(
        ACHIEVEMENT_API_URL=backends.achievement_url,
        ORCHESTRATOR_URL=backends.orchestrator_url,
        DASHBOARD_CACHE_TTL_SECONDS="1",
        DASHBOARD_RETRY_BACKOFF_SECONDS="1",
        DASHBOARD_HTTP_TIMEOUT_SECONDS=str(SLOW * 2),
    )
    dash_duo.wait_for_page(url=server.url + "/?range=all")
    dash_duo.wait_for_text_to_equal("#overview-completed-value", "150", timeout=20)
    wait_for_line(dash_duo, FRESHNESS.format("overview-completed-card"), "Updated 0 s ago", exact=True, timeout=10)

    backends.set_fault(ACHIEVEMENTS, "slow", delay=SLOW)  # the next tick waits on the collector
    victim = worker_calling(server, int(backends.achievement_url.rsplit(":", 1)[1]), timeout=12)
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    backends.set_fault(ACHIEVEMENTS, None)

    # The tick in flight died with the worker; the next one (5 s later) is served.
    wait_for_line(dash_duo, FRESHNESS.format("overview-completed-card"), "Updated 0 s ago", exact=True, timeout=15)
    assert time.monotonic() - killed_at < 15
    assert dash_duo.find_element("#overview-completed-value").text == "150"
    assert "tile--ok" in dash_duo.find_element("#overview-completed-card").get_attribute("class")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (len(server.workers()) < 2 or victim in server.workers()):
        time.sleep(0.1)
    assert len(server.workers()) == 2 and victim not in server.workers()  # gunicorn replaced it
    # What the browser logged is the dropped request, never a 500 from the dashboard.
    assert not [entry for entry in dash_duo.get_logs() if " 500 " in entry.get("message", "")]
    fault_tally.fault("SIGKILL mid-refresh (browser)", "gunicorn worker")
