"""The Content page's KPIs for one platform, counted from the posts.

The orchestrator's /content/stats counts every post, whatever its platform, and takes no filter.
With a platform chosen, the page counts that platform's posts itself from the posts list, by the
same definitions as the embedded store's stats: "today" since 00:00 UTC, "this week" since Monday
00:00 UTC, the mean quality of the posts that have a score.

Pure: no Dash, no Flask, no I/O.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable, Optional

from dashboard.domain.models import PLATFORMS, ContentStats, Fresh, Post


def platform_stats(posts: Iterable[Post], platform: str, now: datetime) -> ContentStats:
    """The content stats of the posts made for `platform`, at `now` (naive UTC)."""
    mine = [p for p in posts if platform in p.platforms]
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week_start = today - timedelta(days=today.weekday())
    statuses = [p.status for p in mine]
    scores = [p.quality_score for p in mine if p.quality_score is not None]
    return ContentStats(
        total_posts=len(mine),
        posts_today=sum(1 for p in mine if p.created_at is not None and today <= p.created_at),
        posts_this_week=sum(1 for p in mine if p.created_at is not None and week_start <= p.created_at),
        avg_quality_score=round(sum(scores) / len(scores), 1) if scores else None,
        active_personas=len({p.persona_id for p in mine if p.persona_id}),
        draft_count=statuses.count("draft"),
        ready_count=statuses.count("ready"),
        scheduled_count=statuses.count("scheduled"),
        published_count=statuses.count("published"),
    )


def stats_for(
    stats: Fresh[ContentStats], posts: Fresh[list[Post]], platform: Optional[str], now: datetime
) -> Fresh[ContentStats]:
    """What the KPI cards show: the orchestrator's stats for all platforms, or one platform's
    counted from the posts, as fresh (and as stale, or unknown) as the posts are."""
    if platform not in PLATFORMS:
        return stats
    value = platform_stats(posts.value, platform, now) if posts.value is not None else None
    return Fresh[ContentStats](
        value=value,
        fetched_at=posts.fetched_at,
        stale=posts.stale,
        error=posts.error,
        failing_since=posts.failing_since,
    )
