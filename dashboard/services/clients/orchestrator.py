"""The orchestrator over HTTP: posts, content stats, metrics summary."""

from __future__ import annotations

from pydantic import TypeAdapter

from dashboard.models import ContentStats, Post, SystemMetrics
from dashboard.services.clients.base import BackendError, ServiceClient

POSTS_PAGE = 100
MAX_POSTS = 10_000

_POSTS = TypeAdapter(list[Post])
_STATS = TypeAdapter(ContentStats)
_METRICS = TypeAdapter(SystemMetrics)


class OrchestratorClient(ServiceClient):
    service = "orchestrator"

    def list_posts(self) -> list[Post]:
        """Every post, newest first; /content/posts is a bare list paged by limit/offset."""
        posts: dict[int, Post] = {}
        offset = 0
        while offset < MAX_POSTS:
            data = self.request_json(
                "GET", "/content/posts", params={"limit": POSTS_PAGE, "offset": offset}
            )
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
