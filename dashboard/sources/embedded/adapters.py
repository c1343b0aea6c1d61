"""The embedded store as data sources (sources/protocols.py), for the services not configured."""

from __future__ import annotations

from typing import Any, Optional

from dashboard.domain.errors import NotAvailable, NotFound
from dashboard.domain.health import ServiceStatus
from dashboard.domain.models import Achievement, ContentStats, Post, SystemMetrics
from dashboard.domain.outages import Source
from dashboard.sources.clients.orchestrator import Adaptation, QueuedTask
from dashboard.sources.embedded import templates
from dashboard.sources.embedded.store import SERVICE, EmbeddedStore


class _EmbeddedSource:
    """The store standing in for `service`."""

    name = "embedded"
    is_embedded = True
    service = ""

    def __init__(self, store: EmbeddedStore):
        self.store = store

    @property
    def origin(self) -> Source:
        return Source(SERVICE, "DASHBOARD_DATA_DIR", str(self.store.path.parent))

    def check_health(self) -> ServiceStatus:
        found = self.store.health(self.service)
        return ServiceStatus(
            service=self.service, configured=False, source="embedded", status=found.status, detail=found.detail
        )

    def close(self) -> None:
        pass  # the store's connections are per thread and close with it


class EmbeddedAchievements(_EmbeddedSource):
    """Achievements from the store; a stale `expected_updated_at` is a Conflict in one transaction."""

    service = "achievement-collector"

    def list_all(self) -> list[Achievement]:
        return self.store.list_achievements()

    def get(self, achievement_id: int) -> Achievement:
        found = self.store.get_achievement(achievement_id)
        if found is None:
            raise NotFound(SERVICE, f"achievement {achievement_id} does not exist")
        return found

    def update(self, achievement_id: int, body: dict[str, Any], *, expected_updated_at: Any = None) -> Achievement:
        return self.store.update_achievement(achievement_id, body, expected_updated_at=expected_updated_at)

    def create(self, body: dict[str, Any]) -> Achievement:
        return self.store.create_achievement(body)

    def find_created(self, body: dict[str, Any]) -> Optional[Achievement]:
        return None  # a create in the store is one transaction: it is never uncertain


class EmbeddedContent(_EmbeddedSource):
    """Posts from the store: every status change is kept, drafts are written by our templates."""

    service = "orchestrator"
    status_is_editable = True
    queues_tasks = False
    adapter_name = "embedded templates"

    def list_posts(self) -> list[Post]:
        return self.store.list_posts()

    def content_stats(self) -> ContentStats:
        return self.store.content_stats()

    def metrics_summary(self) -> SystemMetrics:
        return self.store.metrics_summary()

    def get_post(self, post_id: int) -> Post:
        found = self.store.get_post(int(post_id))
        if found is None:
            raise NotFound(SERVICE, f"post {post_id} does not exist")
        return found

    def update_post(self, post_id: int, changes: dict[str, Any]) -> Post:
        return self.store.update_post(int(post_id), changes)

    def adapt_post(self, post_id: int, platforms: list[str]) -> list[Adaptation]:
        post = self.get_post(post_id)
        return [templates.adapt(post, platform) for platform in platforms]

    def create_task(self, persona_id: str, task_type: str, *, pain_statement: Optional[str] = None) -> QueuedTask:
        raise NotAvailable(SERVICE, "has no task queue: drafts are written at once (create_post)")

    def create_post(self, body: dict[str, Any]) -> Post:
        return self.store.create_post(body)
