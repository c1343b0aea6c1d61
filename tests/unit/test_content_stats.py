"""The Content page's KPIs for one platform (services/content/stats.py), counted from the posts."""

from __future__ import annotations

from datetime import datetime, timedelta

from dashboard.domain.models import ContentStats, Fresh, Post
from dashboard.services.content.stats import platform_stats, stats_for

# A Wednesday: "this week" began on Monday 00:00 UTC, two and a half days earlier.
NOW = datetime(2026, 11, 25, 12, 0, 0)
MONDAY = datetime(2026, 11, 23)


def post(i, platforms, status="draft", created=None, quality=None, persona="ai-engineer"):
    return Post(id=i, platforms=platforms, status=status, created_at=created, quality_score=quality, persona_id=persona)


POSTS = [
    post(1, ["linkedin"], "draft", NOW - timedelta(hours=1), 80.0),
    post(2, ["linkedin", "threads"], "ready", NOW - timedelta(hours=13), 60.0, "startup-cto"),  # yesterday
    post(3, ["threads"], "published", NOW - timedelta(minutes=5), 99.0),
    post(4, ["linkedin"], "scheduled", MONDAY, None, None),  # the first moment of the week counts
    post(5, ["linkedin"], "published", MONDAY - timedelta(seconds=1), 70.5),  # last week
    post(6, ["linkedin"], "failed", None, None),  # no date: counted, but never "today"
    post(7, ["dev.to"], "draft", NOW, 10.0),
]
ORCHESTRATOR = ContentStats(total_posts=99, draft_count=1, scheduled_count=2, published_count=3)


def test_one_platform_counts_only_its_posts_by_status_and_date():
    stats = platform_stats(POSTS, "linkedin", NOW)
    assert stats == ContentStats(
        total_posts=5,
        posts_today=1,  # post 2 was made yesterday at 23:00
        posts_this_week=3,
        avg_quality_score=round((80 + 60 + 70.5) / 3, 1),
        active_personas=2,
        draft_count=1,
        ready_count=1,
        scheduled_count=1,
        published_count=1,
    )


def test_a_post_on_two_platforms_counts_for_each():
    threads = platform_stats(POSTS, "threads", NOW)
    assert (threads.total_posts, threads.ready_count, threads.published_count) == (2, 1, 1)
    assert threads.avg_quality_score == round((60 + 99) / 2, 1)


def test_a_platform_with_no_posts_is_zeros_and_no_quality():
    stats = platform_stats(POSTS, "medium", NOW)
    assert stats.total_posts == stats.draft_count == stats.posts_today == 0
    assert stats.avg_quality_score is None  # no score is unknown, never an invented 0


def test_at_midnight_today_starts_again():
    midnight = datetime(2026, 11, 26)
    stats = platform_stats([post(1, ["linkedin"], created=midnight - timedelta(seconds=1))], "linkedin", midnight)
    assert (stats.posts_today, stats.posts_this_week) == (0, 1)


def test_all_platforms_keeps_the_orchestrators_stats():
    stats = Fresh(value=ORCHESTRATOR, fetched_at=NOW)
    posts = Fresh(value=POSTS, fetched_at=NOW)
    assert stats_for(stats, posts, None, NOW) is stats
    assert stats_for(stats, posts, "myspace", NOW) is stats


def test_a_platform_is_as_fresh_as_the_posts_and_unknown_without_them():
    stats = Fresh(value=ORCHESTRATOR, fetched_at=NOW)
    stale = Fresh(value=POSTS, fetched_at=NOW - timedelta(minutes=5), stale=True, error="orchestrator: unreachable")
    mine = stats_for(stats, stale, "linkedin", NOW)
    assert mine.value.total_posts == 5
    assert (mine.fetched_at, mine.stale, mine.error) == (stale.fetched_at, True, "orchestrator: unreachable")
    failed = stats_for(stats, Fresh(error="orchestrator: answered 500"), "linkedin", NOW)
    assert failed.value is None and failed.error == "orchestrator: answered 500"
