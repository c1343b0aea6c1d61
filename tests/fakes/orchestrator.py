"""The fake orchestrator: metrics, queued tasks and the content posts."""

from __future__ import annotations

import collections
import copy
import uuid
from datetime import datetime, timedelta
from typing import Optional

from flask import Flask, request

from tests.fakes.base import ORCHESTRATOR, FaultyServices
from tests.fakes.fastapi import (
    Invalid,
    NotFound,
    json_response,
    path_int,
    query_int,
    request_json,
    require_object,
    validation_error,
)
from tests.fakes.recordings import iso, parse_dt

PLATFORMS = ("dev.to", "linkedin", "threads", "medium", "github")


_HOOKS = (
    "Most teams cache the wrong layer.",
    "We cut our p95 latency in half with one change.",
    "Your LLM bill is a design smell.",
    "Stop writing integration tests against mocks.",
    "Helm umbrellas: the good, the bad, the YAML.",
    "Bandits beat A/B tests for hook variants.",
    "Queue depth is the only autoscaling signal you need.",
)
_PERSONAS = ("ai-jesus", "ai-elon", "eng-lead")
_POST_STATUSES = ("published", "draft", "ready", "scheduled", "published", "failed", "draft", "published")


def generated_post(post_id: int, created: datetime) -> dict:
    """A deterministic orchestrator post."""
    hook = _HOOKS[post_id % len(_HOOKS)]
    body = f"Post {post_id}: what we changed, what it cost, and the numbers before and after."
    status = _POST_STATUSES[post_id % len(_POST_STATUSES)]
    platforms = [PLATFORMS[post_id % 5]] + ([PLATFORMS[(post_id + 2) % 5]] if post_id % 2 else [])
    return {
        "id": post_id,
        "persona_id": _PERSONAS[post_id % len(_PERSONAS)],
        "hook": hook,
        "body": body,
        "full_content": f"{hook}\n\n{body}",
        "status": status,
        "platforms": platforms,
        "quality_score": None if post_id % 9 == 0 else round(0.55 + (post_id * 7 % 40) / 100, 2),
        "tokens_used": 300 + post_id * 17 % 900,
        "created_at": iso(created),
        "scheduled_at": iso(created + timedelta(days=1)) if status == "scheduled" else None,
        "published_at": iso(created + timedelta(hours=2)) if status == "published" else None,
    }


SEED_POSTS = 45
POST_SPACING = timedelta(hours=7)


def seed_posts(now: datetime, count: int = SEED_POSTS) -> list[dict]:
    """`count` posts, one every 7 hours back from `now`; the highest id is the newest."""
    return [
        generated_post(post_id, now - timedelta(minutes=30) - POST_SPACING * (count - post_id))
        for post_id in range(1, count + 1)
    ]


def default_metrics() -> dict:
    """The orchestrator's /metrics/summary body (queue_size grows with queued tasks)."""
    return {
        "services_health": {
            "healthy": 4,
            "total": 5,
            "details": {
                "orchestrator": "healthy",
                "persona_runtime": "healthy",
                "fake_threads": "healthy",
                "celery_worker": "healthy",
                "viral_engine": "degraded",
            },
        },
        "api_latency_ms": 142.5,
        "success_rate": 0.973,
        "queue_size": 3,
        "active_tasks": 2,
        "completed_today": 17,
        "avg_processing_time_s": 12.4,
        "ai_metrics": {"tokens_used_today": 48210, "cost_today_usd": 1.82, "avg_quality_score": 0.78},
    }


class Orchestrator(FaultyServices):
    """The orchestrator's routes over `posts`, `tasks` and `metrics` (POST /task stops at `task_rate_limit`)."""

    posts: list[dict]
    tasks: list[dict]
    metrics: dict
    task_rate_limit: Optional[int]

    def add_posts(self, n: int) -> list[dict]:
        """Append `n` older posts (back-filled history), with new ids."""
        with self.lock:
            oldest = min((parse_dt(p["created_at"]) for p in self.posts), default=self.clock())
            first_id = max((p["id"] for p in self.posts), default=0) + 1
            added = [generated_post(first_id + k, oldest - POST_SPACING * (k + 1)) for k in range(n)]
            self.posts.extend(added)
        return copy.deepcopy(added)

    def _orchestrator_app(self) -> Flask:
        app = self._new_app(ORCHESTRATOR)
        app.add_url_rule("/health", "health", lambda: json_response({"status": "ok"}))
        app.add_url_rule("/metrics/summary", "metrics", self._metrics_summary, methods=["GET"])
        app.add_url_rule("/task", "task", self._queue_task, methods=["POST"])
        app.add_url_rule("/content/posts", "posts", self._list_posts, methods=["GET"])
        app.add_url_rule("/content/posts/<post_id>", "post", self._get_post, methods=["GET"])
        app.add_url_rule("/content/posts/<post_id>", "update_post", self._update_post, methods=["PUT"])
        app.add_url_rule("/content/posts/<post_id>/adapt", "adapt", self._adapt_post, methods=["POST"])
        app.add_url_rule("/content/stats", "stats", self._content_stats, methods=["GET"])
        return app

    def _metrics_summary(self):
        with self.lock:
            return json_response(copy.deepcopy(self.metrics))

    def _queue_task(self):
        body = request_json()
        require_object(body)
        errors = [
            validation_error("missing", ["body", name], "Field required", body)
            for name in ("persona_id", "task_type")
            if name not in body
        ]
        errors += [
            validation_error("string_type", ["body", name], "Input should be a valid string", body[name])
            for name in ("persona_id", "task_type", "pain_statement", "trend_snippet")
            if name in body and body[name] is not None and not isinstance(body[name], str)
        ]
        if errors:
            raise Invalid(errors)
        with self.lock:
            if self.task_rate_limit is not None and len(self.tasks) >= self.task_rate_limit:
                return json_response({"detail": "Rate limit exceeded"}, 429)
            task = {"task_id": str(uuid.uuid4()), **body}
            self.tasks.append(task)
            self.metrics["queue_size"] = self.metrics.get("queue_size", 0) + 1
        return json_response({"status": "queued", "task_id": task["task_id"]})

    def _list_posts(self):
        errors: list = []
        limit = query_int(request.args, "limit", 50, errors, ge=1, le=100)
        offset = query_int(request.args, "offset", 0, errors, ge=0)
        if errors:
            raise Invalid(errors)
        with self.lock:
            newest_first = sorted(self.posts, key=lambda p: parse_dt(p["created_at"]), reverse=True)
            return json_response(copy.deepcopy(newest_first[offset : offset + limit]))

    def _find_post(self, raw_id: str) -> dict:
        wanted = path_int(raw_id, "post_id")
        for post in self.posts:
            if post["id"] == wanted:
                return post
        raise NotFound("Post not found")

    def _get_post(self, post_id: str):
        with self.lock:
            return json_response(copy.deepcopy(self._find_post(post_id)))

    def _update_post(self, post_id: str):
        body = request_json()
        require_object(body)
        errors = [
            validation_error("string_type", ["body", name], "Input should be a valid string", body[name])
            for name in ("hook", "body", "status")
            if body.get(name) is not None and not isinstance(body[name], str)
        ]
        if errors:
            raise Invalid(errors)
        with self.lock:
            post = self._find_post(post_id)
            # The real service accepts status/platforms/scheduled_at but stores only these two.
            for name in ("hook", "body"):
                if isinstance(body.get(name), str):
                    post[name] = body[name]
            return json_response(copy.deepcopy(post))

    def _adapt_post(self, post_id: str):
        platforms = request_json()
        if not isinstance(platforms, list):
            raise Invalid([validation_error("list_type", ["body"], "Input should be a valid list", platforms)])
        errors = [
            validation_error(
                "enum",
                ["body", i],
                f"Input should be {', '.join(repr(p) for p in PLATFORMS)}",
                p,
                {"expected": ", ".join(repr(p) for p in PLATFORMS)},
            )
            for i, p in enumerate(platforms)
            if p not in PLATFORMS
        ]
        if errors:
            raise Invalid(errors)
        with self.lock:
            post = copy.deepcopy(self._find_post(post_id))
        return json_response([adaptation(post, platform) for platform in platforms])

    def _content_stats(self):
        with self.lock:
            return json_response(content_stats(self.posts, self.clock()))


def content_stats(posts: list[dict], now: datetime) -> dict:
    created = [parse_dt(post["created_at"]) for post in posts]
    scores = [post["quality_score"] for post in posts if post["quality_score"] is not None]
    statuses = collections.Counter(post["status"] for post in posts)
    return {
        "total_posts": len(posts),
        "posts_today": sum(1 for moment in created if moment.date() == now.date()),
        "posts_this_week": sum(1 for moment in created if moment >= now - timedelta(days=7)),
        "avg_quality_score": round(sum(scores) / len(scores), 2) if scores else None,
        "active_personas": len({post["persona_id"] for post in posts}),
        "draft_count": statuses["draft"],
        "scheduled_count": statuses["scheduled"],
        "published_count": statuses["published"],
        "ready_count": statuses["ready"],
    }


def adaptation(post: dict, platform: str) -> dict:
    words = {"linkedin": 1.0, "threads": 0.4, "dev.to": 1.6, "medium": 1.8, "github": 0.8}[platform]
    return {
        "platform": platform,
        "title": post["hook"][:80],
        "content": f"[{platform}] {post['hook']}\n\n{post['body']}",
        "hashtags": ["#engineering", "#" + (post["persona_id"] or "threads").replace("-", "")],
        "call_to_action": "What would you measure first?",
        "estimated_engagement": round(0.03 * words + (post["quality_score"] or 0.5) / 100, 4),
    }
