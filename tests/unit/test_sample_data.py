"""The sample data set: deterministic, complete, and valid against the domain models."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from dashboard.domain.business_value import parse_business_value
from dashboard.domain.models import (
    CATEGORIES,
    PLATFORMS,
    POST_STATUSES,
    SERVER_ADDED_METRIC_KEYS,
    SOURCE_TYPES,
    Achievement,
    Post,
    SystemMetrics,
)
from dashboard.sources.embedded.sample_data import SampleData, generate_sample

NOW = datetime(2026, 11, 25, 19, 19, 2, 306668)
ACHIEVEMENT_FIELDS = set(Achievement.model_fields)
POST_FIELDS = set(Post.model_fields)
PR_URL = re.compile(r"^https://github\.com/threads-agent-stack/threads-agent/pull/(\d+)$")


@pytest.fixture(scope="module")
def sample() -> SampleData:
    return generate_sample(NOW)


@pytest.fixture(scope="module")
def achievements(sample):
    return sample.achievements


@pytest.fixture(scope="module")
def posts(sample):
    return sample.posts


# Determinism ----------------------------------------------------------------------------------


def test_same_arguments_give_identical_data(sample):
    assert generate_sample(NOW) == sample
    assert generate_sample(NOW, seed=2026) == sample


def test_global_random_state_does_not_matter():
    random.seed(1)
    first = generate_sample(NOW)
    random.seed(99)
    random.random()
    assert generate_sample(NOW) == first


def test_different_seed_gives_different_data(sample):
    other = generate_sample(NOW, seed=7)
    assert [a["title"] for a in other.achievements] != [a["title"] for a in sample.achievements]
    assert [a["completed_at"] for a in other.achievements] != [a["completed_at"] for a in sample.achievements]
    assert other.posts != sample.posts
    assert other.system_metrics != sample.system_metrics


def test_dates_follow_now_not_the_clock():
    long_ago = datetime(2020, 3, 2, 8, 0, 0)
    data = generate_sample(long_ago)
    assert max(a["completed_at"] for a in data.achievements) <= long_ago
    assert min(a["completed_at"] for a in data.achievements) > long_ago - timedelta(days=365)
    assert max(p["created_at"] for p in data.posts) <= long_ago


def test_aware_now_is_read_as_utc():
    aware = NOW.replace(tzinfo=timezone.utc).astimezone(timezone(timedelta(hours=2)))
    assert generate_sample(aware) == generate_sample(NOW)


# Achievements ---------------------------------------------------------------------------------


def test_achievement_count_and_ids(achievements):
    assert len(achievements) == 180
    assert [a["id"] for a in achievements] == list(range(1, 181))


def test_achievements_have_exactly_the_contract_fields(achievements):
    for item in achievements:
        assert set(item) == ACHIEVEMENT_FIELDS, item["id"]


def test_achievements_validate_as_models(achievements):
    for item in achievements:
        model = Achievement(**item)
        assert model.id == item["id"]
        assert model.business_value == item["business_value"]


def test_every_category_is_used_at_least_five_times(achievements):
    counts = Counter(a["category"] for a in achievements)
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 5


def test_every_source_type_is_used(achievements):
    assert {a["source_type"] for a in achievements} == set(SOURCE_TYPES)


def test_source_url_only_for_github_sources(achievements):
    for item in achievements:
        if item["source_type"] in ("github", "github_pr"):
            match = PR_URL.match(item["source_url"] or "")
            assert match, item["source_url"]
            if item["source_type"] == "github_pr":
                assert item["source_id"] == f"PR-{match.group(1)}"
        else:
            assert item["source_url"] is None


def test_pr_numbers_grow_with_completion(achievements):
    numbers = [int(PR_URL.match(a["source_url"]).group(1)) for a in achievements if a["source_url"]]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)


def test_datetimes_are_naive(achievements):
    for item in achievements:
        for field in ("started_at", "completed_at", "created_at", "updated_at"):
            assert isinstance(item[field], datetime)
            assert item[field].tzinfo is None


def test_date_order_and_window(achievements):
    for item in achievements:
        started, completed = item["started_at"], item["completed_at"]
        assert started < completed <= NOW
        assert completed > NOW - timedelta(days=365)
        assert timedelta(hours=2) <= completed - started <= timedelta(days=20)
        assert timedelta(0) < item["created_at"] - completed <= timedelta(minutes=30)
        assert item["created_at"] <= item["updated_at"] <= NOW
        assert item["duration_hours"] == pytest.approx((completed - started).total_seconds() / 3600)


def test_ids_follow_completion_order(achievements):
    completed = [a["completed_at"] for a in achievements]
    assert completed == sorted(completed)


def test_spread_is_uneven_busier_recently_with_empty_weeks(achievements):
    weeks = Counter((NOW - a["completed_at"]).days // 7 for a in achievements)
    assert sum(1 for week in range(52) if weeks[week] == 0) >= 3
    recent = sum(1 for a in achievements if NOW - a["completed_at"] <= timedelta(days=182))
    assert recent > 180 - recent
    assert any(NOW - a["completed_at"] <= timedelta(days=7) for a in achievements)
    assert any(NOW - a["completed_at"] > timedelta(days=300) for a in achievements)


def test_titles_are_unique_specific_and_fit_the_contract(achievements):
    titles = [a["title"] for a in achievements]
    assert len(set(titles)) == len(titles)
    for title in titles:
        assert 1 <= len(title) <= 255
        assert re.search(r"\d", title), title
    assert "{" not in "".join(titles)


def test_descriptions_start_with_the_title(achievements):
    for item in achievements:
        assert item["description"].startswith(item["title"] + ".")
        assert len(item["description"]) > len(item["title"]) + 20


def test_scores_are_in_range_with_one_decimal(achievements):
    for item in achievements:
        for field in ("impact_score", "complexity_score"):
            value = item[field]
            assert isinstance(value, float)
            assert 0 <= value <= 100
            assert round(value, 1) == value
        assert isinstance(item["display_priority"], int)
        assert 0 <= item["display_priority"] <= 100
    impacts = {a["impact_score"] for a in achievements}
    assert len(impacts) > 100


def test_business_values_parse_to_non_negative_amounts_or_none(achievements):
    for item in achievements:
        raw = item["business_value"]
        amount = parse_business_value(raw)
        if raw is None:
            assert amount is None
        else:
            assert isinstance(raw, str)
            assert amount is not None and amount >= 0, raw


def _form(raw):
    if raw is None:
        return "none"
    if raw.startswith("{"):
        return "json"
    if raw.startswith("$"):
        return "text"
    return "bare"


def test_all_four_business_value_forms_occur_in_the_intended_mix(achievements):
    forms = Counter(_form(a["business_value"]) for a in achievements)
    assert forms == {"json": 90, "text": 45, "bare": 27, "none": 18}


def test_business_value_forms_look_like_the_recordings(achievements):
    for item in achievements:
        raw, form = item["business_value"], _form(item["business_value"])
        if form == "json":
            data = json.loads(raw)
            assert data["currency"] == "USD" and data["period"] == "yearly"
            assert 0 < data["confidence"] <= 1
            assert {"total_value", "type", "method"} <= set(data)
        elif form == "text":
            assert re.fullmatch(r"\$\d{1,3}(,\d{3})* annual value", raw), raw
        elif form == "bare":
            assert raw.isdigit(), raw


def test_amounts_are_realistic_and_skewed_low(achievements):
    amounts = sorted(parse_business_value(a["business_value"]) for a in achievements if a["business_value"])
    assert amounts[0] >= 500
    assert amounts[-1] <= 400_000
    median = amounts[len(amounts) // 2]
    assert median < sum(amounts) / len(amounts)
    assert median < 50_000
    assert amounts[-1] >= 100_000


def test_portfolio_ready_share(achievements):
    ready = sum(a["portfolio_ready"] for a in achievements)
    assert ready == 72
    assert all(isinstance(a["portfolio_ready"], bool) for a in achievements)


def test_tags_and_skills_are_short_string_lists(achievements):
    for item in achievements:
        for field in ("tags", "skills_demonstrated"):
            values = item[field]
            assert 1 <= len(values) <= 4
            assert all(isinstance(v, str) and v for v in values)
            assert len(set(values)) == len(values)


def test_server_added_metric_keys_on_some_items_only(achievements):
    with_keys = [a for a in achievements if set(SERVER_ADDED_METRIC_KEYS) <= set(a["metrics_after"])]
    assert 0 < len(with_keys) < len(achievements)
    full = [a for a in with_keys if a["metrics_after"]["enhanced_calculations"]]
    empty = [a for a in with_keys if not a["metrics_after"]["enhanced_calculations"]]
    assert full and empty
    for item in full:
        calcs = item["metrics_after"]["enhanced_calculations"]
        assert set(calcs) == {"roi_calculation", "infrastructure_savings", "time_savings", "performance_score"}
        assert item["metrics_after"]["calculation_summary"]["total_metrics"] == 4
    for item in empty:
        assert item["metrics_after"]["calculation_summary"]["total_metrics"] == 0


def test_measured_work_reports_before_and_after(achievements):
    measured = [a for a in achievements if a["performance_improvement_pct"] > 0]
    assert len(measured) >= 40
    for item in measured:
        shared = set(item["metrics_before"]) & set(item["metrics_after"])
        assert shared, item["title"]


def test_evidence_for_pull_requests(achievements):
    for item in achievements:
        if item["source_type"] == "github_pr":
            assert item["evidence"]["pr_number"] == int(item["source_id"][3:])


# Posts ----------------------------------------------------------------------------------------


def test_post_count_ids_and_fields(posts):
    assert len(posts) == 48
    assert sorted(p["id"] for p in posts) == list(range(1, 49))
    for post in posts:
        assert set(post) == POST_FIELDS


def test_posts_validate_as_models(posts):
    for post in posts:
        assert Post(**post).id == post["id"]


def test_posts_are_newest_first(posts):
    created = [p["created_at"] for p in posts]
    assert created == sorted(created, reverse=True)
    assert len(set(created)) == len(created)


def test_post_dates_cover_two_months_with_recent_activity(posts):
    today = datetime.combine(NOW.date(), datetime.min.time())
    for post in posts:
        assert NOW - timedelta(days=60) <= post["created_at"] <= NOW
    assert sum(p["created_at"] >= today for p in posts) >= 2
    assert sum(p["created_at"] >= NOW - timedelta(days=7) for p in posts) >= 5
    assert any(p["created_at"] < NOW - timedelta(days=45) for p in posts)


def test_post_statuses_mostly_published_and_draft(posts):
    statuses = Counter(p["status"] for p in posts)
    assert set(statuses) == set(POST_STATUSES)
    assert statuses["published"] + statuses["draft"] > len(posts) / 2
    assert statuses.most_common(2)[0][0] in ("published", "draft")


def test_post_schedule_and_publish_times_match_status(posts):
    for post in posts:
        status = post["status"]
        if status == "scheduled":
            assert post["scheduled_at"] > NOW
        if status == "published":
            assert post["created_at"] <= post["published_at"] <= NOW
        else:
            assert post["published_at"] is None
        if status in ("draft", "ready"):
            assert post["scheduled_at"] is None


def test_post_platforms_and_content(posts, achievements):
    titles = [a["title"] for a in achievements]
    for post in posts:
        assert post["platforms"]
        assert set(post["platforms"]) <= set(PLATFORMS)
        assert post["full_content"] == f"{post['hook']}\n\n{post['body']}"
        assert any(title in post["hook"] for title in titles), post["hook"]
        assert post["quality_score"] is None or 0 <= post["quality_score"] <= 100
        assert post["tokens_used"] > 0
    assert len({p["persona_id"] for p in posts}) >= 2
    assert any(p["quality_score"] is None for p in posts)


# System metrics -------------------------------------------------------------------------------


def test_system_metrics_shape(sample):
    metrics = sample.system_metrics
    model = SystemMetrics.model_validate(metrics)
    health = metrics["services_health"]
    assert health["total"] == len(health["details"]) >= 5
    assert health["healthy"] == sum(v == "healthy" for v in health["details"].values())
    assert "orchestrator" in health["details"]
    assert 0 < model.api_latency_ms < 1000
    assert 0 < model.success_rate <= 100
    assert model.completed_today >= 0
    assert model.avg_processing_time_s > 0
    assert {"model_usage", "avg_latency_ms", "total_cost_24h"} <= set(metrics["ai_metrics"])
    assert set(metrics) == {
        "services_health",
        "api_latency_ms",
        "success_rate",
        "queue_size",
        "active_tasks",
        "completed_today",
        "avg_processing_time_s",
        "ai_metrics",
    }


@pytest.mark.parametrize("seed", [1, 2026, 31337])
def test_invariants_hold_for_other_seeds_and_times(seed):
    now = datetime(2027, 1, 4, 0, 30)  # a Monday just after midnight: "today" is nearly empty
    data = generate_sample(now, seed=seed)
    assert {a["category"] for a in data.achievements} == set(CATEGORIES)
    assert {a["source_type"] for a in data.achievements} == set(SOURCE_TYPES)
    assert len({a["title"] for a in data.achievements}) == 180
    for item in data.achievements:
        Achievement(**item)
        assert item["started_at"] < item["completed_at"] <= now
        assert item["updated_at"] <= now
    for post in data.posts:
        Post(**post)
        assert post["created_at"] <= now
        if post["published_at"]:
            assert post["published_at"] <= now
