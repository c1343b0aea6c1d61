"""The System page's service layer: health probes, their short cache, the shared history, the
cache status and the refresh parameter. HTTP through httpx.MockTransport; real caches."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest
from cachelib import SimpleCache

from dashboard.infra.cache import FreshCache, LocalLocks
from dashboard.services import DashboardServices
from dashboard.services.system import (
    HEALTH_MAX_AGE_SECONDS,
    KEY_HEALTH,
    MAX_REFRESH_SECONDS,
    PROBE_TIMEOUT_SECONDS,
    SYSTEM_REFRESH_SECONDS,
    cache_status,
    health_max_age,
    hit_ratio,
    parse_refresh,
    probe,
    service_statuses,
    system_view,
)
from dashboard.settings import REFRESH_FLOOR_SECONDS
from dashboard.sources.clients import AchievementClient, OrchestratorClient, TechDocClient, make_http_client
from dashboard.sources.clients.adapters import HttpAchievements, HttpAnalytics, HttpContent
from dashboard.sources.embedded.store import EmbeddedStore


class Clock:
    def __init__(self, start: float = 1_800_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)


def fresh_cache(clock=None, ttl: float = 30.0, backend=None, locks=None) -> FreshCache:
    return FreshCache(
        backend if backend is not None else SimpleCache(),
        locks or LocalLocks(),
        ttl=ttl,
        backoff=1.0,
        lock_seconds=5.0,
        clock=clock or Clock(),
    )


class Health:
    """A /health endpoint per service whose answer a test can change; counts its calls."""

    def __init__(self):
        self.answers: dict[str, object] = {}
        self.calls: dict[str, int] = {}
        self.timeouts: dict[str, dict] = {}

    def transport(self, name: str) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            self.calls[name] = self.calls.get(name, 0) + 1
            self.timeouts[name] = request.extensions.get("timeout", {})
            answer = self.answers.get(name, {"status": "healthy"})
            if isinstance(answer, Exception):
                raise answer
            if isinstance(answer, httpx.Response):
                return answer
            return httpx.Response(200, json=answer)

        return httpx.MockTransport(handle)

    def http(self, name: str, timeout: float = 5.0, connect_timeout: float = 2.0) -> httpx.Client:
        return make_http_client(
            f"http://{name}.test", timeout=timeout, connect_timeout=connect_timeout, transport=self.transport(name)
        )


def http_services(health: Health, cache: FreshCache, store=None) -> DashboardServices:
    return DashboardServices(
        cache,
        store,
        achievements=HttpAchievements(AchievementClient(health.http("achievement-collector"))),
        orchestrator=HttpContent(OrchestratorClient(health.http("orchestrator"))),
        techdoc=HttpAnalytics(TechDocClient(health.http("tech-doc-generator"))),
    )


# ?refresh= ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_no_refresh_parameter_means_the_page_default(raw):
    assert parse_refresh(raw) == (SYSTEM_REFRESH_SECONDS, None)


def test_a_valid_refresh_is_honoured_and_rounded():
    asked = REFRESH_FLOOR_SECONDS + 7
    assert parse_refresh(str(asked)) == (asked, None)
    assert parse_refresh(f"{asked}.4") == (asked, None)


def test_refresh_below_the_floor_is_clamped_and_said():
    seconds, problem = parse_refresh(str(REFRESH_FLOOR_SECONDS - 4))
    assert seconds == REFRESH_FLOOR_SECONDS
    assert "below" in problem and f"{REFRESH_FLOOR_SECONDS} s" in problem


@pytest.mark.parametrize("raw", ["abc", "-3", "0", "nan", "inf", "5s"])
def test_unreadable_refresh_falls_back_with_a_message(raw):
    seconds, problem = parse_refresh(raw)
    assert seconds == SYSTEM_REFRESH_SECONDS
    assert problem.startswith(f"refresh={raw} ignored")


def test_refresh_above_the_ceiling_is_capped():
    assert parse_refresh(str(MAX_REFRESH_SECONDS * 10))[0] == MAX_REFRESH_SECONDS


# Probes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "status", "detail_has"),
    [
        ({"status": "healthy", "version": "1.4.2"}, "healthy", None),
        ({"status": "ok"}, "healthy", None),
        ({"status": "degraded"}, "unhealthy", "'degraded'"),
        (httpx.Response(500, text="Internal Server Error"), "unhealthy", "answered 500"),
        (
            httpx.Response(200, content=b"{not json", headers={"content-type": "application/json"}),
            "unhealthy",
            "not JSON",
        ),
        (httpx.Response(200, json=[{"status": "healthy"}]), "unhealthy", "not an object"),
        (httpx.ConnectError("refused"), "down", "unreachable (ConnectError"),
        (httpx.ReadTimeout("slow"), "down", "no answer to GET /health within"),
    ],
)
def test_probe_tells_healthy_unhealthy_and_down_apart(answer, status, detail_has):
    health = Health()
    health.answers["svc"] = answer
    found = probe("achievement-collector", health.http("svc"))
    assert found.status == status
    assert found.configured and found.source == "http"
    assert found.url == "http://svc.test"
    assert found.latency_ms is not None and found.latency_ms >= 0
    if detail_has is None:
        assert found.detail is None
    else:
        assert detail_has in found.detail
    if isinstance(answer, dict) and "version" in answer:
        assert found.version == answer["version"]


def test_probe_uses_a_short_timeout_but_never_a_longer_one_than_configured():
    health = Health()
    probe("achievement-collector", health.http("slowconf", timeout=30, connect_timeout=30))
    assert health.timeouts["slowconf"]["read"] == PROBE_TIMEOUT_SECONDS
    assert health.timeouts["slowconf"]["connect"] == PROBE_TIMEOUT_SECONDS
    tight = PROBE_TIMEOUT_SECONDS / 4
    probe("achievement-collector", health.http("fastconf", timeout=tight, connect_timeout=tight))
    assert health.timeouts["fastconf"]["read"] == tight


def test_probe_hides_credentials_of_the_base_url():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"status": "ok"}))
    http = make_http_client("http://user:secret@orch.test:8080/", timeout=1, connect_timeout=1, transport=transport)
    found = probe("orchestrator", http)
    assert found.url == "http://orch.test:8080"


# The health cache and the history ----------------------------------------------------------------


def test_health_is_probed_once_per_max_age_although_the_data_ttl_is_longer():
    clock = Clock()
    cache = fresh_cache(clock, ttl=30.0)
    assert health_max_age(cache) == HEALTH_MAX_AGE_SECONDS < cache.ttl
    health = Health()
    services = http_services(health, cache)

    first = service_statuses(services)
    for _ in range(5):
        again = service_statuses(services)
    assert again.value == first.value
    assert set(health.calls.values()) == {1}

    health.answers["orchestrator"] = httpx.ConnectError("refused")
    clock.advance(HEALTH_MAX_AGE_SECONDS + 0.1)  # far inside the 30 s data TTL
    later = {s.service: s for s in service_statuses(services).value}
    assert set(health.calls.values()) == {2}
    assert later["orchestrator"].status == "down"
    assert later["achievement-collector"].status == "healthy"


def test_health_is_never_older_than_a_shorter_data_ttl():
    cache = fresh_cache(ttl=HEALTH_MAX_AGE_SECONDS / 2)
    assert health_max_age(cache) == cache.ttl


def test_last_success_and_last_error_are_remembered_across_checks():
    clock = Clock()
    cache = fresh_cache(clock)
    health = Health()
    services = http_services(health, cache)
    step = HEALTH_MAX_AGE_SECONDS + 0.1

    ok_at = clock.now
    first = {s.service: s for s in service_statuses(services).value}["orchestrator"]
    assert (first.last_success, first.last_error) == (utc(ok_at), None)

    clock.advance(step)
    failed_at = clock.now
    health.answers["orchestrator"] = httpx.Response(503, text="warming up")
    down = {s.service: s for s in service_statuses(services).value}["orchestrator"]
    assert down.status == "unhealthy"
    assert down.last_success == utc(ok_at)
    assert down.last_error == utc(failed_at)
    assert "answered 503" in down.last_error_text and "warming up" in down.last_error_text

    clock.advance(step)
    back_at = clock.now
    health.answers["orchestrator"] = {"status": "ok"}
    back = {s.service: s for s in service_statuses(services).value}["orchestrator"]
    assert back.status == "healthy"
    assert back.last_success == utc(back_at)
    assert back.last_error == utc(failed_at) and back.last_error_text == down.last_error_text


def test_history_is_shared_by_workers_using_one_cache_backend():
    clock = Clock()
    backend, locks = SimpleCache(), LocalLocks()  # what two workers share through Redis
    worker_a = http_services(Health(), fresh_cache(clock, backend=backend, locks=locks))
    b_health = Health()
    worker_b = http_services(b_health, fresh_cache(clock, backend=backend, locks=locks))

    broken = Health()
    broken.answers["tech-doc-generator"] = httpx.ConnectError("refused")
    worker_a.analytics_source = HttpAnalytics(TechDocClient(broken.http("tech-doc-generator")))
    failed_at = clock.now
    seen_by_a = {s.service: s for s in service_statuses(worker_a).value}["tech-doc-generator"]
    assert seen_by_a.status == "down"

    # Within the max age worker B serves A's check instead of probing again.
    assert {s.service: s for s in service_statuses(worker_b).value}["tech-doc-generator"] == seen_by_a
    assert b_health.calls == {}

    clock.advance(HEALTH_MAX_AGE_SECONDS + 0.1)
    seen_by_b = {s.service: s for s in service_statuses(worker_b).value}["tech-doc-generator"]
    assert seen_by_b.status == "healthy"
    assert seen_by_b.last_error == utc(failed_at)
    assert seen_by_b.last_error_text == seen_by_a.detail


def test_embedded_and_unconfigured_services(tmp_path):
    cache = fresh_cache()
    services = DashboardServices(cache, EmbeddedStore.open(tmp_path))
    found = {s.service: s for s in service_statuses(services).value}
    for name in ("achievement-collector", "orchestrator"):
        assert not found[name].configured
        assert (found[name].source, found[name].status) == ("embedded", "healthy")
        assert found[name].last_success is not None
    techdoc = found["tech-doc-generator"]
    assert (techdoc.configured, techdoc.status) == (False, "not configured")
    assert techdoc.last_success is None and techdoc.last_error is None
    assert techdoc.env_var == "TECH_DOC_API_URL"


# The cache ---------------------------------------------------------------------------------------


def test_hit_ratio_counts_reads_served_from_the_cache():
    cache = fresh_cache()
    assert hit_ratio(cache.stats.as_dict()) is None
    reads = 4
    for _ in range(reads):
        cache.get("k", lambda: 1)  # the first read fetches, the others are hits
    assert hit_ratio(cache.stats.as_dict()) == (reads - 1) / reads


def test_in_process_cache_status_lists_what_it_holds(tmp_path):
    cache = fresh_cache()
    services = DashboardServices(cache, EmbeddedStore.open(tmp_path))
    services.achievements()
    services.content_stats()
    services.content_stats()
    status = cache_status(cache)
    assert (status.backend, status.reachable, status.error) == ("in-process", True, None)
    assert [d.key for d in status.data_sets] == ["achievements:all", "content:stats"]
    assert all(d.fetched_at == utc(cache.clock()) and d.error is None for d in status.data_sets)
    assert status.keys == 2 * len(status.data_sets)  # each data set: its value and its meta entry
    assert status.hit_ratio == 1 / 3
    assert status.ttl_seconds == cache.ttl


def test_in_process_key_count_leaves_out_expired_entries():
    backend = SimpleCache()
    backend.set("kept", 1, timeout=0)
    backend.set("gone", 1, timeout=1)
    backend._cache["gone"] = (1, backend._cache["gone"][1])  # expired long ago
    status = cache_status(fresh_cache(backend=backend))
    assert status.keys == 1


# The whole view ----------------------------------------------------------------------------------


def test_system_view_puts_everything_together(tmp_path):
    import time

    cache = fresh_cache()
    services = DashboardServices(cache, EmbeddedStore.open(tmp_path))
    up_for = 3_725.0
    view = system_view(
        services, version="9.9.9", started_at=time.time() - up_for, refresh_seconds=7, default_refresh_seconds=30
    )
    assert view.metrics_source == "embedded"
    assert view.metrics.value == services.store.metrics_summary()
    assert [s.service for s in view.services.value] == ["achievement-collector", "orchestrator", "tech-doc-generator"]
    assert view.cache.backend == "in-process"
    info = view.dashboard
    assert (info.version, info.refresh_seconds, info.default_refresh_seconds) == ("9.9.9", 7, 30)
    assert up_for <= info.uptime_seconds < up_for + 5
    assert info.health_max_age_seconds == health_max_age(cache)
    assert KEY_HEALTH in [d.key for d in view.cache.data_sets]
