"""The System page's pure parts: what each tile shows for a given view, and the formatting."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dashboard.domain.models import Fresh, ServicesHealthSummary, SystemMetrics
from dashboard.services.system import (
    SYSTEM_REFRESH_SECONDS,
    CachedDataSet,
    CacheStatus,
    DashboardInfo,
    ServiceStatus,
    SystemView,
)
from dashboard.settings import REFRESH_FLOOR_SECONDS
from dashboard.ui.pages.system import ids
from dashboard.ui.pages.system import view as builders
from dashboard.ui.pages.system.ai_words import ai_words
from tests.components import load_page, text_of, walk

NOW = datetime(2026, 11, 25, 12, 0, 0)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return load_page("system", tmp_path_factory.mktemp("data"))


def metrics(**overrides) -> SystemMetrics:
    values = dict(
        queue_size=17,
        active_tasks=4,
        success_rate=0.925,
        completed_today=61,
        avg_processing_time_s=3.25,
        api_latency_ms=88.0,
        services_health=ServicesHealthSummary(healthy=1, total=2, details={"celery": "healthy", "viral": "degraded"}),
        ai_metrics={"cost_today_usd": 1.5, "model_usage": {"gpt-4o": {"requests": 12, "tokens": 3400}}},
    )
    values.update(overrides)
    return SystemMetrics(**values)


def view(
    statuses=None,
    metrics_fresh=None,
    cache=None,
    health_fresh=None,
) -> SystemView:
    statuses = (
        statuses
        if statuses is not None
        else [
            ServiceStatus(
                service="achievement-collector",
                configured=True,
                source="http",
                status="healthy",
                url="http://ac:8000",
                latency_ms=12.4,
                version="1.0.0",
                last_success=NOW - timedelta(seconds=3),
            ),
            ServiceStatus(
                service="orchestrator",
                configured=True,
                source="http",
                status="down",
                url="http://orch:8080",
                latency_ms=0.8,
                detail="unreachable (ConnectError on GET /health) <b>not markup</b>",
                last_success=NOW - timedelta(minutes=5),
                last_error=NOW - timedelta(seconds=1),
                last_error_text="unreachable (ConnectError on GET /health)",
            ),
            ServiceStatus(
                service="tech-doc-generator", configured=False, source="not configured", status="not configured"
            ),
        ]
    )
    return SystemView(
        services=health_fresh or Fresh(value=statuses, fetched_at=NOW - timedelta(seconds=1)),
        metrics=metrics_fresh or Fresh(value=metrics(), fetched_at=NOW - timedelta(seconds=4)),
        metrics_source="orchestrator",
        cache=cache
        or CacheStatus(
            backend="redis",
            reachable=True,
            ping_ms=0.42,
            stats={"hits": 9, "stale_served": 1, "fetches": 10},
            keys=6,
            data_sets=(CachedDataSet("content:stats", NOW - timedelta(seconds=2)),),
            ttl_seconds=10,
        ),
        dashboard=DashboardInfo(
            version="1.2.3",
            started_at=NOW - timedelta(hours=3, minutes=5),
            uptime_seconds=3 * 3600 + 5 * 60,
            refresh_seconds=5,
            default_refresh_seconds=30,
            cache_ttl_seconds=10,
            health_max_age_seconds=2,
        ),
    )


def test_each_service_tile_takes_the_colour_of_its_status(page):
    parts = builders.build_system(view(), now=NOW)
    assert "system-tile--healthy" in parts["classes"]["system-achievements"]
    assert "system-tile--failing" in parts["classes"]["system-orchestrator"]
    assert "system-tile--off" in parts["classes"]["system-techdoc"]
    assert parts["status"]["system-achievements"] == ("Healthy", "badge text-bg-success")
    assert parts["status"]["system-orchestrator"] == ("Down", "badge text-bg-danger")
    assert parts["status"]["system-techdoc"] == ("Not configured", "badge text-bg-secondary")
    # The check itself succeeded: the freshness line says how old it is, not "failed".
    assert parts["freshness"]["system-orchestrator"]["state"] == "ok"


def test_service_tile_shows_source_latency_version_and_history(page):
    parts = builders.build_system(view(), now=NOW)
    healthy = text_of(parts["bodies"]["system-achievements"])
    assert "http://ac:8000" in healthy and "answered in 12 ms" in healthy and "1.0.0" in healthy
    assert "11:59:57 UTC · 3 s ago" in healthy and "none recorded" in healthy
    down = text_of(parts["bodies"]["system-orchestrator"])
    assert "11:55:00 UTC · 5 min ago" in down and "11:59:59 UTC · 1 s ago" in down
    techdoc = text_of(parts["bodies"]["system-techdoc"])
    assert "TECH_DOC_API_URL not set" in techdoc and "Last success" not in techdoc


def test_backend_text_is_rendered_as_text(page):
    parts = builders.build_system(view(), now=NOW)
    body = parts["bodies"]["system-orchestrator"]
    assert "<b>not markup</b>" in text_of(body)
    names = {type(c).__name__ for c in walk(body)}
    assert "Markdown" not in names
    assert not any(getattr(c, "dangerously_allow_html", False) for c in walk(body))


def test_a_recovered_service_keeps_its_last_error_visible(page):
    recovered = ServiceStatus(
        service="orchestrator",
        configured=True,
        source="http",
        status="healthy",
        url="http://orch:8080",
        latency_ms=5,
        last_success=NOW,
        last_error=NOW - timedelta(minutes=2),
        last_error_text="answered 500 to GET /health",
    )
    parts = builders.build_system(view(statuses=[recovered]), now=NOW)
    assert "system-tile--healthy" in parts["classes"]["system-orchestrator"]
    assert "Last error: answered 500 to GET /health" in text_of(parts["bodies"]["system-orchestrator"])


def test_embedded_store_is_labelled_as_such(page):
    embedded = ServiceStatus(
        service="achievement-collector", configured=False, source="embedded", status="healthy", last_success=NOW
    )
    parts = builders.build_system(view(statuses=[embedded]), now=NOW)
    assert parts["status"]["system-achievements"][0] == "Embedded store"
    assert "ACHIEVEMENT_API_URL not set" in text_of(parts["bodies"]["system-achievements"])


def test_no_health_check_at_all_turns_every_service_tile_red(page):
    failed = Fresh(error="timed out waiting for another worker to load system:health", stale=True)
    parts = builders.build_system(view(health_fresh=failed), now=NOW)
    for tile in ids.SERVICE_TILES.values():
        assert "tile--failed" in parts["classes"][tile] and "system-tile--failing" in parts["classes"][tile]
        assert "timed out waiting" in text_of(parts["bodies"][tile])
        assert parts["freshness"][tile]["state"] == "failed"


def test_metrics_tile_shows_the_summary(page):
    m = metrics()
    body = builders.build_system(view(), now=NOW)["bodies"]["system-metrics"]
    values = {c.id: text_of(c) for c in walk(body) if isinstance(getattr(c, "id", None), str)}
    assert values["system-metrics-queue"] == str(m.queue_size)
    assert values["system-metrics-active"] == str(m.active_tasks)
    assert values["system-metrics-success"] == f"{m.success_rate * 100:.1f} %"
    text = text_of(body)
    assert f"{m.services_health.healthy} / {m.services_health.total} healthy" in text
    assert "viral: degraded" in text and "orchestrator's /metrics/summary" in text


def test_metrics_that_never_loaded_say_why(page):
    failed = Fresh(error="orchestrator: unreachable (ConnectError on GET /metrics/summary)")
    parts = builders.build_system(view(metrics_fresh=failed), now=NOW)
    assert "tile--failed" in parts["classes"]["system-metrics"]
    assert "No metrics: orchestrator: unreachable" in text_of(parts["bodies"]["system-metrics"])


def test_stale_metrics_keep_their_numbers_marked_stale(page):
    stale = Fresh(value=metrics(), fetched_at=NOW - timedelta(minutes=1), stale=True, error="orchestrator: timed out")
    parts = builders.build_system(view(metrics_fresh=stale), now=NOW)
    assert "tile--stale" in parts["classes"]["system-metrics"]
    assert parts["freshness"]["system-metrics"]["error"] == "orchestrator: timed out"


def test_cache_tile(page):
    v = view()
    parts = builders.build_system(v, now=NOW)
    text = text_of(parts["bodies"]["system-cache"])
    assert "Redis" in text and "ping 0.4 ms" in text
    assert f"{v.cache.hit_ratio:.0%}" in text
    assert f"{v.cache.keys} ({len(v.cache.data_sets)} data sets)" in text
    assert "content:stats" in text and "fetched 2 s ago" in text
    assert "system-tile--healthy" in parts["classes"]["system-cache"]

    down = CacheStatus(backend="redis", reachable=False, error="ConnectionError: Error 111 connecting")
    parts = builders.build_system(view(cache=down), now=NOW)
    assert "system-tile--failing" in parts["classes"]["system-cache"]
    assert "Error 111" in text_of(parts["bodies"]["system-cache"])

    local = CacheStatus(backend="in-process", reachable=True, stats={}, keys=0)
    assert "In-process" in text_of(builders.build_system(view(cache=local), now=NOW)["bodies"]["system-cache"])


def test_dashboard_tile(page):
    v = view()
    text = text_of(builders.build_system(v, now=NOW)["bodies"]["system-dashboard"])
    assert v.dashboard.version in text and "3 h 05 min" in text
    assert f"refreshes every {v.dashboard.refresh_seconds} s" in text
    assert f"refresh every {v.dashboard.default_refresh_seconds} s" in text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (59.4, "59 s"),
        (60, "1 min"),
        (3599, "59 min"),
        (3600, "1 h 00 min"),
        (3 * 3600 + 5 * 60, "3 h 05 min"),
        (50 * 3600, "2 d 2 h"),
        (-5, "0 s"),
    ],
)
def test_format_duration(page, seconds, text):
    assert builders.format_duration(seconds) == text


@pytest.mark.parametrize(("rate", "text"), [(0.973, "97.3 %"), (97.3, "97.3 %"), (1, "100.0 %"), (None, "—")])
def test_format_rate(page, rate, text):
    assert builders.format_rate(rate) == text


def test_ai_metrics_are_shown_in_words_with_units(page):
    words = ai_words(
        {
            "avg_latency_ms": 1049.4,
            "total_cost_24h": 1.16,
            "confidence_trend": "stable",
            "model_usage": {"gpt-4o": {"requests": 167, "tokens": 187040, "cost_usd": 0.94}},
        }
    )
    assert [(m.label, m.value) for m in words.metrics] == [
        ("Average latency", "1,049 ms"),
        ("Cost (24 h)", "$1.16"),
        ("Confidence trend", "Stable"),
    ]
    (usage,) = words.tables
    assert (usage.title, usage.columns) == ("Model usage", ("Model", "Requests", "Tokens", "Cost"))
    assert usage.rows == (("gpt-4o", "167", "187,040", "$0.94"),)
    assert ai_words({}).metrics == () and ai_words({}).tables == ()


def test_layout_takes_its_interval_from_the_url(page):
    def interval(component):
        return next(c for c in walk(component) if getattr(c, "id", None) == "system-interval").interval

    def cadence(component):
        return text_of(next(c for c in walk(component) if getattr(c, "id", None) == "system-cadence"))

    default_ms = SYSTEM_REFRESH_SECONDS * 1000
    assert interval(page.layout()) == default_ms
    slower = SYSTEM_REFRESH_SECONDS + 7
    assert interval(page.layout(refresh=str(slower))) == slower * 1000
    clamped = page.layout(refresh=str(REFRESH_FLOOR_SECONDS - 4))
    assert interval(clamped) == REFRESH_FLOOR_SECONDS * 1000
    assert f"below the {REFRESH_FLOOR_SECONDS} s floor" in cadence(clamped)
    ignored = page.layout(refresh="soon")
    assert interval(ignored) == default_ms and "refresh=soon ignored" in cadence(ignored)
