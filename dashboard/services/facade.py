"""The one door pages use for data: typed, cached reads that carry their freshness.

Each data set has a cache key and a source: the HTTP client when its service is configured,
the embedded store otherwise. Pages never see a client, a store or an exception.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional

import httpx

from dashboard.models import (
    Achievement,
    ContentStats,
    Fresh,
    PlatformPerformance,
    Post,
    ServiceHealth,
    SystemMetrics,
)
from dashboard.services.cache import FreshCache
from dashboard.services.clients import (
    AchievementClient,
    NotAvailable,
    OrchestratorClient,
    TechDocClient,
    make_http_client,
)
from dashboard.services.store import EmbeddedStore

KEY_ACHIEVEMENTS = "achievements:all"
KEY_POSTS = "content:posts"
KEY_CONTENT_STATS = "content:stats"
KEY_SYSTEM_METRICS = "orchestrator:metrics"
KEY_PLATFORM_PERFORMANCE = "techdoc:performance"
KEY_SERVICE_HEALTH = "services:health"

SERVICE_NAMES = ("achievement-collector", "orchestrator", "tech-doc-generator")


@dataclass(frozen=True)
class Endpoints:
    """Which services are configured; None means the embedded store (or 'not available')."""

    achievement_api_url: Optional[str] = None
    orchestrator_url: Optional[str] = None
    tech_doc_api_url: Optional[str] = None


class DashboardServices:
    """Cached reads of every data set the pages show."""

    def __init__(
        self,
        cache: FreshCache,
        store: EmbeddedStore,
        *,
        achievements: Optional[AchievementClient] = None,
        orchestrator: Optional[OrchestratorClient] = None,
        techdoc: Optional[TechDocClient] = None,
    ):
        self.cache = cache
        self.store = store
        self.achievement_client = achievements
        self.orchestrator_client = orchestrator
        self.techdoc_client = techdoc

    @classmethod
    def from_endpoints(
        cls,
        endpoints: Endpoints,
        cache: FreshCache,
        store: EmbeddedStore,
        *,
        timeout: float,
        connect_timeout: float,
        transport: Optional[httpx.BaseTransport] = None,
    ) -> "DashboardServices":
        def http(url: Optional[str]):
            if url is None:
                return None
            return make_http_client(url, timeout=timeout, connect_timeout=connect_timeout, transport=transport)

        return cls(
            cache,
            store,
            achievements=AchievementClient(c) if (c := http(endpoints.achievement_api_url)) else None,
            orchestrator=OrchestratorClient(c) if (c := http(endpoints.orchestrator_url)) else None,
            techdoc=TechDocClient(c) if (c := http(endpoints.tech_doc_api_url)) else None,
        )

    def close(self) -> None:
        for client in (self.achievement_client, self.orchestrator_client, self.techdoc_client):
            if client is not None:
                client.close()

    # Reads --------------------------------------------------------------------------------

    def achievements(self) -> Fresh[list[Achievement]]:
        source = self.achievement_client.list_all if self.achievement_client else self.store.list_achievements
        return self.cache.get(KEY_ACHIEVEMENTS, source)

    def posts(self) -> Fresh[list[Post]]:
        source = self.orchestrator_client.list_posts if self.orchestrator_client else self.store.list_posts
        return self.cache.get(KEY_POSTS, source)

    def content_stats(self) -> Fresh[ContentStats]:
        source = self.orchestrator_client.content_stats if self.orchestrator_client else self.store.content_stats
        return self.cache.get(KEY_CONTENT_STATS, source)

    def system_metrics(self) -> Fresh[SystemMetrics]:
        source = (
            self.orchestrator_client.metrics_summary if self.orchestrator_client else self.store.metrics_summary
        )
        return self.cache.get(KEY_SYSTEM_METRICS, source)

    def platform_performance(self) -> Fresh[PlatformPerformance]:
        """tech-doc-generator's analytics; an error saying 'not available' rather than invented numbers."""
        if self.techdoc_client is None:
            return Fresh(error="not available: TECH_DOC_API_URL is not configured")
        result = self.cache.get(KEY_PLATFORM_PERFORMANCE, self.techdoc_client.performance)
        return result

    def service_health(self) -> Fresh[list[ServiceHealth]]:
        return self.cache.get(KEY_SERVICE_HEALTH, self._check_health)

    def _check_health(self) -> list[ServiceHealth]:
        clients = {
            "achievement-collector": self.achievement_client,
            "orchestrator": self.orchestrator_client,
            "tech-doc-generator": self.techdoc_client,
        }

        def check(name: str) -> ServiceHealth:
            client = clients[name]
            if client is None:
                if name == "tech-doc-generator":
                    return ServiceHealth(service=name, source="not configured", status="not configured")
                return self.store.health(name)
            ok, latency, body = client.health()
            return ServiceHealth(
                service=name,
                source="http",
                status="healthy" if ok else ("unhealthy" if isinstance(body, dict) else "down"),
                latency_ms=round(latency, 1),
                version=body.get("version") if isinstance(body, dict) else None,
                detail=None if ok else str(body)[:300],
            )

        # In parallel: one dead service must not triple the time of the check.
        with ThreadPoolExecutor(max_workers=len(SERVICE_NAMES)) as pool:
            return list(pool.map(check, SERVICE_NAMES))

    # Writes -------------------------------------------------------------------------------

    def invalidate_achievements(self) -> None:
        self.cache.invalidate(KEY_ACHIEVEMENTS)

    def invalidate_content(self) -> None:
        self.cache.invalidate(KEY_POSTS, KEY_CONTENT_STATS)


__all__ = ["DashboardServices", "Endpoints", "NotAvailable"]
