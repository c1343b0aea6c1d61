"""The real HTTP clients against the fake backends, over real HTTP on loopback.

Everything the dashboard reads goes through these clients: paging, parsing of the recorded
shapes, and turning every failure (refused, 500, slow, malformed, wrong shape) into a
BackendError whose message a person can act on.
"""

from __future__ import annotations

import time
from datetime import datetime

import httpx
import pytest

from dashboard.domain.models import ContentStats, PlatformPerformance, SystemMetrics
from dashboard.infra.http import deadline
from dashboard.sources.clients import (
    AchievementClient,
    BackendError,
    NotAvailable,
    OrchestratorClient,
    TechDocClient,
    make_http_client,
)
from tests.fakes import FakeBackends, load_recording

NOW = datetime(2026, 11, 25, 12, 0, 0)
TIMEOUT = 2.0
CONNECT_TIMEOUT = 0.5
SHORT_TIMEOUT = 0.3
"""The client timeout of the "slow" tests; the fake sleeps SLOW_DELAY, well past it."""
SLOW_DELAY = 1.5


@pytest.fixture
def fake():
    with FakeBackends(now=NOW) as backends:
        yield backends
    assert backends.errors == [], "the fake itself crashed:\n" + "\n".join(backends.errors)


def make_client(cls, url: str, timeout: float = TIMEOUT):
    return cls(make_http_client(url, timeout=timeout, connect_timeout=CONNECT_TIMEOUT))


@pytest.fixture
def achievements(fake):
    client = make_client(AchievementClient, fake.achievement_url)
    yield client
    client.close()


@pytest.fixture
def orchestrator(fake):
    client = make_client(OrchestratorClient, fake.orchestrator_url)
    yield client
    client.close()


@pytest.fixture
def techdoc(fake):
    client = make_client(TechDocClient, fake.tech_doc_url)
    yield client
    client.close()


# achievement-collector ----------------------------------------------------------------------


def test_list_all_pages_through_more_than_one_hundred(fake, achievements):
    fake.add_achievements(238)
    result = achievements.list_all()
    assert len(result) == 250
    assert {a.id for a in result} == {a["id"] for a in fake.achievements}
    assert fake.calls["GET /achievements/"] == 3
    queries = [call.query for call in fake.requests_to("GET /achievements/")]
    assert [q["page"] for q in queries] == ["1", "2", "3"]
    assert {q["per_page"] for q in queries} == {"100"}
    assert [a.completed_at for a in result] == sorted((a.completed_at for a in result), reverse=True)


def test_list_all_stops_after_the_last_full_page(fake, achievements):
    fake.add_achievements(88)  # exactly 100: one page, and no request for an empty second one
    assert len(achievements.list_all()) == 100
    assert fake.calls["GET /achievements/"] == 1


def test_list_all_of_an_empty_service(fake, achievements):
    fake.achievements.clear()
    assert achievements.list_all() == []
    assert fake.calls["GET /achievements/"] == 1


def test_list_all_parses_the_seed(fake, achievements):
    result = achievements.list_all()
    assert [a.id for a in result] == [9, 8, 6, 11, 7, 10, 1, 12, 4, 3, 2, 5]
    first = result[0]
    assert first.completed_at == datetime(2026, 11, 16, 5, 59, 59, 556110)
    assert first.completed_at.tzinfo is None
    assert "enhanced_calculations" in first.metrics_after


@pytest.mark.parametrize(
    "achievement_id, raw_start, amount",
    [
        (1, '{"total_value": 162500', 162500.0),  # JSON text with currency, confidence...
        (9, '{"total_value": 5000', 5000.0),
        (7, '{"total_value": 75000', 75000.0),
        (8, "$18,500 annual value", 18500.0),  # "$... annual value"
        (2, "$5,000 annual value", 5000.0),
        (3, "75000", 75000.0),  # a bare number
        (6, None, None),  # null
    ],
)
def test_business_value_is_parsed_in_every_form(achievements, achievement_id, raw_start, amount):
    achievement = achievements.get(achievement_id)
    if raw_start is None:
        assert achievement.business_value is None
    else:
        assert achievement.business_value.startswith(raw_start)
    assert achievement.value_amount == amount


def test_business_value_of_a_created_achievement(fake, achievements):
    created = httpx.post(
        fake.achievement_url + "/achievements/",
        json={
            "title": "Created",
            "description": "d",
            "category": "testing",
            "started_at": "2026-10-01T09:00:00",
            "completed_at": "2026-10-02T17:30:00",
            "source_type": "manual",
            "business_value": "$1,200 annual value",
        },
    ).json()
    assert achievements.get(created["id"]).value_amount == 1200.0


def test_money_totals_come_from_the_items_not_the_stats(achievements):
    """The service's total_value_generated is wrong (CONTRACT.md); the items give the real one."""
    items_total = sum(a.value_amount or 0 for a in achievements.list_all())
    stats = achievements.stats_summary()
    assert items_total == 489_500.0
    recorded = load_recording("stats_summary.json")
    assert stats["total_value_generated"] == pytest.approx(recorded["total_value_generated"])
    assert stats["total_value_generated"] != pytest.approx(items_total)


def test_get_unknown_id_raises_404(achievements):
    with pytest.raises(BackendError) as caught:
        achievements.get(999)
    error = caught.value
    assert error.status == 404
    assert not isinstance(error, NotAvailable)  # the endpoint exists; the item does not
    assert str(error) == "achievement-collector: answered 404 to GET /achievements/999: Achievement not found"


# Faults, for every read the dashboard makes -------------------------------------------------

READS = {
    "achievements.list_all": ("achievement-collector", AchievementClient, "list_all", "GET /achievements/"),
    "orchestrator.list_posts": ("orchestrator", OrchestratorClient, "list_posts", "GET /content/posts"),
    "orchestrator.content_stats": ("orchestrator", OrchestratorClient, "content_stats", "GET /content/stats"),
    "orchestrator.metrics_summary": ("orchestrator", OrchestratorClient, "metrics_summary", "GET /metrics/summary"),
    "techdoc.performance": ("tech-doc-generator", TechDocClient, "performance", "GET /api/analytics/performance"),
}
FAULT_MESSAGES = {
    "down": "unreachable (ConnectError on {request})",
    "500": "answered 500 to {request}: Internal Server Error",
    "slow": "timed out ({request})",
    "malformed": "sent malformed JSON for {request}",
    "wrong_shape": "sent an unexpected shape for",
}


@pytest.mark.parametrize("fault", list(FAULT_MESSAGES))
@pytest.mark.parametrize("read", list(READS))
def test_every_fault_is_a_readable_backend_error(fake, read, fault):
    service, cls, method, request = READS[read]
    fake.techdoc_performance_mounted = True
    client = make_client(cls, fake.url(service), timeout=SHORT_TIMEOUT)
    fake.set_fault(service, fault, delay=SLOW_DELAY if fault == "slow" else 0)
    started = time.perf_counter()
    with pytest.raises(BackendError) as caught:
        getattr(client, method)()
    elapsed = time.perf_counter() - started
    client.close()
    message = str(caught.value)
    assert message.startswith(f"{service}: ")
    assert FAULT_MESSAGES[fault].format(request=request) in message
    assert caught.value.status == (500 if fault == "500" else None)
    assert elapsed < SLOW_DELAY  # a slow service costs the client timeout, not the service's delay


def test_wrong_shape_names_what_was_wrong(fake, orchestrator):
    fake.set_fault("orchestrator", "wrong_shape")
    with pytest.raises(BackendError) as caught:
        orchestrator.list_posts()
    assert str(caught.value) == (
        "orchestrator: sent an unexpected shape for the posts list (body: Input should be a valid list)"
    )


def test_a_client_recovers_when_its_service_comes_back(fake, achievements):
    assert len(achievements.list_all()) == 12  # opens a keep-alive connection
    fake.set_fault("achievement-collector", "down")
    with pytest.raises(BackendError, match="unreachable"):
        achievements.list_all()
    fake.set_fault("achievement-collector", None)
    assert len(achievements.list_all()) == 12


def test_a_fault_in_one_service_leaves_the_others_alone(fake, achievements, orchestrator):
    fake.set_fault("orchestrator", "down")
    assert len(achievements.list_all()) == 12
    with pytest.raises(BackendError, match="^orchestrator: unreachable"):
        orchestrator.list_posts()


# orchestrator ----------------------------------------------------------------------------------


def test_list_posts_parses_the_bare_list(fake, orchestrator):
    posts = orchestrator.list_posts()
    assert [p.id for p in posts] == list(range(45, 0, -1))
    assert posts[0].created_at == datetime(2026, 11, 25, 11, 30)
    assert all(p.status in ("draft", "ready", "scheduled", "published", "failed") for p in posts)
    assert fake.calls["GET /content/posts"] == 1


def test_list_posts_pages_by_offset(fake, orchestrator):
    fake.add_posts(160)
    posts = orchestrator.list_posts()
    assert len(posts) == 205 and len({p.id for p in posts}) == 205
    queries = [c.query for c in fake.requests_to("GET /content/posts")]
    assert queries == [{"limit": "100", "offset": str(offset)} for offset in (0, 100, 200)]


def test_content_stats_parse(fake, orchestrator):
    stats = orchestrator.content_stats()
    statuses = [p["status"] for p in fake.posts]
    assert isinstance(stats, ContentStats)
    assert stats.total_posts == 45
    counts = (stats.draft_count, stats.ready_count, stats.scheduled_count, stats.published_count)
    assert counts == tuple(statuses.count(s) for s in ("draft", "ready", "scheduled", "published"))
    assert stats.posts_today == 2  # NOW - 30 min and NOW - 7 h 30 min; the next is yesterday
    assert stats.active_personas == 3
    assert stats.avg_quality_score == pytest.approx(0.74)


def test_metrics_summary_parse(fake, orchestrator):
    task = {"persona_id": "ai-jesus", "task_type": "create_content"}
    assert httpx.post(fake.orchestrator_url + "/task", json=task).status_code == 200
    metrics = orchestrator.metrics_summary()
    assert isinstance(metrics, SystemMetrics)
    assert (metrics.services_health.healthy, metrics.services_health.total) == (4, 5)
    assert metrics.services_health.details["viral_engine"] == "degraded"
    assert metrics.queue_size == 4  # 3 + the task just queued
    assert metrics.success_rate == 0.973


# tech-doc-generator ---------------------------------------------------------------------------


def test_performance_not_mounted_is_not_available(techdoc):
    """FastAPI's own 404 for an unmounted route is JSON {"detail": "Not Found"}, not plain text."""
    with pytest.raises(NotAvailable) as caught:
        techdoc.performance()
    assert caught.value.status == 404
    assert str(caught.value) == "tech-doc-generator: /api/analytics/performance is not offered"


def test_performance_when_mounted(fake, techdoc):
    fake.techdoc_performance_mounted = True
    performance = techdoc.performance()
    assert isinstance(performance, PlatformPerformance)
    assert performance.total_generated == 6
    assert performance.platform_breakdown["dev.to"] == {"count": 2, "avg_engagement": 7.15}
    assert performance.recommendation == "Publish more on dev.to"


# health ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "service, cls, body",
    [
        ("achievement-collector", AchievementClient, "health.json"),
        ("orchestrator", OrchestratorClient, {"status": "ok"}),
        ("tech-doc-generator", TechDocClient, {"status": "healthy", "service": "tech_doc_generator"}),
    ],
)
def test_health_of_each_service(fake, service, cls, body):
    client = make_client(cls, fake.url(service))
    ok, latency, answer = client.health()
    client.close()
    assert ok is True
    assert answer == (load_recording(body) if isinstance(body, str) else body)
    assert 0 < latency < 1000


def test_health_latency_is_measured(fake, achievements):
    fake.set_fault("achievement-collector", "slow", delay=0.15)
    ok, latency, _ = achievements.health()
    assert ok is True
    assert latency >= 150


@pytest.mark.parametrize(
    "fault, expected",
    [
        ("down", "achievement-collector: unreachable (ConnectError on GET /health)"),
        ("500", "achievement-collector: answered 500 to GET /health: Internal Server Error"),
        ("malformed", "achievement-collector: sent malformed JSON for GET /health"),
    ],
)
def test_health_of_a_failing_service(fake, achievements, fault, expected):
    fake.set_fault("achievement-collector", fault)
    ok, latency, answer = achievements.health()
    assert (ok, answer) == (False, expected)
    assert latency >= 0


def test_health_of_a_wrong_body_is_not_ok(fake, orchestrator):
    fake.set_fault("orchestrator", "wrong_shape", body={"status": "starting"})
    ok, _, answer = orchestrator.health()
    assert (ok, answer) == (False, {"status": "starting"})


# Limits: a whole-call deadline and a byte limit, whatever the service does --------------------

TRICKLE_EVERY = 0.25
"""The fake sends one byte this often: well within the per-read timeout, so only the deadline ends it."""
CALL_SECONDS = 1.0


@pytest.mark.parametrize("read", list(READS))
def test_a_service_trickling_its_answer_is_cut_off_at_the_call_deadline(fake, read):
    """One byte every 2 s held request threads for ever: httpx's timeouts are per read."""
    service, cls, method, request = READS[read]
    fake.techdoc_performance_mounted = True
    client = cls(
        make_http_client(fake.url(service), timeout=TIMEOUT, connect_timeout=CONNECT_TIMEOUT), call_seconds=CALL_SECONDS
    )
    fake.set_fault(service, "trickle", body=TRICKLE_EVERY)
    started = time.perf_counter()
    with pytest.raises(BackendError) as caught:
        getattr(client, method)()
    elapsed = time.perf_counter() - started
    client.close()
    assert f"did not finish answering in time: 1 s ({request}" in str(caught.value)
    # Trickled whole, the answer would take minutes; a busy machine may add a second, not minutes.
    assert CALL_SECONDS <= elapsed < CALL_SECONDS * 3


def test_a_paged_read_ends_within_its_own_deadline(fake):
    """Each page is quick, but a read of many pages must end in time as a whole."""
    client = AchievementClient(
        make_http_client(fake.achievement_url, timeout=TIMEOUT, connect_timeout=CONNECT_TIMEOUT), call_seconds=5
    )
    fake.set_fault("achievement-collector", "slow", delay=0.3, query={"page": 2})
    started = time.perf_counter()
    with pytest.raises(BackendError) as caught, deadline(0.2):
        client.list_all(per_page=10)
    client.close()
    assert time.perf_counter() - started < 0.6
    assert "did not finish answering in time" in str(caught.value) and "(page 2 of" in str(caught.value)


@pytest.mark.parametrize("read", list(READS))
def test_an_answer_over_the_byte_limit_is_refused(fake, read):
    service, cls, method, request = READS[read]
    fake.techdoc_performance_mounted = True
    client = cls(
        make_http_client(fake.url(service), timeout=TIMEOUT, connect_timeout=CONNECT_TIMEOUT),
        max_response_bytes=1024 * 1024,
    )
    fake.set_fault(service, "huge", body=3 * 1024 * 1024)
    with pytest.raises(BackendError) as caught:
        getattr(client, method)()
    client.close()
    assert f"answer too large: more than 1 MB sent ({request}" in str(caught.value)
    assert "the dashboard reads at most 1 MB per answer" in str(caught.value)


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
def test_a_huge_answer_costs_the_client_no_more_than_its_limit(announced):
    """A 50 MB answer took a worker to 815 MB. Served here by a bare socket that allocates
    nothing per byte, so that the traced peak is the client's own."""
    import socket
    import threading
    import tracemalloc

    size, limit = 32 * 1024 * 1024, 1024 * 1024
    listener = socket.create_server(("127.0.0.1", 0))
    chunk = b"x" * 65536

    def serve():
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            length = f"Content-Length: {size}\r\n" if announced else ""
            connection.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}\r\n".encode())
            try:
                for _ in range(size // len(chunk)):
                    connection.sendall(chunk)
            except OSError:
                pass  # the client hung up, as it should

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    url = "http://127.0.0.1:%d" % listener.getsockname()[1]
    client = OrchestratorClient(
        make_http_client(url, timeout=TIMEOUT, connect_timeout=CONNECT_TIMEOUT), max_response_bytes=limit
    )
    tracemalloc.start()
    try:
        with pytest.raises(BackendError) as caught:
            client.content_stats()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        client.close()
        server.join(timeout=5)
        listener.close()
    assert "answer too large" in str(caught.value)
    assert ("it announced 32 MB" if announced else "more than 1 MB sent") in str(caught.value)
    assert peak < 3 * limit
