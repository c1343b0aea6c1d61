"""Two months of content posts telling the story of recent achievements."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any, Optional

from dashboard.domain.models import PLATFORMS
from dashboard.sources.embedded.sample_data.texts import _CONTEXT, _amount_of
from dashboard.sources.embedded.sample_data.topics import _MEASURES

POST_COUNT = 48


POST_HISTORY_DAYS = 60


_PERSONAS = {"ai-engineer": 5, "mlops-builder": 3, "startup-cto": 2}
_PLATFORM_SETS = (
    ("linkedin", "dev.to"),
    ("linkedin",),
    ("threads",),
    ("threads", "linkedin"),
    ("dev.to", "medium"),
    ("linkedin", "dev.to", "medium"),
    ("github", "dev.to"),
    ("threads", "dev.to"),
)
_HOOKS = (
    "{title}. It took less code than you'd think.",
    "Shipped: {title}.",
    "{title}, and the one number that convinced the team.",
    "Nobody talks about this part of running an AI content pipeline: {title}.",
    "Build log #{n}: {title}",
    "What {days} of work bought us: {title}.",
    "Most teams would over-engineer this. We didn't: {title}.",
)
_TAKEAWAYS = (
    "Lesson: measure first. The obvious culprit was not the real one.",
    "Lesson: boring tools, applied carefully, beat clever ones.",
    "Lesson: small PRs made this safe to ship on a Friday.",
    "Lesson: put the number on a dashboard before you start, or nobody believes the after.",
    "Lesson: the second iteration is where the real gains were.",
)


def _posts(rng: random.Random, now: datetime, achievements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Posts newest first, as the orchestrator lists them."""
    created = _post_times(rng, now)
    statuses = _post_statuses(rng)
    posts = []
    for index, (moment, status) in enumerate(zip(created, statuses)):
        story = _story_for(rng, achievements, moment)
        posts.append(_post(rng, now, POST_COUNT - index, moment, status, story))
    return posts


def _post_times(rng: random.Random, now: datetime) -> list[datetime]:
    """Creation times: a few today, a few more this week, the rest over two months. Newest first."""
    today = datetime.combine(now.date(), time())
    span_today = (now - today).total_seconds()
    times = [today + timedelta(seconds=rng.uniform(0, span_today)) for _ in range(3)]
    week_start = now - timedelta(days=7)
    times += [week_start + timedelta(seconds=rng.uniform(0, (today - week_start).total_seconds())) for _ in range(5)]
    oldest = now - timedelta(days=POST_HISTORY_DAYS)
    times += [oldest + timedelta(seconds=rng.uniform(0, 53 * 86400)) for _ in range(POST_COUNT - 8)]
    return sorted(times, reverse=True)


def _post_statuses(rng: random.Random) -> list[str]:
    """Statuses aligned with creation order: recent posts are still in the pipeline."""
    recent = ["scheduled"] * 5 + ["ready"] * 3 + ["draft"] * 4
    older = ["published"] * 20 + ["draft"] * 10 + ["ready"] * 2 + ["failed"] * 4
    rng.shuffle(recent)
    rng.shuffle(older)
    return recent + older


def _story_for(rng: random.Random, achievements: list[dict[str, Any]], moment: datetime) -> dict[str, Any]:
    # Posts tell the story of recent work: pick among the last achievements finished before.
    done = [a for a in achievements if a["completed_at"] < moment][-20:] or achievements[:1]
    return rng.choices(done, weights=[a["impact_score"] for a in done])[0]


def _post(
    rng: random.Random, now: datetime, ident: int, created: datetime, status: str, story: dict[str, Any]
) -> dict[str, Any]:
    hook = _hook(rng, ident, story)
    body = _body(rng, story)
    scheduled_at = published_at = None
    if status == "scheduled":
        scheduled_at = now + timedelta(hours=rng.uniform(2, 6 * 24))
    elif status == "published":
        room = min(72 * 3600, (now - created).total_seconds())
        published_at = created + timedelta(seconds=rng.uniform(min(900, room), room))
    elif status == "failed":
        scheduled_at = created + timedelta(hours=rng.uniform(1, 48))  # the attempt that failed
    quality = (
        None
        if status == "draft" and rng.random() < 0.5
        else round(rng.uniform(48, 88) if status == "draft" else rng.uniform(66, 96), 1)
    )
    return {
        "id": ident,
        "persona_id": rng.choices(list(_PERSONAS), weights=list(_PERSONAS.values()))[0],
        "hook": hook,
        "body": body,
        "full_content": f"{hook}\n\n{body}",
        "status": status,
        "platforms": _platforms(rng),
        "quality_score": quality,
        "tokens_used": rng.randint(420, 2600),
        "created_at": created,
        "scheduled_at": scheduled_at,
        "published_at": published_at,
    }


def _platforms(rng: random.Random) -> list[str]:
    chosen = rng.choice(_PLATFORM_SETS)
    return [p for p in PLATFORMS if p in chosen]  # in the canonical order, like the service


def _hook(rng: random.Random, ident: int, story: dict[str, Any]) -> str:
    days = max(1, round(story["duration_hours"] / 24))
    return rng.choice(_HOOKS).format(title=story["title"], n=ident, days=f"{days} day" + ("s" if days > 1 else ""))


def _body(rng: random.Random, story: dict[str, Any]) -> str:
    paragraphs = [rng.choice(_CONTEXT[story["category"]])]
    paragraphs.append(f"Tools that did the work: {', '.join(story['skills_demonstrated'])}.")
    result = _result_line(story)
    if result:
        paragraphs.append(result)
    paragraphs.append(rng.choice(_TAKEAWAYS))
    paragraphs.append(" ".join("#" + tag.replace("-", "") for tag in story["tags"]))
    return "\n\n".join(paragraphs)


def _result_line(story: dict[str, Any]) -> Optional[str]:
    before, after = story["metrics_before"], story["metrics_after"]
    for key, value in before.items():
        if key in after and key in _MEASURES:
            measure = _MEASURES[key]
            return f"Result: {measure.label} {measure.show(value)} → {measure.show(after[key])}."
    amount = _amount_of(story["business_value"])
    if amount is not None:
        return f"Result: about ${amount:,.0f} a year in value."
    return None
