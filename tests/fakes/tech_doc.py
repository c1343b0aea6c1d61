"""The fake tech-doc-generator: articles, and the analytics route the real service does not mount."""

from __future__ import annotations

import collections
import copy
from datetime import datetime, timedelta

from flask import Flask

from tests.fakes.base import TECH_DOC, FaultyServices
from tests.fakes.fastapi import json_response
from tests.fakes.orchestrator import PLATFORMS
from tests.fakes.recordings import iso


def seed_articles(now: datetime) -> list[dict]:
    """A few tech-doc-generator articles with per-platform performance."""
    articles = []
    for article_id in range(1, 7):
        platform = PLATFORMS[article_id % 3]  # dev.to, linkedin and threads only
        published = article_id % 4 != 0
        engagement = round(4.0 + article_id * 0.7, 2)
        articles.append(
            {
                "id": article_id,
                "content": f"Article {article_id}: lessons from running the threads-agent stack.",
                "insight_score": round(6.0 + article_id * 0.45, 2),
                "status": "published" if published else "draft",
                "created_at": iso(now - timedelta(days=3 * article_id)),
                "published_urls": {platform: f"https://{platform}/threads-agent/article-{article_id}"}
                if published
                else {},
                "performance_metrics": {platform: {"views": 400 * article_id, "engagement_score": engagement}}
                if published
                else {},
            }
        )
    return articles


class TechDocGenerator(FaultyServices):
    """The tech-doc-generator's routes over `articles`; /api/analytics/performance only when mounted."""

    articles: list[dict]
    techdoc_performance_mounted: bool

    def _techdoc_app(self) -> Flask:
        app = self._new_app(TECH_DOC)
        app.add_url_rule(
            "/health", "health", lambda: json_response({"status": "healthy", "service": "tech_doc_generator"})
        )
        app.add_url_rule("/api/articles/", "articles", self._list_articles, methods=["GET"])
        app.add_url_rule("/api/analytics/performance", "performance", self._performance, methods=["GET"])
        return app

    def _list_articles(self):
        with self.lock:
            return json_response(copy.deepcopy(self.articles))

    def _performance(self):
        if not self.techdoc_performance_mounted:
            # The real service does not mount the router: FastAPI's own 404 for an unknown route.
            return json_response({"detail": "Not Found"}, 404)
        with self.lock:
            return json_response(platform_performance(self.articles))


def platform_performance(articles: list[dict]) -> dict:
    """The planned /api/analytics/performance, computed from the articles."""
    per_platform: dict[str, list[float]] = collections.defaultdict(list)
    for article in articles:
        for platform, metrics in article["performance_metrics"].items():
            per_platform[platform].append(metrics["engagement_score"])
    scores = [score for values in per_platform.values() for score in values]
    breakdown = {
        platform: {"count": len(values), "avg_engagement": round(sum(values) / len(values), 2)}
        for platform, values in sorted(per_platform.items())
    }
    best = max(breakdown, key=lambda p: breakdown[p]["avg_engagement"]) if breakdown else None
    insights = []
    if best:
        insights.append(f"{best} has the highest average engagement ({breakdown[best]['avg_engagement']})")
    quality = [a["insight_score"] for a in articles]
    return {
        "total_generated": len(articles),
        "avg_engagement_score": round(sum(scores) / len(scores), 2) if scores else 0.0,
        "avg_quality_score": round(sum(quality) / len(quality), 2) if quality else 0.0,
        "platform_breakdown": breakdown,
        "insights": insights,
        "recommendation": f"Publish more on {best}" if best else None,
    }
