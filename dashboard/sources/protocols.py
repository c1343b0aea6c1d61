"""One Protocol per data set; the HTTP client and the embedded store each satisfy it.

The factory (`DashboardServices.from_endpoints`, called by app.py) chooses one source per data
set, once: the service's HTTP client when its URL is configured, the embedded store (through the
adapters in sources/embedded/adapters.py) otherwise, or `Unconfigured` where nothing stands in.
No use-case asks "client or store?" again; where the sources can do different things, the source
says so (`status_is_editable`, `queues_tasks`), and the use-case reads that.

Every source speaks the errors of dashboard/domain/errors.py: a record that does not exist is
`NotFound` (a read or a write, over HTTP or in the store), a row changed meanwhile is `Conflict`,
any other failure a `BackendError`.
"""

from __future__ import annotations

from typing import Any, Optional, Protocol

from dashboard.domain.health import ServiceStatus
from dashboard.domain.models import Achievement, ContentStats, PlatformPerformance, Post, SystemMetrics
from dashboard.domain.outages import Source
from dashboard.sources.clients.orchestrator import Adaptation, QueuedTask


class DataSource(Protocol):
    """What every source says about itself."""

    @property
    def origin(self) -> Source:
        """Where its data comes from and the setting that chooses it (outage notices say it)."""
        ...

    @property
    def name(self) -> str:
        """Short name for the audit trail and the System page: the service's, or "embedded"."""
        ...

    @property
    def is_embedded(self) -> bool:
        """Its data is the embedded sample data (tiles say "sample data" beside a real service)."""
        ...

    def check_health(self) -> ServiceStatus: ...

    def close(self) -> None: ...


class AchievementSource(DataSource, Protocol):
    """achievement-collector's data: the list, one row, and the writes."""

    def list_all(self) -> list[Achievement]: ...

    def get(self, achievement_id: int) -> Achievement:
        """The stored row now; NotFound when it does not exist."""
        ...

    def update(
        self, achievement_id: int, body: dict[str, Any], *, expected_updated_at: Optional[Any] = None
    ) -> Achievement:
        """A partial update. Raises NotFound, and Conflict when the source can tell the row changed
        since `expected_updated_at` (the HTTP service cannot: the facade's lock stands in)."""
        ...

    def create(self, body: dict[str, Any]) -> Achievement: ...

    def find_created(self, body: dict[str, Any]) -> Optional[Achievement]:
        """The row an earlier create of `body` made, when its answer was lost (None: none found)."""
        ...


class ContentSource(DataSource, Protocol):
    """The orchestrator's data: posts, content stats, the metrics summary, adaptations, tasks."""

    @property
    def status_is_editable(self) -> bool:
        """A status change is kept (the real orchestrator stores only hook and body)."""
        ...

    @property
    def queues_tasks(self) -> bool:
        """Generation queues a task (`create_task`), rather than writing a draft here (`create_post`)."""
        ...

    @property
    def adapter_name(self) -> str:
        """Who adapts a post per platform: "orchestrator" or "embedded templates"."""
        ...

    def list_posts(self) -> list[Post]: ...

    def content_stats(self) -> ContentStats: ...

    def metrics_summary(self) -> SystemMetrics: ...

    def get_post(self, post_id: int) -> Post:
        """The stored post now; NotFound when it does not exist."""
        ...

    def update_post(self, post_id: int, changes: dict[str, Any]) -> Post:
        """A partial update (NotFound when the post is gone)."""
        ...

    def adapt_post(self, post_id: int, platforms: list[str]) -> list[Adaptation]: ...

    def create_task(self, persona_id: str, task_type: str, *, pain_statement: Optional[str] = None) -> QueuedTask:
        """Queue a generation task (only where `queues_tasks`; NotAvailable elsewhere)."""
        ...

    def create_post(self, body: dict[str, Any]) -> Post:
        """Store a new post (only where not `queues_tasks`; NotAvailable elsewhere)."""
        ...


class AnalyticsSource(DataSource, Protocol):
    """tech-doc-generator's analytics."""

    @property
    def unavailable(self) -> Optional[str]:
        """Why there is nothing to read, without asking (None: read `performance`)."""
        ...

    def performance(self) -> PlatformPerformance: ...
