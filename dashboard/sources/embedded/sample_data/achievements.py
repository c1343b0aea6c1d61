"""A year of achievements: when they were finished, where they came from, their scores and value."""

from __future__ import annotations

import math
import random
from datetime import datetime, time, timedelta
from typing import Any, Optional

from dashboard.domain.models import SOURCE_TYPES
from dashboard.sources.embedded.sample_data.calculations import _server_calculations
from dashboard.sources.embedded.sample_data.measures import _draw, _snap, _Topic
from dashboard.sources.embedded.sample_data.texts import (
    _ai_impact,
    _ai_summary,
    _ai_technical,
    _amount_of,
    _business_value,
    _description,
)
from dashboard.sources.embedded.sample_data.topics import _ERROR_RATE, _SERVICE_CATEGORIES, _TitlePicker

ACHIEVEMENT_COUNT = 180


HISTORY_DAYS = 365


PORTFOLIO_SHARE = 0.4
REPO_URL = "https://github.com/threads-agent-stack/threads-agent"

# How many achievements each category gets (sums to ACHIEVEMENT_COUNT). Fixed counts rather
# than draws, so every category always has enough items for its charts, whatever the seed.
CATEGORY_COUNTS = {
    "feature": 28,
    "optimization": 18,
    "bugfix": 20,
    "infrastructure": 20,
    "documentation": 10,
    "testing": 14,
    "security": 12,
    "performance": 16,
    "architecture": 12,
    "content": 12,
    "business": 9,
    "milestone": 9,
}

# The four forms business_value takes in the real service, in fixed proportions (50/25/15/10).
BUSINESS_VALUE_FORMS = {"json": 90, "text": 45, "bare": 27, "none": 18}


_SOURCE_WEIGHTS_DEFAULT = {
    "github_pr": 42,
    "git": 15,
    "github": 12,
    "ci": 8,
    "manual": 8,
    "api": 5,
    "webhook": 5,
    "prometheus": 3,
    "threads": 2,
}
# Where work comes from depends on its kind: talks and posts are not pull requests.
_SOURCE_WEIGHTS = {
    "content": {"threads": 40, "manual": 35, "api": 15, "webhook": 10},
    "business": {"manual": 40, "api": 25, "prometheus": 15, "threads": 10, "webhook": 10},
    "milestone": {"manual": 35, "github": 25, "git": 15, "api": 15, "ci": 10},
    "performance": {"github_pr": 45, "prometheus": 25, "ci": 10, "git": 10, "github": 10},
    "testing": {"github_pr": 45, "ci": 35, "git": 15, "github": 5},
    "documentation": {"github_pr": 40, "git": 30, "manual": 20, "github": 10},
}


def _achievements(rng: random.Random, now: datetime) -> list[dict[str, Any]]:
    completions = _completion_times(rng, now, ACHIEVEMENT_COUNT)
    categories = _shuffled(rng, CATEGORY_COUNTS)
    sources = _source_plan(rng, categories)
    forms = _shuffled(rng, BUSINESS_VALUE_FORMS)
    titles = _TitlePicker(rng)
    pr_number = rng.randint(38, 60)
    items, sections = [], []
    # Ids follow completion order, as the collector assigns them when work is recorded.
    for index, completed in enumerate(completions):
        pr_number += rng.randint(1, 4)  # other PRs merge in between
        progress = 1 - (now - completed).total_seconds() / (HISTORY_DAYS * 86400)
        picked = titles.next(categories[index], progress)
        items.append(
            _achievement(
                rng, now, index + 1, completed, categories[index], sources[index], forms[index], picked, pr_number
            )
        )
        sections.append(picked[0].section)
    _mark_portfolio(rng, items, sections)
    return items


def _shuffled(rng: random.Random, counts: dict[str, int]) -> list[str]:
    values = [value for value, count in counts.items() for _ in range(count)]
    rng.shuffle(values)
    return values


def _completion_times(rng: random.Random, now: datetime, count: int) -> list[datetime]:
    """Completion times over the last year, oldest first: busier lately, with quiet weeks."""
    weeks = HISTORY_DAYS // 7  # 52 whole weeks back from now
    weights = [(0.35 + 1.65 * (1 - i / (weeks - 1)) ** 1.5) * rng.uniform(0.6, 1.4) for i in range(weeks)]
    # Holidays and incident weeks: nothing shipped. The last month stays busy on purpose.
    for quiet in rng.sample(range(4, weeks), 7):
        weights[quiet] = 0.0
    latest = now - timedelta(hours=1)  # leave room for created_at after completion
    times = []
    for week in rng.choices(range(weeks), weights=weights, k=count):
        day = now.date() - timedelta(days=7 * week + rng.randrange(7))
        # Weekend work happens, but rarely.
        while day.weekday() >= 5 and rng.random() < 0.75:
            day = now.date() - timedelta(days=7 * week + rng.randrange(7))
        moment = datetime.combine(
            day, time(rng.randint(8, 19), rng.randrange(60), rng.randrange(60), rng.randrange(1_000_000))
        )
        if moment > latest:
            moment = latest - timedelta(minutes=rng.randint(0, 300), microseconds=rng.randrange(1_000_000))
        times.append(moment)
    return sorted(times)


def _source_plan(rng: random.Random, categories: list[str]) -> list[str]:
    sources = []
    for category in categories:
        weights = _SOURCE_WEIGHTS.get(category, _SOURCE_WEIGHTS_DEFAULT)
        sources.append(rng.choices(list(weights), weights=list(weights.values()))[0])
    # Every source type must appear, or its filter would show an empty table in the demo.
    for missing in [s for s in SOURCE_TYPES if s not in sources]:
        candidates = [i for i, s in enumerate(sources) if s == "github_pr"]
        sources[rng.choice(candidates)] = missing
    return sources


def _achievement(
    rng: random.Random,
    now: datetime,
    ident: int,
    completed: datetime,
    category: str,
    source: str,
    form: str,
    picked: tuple[_Topic, str, dict[str, Any], dict[str, Any], float],
    pr_number: int,
) -> dict[str, Any]:
    """One achievement with exactly the contract's fields; portfolio fields are filled later."""
    topic, title, before, after, perf_pct = picked
    started = completed - timedelta(hours=_duration_hours(rng))
    created = completed + timedelta(minutes=rng.uniform(2, 25))
    updated = _updated_at(rng, now, created)
    tags = _some(rng, topic.tags)
    skills = _some(rng, topic.skills)
    impact = _score(rng, 35, 98, 70 if category != "milestone" else 88)
    complexity = _score(rng, 15, 96, 55)
    business_value = _business_value(rng, form, _amount(rng, impact), category)
    amount = _amount_of(business_value)
    # Service work is usually also judged on the error-rate panel, as in the recordings.
    if category in _SERVICE_CATEGORIES and rng.random() < 0.55:
        _, err_before, err_after, _ = _draw(rng, _ERROR_RATE)
        before.update(err_before)
        after.update(err_after)
    calc_mode = rng.choices(("full", "empty", "absent"), weights=(45, 25, 30))[0]
    if calc_mode != "absent":
        after.update(_server_calculations(rng, calc_mode, created, amount))
    return {
        "id": ident,
        "title": title,
        "description": _description(rng, title, category, skills, topic.measure, before, after, amount),
        "category": category,
        "started_at": started,
        "completed_at": completed,
        "created_at": created,
        "updated_at": updated,
        "duration_hours": (completed - started).total_seconds() / 3600,
        "source_type": source,
        "source_id": _source_id(rng, source, ident, pr_number),
        "source_url": f"{REPO_URL}/pull/{pr_number}" if source in ("github", "github_pr") else None,
        "tags": tags,
        "skills_demonstrated": skills,
        "impact_score": impact,
        "complexity_score": complexity,
        "business_value": business_value,
        "time_saved_hours": _time_saved(rng),
        "performance_improvement_pct": perf_pct,
        "evidence": _evidence(rng, source, pr_number),
        "metrics_before": before,
        "metrics_after": after,
        "ai_summary": _ai_summary(rng, title, impact),
        "ai_impact_analysis": _ai_impact(rng, topic.measure, before, after, amount),
        "ai_technical_analysis": _ai_technical(rng, complexity, skills),
        # Set by _mark_portfolio, which needs every item's impact to rank them.
        "portfolio_ready": False,
        "portfolio_section": None,
        "display_priority": 50,
    }


def _time_saved(rng: random.Random) -> float:
    if rng.random() < 0.15:
        return 0.0  # the collector found nothing to credit
    return round(math.exp(rng.uniform(math.log(2), math.log(400))), 1)


def _duration_hours(rng: random.Random) -> float:
    # Log-uniform between 2 hours and 20 days: most work is short, a few items drag on.
    return math.exp(rng.uniform(math.log(2), math.log(20 * 24)))


def _updated_at(rng: random.Random, now: datetime, created: datetime) -> datetime:
    room = (now - created).total_seconds()
    if rng.random() < 0.65 or room < 3600:
        # Stored and stamped by the collector in the same request.
        return created + timedelta(milliseconds=rng.randint(2, 40))
    # Edited later: polished for the portfolio, scores adjusted.
    return created + timedelta(seconds=rng.uniform(3600, min(room, 30 * 86400)))


def _some(rng: random.Random, pool: tuple[str, ...]) -> list[str]:
    return rng.sample(pool, rng.randint(1, min(4, len(pool))))


def _score(rng: random.Random, low: float, high: float, mode: float) -> float:
    return round(rng.triangular(low, high, mode), 1)


def _amount(rng: random.Random, impact: float) -> int:
    """A yearly dollar value from 500 to 400,000, skewed low and loosely following impact."""
    u = min(1.0, max(0.0, 0.7 * rng.random() + 0.3 * impact / 100))
    raw = 500 * 800 ** (u**1.7)
    step = 500 if raw < 10_000 else 2_500 if raw < 100_000 else 5_000
    return int(min(400_000, max(500, _snap(raw, step))))


def _source_id(rng: random.Random, source: str, ident: int, pr_number: int) -> Optional[str]:
    if source == "github_pr":
        return f"PR-{pr_number}"
    if source == "git":
        return f"{rng.getrandbits(28):07x}"  # a short commit sha
    if source == "manual":
        return None
    return f"{source}-{ident}"


def _evidence(rng: random.Random, source: str, pr_number: int) -> dict[str, Any]:
    if source in ("github_pr", "github"):
        additions = rng.randint(40, 1800)
        return {
            "pr_number": pr_number,
            "files_changed": rng.randint(2, 48),
            "additions": additions,
            "deletions": rng.randint(5, max(6, additions // 2)),
        }
    if source == "ci":
        return {"workflow": rng.choice(("ci.yml", "e2e.yml", "deploy.yml")), "run_number": rng.randint(300, 4200)}
    if source == "prometheus":
        return {
            "dashboard": rng.choice(("orchestrator-slo", "persona-runtime", "cost-per-follow")),
            "panel": rng.choice(("p95 latency", "error rate", "OpenAI spend")),
        }
    if source == "threads":
        return {"post_id": f"th_{rng.getrandbits(40):010x}", "views": rng.randint(500, 60_000)}
    return {}


def _mark_portfolio(rng: random.Random, items: list[dict[str, Any]], sections: list[str]) -> None:
    """Mark the strongest ~40% portfolio-ready, and give sections and display priorities."""
    # Noise on the ranking: people publish what tells a good story, not strictly the top scores.
    ranked = sorted(items, key=lambda a: a["impact_score"] + rng.uniform(-20, 20), reverse=True)
    ready = {a["id"] for a in ranked[: round(PORTFOLIO_SHARE * len(items))]}
    for item, section in zip(items, sections):
        is_ready = item["id"] in ready
        item["portfolio_ready"] = is_ready
        # Sections are chosen while preparing the portfolio; most unpublished work has none yet.
        if rng.random() < (0.9 if is_ready else 0.3):
            item["portfolio_section"] = section
        priority = item["impact_score"] * 0.8 + rng.uniform(-15, 15) + (12 if is_ready else 0)
        item["display_priority"] = int(min(100, max(0, round(priority))))
