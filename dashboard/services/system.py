"""What the System page shows: each service's health and its history, the orchestrator's
metrics summary, the cache, and the dashboard itself.

Health checks have their own cache entry, at most `HEALTH_MAX_AGE_SECONDS` old rather than the
data TTL: a service that goes down shows on the System page within one of its ticks, while
single-flight still lets any number of screens share one probe per service. When each service
last answered and last failed is kept in the shared cache backend (Redis when configured), so
every worker and replica shows the same history.
"""

from __future__ import annotations

import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Optional

import httpx

from dashboard.domain.models import Fresh, SystemMetrics
from dashboard.infra.cache import META_SUFFIX, FreshCache
from dashboard.services.facade import SERVICE_NAMES, DashboardServices
from dashboard.settings import REFRESH_FLOOR_SECONDS

log = logging.getLogger(__name__)

KEY_HEALTH = "system:health"
HISTORY_PREFIX = "system:history:"

SYSTEM_REFRESH_SECONDS = REFRESH_FLOOR_SECONDS
"""The System page polls as fast as any screen may: an outage must show quickly."""
MAX_REFRESH_SECONDS = 86_400
HEALTH_MAX_AGE_SECONDS = 2.0
"""Below the page's 5 s floor, so every tick sees a check made after the previous tick."""
PROBE_TIMEOUT_SECONDS = 2.0
"""A health check that takes longer than this counts as no answer, whatever the data timeout."""
KEY_COUNT_LIMIT = 10_000

ENV_VARS = {
    "achievement-collector": "ACHIEVEMENT_API_URL",
    "orchestrator": "ORCHESTRATOR_URL",
    "tech-doc-generator": "TECH_DOC_API_URL",
}
HEALTHY_WORDS = ("healthy", "ok")


@dataclass(frozen=True)
class ServiceStatus:
    """One service as the last health check found it, with its history."""

    service: str
    configured: bool
    """False when its URL is not set (the embedded store stands in, or nothing does)."""
    source: str
    """"http", "embedded" or "not configured"."""
    status: str
    """"healthy", "unhealthy" (answers, but not well), "down" (no answer) or "not configured"."""
    url: Optional[str] = None
    latency_ms: Optional[float] = None
    version: Optional[str] = None
    detail: Optional[str] = None
    last_success: Optional[datetime] = None
    last_error: Optional[datetime] = None
    last_error_text: Optional[str] = None

    @property
    def env_var(self) -> str:
        return ENV_VARS.get(self.service, "")


@dataclass(frozen=True)
class CachedDataSet:
    """One data set held by the cache: its key and its last fetch."""

    key: str
    fetched_at: Optional[datetime] = None
    error: Optional[str] = None


@dataclass(frozen=True)
class CacheStatus:
    """The cache in use, whether it answers, and how well it serves."""

    backend: str
    """"redis" or "in-process"."""
    reachable: bool
    ping_ms: Optional[float] = None
    error: Optional[str] = None
    stats: dict[str, int] = field(default_factory=dict)
    """Counters of this process since it started (FreshCache.stats)."""
    keys: Optional[int] = None
    """Entries of the dashboard's cache namespace (None when they cannot be counted)."""
    data_sets: tuple[CachedDataSet, ...] = ()
    ttl_seconds: float = 0.0

    @property
    def hit_ratio(self) -> Optional[float]:
        return hit_ratio(self.stats)


@dataclass(frozen=True)
class DashboardInfo:
    version: str
    started_at: datetime
    uptime_seconds: float
    refresh_seconds: int
    """This page's interval."""
    default_refresh_seconds: int
    """The other pages' interval (DASHBOARD_REFRESH_SECONDS)."""
    cache_ttl_seconds: float
    health_max_age_seconds: float


@dataclass(frozen=True)
class SystemView:
    services: Fresh[list[ServiceStatus]]
    metrics: Fresh[SystemMetrics]
    metrics_source: str
    """"orchestrator" or "embedded"."""
    cache: CacheStatus
    dashboard: DashboardInfo


# The URL --------------------------------------------------------------------------------------


def parse_refresh(raw: Optional[str], default: int = SYSTEM_REFRESH_SECONDS) -> tuple[int, Optional[str]]:
    """The page's interval from `?refresh=`, never below the floor, and what was wrong with it."""
    if raw is None or str(raw).strip() == "":
        return default, None
    text = str(raw).strip()
    try:
        asked = float(text)
    except ValueError:
        asked = math.nan
    if not math.isfinite(asked) or asked <= 0:
        return default, f"refresh={text[:20]} ignored: it must be a number of seconds"
    if asked < REFRESH_FLOOR_SECONDS:
        return REFRESH_FLOOR_SECONDS, f"refresh={text[:20]} is below the {REFRESH_FLOOR_SECONDS} s floor"
    if asked > MAX_REFRESH_SECONDS:
        return MAX_REFRESH_SECONDS, f"refresh={text[:20]} is above the {MAX_REFRESH_SECONDS} s ceiling"
    return int(round(asked)), None


# Services -------------------------------------------------------------------------------------


def health_max_age(cache: FreshCache) -> float:
    """How old a health check may be: never older than the data it vouches for."""
    return min(HEALTH_MAX_AGE_SECONDS, cache.ttl)


def service_statuses(services: DashboardServices) -> Fresh[list[ServiceStatus]]:
    """Every service's status, probed at most once per `health_max_age` across all screens."""
    cache = services.cache
    max_age = health_max_age(cache)
    health_cache = FreshCache(
        cache.backend,
        cache.locks,
        ttl=max_age,
        backoff=max_age,
        # The probes run in parallel; each may spend the probe timeout connecting, then reading.
        lock_seconds=PROBE_TIMEOUT_SECONDS * 2 + 1,
        retain_seconds=cache.retain_seconds,
        clock=cache.clock,
    )
    return health_cache.get(KEY_HEALTH, lambda: check_services(services))


def check_services(services: DashboardServices) -> list[ServiceStatus]:
    """Probe every service now (in parallel) and record the outcome in the shared history."""
    clients = {
        "achievement-collector": services.achievement_client,
        "orchestrator": services.orchestrator_client,
        "tech-doc-generator": services.techdoc_client,
    }

    def check(name: str) -> ServiceStatus:
        client = clients[name]
        if client is not None:
            return probe(name, client.http)
        if services.store is not None and name != "tech-doc-generator":
            found = services.store.health(name)
            return ServiceStatus(
                service=name, configured=False, source="embedded", status=found.status, detail=found.detail
            )
        return ServiceStatus(service=name, configured=False, source="not configured", status="not configured")

    # One dead service must not add its timeout to the others'.
    with ThreadPoolExecutor(max_workers=len(SERVICE_NAMES)) as pool:
        found = list(pool.map(check, SERVICE_NAMES))
    now = services.cache.clock()
    return [record_history(services.cache, status, now) for status in found]


def probe(name: str, http: httpx.Client) -> ServiceStatus:
    """GET /health with a short timeout: healthy, unhealthy (answers badly) or down (no answer)."""
    configured = http.timeout
    timeout = httpx.Timeout(
        _shorter(configured.read, PROBE_TIMEOUT_SECONDS),
        connect=_shorter(configured.connect, PROBE_TIMEOUT_SECONDS),
    )
    status = ServiceStatus(service=name, configured=True, source="http", status="down", url=display_url(http.base_url))
    started = time.perf_counter()

    def took() -> float:
        return round((time.perf_counter() - started) * 1000, 1)

    try:
        response = http.get("/health", timeout=timeout)
    except httpx.TimeoutException:
        return replace(status, latency_ms=took(), detail=f"no answer to GET /health within {timeout.read:g} s")
    except httpx.TransportError as exc:
        return replace(status, latency_ms=took(), detail=f"unreachable ({type(exc).__name__} on GET /health)")
    except httpx.HTTPError as exc:
        return replace(
            status, status="unhealthy", latency_ms=took(), detail=f"GET /health failed ({type(exc).__name__})"
        )
    latency = took()
    answered = replace(status, status="unhealthy", latency_ms=latency)
    if response.status_code >= 400:
        return replace(answered, detail=f"answered {response.status_code} to GET /health: {response.text[:200]}")
    try:
        body: Any = response.json()
    except ValueError:
        return replace(answered, detail="answered GET /health with a body that is not JSON")
    if not isinstance(body, dict):
        return replace(answered, detail=f"answered GET /health with {type(body).__name__}, not an object")
    version = body.get("version")
    answered = replace(answered, version=str(version)[:40] if version is not None else None)
    reported = body.get("status")
    if reported not in HEALTHY_WORDS:
        return replace(answered, detail=f"reports status {str(reported)[:80]!r}")
    return replace(answered, status="healthy")


def record_history(cache: FreshCache, status: ServiceStatus, now: float) -> ServiceStatus:
    """Note this check as the service's last success or last error, in the shared backend,
    and return the status with the history every worker now sees."""
    if status.source == "not configured":
        return status
    # Per source: an embedded store's history says nothing about the service once configured.
    key = f"{HISTORY_PREFIX}{status.service}:{status.source}"
    history: dict = {}
    try:
        stored = cache.backend.get(key)
        if isinstance(stored, dict):
            history = dict(stored)
    except Exception as exc:  # noqa: BLE001 - a cache outage must not hide the check itself
        log.warning("reading the health history of %s failed: %s", status.service, exc)
    if status.status == "healthy":
        history["last_success"] = now
    else:
        history["last_error"] = now
        history["last_error_text"] = status.detail or status.status
    try:
        cache.backend.set(key, history, timeout=cache.retain_seconds)
    except Exception as exc:  # noqa: BLE001
        log.warning("writing the health history of %s failed: %s", status.service, exc)
    return replace(
        status,
        last_success=_utc(history.get("last_success")),
        last_error=_utc(history.get("last_error")),
        last_error_text=history.get("last_error_text"),
    )


def display_url(url: httpx.URL) -> str:
    """A base URL without user or password, for the screen."""
    path = url.path.rstrip("/")
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}{path}"


# The cache ------------------------------------------------------------------------------------


def hit_ratio(stats: dict[str, int]) -> Optional[float]:
    """Share of reads answered from the cache (fresh, or last good while another refreshes)."""
    served = stats.get("hits", 0) + stats.get("stale_served", 0)
    total = served + stats.get("fetches", 0)
    return None if total == 0 else served / total


def cache_status(cache: FreshCache) -> CacheStatus:
    """Which cache backend is in use, whether it answers, and what it holds."""
    backend = cache.backend
    stats = cache.stats.as_dict()
    client = redis_client(backend)
    if client is None:
        keys = _local_keys(backend)
        return CacheStatus(
            backend="in-process",
            reachable=True,
            stats=stats,
            ttl_seconds=cache.ttl,
            keys=None if keys is None else len(keys),
            data_sets=_data_sets(backend, keys or []),
        )
    started = time.perf_counter()
    try:
        # The client's own socket timeouts bound this (1 s as the app builds it): a hung Redis
        # costs the page one second, not a tick.
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return CacheStatus(
            backend="redis",
            reachable=False,
            stats=stats,
            ttl_seconds=cache.ttl,
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
    ping_ms = round((time.perf_counter() - started) * 1000, 2)
    try:
        keys = _redis_keys(client, _prefix(backend))
    except Exception as exc:  # noqa: BLE001
        return CacheStatus(
            backend="redis",
            reachable=True,
            ping_ms=ping_ms,
            stats=stats,
            ttl_seconds=cache.ttl,
            error=f"could not list keys: {type(exc).__name__}: {exc}"[:300],
        )
    return CacheStatus(
        backend="redis",
        reachable=True,
        ping_ms=ping_ms,
        stats=stats,
        ttl_seconds=cache.ttl,
        keys=len(keys),
        data_sets=_data_sets(backend, keys),
    )


def redis_client(backend: Any):
    """The redis client behind a cachelib RedisCache; None for an in-process backend."""
    client = getattr(backend, "_read_client", None)
    return client if client is not None and hasattr(client, "ping") else None


def _prefix(backend: Any) -> str:
    getter = getattr(backend, "_get_prefix", None)
    return str(getter()) if callable(getter) else str(getattr(backend, "key_prefix", "") or "")


def _redis_keys(client, prefix: str) -> list[str]:
    pattern = "".join("\\" + ch if ch in "*?[]\\" else ch for ch in prefix) + "*"
    keys = []
    for raw in client.scan_iter(match=pattern, count=500):
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        keys.append(text[len(prefix) :])
        if len(keys) >= KEY_COUNT_LIMIT:
            break
    return keys


def _local_keys(backend: Any) -> Optional[list[str]]:
    entries = getattr(backend, "_cache", None)
    if not isinstance(entries, dict):
        return None
    with getattr(backend, "_lock", None) or nullcontext():
        items = list(entries.items())
    now = time.time()  # the system clock, as cachelib's own expiry times
    # cachelib's SimpleCache keeps (expires, value); 0 never expires.
    return [key for key, entry in items if not (isinstance(entry, tuple) and 0 < entry[0] <= now)]


def _data_sets(backend: Any, keys: list[str]) -> tuple[CachedDataSet, ...]:
    names = sorted(key[: -len(META_SUFFIX)] for key in keys if key.endswith(META_SUFFIX))
    found = []
    for name in names[:50]:
        try:
            meta = backend.get(name + META_SUFFIX)
        except Exception:  # noqa: BLE001 - listing is best effort
            meta = None
        found.append(
            CachedDataSet(
                key=name,
                fetched_at=_utc(getattr(meta, "fetched_at", None)),
                error=getattr(meta, "error", None),
            )
        )
    return tuple(found)


# The whole page -------------------------------------------------------------------------------


def dashboard_info(
    *,
    version: str,
    started_at: float,
    refresh_seconds: int,
    default_refresh_seconds: int,
    cache: FreshCache,
    now: float,
) -> DashboardInfo:
    return DashboardInfo(
        version=version,
        started_at=_utc(started_at),
        uptime_seconds=max(0.0, now - started_at),
        refresh_seconds=refresh_seconds,
        default_refresh_seconds=default_refresh_seconds,
        cache_ttl_seconds=cache.ttl,
        health_max_age_seconds=health_max_age(cache),
    )


def system_view(
    services: DashboardServices,
    *,
    version: str,
    started_at: float,
    refresh_seconds: int,
    default_refresh_seconds: int,
) -> SystemView:
    """Everything the System page shows. Health and metrics are read side by side, so a slow
    orchestrator does not delay the health checks."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        health = pool.submit(service_statuses, services)
        metrics = pool.submit(services.system_metrics)
        health_result, metrics_result = health.result(), metrics.result()
    return SystemView(
        services=health_result,
        metrics=metrics_result,
        metrics_source="orchestrator" if services.orchestrator_client is not None else "embedded",
        cache=cache_status(services.cache),  # after the reads, so it shows what they cached
        dashboard=dashboard_info(
            version=version,
            started_at=started_at,
            refresh_seconds=refresh_seconds,
            default_refresh_seconds=default_refresh_seconds,
            cache=services.cache,
            now=services.clock.time(),
        ),
    )


def _shorter(configured: Optional[float], ceiling: float) -> float:
    return ceiling if configured is None else min(configured, ceiling)


def _utc(epoch: Optional[float]) -> Optional[datetime]:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)
