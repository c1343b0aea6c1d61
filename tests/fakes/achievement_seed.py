"""The achievement-collector's seed: the recorded achievements, four derived ones, generated ones."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path

from tests.fakes.achievement_fields import CREATE_DEFAULTS, duration_hours, ordered
from tests.fakes.recordings import iso, load_recording

WORKING_CATEGORIES = (
    "feature",
    "optimization",
    "bugfix",
    "infrastructure",
    "documentation",
    "testing",
    "security",
    "performance",
    "architecture",
    "content",
    "business",
    "milestone",
)
WORKING_SOURCE_TYPES = (
    "git",
    "github",
    "github_pr",
    "ci",
    "manual",
    "api",
    "threads",
    "prometheus",
    "webhook",
)
DESCRIPTION_TAIL = (
    ". Context, approach and measured outcome for the threads-agent stack; validated in staging before rollout."
)


# The four achievements whose bodies were not recorded (see the module docstring).
DERIVED_ACHIEVEMENTS = (
    dict(
        id=3,
        title="Autoscaled Celery workers on RabbitMQ queue depth",
        category="infrastructure",
        started_at="2026-08-18T08:12:40.331207",
        completed_at="2026-08-21T23:48:31.216187",
        source_type="github_pr",
        source_id="PR-102",
        tags=["celery", "rabbitmq", "kubernetes"],
        skills_demonstrated=["Celery", "RabbitMQ", "Kubernetes"],
        impact_score=67.1,
        complexity_score=61.2,
        business_value="75000",
        time_saved_hours=96.4,
        portfolio_ready=True,
        portfolio_section="infrastructure",
        display_priority=64,
    ),
    dict(
        id=4,
        title="Reduced OpenAI token spend by 46% with prompt caching",
        category="optimization",
        started_at="2026-08-27T14:02:11.508311",
        completed_at="2026-08-30T01:08:48.501891",
        source_type="github",
        source_id="github-3",
        tags=["openai", "caching", "cost"],
        skills_demonstrated=["OpenAI API", "Redis", "Python"],
        impact_score=63.8,
        complexity_score=47.9,
        business_value="$23,500 annual value",
        time_saved_hours=88.0,
        portfolio_ready=False,
        portfolio_section="backend",
        display_priority=58,
    ),
    dict(
        id=10,
        title="Consolidated Helm charts for 12 services into one umbrella chart",
        category="infrastructure",
        started_at="2026-10-03T09:40:05.118402",
        completed_at="2026-10-07T22:41:39.698713",
        source_type="github_pr",
        source_id="PR-110",
        tags=["helm", "kubernetes"],
        skills_demonstrated=["Helm", "Kubernetes"],
        impact_score=88.4,
        complexity_score=69.8,
        business_value="$120,000 annual value",
        time_saved_hours=90.4,
        portfolio_ready=True,
        portfolio_section="infrastructure",
        display_priority=82,
    ),
    dict(
        id=12,
        title="Contract tests for orchestrator /task and /content APIs",
        category="testing",
        started_at="2026-08-29T16:20:44.902113",
        completed_at="2026-08-31T13:09:36.236013",
        source_type="ci",
        source_id="ci-12",
        tags=["testing", "contracts"],
        skills_demonstrated=["pytest", "httpx", "Python"],
        impact_score=42.1,
        complexity_score=38.6,
        business_value=None,
        time_saved_hours=34.8,
        portfolio_ready=False,
        portfolio_section=None,
        display_priority=30,
    ),
)
DERIVED_TEMPLATE_ID = 8
"""The recorded item whose body the derived ones copy (its metrics_after is the plain kind)."""


def seed_achievements(folder: Path) -> list[dict]:
    """The 12 achievements of the recordings, by id, in their state before any recorded write."""
    by_id: dict[int, dict] = {}
    for name in ("achievements_page1_per5.json", "achievements_page3_per5.json"):
        for item in load_recording(name, folder)["items"]:
            by_id[item["id"]] = item
    single = load_recording("achievement_1.json", folder)
    by_id[single["id"]] = single
    template = by_id[DERIVED_TEMPLATE_ID]
    for spec in DERIVED_ACHIEVEMENTS:
        by_id.setdefault(spec["id"], derive_achievement(template, spec))
    return [by_id[key] for key in sorted(by_id)]


def derive_achievement(template: dict, spec: dict) -> dict:
    """A recorded achievement's body, with the identity and numbers of `spec`."""
    item = copy.deepcopy(template)
    item.update(copy.deepcopy(spec))
    item["description"] = spec["title"] + DESCRIPTION_TAIL
    item["duration_hours"] = duration_hours(item["started_at"], item["completed_at"])
    pr = spec["source_id"].split("-")[-1]
    is_pr = spec["source_type"] == "github_pr"
    item["source_url"] = f"https://github.com/threads-agent-stack/threads-agent/pull/{pr}" if is_pr else None
    item["evidence"] = {"pr_number": int(pr)} if is_pr else {}
    item["performance_improvement_pct"] = 0.0
    item["ai_summary"] = f"Delivered '{spec['title']}' with measurable impact (score {spec['impact_score']})."
    item["created_at"] = f"2026-11-25T19:19:02.{200000 + spec['id'] * 4321:06d}"
    item["updated_at"] = f"2026-11-25T19:19:02.{204000 + spec['id'] * 4321:06d}"
    return ordered(item)


def generated_achievement(achievement_id: int, index: int, now: datetime) -> dict:
    """A valid, deterministic achievement (for tests needing more than 100 of them)."""
    category = WORKING_CATEGORIES[index % len(WORKING_CATEGORIES)]
    completed = datetime(2026, 6, 30, 12, 0) - timedelta(hours=13 * index + 1, minutes=index % 60)
    started = completed - timedelta(hours=8 + index % 70)
    amount = 1000 * (1 + index % 90)
    value_forms = (
        json.dumps({"total_value": amount, "currency": "USD", "period": "yearly", "confidence": 0.8}),
        f"${amount:,} annual value",
        str(amount),
        None,
    )
    title = f"Generated achievement {achievement_id}: {category} work item {index}"
    item = dict(CREATE_DEFAULTS)
    item.update(
        id=achievement_id,
        title=title,
        description=title + DESCRIPTION_TAIL,
        category=category,
        started_at=iso(started),
        completed_at=iso(completed),
        source_type=WORKING_SOURCE_TYPES[index % 9],
        source_id=f"gen-{achievement_id}",
        tags=["generated", category],
        skills_demonstrated=["Python"],
        impact_score=round(10 + (index * 37) % 900 / 10, 1),
        complexity_score=round((index * 53) % 1000 / 10, 1),
        business_value=value_forms[index % len(value_forms)],
        time_saved_hours=float(index % 40),
        portfolio_ready=index % 3 == 0,
        display_priority=index % 101,
        created_at=iso(now),
        updated_at=iso(now),
    )
    item["duration_hours"] = duration_hours(item["started_at"], item["completed_at"])
    return ordered(item)
