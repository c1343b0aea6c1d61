"""The System page against the contract fake over real HTTP, and against a real Redis."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from cachelib import RedisCache

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.app import CACHE_KEY_PREFIX, REDIS_KEY_PREFIX
from dashboard.infra.cache import FreshCache, RedisLocks
from dashboard.services import DashboardServices, Endpoints
from dashboard.services.system import (
    HEALTH_MAX_AGE_SECONDS,
    KEY_HEALTH,
    cache_status,
    check_services,
    service_statuses,
)
from tests.clock import TEST_CLOCK
from tests.conftest import free_port
from tests.fakes import ACHIEVEMENTS, ORCHESTRATOR, SERVICES, TECH_DOC, FakeBackends

TILES = {ACHIEVEMENTS: "system-achievements", ORCHESTRATOR: "system-orchestrator", TECH_DOC: "system-techdoc"}


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        yield fake


def all_urls(backends) -> dict:
    return dict(
        achievement_api_url=backends.achievement_url,
        orchestrator_url=backends.orchestrator_url,
        tech_doc_api_url=backends.tech_doc_url,
    )


def services_of(app) -> DashboardServices:
    return app.server.extensions["threads_dashboard"].services


def refresh(client, refresh_seconds: int = 5) -> dict:
    """One tick of the page, as the browser sends it."""
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "system-achievements-card.className")
    body = request_for(
        dep,
        {"system-interval.n_intervals": 1, "system-refresh.data": refresh_seconds},
        triggered="system-interval.n_intervals",
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.get_json()["response"]


def text(node) -> str:
    """The strings of a serialised component tree."""
    if node is None:
        return ""
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, list):
        return " ".join(text(n) for n in node)
    if isinstance(node, dict):
        return text(node.get("props", node).get("children"))
    return ""


def by_id(node, wanted: str):
    if isinstance(node, list):
        for item in node:
            found = by_id(item, wanted)
            if found is not None:
                return found
    elif isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == wanted:
            return node
        return by_id(props.get("children"), wanted)
    return None


def tile(result: dict, service: str) -> tuple[str, str, str]:
    name = TILES[service]
    return (
        result[f"{name}-card"]["className"],
        result[f"{name}-status"]["children"],
        text(result[f"{name}-body"]["children"]),
    )


def test_a_stopped_service_turns_red_long_before_the_data_ttl(backends, make_settings):
    app = create_app(settings=make_settings(**all_urls(backends), cache_ttl_seconds=30.0))
    client = app.server.test_client()
    first = refresh(client)
    for service in SERVICES:
        card, label, body = tile(first, service)
        assert "system-tile--healthy" in card and label == "Healthy"
        assert backends.url(service) in body
    assert backends.health_body["version"] in tile(first, ACHIEVEMENTS)[2]

    backends.set_fault(ORCHESTRATOR, "down")
    time.sleep(HEALTH_MAX_AGE_SECONDS + 0.2)  # the data TTL (30 s) is far from over
    down = refresh(client)
    card, label, body = tile(down, ORCHESTRATOR)
    assert "system-tile--failing" in card and label == "Down"
    assert "unreachable" in body
    assert "system-tile--healthy" in tile(down, ACHIEVEMENTS)[0]
    assert "system-tile--healthy" in tile(down, TECH_DOC)[0]

    backends.set_fault(ORCHESTRATOR, None)
    time.sleep(HEALTH_MAX_AGE_SECONDS + 0.2)
    card, label, body = tile(refresh(client), ORCHESTRATOR)
    assert "system-tile--healthy" in card and label == "Healthy"
    assert "Last error: unreachable" in body


def test_health_faults_are_told_apart(backends, make_settings):
    app = create_app(settings=make_settings(**all_urls(backends), http_timeout_seconds=0.5))
    services = services_of(app)
    backends.set_fault(ACHIEVEMENTS, "500")
    backends.set_fault(ORCHESTRATOR, "slow", delay=1.5)
    backends.set_fault(TECH_DOC, "malformed")
    found = {s.service: s for s in check_services(services)}
    assert found[ACHIEVEMENTS].status == "unhealthy" and "answered 500" in found[ACHIEVEMENTS].detail
    assert found[ORCHESTRATOR].status == "down"
    assert "no answer to GET /health within 0.5 s" in found[ORCHESTRATOR].detail
    assert found[TECH_DOC].status == "unhealthy" and "not JSON" in found[TECH_DOC].detail


def test_metrics_summary_comes_from_the_orchestrator(backends, make_settings):
    with backends.lock:
        backends.metrics["queue_size"] = 41
        backends.metrics["active_tasks"] = 6
    app = create_app(settings=make_settings(**all_urls(backends)))
    result = refresh(app.server.test_client())
    body = result["system-metrics-body"]["children"]
    assert text(by_id(body, "system-metrics-queue")) == str(backends.metrics["queue_size"])
    assert text(by_id(body, "system-metrics-active")) == str(backends.metrics["active_tasks"])
    assert text(by_id(body, "system-metrics-success")) == f"{backends.metrics['success_rate'] * 100:.1f} %"
    details = backends.metrics["services_health"]["details"]
    for name, state in details.items():
        assert f"{name}: {state}" in text(body)
    assert "system-tile--healthy" in result["system-metrics-card"]["className"]


def test_embedded_mode_without_any_service(make_settings):
    app = create_app(settings=make_settings())
    result = refresh(app.server.test_client())
    for service in (ACHIEVEMENTS, ORCHESTRATOR):
        card, label, body = tile(result, service)
        assert label == "Embedded store" and "system-tile--healthy" in card
    card, label, _ = tile(result, TECH_DOC)
    assert label == "Not configured" and "system-tile--off" in card
    store_metrics = services_of(app).store.metrics_summary()
    assert (
        text(by_id(result["system-metrics-body"]["children"], "system-metrics-queue"))
        == f"{store_metrics.queue_size:,}"
    )
    assert "In-process" in text(result["system-cache-body"]["children"])


def test_twenty_screens_make_one_health_call_per_service(backends, make_settings, redis_url):
    backends.set_fault(ORCHESTRATOR, "slow", delay=0.3)  # so the screens really overlap
    app = create_app(settings=make_settings(**all_urls(backends), redis_url=redis_url, cache_ttl_seconds=30))
    factory = app.server.test_client
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: refresh(factory()), range(20)))
    assert {tile(r, ORCHESTRATOR)[1] for r in results} == {"Healthy"}
    for service in SERVICES:
        assert backends.service_calls[service]["GET /health"] == 1


def another_worker(redis_url: str, backends) -> DashboardServices:
    """What a second gunicorn worker or replica builds: its own clients and cache objects, one Redis."""
    client = redis.Redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
    cache = FreshCache(
        RedisCache(client, key_prefix=CACHE_KEY_PREFIX),
        RedisLocks(client, prefix=REDIS_KEY_PREFIX + "lock:"),
        ttl=30,
        backoff=1,
        lock_seconds=5,
        clock=TEST_CLOCK.time,
    )
    return DashboardServices.from_endpoints(
        Endpoints(backends.achievement_url, backends.orchestrator_url, backends.tech_doc_url),
        cache,
        None,
        timeout=2,
        connect_timeout=0.5,
        clock=TEST_CLOCK,  # replicas share one clock
    )


def test_history_is_the_same_on_every_worker(backends, make_settings, redis_url):
    app = create_app(settings=make_settings(**all_urls(backends), redis_url=redis_url, cache_ttl_seconds=30))
    backends.set_fault(TECH_DOC, "down")
    seen_here = {s.service: s for s in service_statuses(services_of(app)).value}[TECH_DOC]
    assert seen_here.status == "down" and seen_here.last_error is not None
    backends.set_fault(TECH_DOC, None)

    elsewhere = another_worker(redis_url, backends)
    try:
        # The shared health entry first: the other worker does not probe again.
        assert {s.service: s for s in service_statuses(elsewhere).value}[TECH_DOC] == seen_here
        time.sleep(HEALTH_MAX_AGE_SECONDS + 0.2)
        seen_there = {s.service: s for s in service_statuses(elsewhere).value}[TECH_DOC]
    finally:
        elsewhere.close()
    assert seen_there.status == "healthy"
    assert (seen_there.last_error, seen_there.last_error_text) == (seen_here.last_error, seen_here.detail)
    assert seen_there.last_success > seen_here.last_error


def test_redis_cache_status_counts_its_keys(backends, make_settings, redis_url):
    app = create_app(settings=make_settings(**all_urls(backends), redis_url=redis_url))
    services = services_of(app)
    services.achievements()
    services.content_stats()
    service_statuses(services)
    status = cache_status(services.cache)
    assert (status.backend, status.reachable, status.error) == ("redis", True, None)
    assert status.ping_ms is not None and status.ping_ms >= 0
    prefix = CACHE_KEY_PREFIX
    stored = [k.decode() for k in redis.Redis.from_url(redis_url).scan_iter(match=prefix + "*")]
    assert status.keys == len(stored)
    assert {"achievements:all", "content:stats", KEY_HEALTH} <= {d.key for d in status.data_sets}
    assert all(d.fetched_at is not None for d in status.data_sets)


def test_unreachable_redis_is_reported_and_the_page_still_answers(backends, make_settings):
    app = create_app(settings=make_settings(**all_urls(backends), redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    result = refresh(app.server.test_client())
    assert "system-tile--failing" in result["system-cache-card"]["className"]
    body = text(result["system-cache-body"]["children"])
    assert "Reachable no" in body and "ConnectionError" in body
    # Health checks go on without the shared cache.
    for service in SERVICES:
        assert tile(result, service)[1] == "Healthy"
