"""The orchestrator over HTTP: posts, content stats, metrics summary, adaptations and tasks."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from dashboard.domain.errors import BackendError
from dashboard.domain.models import ContentStats, Post, SystemMetrics
from dashboard.infra.http import ServiceClient

POSTS_PAGE = 100
MAX_POSTS = 10_000

_POSTS = TypeAdapter(list[Post])
_STATS = TypeAdapter(ContentStats)
_METRICS = TypeAdapter(SystemMetrics)


class Adaptation(BaseModel):
    """One platform's version of a post (POST /content/posts/{id}/adapt)."""

    model_config = ConfigDict(extra="ignore")

    platform: str
    title: str = ""
    content: str = ""
    hashtags: list[str] = Field(default_factory=list)
    call_to_action: str = ""
    estimated_engagement: Optional[float] = None
    """The service's own estimate; None when the source does not estimate (embedded templates)."""


class QueuedTask(BaseModel):
    """POST /task's answer."""

    model_config = ConfigDict(extra="ignore")

    status: str
    task_id: str


_POST = TypeAdapter(Post)
_ADAPTATIONS = TypeAdapter(list[Adaptation])
_QUEUED = TypeAdapter(QueuedTask)


class OrchestratorClient(ServiceClient):
    service = "orchestrator"

    def list_posts(self) -> list[Post]:
        """Every post, newest first; /content/posts is a bare list paged by limit/offset."""
        posts: dict[int, Post] = {}
        offset = 0
        while offset < MAX_POSTS:
            data = self.request_json("GET", "/content/posts", params={"limit": POSTS_PAGE, "offset": offset})
            page = self.parse(_POSTS, data, "the posts list")
            for post in page:
                posts[post.id] = post
            if len(page) < POSTS_PAGE:
                break
            offset += POSTS_PAGE
        else:
            raise BackendError(self.service, f"posts list did not end after {MAX_POSTS} posts")
        return sorted(posts.values(), key=lambda p: (p.created_at is not None, p.created_at), reverse=True)

    def content_stats(self) -> ContentStats:
        return self.parse(_STATS, self.request_json("GET", "/content/stats"), "content stats")

    def metrics_summary(self) -> SystemMetrics:
        data = self.request_json("GET", "/metrics/summary")
        return self.parse(_METRICS, data, "the metrics summary")

    # Single posts, adaptations and tasks ------------------------------------------------------

    def get_post(self, post_id: int) -> Post:
        data = self.request_json("GET", f"/content/posts/{int(post_id)}")
        return self.parse(_POST, data, f"post {post_id}")

    def update_post(self, post_id: int, *, hook: Optional[str] = None, body: Optional[str] = None) -> Post:
        """PUT only hook and body: the service stores nothing else, whatever it accepts."""
        payload = {name: value for name, value in (("hook", hook), ("body", body)) if value is not None}
        path = f"/content/posts/{int(post_id)}"
        # An answer lost after the request arrived: the stored post says whether it was saved.
        data = self.write_verified(
            lambda: self.request_json("PUT", path, json=payload),
            lambda: self.request_json("GET", path),
            lambda stored: isinstance(stored, dict) and all(stored.get(k) == v for k, v in payload.items()),
        )
        return self.parse(_POST, data, f"post {post_id}")

    def adapt_post(self, post_id: int, platforms: list[str]) -> list[Adaptation]:
        """The post rewritten per platform; the request body is a bare JSON array of platforms."""
        data = self.request_json("POST", f"/content/posts/{int(post_id)}/adapt", json=list(platforms))
        return self.parse(_ADAPTATIONS, data, f"the adaptations of post {post_id}")

    def create_task(
        self,
        persona_id: str,
        task_type: str,
        *,
        pain_statement: Optional[str] = None,
        trend_snippet: Optional[str] = None,
    ) -> QueuedTask:
        """Queue a task; the answer is only its id (the service offers no task status)."""
        payload = {"persona_id": persona_id, "task_type": task_type}
        if pain_statement is not None:
            payload["pain_statement"] = pain_statement
        if trend_snippet is not None:
            payload["trend_snippet"] = trend_snippet
        try:
            data = self.request_json("POST", "/task", json=payload)
        except BackendError as exc:
            if exc.status == 429:
                raise BackendError(self.service, "rate-limited, try again in a moment", status=429) from None
            raise
        return self.parse(_QUEUED, data, "the queued task")
