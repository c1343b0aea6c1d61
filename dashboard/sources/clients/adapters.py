"""The HTTP clients as data sources (sources/protocols.py): the shapes the use-cases call."""

from __future__ import annotations

from typing import Any, Optional

from dashboard.domain.errors import NotAvailable
from dashboard.domain.health import ENV_VARS, ServiceStatus, not_configured
from dashboard.domain.models import Achievement, ContentStats, PlatformPerformance, Post, SystemMetrics
from dashboard.domain.outages import Source
from dashboard.infra.health import DEFAULT_PROBE_TIMEOUT_SECONDS, probe
from dashboard.infra.http import ServiceClient
from dashboard.sources.clients.achievements import AchievementClient
from dashboard.sources.clients.orchestrator import Adaptation, OrchestratorClient, QueuedTask
from dashboard.sources.clients.techdoc import TechDocClient


class _HttpSource:
    """A service's HTTP client, and what every source says about itself."""

    is_embedded = False

    def __init__(self, client: ServiceClient, *, probe_seconds: float = DEFAULT_PROBE_TIMEOUT_SECONDS):
        self.client = client
        self.probe_seconds = probe_seconds

    @property
    def name(self) -> str:
        return self.client.service

    @property
    def origin(self) -> Source:
        service = self.client.service
        return Source(service, ENV_VARS[service], str(self.client.http.base_url).rstrip("/"))

    def check_health(self) -> ServiceStatus:
        return probe(self.client.service, self.client.http, timeout_seconds=self.probe_seconds)

    def close(self) -> None:
        self.client.close()


class HttpAchievements(_HttpSource):
    """achievement-collector over HTTP. It has no If-Match: `expected_updated_at` is not sent, the
    facade's per-record lock and its read-back stand in."""

    client: AchievementClient

    def list_all(self) -> list[Achievement]:
        return self.client.list_all()

    def get(self, achievement_id: int) -> Achievement:
        return self.client.get(achievement_id)

    def update(self, achievement_id: int, body: dict[str, Any], *, expected_updated_at: Any = None) -> Achievement:
        return self.client.update(achievement_id, body)

    def create(self, body: dict[str, Any]) -> Achievement:
        return self.client.create(body)

    def find_created(self, body: dict[str, Any]) -> Optional[Achievement]:
        return self.client.find_created(body)


class HttpContent(_HttpSource):
    """The orchestrator over HTTP: it stores only hook and body, and generates through its tasks."""

    client: OrchestratorClient
    status_is_editable = False
    queues_tasks = True
    adapter_name = "orchestrator"

    def list_posts(self) -> list[Post]:
        return self.client.list_posts()

    def content_stats(self) -> ContentStats:
        return self.client.content_stats()

    def metrics_summary(self) -> SystemMetrics:
        return self.client.metrics_summary()

    def get_post(self, post_id: int) -> Post:
        return self.client.get_post(post_id)

    def update_post(self, post_id: int, changes: dict[str, Any]) -> Post:
        return self.client.update_post(post_id, hook=changes.get("hook"), body=changes.get("body"))

    def adapt_post(self, post_id: int, platforms: list[str]) -> list[Adaptation]:
        return self.client.adapt_post(post_id, platforms)

    def create_task(self, persona_id: str, task_type: str, *, pain_statement: Optional[str] = None) -> QueuedTask:
        return self.client.create_task(persona_id, task_type, pain_statement=pain_statement)

    def create_post(self, body: dict[str, Any]) -> Post:
        raise NotAvailable(self.client.service, "adds posts through its own worker only (POST /task)")


class HttpAnalytics(_HttpSource):
    """tech-doc-generator over HTTP."""

    client: TechDocClient
    unavailable = None

    def performance(self) -> PlatformPerformance:
        return self.client.performance()


class Unconfigured:
    """A service whose URL is not set and that nothing stands in for (tech-doc-generator)."""

    is_embedded = False

    def __init__(self, service: str):
        self.name = service
        self.origin = Source(service, ENV_VARS[service])
        self.unavailable = f"not available: {ENV_VARS[service]} is not configured"

    def check_health(self) -> ServiceStatus:
        return not_configured(self.name)

    def close(self) -> None:
        pass

    def performance(self) -> PlatformPerformance:
        raise NotAvailable(self.name, self.unavailable)
