"""The Overview against the real services' contract (the fake over real HTTP)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.domain.business_value import format_money, parse_business_value
from tests.fakes import FakeBackends


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        yield fake


def overview(client, range_key="all"):
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "overview-value-value.children")
    body = request_for(
        dep,
        {"overview-range.data": range_key, "refresh-interval.n_intervals": 1},
        triggered="refresh-interval.n_intervals",
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.get_json()["response"]


def pipeline_figures(result: dict) -> dict[str, str]:
    """The content-pipeline card's labelled figures: status -> the number shown beside its label."""
    figures = result["overview-pipeline-value"]["children"]["props"]["children"]
    return {
        f["props"]["children"][1]["props"]["children"].removesuffix("s"): f["props"]["children"][0]["props"]["children"]
        for f in figures
    }


def test_counts_every_achievement_past_the_first_page(backends, make_settings):
    backends.add_achievements(250 - len(backends.achievements))
    app = create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
        )
    )
    result = overview(app.server.test_client())
    assert result["overview-completed-value"]["children"] == "250"
    expected = sum(parse_business_value(a["business_value"]) or 0 for a in backends.achievements)
    assert result["overview-value-value"]["children"] == format_money(expected)
    pages = backends.requests_to("GET /achievements/")
    assert len(pages) == 3 and {c.query["per_page"] for c in pages} == {"100"}
    stats = backends.posts
    assert pipeline_figures(result) == {
        status: f"{sum(p['status'] == status for p in stats):,}" for status in ("draft", "scheduled", "published")
    }


def test_backend_stopped_keeps_last_values_marked_stale(backends, make_settings):
    app = create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            cache_ttl_seconds=0.2,
            retry_backoff_seconds=0.2,
        )
    )
    client = app.server.test_client()
    first = overview(client)
    count = first["overview-completed-value"]["children"]
    backends.set_fault("achievement-collector", "down")
    time.sleep(0.3)
    after = overview(client)
    assert after["overview-completed-value"]["children"] == count
    assert "tile--stale" in after["overview-completed-card"]["className"]
    freshness = after['{"page":"overview","type":"freshness-data"}']["data"]["overview-completed"]
    assert freshness["state"] == "stale" and "unreachable" in freshness["error"]
    assert freshness["t"] is not None
    assert "tile--ok" in after["overview-pipeline-card"]["className"]  # orchestrator unaffected

    backends.set_fault("achievement-collector", None)
    time.sleep(0.3)
    recovered = overview(client)
    assert "tile--ok" in recovered["overview-completed-card"]["className"]


def test_twenty_concurrent_refreshes_make_one_call_per_endpoint(backends, make_settings, redis_url):
    backends.set_fault("achievement-collector", "slow", delay=0.3)
    app = create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            redis_url=redis_url,
            cache_ttl_seconds=30,
        )
    )
    client_factory = app.server.test_client
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: overview(client_factory()), range(20)))
    assert {r["overview-completed-value"]["children"] for r in results} == {str(len(backends.achievements))}
    assert backends.calls["GET /achievements/"] == 1
    assert backends.calls["GET /content/stats"] == 1


def test_a_cold_overview_asks_both_services_at_once(backends, make_settings):
    """The Overview shows achievements and the content pipeline: with each service taking a
    second to answer, the first refresh asks both at once, not one after the other. The proof is
    the order of events at the fakes (each request arrived before the other was answered), not a
    stopwatch, which a busy machine stretches."""
    app = create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            wait_seconds=10,
        )
    )
    client = app.server.test_client()
    client.get("/_dash-dependencies")
    backends.reset_calls()
    backends.set_fault("achievement-collector", "slow", delay=1.0)
    backends.set_fault("orchestrator", "slow", delay=1.0)
    result = overview(client)
    listed = backends.requests_to("GET /achievements/")
    assert len(listed) == 1  # one page: one delay
    assert result["overview-completed-value"]["children"] == f"{len(backends.achievements):,}"
    assert set(pipeline_figures(result)) == {"draft", "scheduled", "published"}
    pipeline = [c for c in backends.requests if c.service == "orchestrator"]
    assert pipeline, "the Overview asked the orchestrator nothing"
    first_pipeline = min(pipeline, key=lambda c: c.received_at)
    (achievements,) = listed
    assert achievements.answered_at is not None and first_pipeline.answered_at is not None
    # Each was received while the other was still waiting out its one-second delay.
    assert first_pipeline.received_at < achievements.answered_at
    assert achievements.received_at < first_pipeline.answered_at
