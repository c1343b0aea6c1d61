"""What the System page shows: each service's health and its history, the orchestrator's
metrics summary, the cache, and the dashboard itself.

Health checks have their own cache entry, at most `HEALTH_MAX_AGE_SECONDS` old rather than the
data TTL: a service that goes down shows on the System page within one of its ticks, while
single-flight still lets any number of screens share one probe per service. When each service
last answered and last failed is kept in the shared cache backend (Redis when configured), so
every worker and replica shows the same history.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Optional

from dashboard.domain.clock import maybe_utc_from_epoch, utc_from_epoch
from dashboard.domain.health import ServiceStatus as ServiceStatus  # the System page reads it here
from dashboard.domain.models import Fresh, SystemMetrics
from dashboard.infra.cache import META_SUFFIX, FreshCache
from dashboard.infra.health import DEFAULT_PROBE_TIMEOUT_SECONDS
from dashboard.infra.health import display_url as display_url
from dashboard.infra.health import probe as probe
from dashboard.services.facade import DashboardServices
from dashboard.settings import REFRESH_FLOOR_SECONDS, BackendSettings

log = logging.getLogger(__name__)

KEY_HEALTH = "system:health"
HISTORY_PREFIX = "system:history:"

SYSTEM_REFRESH_SECONDS = REFRESH_FLOOR_SECONDS
"""The System page polls as fast as any screen may: an outage must show quickly."""
MAX_REFRESH_SECONDS = 86_400
HEALTH_MAX_AGE_SECONDS = BackendSettings.health_max_age_seconds
"""The default of DASHBOARD_HEALTH_MAX_AGE_SECONDS: below the page's 5 s floor, so every tick sees
a check made after the previous tick."""
PROBE_TIMEOUT_SECONDS = DEFAULT_PROBE_TIMEOUT_SECONDS
"""The default of DASHBOARD_PROBE_TIMEOUT_SECONDS."""


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


def health_max_age(cache: FreshCache, max_age_seconds: float = HEALTH_MAX_AGE_SECONDS) -> float:
    """How old a health check may be: never older than the data it vouches for."""
    return min(max_age_seconds, cache.ttl)


def service_statuses(services: DashboardServices) -> Fresh[list[ServiceStatus]]:
    """Every service's status, probed at most once per `health_max_age` across all screens."""
    return services.health_cache.get(KEY_HEALTH, lambda: check_services(services))


def check_services(services: DashboardServices) -> list[ServiceStatus]:
    """Probe every service now (in parallel) and record the outcome in the shared history."""
    sources = services.health_sources()
    # One dead service must not add its timeout to the others'.
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        found = list(pool.map(lambda source: source.check_health(), sources.values()))
    now = services.cache.clock()
    return [record_history(services.cache, status, now) for status in found]


def record_history(cache: FreshCache, status: ServiceStatus, now: float) -> ServiceStatus:
    """Note this check as the service's last success or last error, in the shared backend,
    and return the status with the history every worker now sees."""
    if status.source == "not configured":
        return status
    # Per source: an embedded store's history says nothing about the service once configured.
    key = f"{HISTORY_PREFIX}{status.service}:{status.source}"
    history: dict[str, Any] = {}  # what a worker stored: any JSON; read with .get()
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
        last_success=maybe_utc_from_epoch(history.get("last_success")),
        last_error=maybe_utc_from_epoch(history.get("last_error")),
        last_error_text=history.get("last_error_text"),
    )


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
    client = cache.redis
    if client is None:
        keys = cache.keys()
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
        # The client's own socket timeouts bound this (DASHBOARD_REDIS_SOCKET_TIMEOUT_SECONDS): a
        # hung Redis costs the page that long, not a tick.
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return CacheStatus(
            backend="redis",
            reachable=False,
            stats=stats,
            ttl_seconds=cache.ttl,
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
    reached = functools.partial(
        CacheStatus,
        backend="redis",
        reachable=True,
        ping_ms=round((time.perf_counter() - started) * 1000, 2),
        stats=stats,
        ttl_seconds=cache.ttl,
    )
    try:
        keys = cache.keys() or []
    except Exception as exc:  # noqa: BLE001
        return reached(error=f"could not list keys: {type(exc).__name__}: {exc}"[:300])
    return reached(keys=len(keys), data_sets=_data_sets(backend, keys))


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
                fetched_at=maybe_utc_from_epoch(getattr(meta, "fetched_at", None)),
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
    health_max_age_seconds: Optional[float] = None,
) -> DashboardInfo:
    if health_max_age_seconds is None:
        health_max_age_seconds = health_max_age(cache)
    return DashboardInfo(
        version=version,
        started_at=utc_from_epoch(started_at),
        uptime_seconds=max(0.0, now - started_at),
        refresh_seconds=refresh_seconds,
        default_refresh_seconds=default_refresh_seconds,
        cache_ttl_seconds=cache.ttl,
        health_max_age_seconds=health_max_age_seconds,
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
        metrics_source=services.content_source.name,
        cache=cache_status(services.cache),  # after the reads, so it shows what they cached
        dashboard=dashboard_info(
            version=version,
            started_at=started_at,
            refresh_seconds=refresh_seconds,
            default_refresh_seconds=default_refresh_seconds,
            cache=services.cache,
            now=services.clock.time(),
            health_max_age_seconds=services.health_cache.ttl,
        ),
    )
