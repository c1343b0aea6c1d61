"""The System page in headless Chromium: what a person sees, and a stopped service going red."""

from __future__ import annotations

import pytest

from dashboard import __version__, create_app
from dashboard.services.system import SYSTEM_REFRESH_SECONDS
from dashboard.settings import REFRESH_FLOOR_SECONDS
from tests.browser.freshness_lines import wait_for_line
from tests.conftest import free_port
from tests.fakes import ORCHESTRATOR, FakeBackends

pytestmark = pytest.mark.browser


def services_of(app):
    return app.server.extensions["threads_dashboard"].services


def app_on(backends, make_settings, **settings):
    """An app reading all three services from `backends`."""
    return create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            tech_doc_api_url=backends.tech_doc_url,
            **settings,
        )
    )


def start(dash_duo, app, path="/system"):
    dash_duo.start_server(app, port=free_port(), path=path)
    return dash_duo


def test_embedded_mode_shows_every_tile(dash_duo, make_settings):
    app = create_app(settings=make_settings(refresh_seconds=30))
    start(dash_duo, app)
    dash_duo.wait_for_text_to_equal("h1", "System health", timeout=10)
    dash_duo.wait_for_text_to_equal("#system-achievements-status", "Embedded store", timeout=10)
    dash_duo.wait_for_text_to_equal("#system-orchestrator-status", "Embedded store", timeout=5)
    dash_duo.wait_for_text_to_equal("#system-techdoc-status", "Not configured", timeout=5)
    dash_duo.wait_for_contains_class("#system-achievements-card", "system-tile--healthy", timeout=5)
    assert "TECH_DOC_API_URL not set" in dash_duo.find_element("#system-techdoc-body").text

    queue = services_of(app).store.metrics_summary().queue_size
    dash_duo.wait_for_text_to_equal("#system-metrics-queue", f"{queue:,}", timeout=5)
    assert "In-process" in dash_duo.find_element("#system-cache-body").text
    dashboard_text = dash_duo.find_element("#system-dashboard-body").text
    assert __version__ in dashboard_text
    assert f"refreshes every {SYSTEM_REFRESH_SECONDS} s" in dashboard_text
    assert "refresh every 30 s" in dashboard_text
    wait_for_line(dash_duo, "#system-achievements-card .tile-freshness", "Updated", timeout=5)
    assert dash_duo.get_logs() == []


def test_a_stopped_backend_turns_its_tile_red_within_a_tick(dash_duo, make_settings):
    with FakeBackends() as backends:
        app = app_on(backends, make_settings, cache_ttl_seconds=30.0)
        # One tick of the page plus slack for the browser: the tile must change on the next tick,
        # not after the 30 s data TTL.
        one_tick = SYSTEM_REFRESH_SECONDS + 2
        start(dash_duo, app)
        for tile in ("achievements", "orchestrator", "techdoc"):
            dash_duo.wait_for_text_to_equal(f"#system-{tile}-status", "Healthy", timeout=10)
            dash_duo.wait_for_contains_class(f"#system-{tile}-card", "system-tile--healthy", timeout=5)

        backends.set_fault(ORCHESTRATOR, "down")
        dash_duo.wait_for_contains_class("#system-orchestrator-card", "system-tile--failing", timeout=one_tick)
        dash_duo.wait_for_text_to_equal("#system-orchestrator-status", "Down", timeout=2)
        assert "unreachable" in dash_duo.find_element("#system-orchestrator-body").text
        for tile in ("achievements", "techdoc"):
            assert "system-tile--healthy" in dash_duo.find_element(f"#system-{tile}-card").get_attribute("class")

        backends.set_fault(ORCHESTRATOR, None)
        dash_duo.wait_for_contains_class("#system-orchestrator-card", "system-tile--healthy", timeout=one_tick)
        dash_duo.wait_for_text_to_equal("#system-orchestrator-status", "Healthy", timeout=2)
        # The outage stays on record once the service is back.
        dash_duo.wait_for_contains_text("#system-orchestrator-body", "Last error: unreachable", timeout=2)
        assert dash_duo.get_logs() == []


def test_refresh_parameter_sets_the_pace_never_below_the_floor(dash_duo, make_settings):
    app = create_app(settings=make_settings())
    start(dash_duo, app, f"/system?refresh={REFRESH_FLOOR_SECONDS - 4}")
    dash_duo.wait_for_contains_text(
        "#system-cadence",
        f"Checks every {REFRESH_FLOOR_SECONDS} s (refresh={REFRESH_FLOOR_SECONDS - 4} is below",
        timeout=10,
    )
    slower = SYSTEM_REFRESH_SECONDS + 10
    dash_duo.wait_for_page(url=dash_duo.server_url + f"/system?refresh={slower}")
    dash_duo.wait_for_text_to_equal("#system-cadence", f"Checks every {slower} s", timeout=10)
    dash_duo.wait_for_contains_text("#system-dashboard-body", f"refreshes every {slower} s", timeout=10)
    assert dash_duo.get_logs() == []


def test_the_week_of_health_checks_shows_as_uptime_latency_and_incidents(dash_duo, make_settings):
    """What the sampler kept (tests/integration/test_history.py drives it), as a person reads it."""
    with FakeBackends() as backends:
        app = app_on(backends, make_settings, history_sample_seconds=300)  # a sample per 5 min, as below
        current = app.server.extensions["threads_dashboard"]
        store, now = current.history.store, current.clock.time()
        for minutes_ago in range(24 * 60, 0, -5):
            at = now - minutes_ago * 60
            outage = 120 <= minutes_ago < 150  # the orchestrator, two hours ago, for half an hour
            store.add(
                "health:orchestrator:http",
                at,
                {"status": "down", "error": "unreachable (ConnectError on GET /health)"}
                if outage
                else {"status": "healthy", "latency_ms": 10.0 + minutes_ago % 7},
            )
            store.add("health:achievement-collector:http", at, {"status": "healthy", "latency_ms": 20.0})
            store.add("metrics:orchestrator", at, {"queue_size": minutes_ago % 40, "success_rate": 0.97})
        start(dash_duo, app)
        dash_duo.wait_for_text_to_equal("#system-achievements-uptime-day", "100 %", timeout=10)
        uptime = dash_duo.find_element("#system-orchestrator-uptime-day").text
        assert uptime.endswith(" %") and 97 < float(uptime.split()[0]) < 98.5  # 30 of 1,440 minutes down
        incidents = dash_duo.find_element("#system-orchestrator-incidents").text
        assert incidents.startswith("Down ") and "→" in incidents and "(30 min)" in incidents
        assert "unreachable" in incidents
        assert "No incidents" in dash_duo.find_element("#system-achievements-incidents").text
        # The day is fully measured; the week only for a day of checks, and the 7-day figure says so.
        history = dash_duo.find_element("#system-orchestrator-history").text
        assert "of the 24 h" not in history and "measured for 2" in history and "of the 7 d" in history
        # The sparkline is an image the browser could draw, with its numbers in words.
        latency = dash_duo.find_element("#system-orchestrator-latency")
        assert dash_duo.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", latency) > 0
        assert "median" in latency.get_attribute("alt")
        trends = dash_duo.find_element("#system-trends").text
        assert "QUEUE SIZE" in trends and "latest" in trends
        assert dash_duo.get_logs() == []
