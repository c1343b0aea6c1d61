"""The 7-day history on real storage: a real redis-server shared by two apps (replicas), and the
SQLite file of the embedded default; samples kept across restarts, old ones dropped, one sample
per interval whatever the number of processes sampling."""

from __future__ import annotations

import time

import pytest
import redis

from dashboard import create_app
from dashboard.infra.history import RedisSamples, SqliteSamples
from dashboard.services.history import Sampler, health_series
from tests.browser.waiting import wait_until
from tests.fakes import ORCHESTRATOR, FakeBackends


def runtime_of(app):
    return app.server.extensions["threads_dashboard"]


@pytest.fixture(params=["redis", "sqlite"])
def store(request, tmp_path):
    if request.param == "redis":
        server = request.getfixturevalue("redis_url")
        return RedisSamples(redis.Redis.from_url(server), "test-history:", retention_seconds=3600)
    return SqliteSamples(tmp_path / "history.sqlite3", retention_seconds=3600)


def test_samples_come_back_in_order_and_old_ones_are_dropped(store):
    now = time.time()
    store.add("s", now - 7200, {"status": "healthy"})  # older than the retention: dropped by the next add
    store.add("s", now - 20, {"status": "down", "error": "ünïcode ✓ " + "x" * 100})
    store.add("s", now - 30, {"status": "healthy", "latency_ms": 4.5})
    store.add("other", now - 10, {"status": "healthy"})
    found = store.since("s", now - 10_000)
    assert [record["status"] for _, record in found] == ["healthy", "down"]
    assert found[0] == (pytest.approx(now - 30), {"status": "healthy", "latency_ms": 4.5})
    assert found[1][1]["error"].startswith("ünïcode ✓")
    assert store.since("s", now - 25) == [found[1]]
    assert store.since("missing", 0) == []


def test_a_foreign_member_in_the_redis_series_is_skipped(redis_url):
    client = redis.Redis.from_url(redis_url)
    store = RedisSamples(client, "test-history:")
    store.add("s", 100.0, {"status": "healthy"})
    client.zadd("test-history:s", {"not json": 101.0, "[1, 2]": 102.0})
    assert store.since("s", 0) == [(100.0, {"status": "healthy"})]
    assert client.ttl("test-history:s") > 7 * 86_400  # kept past the week, then gone by itself


def test_two_replicas_sample_once_per_interval_between_them(redis_url, make_settings, tmp_path):
    apps = [create_app(settings=make_settings(redis_url=redis_url, data_dir=tmp_path / f"replica-{n}")) for n in (1, 2)]
    samplers = [Sampler(runtime_of(app).services, runtime_of(app).history.store, interval=1.0) for app in apps]
    started = time.time()
    for sampler in samplers:
        sampler.start()
    time.sleep(5.5)
    for sampler in samplers:
        sampler.stop()
    elapsed = time.time() - started
    store = runtime_of(apps[0]).history.store
    samples = store.since(health_series("achievement-collector", "embedded"), started - 1)
    # One per interval (the lock lives 0.9 of it): ~5, where two unlocked samplers would keep ~10.
    assert 3 <= len(samples) <= elapsed / 0.9 + 1, [at - started for at, _ in samples]
    assert all(record["status"] == "healthy" for _, record in samples)
    # Both replicas read the same history.
    view = runtime_of(apps[1]).history.view([("achievement-collector", "embedded")])
    assert view.error is None and view.services[0].samples == len(samples)


def test_an_outage_is_kept_as_an_incident_and_survives_a_restart(make_settings, tmp_path):
    with FakeBackends() as backends:
        settings = make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            tech_doc_api_url=backends.tech_doc_url,
        )
        app = create_app(settings=settings)
        current = runtime_of(app)
        sampler = Sampler(current.services, current.history.store, interval=30)
        sampler.run_round()
        backends.set_fault(ORCHESTRATOR, "down")
        time.sleep(settings.cache_ttl_seconds)  # the health check's cache entry runs out
        wait_until(lambda: sampler.run_round() and _statuses(current) == ["healthy", "down"], timeout=10)
        backends.set_fault(ORCHESTRATOR, None)
        time.sleep(settings.cache_ttl_seconds)
        wait_until(lambda: sampler.run_round() and _statuses(current)[-1] == "healthy", timeout=10)
    # A new process on the same data folder: the history is still there.
    restarted = create_app(settings=settings)
    view = runtime_of(restarted).history.view([("orchestrator", "http"), ("achievement-collector", "http")])
    orchestrator, collector = view.services
    (incident,) = orchestrator.incidents
    assert incident.status == "down" and incident.ended is not None and "unreachable" in incident.error
    assert orchestrator.uptime_day.healthy_share is not None and orchestrator.uptime_day.healthy_share < 1
    assert collector.incidents == () and collector.uptime_day.healthy_share == 1
    # The orchestrator's metrics were sampled while it answered.
    assert view.metrics["queue_size"].latest is not None


def _statuses(current) -> list[str]:
    samples = current.history.store.since(health_series("orchestrator", "http"), 0)
    statuses: list[str] = []
    for _, record in samples:
        if not statuses or statuses[-1] != record["status"]:
            statuses.append(record["status"])
    return statuses


def test_a_process_tops_its_week_up_with_what_arrived_since_and_counts_each_sample_once(tmp_path):
    from dashboard.services.history import History

    store = SqliteSamples(tmp_path / "history.sqlite3")
    now = [time.time()]
    history = History(store, interval=30, clock=lambda: now[0])
    series = health_series("orchestrator", "http")
    for minutes in (30, 20, 10):
        store.add(series, now[0] - minutes * 60, {"status": "healthy", "latency_ms": 5.0})
    assert history.view([("orchestrator", "http")]).services[0].samples == 3
    # Later: a new sample, and one another replica wrote a little late (older than the newest known).
    now[0] += 20
    store.add(series, now[0] - 5, {"status": "down", "error": "unreachable"})
    store.add(series, now[0] - 10 * 60 - 30, {"status": "healthy", "latency_ms": 6.0})
    view = history.view([("orchestrator", "http")])  # within the memo's interval: the same view
    assert view.services[0].samples == 3
    now[0] += 31
    view = history.view([("orchestrator", "http")])
    assert view.services[0].samples == 5
    assert [incident.status for incident in view.services[0].incidents] == ["down"]
    # A week later every one of them has left the window.
    now[0] += 8 * 86_400
    assert history.view([("orchestrator", "http")]).services[0].samples == 0
