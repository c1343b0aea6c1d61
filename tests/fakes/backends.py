"""A fake of the three Threads-Agent services that honours ../shared/CONTRACT.md, over real HTTP.

Each service is a small Flask app served by werkzeug's threaded server on a free loopback port,
so the dashboard's real httpx clients are exercised end to end (connection pool, timeouts,
status codes, JSON decoding). Faults are injected per service.

    with FakeBackends() as fake:
        client = AchievementClient(make_http_client(fake.achievement_url, timeout=2, connect_timeout=1))
        fake.set_fault("achievement-collector", "500")

Where the fake's behaviour is a reconstruction rather than a recording, it says so:

* The achievement-collector is seeded with the 12 achievements of the recordings. Eight ids are
  recorded in full (1, 2, 5, 6, 7, 8, 9, 11); the other four (3, 4, 10, 12) are derived from
  `analytics_dashboard_metrics.json` (titles, categories, impact scores, completion dates, skill
  growth), on the body of recorded item 8. Their unrecorded numbers (time saved, complexity,
  business values) were chosen so that the seed reproduces `stats_summary.json` exactly.
* `/achievements/stats/summary` is *computed*, with the contract's bug: `total_value_generated`
  adds up the digits-and-dots of each `business_value` string, so JSON text contributes
  "total_value digits + confidence digits" (162500 with confidence 0.79 counts as 1625000.79).
  That rule reproduces the recorded 2672002.42 for the seed.
* Sorting follows PostgreSQL: NULLs last in ascending order, first in descending order;
  `business_value` sorts as text. `pages` is ceil(total / per_page), so 0 when empty.
* A category or source type outside the working lists, or `completed_at < started_at`, is saved
  and answered with 500; every later list/get call then fails with 500 until the row is deleted
  (the contract's "breaks every later list call").
* Orchestrator content stats: `posts_today` = created on the current UTC date, `posts_this_week`
  = created in the last 7 days, `avg_quality_score` = mean of the non-null scores (2 decimals).
* Unknown routes answer like FastAPI: 404 `{"detail":"Not Found"}` (JSON), 405
  `{"detail":"Method Not Allowed"}`. Unhandled errors answer like Starlette: 500 text/plain.

Faults (`set_fault`) model what a dashboard meets in production: a service down, slow, answering
500, sending broken JSON or the wrong shape, or dropping the connection (before answering, or in
the middle of the body). A fault can be limited to requests with given query parameters, e.g.
page 2 of the paged achievements list only.
"""

from __future__ import annotations

import collections
import copy
import json
import math
import os
import re
import socket
import threading
import traceback
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException
from werkzeug.serving import WSGIRequestHandler, make_server

from tests import clock as tests_clock

ACHIEVEMENTS = "achievement-collector"
ORCHESTRATOR = "orchestrator"
TECH_DOC = "tech-doc-generator"
SERVICES = (ACHIEVEMENTS, ORCHESTRATOR, TECH_DOC)
"""Service names, as the clients' `.service` attribute spells them."""

_ALIASES = {
    "achievements": ACHIEVEMENTS,
    "achievement": ACHIEVEMENTS,
    "achievement_collector": ACHIEVEMENTS,
    "techdoc": TECH_DOC,
    "tech_doc": TECH_DOC,
    "tech-doc": TECH_DOC,
    "tech_doc_generator": TECH_DOC,
}
FAULTS = (None, "down", "500", "slow", "malformed", "wrong_shape", "drop", "drop_mid_body", "trickle", "huge")

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
PLATFORMS = ("dev.to", "linkedin", "threads", "medium", "github")
SORTABLE = ("completed_at", "impact_score", "business_value")
SORT_PATTERN = "^(completed_at|impact_score|business_value)$"
ORDER_PATTERN = "^(asc|desc)$"
MALFORMED_BODY = b'{"items": [{"id": 1, "title": "cut off in the middle'
DESCRIPTION_TAIL = (
    ". Context, approach and measured outcome for the threads-agent stack; validated in staging before rollout."
)
POLL_INTERVAL = 0.02
"""How often a server loop checks for shutdown: short, so stop() and "down" are quick."""


# Recordings ---------------------------------------------------------------------------------


def recordings_dir() -> Path:
    """Where the recorded responses live: $CONTRACT_RECORDINGS_DIR, tests/fixtures/recorded,
    or ../shared/contract/recorded next to the repository (the layout of the project)."""
    here = Path(__file__).resolve().parents[1]  # tests/
    candidates = [
        Path(os.environ["CONTRACT_RECORDINGS_DIR"]) if os.environ.get("CONTRACT_RECORDINGS_DIR") else None,
        here / "fixtures" / "recorded",
        here.parent.parent / "shared" / "contract" / "recorded",
    ]
    for candidate in candidates:
        if candidate is not None and (candidate / "health.json").is_file():
            return candidate
    raise FileNotFoundError(
        "contract recordings not found; set CONTRACT_RECORDINGS_DIR to the folder holding health.json"
    )


def load_recording(name: str, folder: Optional[Path] = None) -> Any:
    """One recorded response body, parsed."""
    return json.loads(((folder or recordings_dir()) / name).read_text(encoding="utf-8"))


# Time ------------------------------------------------------------------------------------------


def utcnow() -> datetime:
    """Naive UTC, as the services store and send it: the suite's clock (tests/clock.py)."""
    return tests_clock.now()


def iso(moment: datetime) -> str:
    """A datetime as the services serialize it: ISO 8601 without a timezone."""
    return moment.isoformat()


def parse_dt(text: str) -> datetime:
    """A stored or received datetime, as naive UTC."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


# FastAPI-style validation errors ---------------------------------------------------------------


class Invalid(Exception):
    """A request FastAPI would refuse with 422 {detail: [errors]}."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


class NotFound(Exception):
    """A resource FastAPI would answer with 404 {detail: message}."""


def _error(kind: str, loc: list, msg: str, value: Any, ctx: Optional[dict] = None) -> dict:
    error = {"type": kind, "loc": loc, "msg": msg, "input": value}
    if ctx is not None:
        error["ctx"] = ctx
    return error


def _num(bound: float) -> str:
    """Pydantic prints 100.0 as 100 in its messages."""
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _check_bounds(number: float, loc: list, value: Any, ge=None, le=None) -> Optional[dict]:
    if ge is not None and number < ge:
        return _error(
            "greater_than_equal", loc, f"Input should be greater than or equal to {_num(ge)}", value, {"ge": ge}
        )
    if le is not None and number > le:
        return _error("less_than_equal", loc, f"Input should be less than or equal to {_num(le)}", value, {"le": le})
    return None


# Query parameters (always strings) -----------------------------------------------------------


def query_int(args, name: str, default: int, errors: list, *, ge=None, le=None) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    try:
        number = int(raw.strip())
    except ValueError:
        errors.append(
            _error(
                "int_parsing",
                ["query", name],
                "Input should be a valid integer, unable to parse string as an integer",
                raw,
            )
        )
        return default
    problem = _check_bounds(number, ["query", name], raw, ge, le)
    if problem:
        errors.append(problem)
    return number


def query_float(args, name: str, errors: list) -> Optional[float]:
    raw = args.get(name)
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        errors.append(
            _error(
                "float_parsing",
                ["query", name],
                "Input should be a valid number, unable to parse string as a number",
                raw,
            )
        )
        return None


def query_bool(args, name: str, errors: list) -> Optional[bool]:
    raw = args.get(name)
    if raw is None:
        return None
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes", "on", "t", "y"):
        return True
    if lowered in ("false", "0", "no", "off", "f", "n"):
        return False
    errors.append(
        _error("bool_parsing", ["query", name], "Input should be a valid boolean, unable to interpret input", raw)
    )
    return None


def query_pattern(args, name: str, default: str, pattern: str, errors: list) -> str:
    raw = args.get(name)
    if raw is None:
        return default
    if not re.match(pattern, raw):
        errors.append(
            _error(
                "string_pattern_mismatch",
                ["query", name],
                f"String should match pattern '{pattern}'",
                raw,
                {"pattern": pattern},
            )
        )
        return default
    return raw


def require_object(body: Any) -> None:
    """A JSON body that must be an object (a pydantic model), as FastAPI checks it."""
    if not isinstance(body, dict):
        raise Invalid(
            [
                _error(
                    "model_attributes_type",
                    ["body"],
                    "Input should be a valid dictionary or object to extract fields from",
                    body,
                )
            ]
        )


def path_int(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Invalid(
            [
                _error(
                    "int_parsing",
                    ["path", name],
                    "Input should be a valid integer, unable to parse string as an integer",
                    raw,
                )
            ]
        ) from None


# Body fields of an achievement ----------------------------------------------------------------

# name -> (kind, bounds); the order is the service's field order (also the JSON output order).
ACHIEVEMENT_FIELDS: dict[str, tuple[str, dict]] = {
    "title": ("str", {"min_length": 1, "max_length": 255}),
    "description": ("str", {}),
    "category": ("str", {}),
    "started_at": ("datetime", {}),
    "completed_at": ("datetime", {}),
    "source_type": ("str", {}),
    "source_id": ("str?", {}),
    "source_url": ("str?", {}),
    "tags": ("list[str]", {}),
    "skills_demonstrated": ("list[str]", {}),
    "impact_score": ("float", {"ge": 0.0, "le": 100.0}),
    "complexity_score": ("float", {"ge": 0.0, "le": 100.0}),
    "business_value": ("str?", {}),
    "time_saved_hours": ("float", {}),
    "performance_improvement_pct": ("float", {}),
    "evidence": ("dict", {}),
    "metrics_before": ("dict", {}),
    "metrics_after": ("dict", {}),
    "ai_summary": ("str?", {}),
    "ai_impact_analysis": ("str?", {}),
    "ai_technical_analysis": ("str?", {}),
    "portfolio_ready": ("bool", {}),
    "portfolio_section": ("str?", {}),
    "display_priority": ("int", {"ge": 0, "le": 100}),
}
REQUIRED_ON_CREATE = ("title", "description", "category", "started_at", "completed_at", "source_type")
WRITABLE = (
    "title",
    "description",
    "impact_score",
    "complexity_score",
    "business_value",
    "time_saved_hours",
    "performance_improvement_pct",
    "tags",
    "skills_demonstrated",
    "portfolio_ready",
    "portfolio_section",
    "display_priority",
    "evidence",
    "metrics_before",
    "metrics_after",
    "ai_summary",
    "ai_impact_analysis",
    "ai_technical_analysis",
)
CREATE_DEFAULTS = {
    "source_id": None,
    "source_url": None,
    "tags": [],
    "skills_demonstrated": [],
    "impact_score": 0.0,
    "complexity_score": 0.0,
    "business_value": None,
    "time_saved_hours": 0.0,
    "performance_improvement_pct": 0.0,
    "evidence": {},
    "metrics_before": {},
    "metrics_after": {},
    "ai_summary": None,
    "ai_impact_analysis": None,
    "ai_technical_analysis": None,
    "portfolio_ready": False,
    "portfolio_section": None,
    "display_priority": 50,
}
OUTPUT_ORDER = (
    "title",
    "description",
    "category",
    "started_at",
    "completed_at",
    "duration_hours",
    "source_type",
    "source_id",
    "source_url",
    "tags",
    "skills_demonstrated",
    "id",
    "impact_score",
    "complexity_score",
    "business_value",
    "time_saved_hours",
    "performance_improvement_pct",
    "evidence",
    "metrics_before",
    "metrics_after",
    "ai_summary",
    "ai_impact_analysis",
    "ai_technical_analysis",
    "portfolio_ready",
    "portfolio_section",
    "display_priority",
    "created_at",
    "updated_at",
)


def coerce_field(name: str, value: Any, errors: list) -> Any:
    """One body field validated and coerced as pydantic (lax mode) would; errors are appended."""
    kind, bounds = ACHIEVEMENT_FIELDS[name]
    loc = ["body", name]
    if kind.endswith("?"):
        if value is None:
            return None
        kind = kind[:-1]
    checker = _COERCERS[kind]
    return checker(value, loc, bounds, errors)


def _coerce_str(value, loc, bounds, errors):
    if not isinstance(value, str):
        errors.append(_error("string_type", loc, "Input should be a valid string", value))
        return None
    if "min_length" in bounds and len(value) < bounds["min_length"]:
        errors.append(
            _error(
                "string_too_short",
                loc,
                f"String should have at least {bounds['min_length']} character",
                value,
                {"min_length": bounds["min_length"]},
            )
        )
    if "max_length" in bounds and len(value) > bounds["max_length"]:
        errors.append(
            _error(
                "string_too_long",
                loc,
                f"String should have at most {bounds['max_length']} characters",
                value,
                {"max_length": bounds["max_length"]},
            )
        )
    return value


def _coerce_float(value, loc, bounds, errors):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        errors.append(_error("float_type", loc, "Input should be a valid number", value))
        return None
    try:
        number = float(value)
    except ValueError:
        errors.append(
            _error("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", value)
        )
        return None
    if not math.isfinite(number):
        errors.append(_error("finite_number", loc, "Input should be a finite number", value))
        return None
    problem = _check_bounds(number, loc, value, bounds.get("ge"), bounds.get("le"))
    if problem:
        errors.append(problem)
    return number


def _coerce_int(value, loc, bounds, errors):
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        number = int(value)
    if number is None:
        errors.append(_error("int_type", loc, "Input should be a valid integer", value))
        return None
    problem = _check_bounds(number, loc, value, bounds.get("ge"), bounds.get("le"))
    if problem:
        errors.append(problem)
    return number


def _coerce_bool(value, loc, bounds, errors):
    if isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    errors.append(_error("bool_type", loc, "Input should be a valid boolean", value))
    return None


def _coerce_str_list(value, loc, bounds, errors):
    if not isinstance(value, list):
        errors.append(_error("list_type", loc, "Input should be a valid list", value))
        return None
    for index, item in enumerate(value):
        if not isinstance(item, str):
            errors.append(_error("string_type", [*loc, index], "Input should be a valid string", item))
    return list(value)


def _coerce_dict(value, loc, bounds, errors):
    if not isinstance(value, dict):
        errors.append(_error("dict_type", loc, "Input should be a valid dictionary", value))
        return None
    return dict(value)


def _coerce_datetime(value, loc, bounds, errors):
    if isinstance(value, str):
        try:
            return iso(parse_dt(value))
        except ValueError:
            pass
    errors.append(_error("datetime_parsing", loc, "Input should be a valid datetime", value))
    return None


_COERCERS: dict[str, Callable] = {
    "str": _coerce_str,
    "float": _coerce_float,
    "int": _coerce_int,
    "bool": _coerce_bool,
    "list[str]": _coerce_str_list,
    "dict": _coerce_dict,
    "datetime": _coerce_datetime,
}


def duration_hours(started_at: str, completed_at: str) -> float:
    return (parse_dt(completed_at) - parse_dt(started_at)).total_seconds() / 3600


def ordered(item: dict) -> dict:
    """An achievement with its keys in the service's output order."""
    return {key: item[key] for key in OUTPUT_ORDER if key in item}


# Seed data ------------------------------------------------------------------------------------

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


# HTTP plumbing ---------------------------------------------------------------------------------


def json_response(data: Any, status: int = 200) -> Response:
    """JSON the way FastAPI writes it: compact, keys in insertion order."""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json")


def request_json() -> Any:
    """The request body parsed as FastAPI would, or a 422 for invalid JSON."""
    raw = request.get_data()
    if not raw:
        raise Invalid([_error("missing", ["body"], "Field required", None)])
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise Invalid(
            [
                _error(
                    "json_invalid",
                    ["body", getattr(exc, "pos", 0)],
                    "JSON decode error",
                    {},
                    {"error": getattr(exc, "msg", str(exc))},
                )
            ]
        ) from None


def route_template() -> str:
    """The matched route as a FastAPI-style template ("/achievements/{achievement_id}")."""
    rule = request.url_rule
    if rule is None:
        return request.path
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


@dataclass
class Call:
    """One request a fake service received."""

    service: str
    method: str
    template: str
    path: str
    query: dict[str, str]
    body: Any = None
    """The JSON body sent, when there was one (None otherwise)."""

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


@dataclass
class Fault:
    kind: Optional[str] = None
    delay: float = 0.0
    body: Any = None
    query: Optional[dict[str, str]] = None
    """Only requests whose query string has all these parameters misbehave (None: every request)."""
    method: Optional[str] = None
    """Only requests with this HTTP method misbehave (None: every method)."""

    def applies(self) -> bool:
        if self.kind is None:
            return False
        if self.method is not None and request.method != self.method:
            return False
        if not self.query:
            return True
        return all(request.args.get(name) == str(value) for name, value in self.query.items())


class _Dropped(ConnectionError):
    """Raised inside a response body: werkzeug closes the connection where it stands."""


def _dropping_body(data: bytes, keep: int) -> Iterator[bytes]:
    if keep:
        yield data[:keep]
    raise _Dropped("connection dropped by the fake")


def _huge_json(size: int) -> Iterator[bytes]:
    """A valid JSON object of about `size` bytes, streamed without Content-Length (chunked)."""
    chunk = b"x" * 65536
    yield b'{"items": [], "total": 0, "page": 1, "per_page": 100, "pages": 0, "padding": "'
    for _ in range(max(0, size) // len(chunk)):
        yield chunk
    yield b'"}'


def dropped_response(data: bytes = b"", *, status: int = 200, mimetype: str = "application/json") -> Response:
    """A response whose connection closes after half of `data` (after nothing, when empty).

    Content-Length announces the whole body, so the client knows it was cut off.
    """
    response = Response(_dropping_body(data, len(data) // 2), status=status, mimetype=mimetype)
    response.headers["Content-Length"] = str(len(data))
    return response


class _GatedHandler(WSGIRequestHandler):
    """werkzeug's handler, plus: connections are tracked, and a "down" service answers nothing."""

    protocol_version = "HTTP/1.1"  # keep-alive, like uvicorn: the client's pool is exercised

    def setup(self) -> None:
        super().setup()
        self.server.endpoint.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.endpoint.untrack(self.connection)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if parsed and self.server.endpoint.down:
            # A request on a connection opened before the service went down: close it unanswered.
            self.close_connection = True
            return False
        return parsed

    def connection_dropped(self, error, environ=None) -> None:
        # A "drop" fault (or a client gone): close this connection, do not wait for another request.
        self.close_connection = True

    # The fake records its own calls; request logs would only clutter the test output.
    def log_request(self, *args, **kwargs) -> None:
        pass

    def log(self, *args, **kwargs) -> None:
        pass


class _Endpoint:
    """One service's listening socket: can go down (refuse connections) and come back on its port."""

    def __init__(self, name: str, app: Flask, host: str):
        self.name = name
        self.app = app
        self.host = host
        self.port = 0
        self.down = False
        self._server = None
        self._thread: Optional[threading.Thread] = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def listen(self) -> None:
        try:
            server = make_server(self.host, self.port, self.app, threaded=True, request_handler=_GatedHandler)
        except SystemExit:  # werkzeug exits the process when it cannot bind; a test must not
            raise RuntimeError(f"{self.name}: cannot listen on {self.host}:{self.port}") from None
        server.endpoint = self
        self.port = server.port
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL},
            name=f"fake-{self.name}",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        """Stop accepting and drop every open connection (the client then sees a refusal)."""
        if self._server is not None:
            self._server.shutdown()  # serve_forever closes the listening socket on its way out
            self._thread.join(timeout=5)
            self._server = self._thread = None
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @property
    def listening(self) -> bool:
        return self._server is not None

    def track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)


# The fake ---------------------------------------------------------------------------------------


class FakeBackends:
    """The achievement-collector, the orchestrator and the tech-doc-generator, faked over HTTP.

    State is public and mutable (`achievements`, `posts`, `articles`, `tasks`, `metrics`); hold
    `lock` when changing it while a client may be calling. `calls` counts requests by
    "METHOD /template" across services; `service_calls[service]` per service; `requests` keeps
    each call with its query string. `errors` collects tracebacks of bugs in the fake itself.
    """

    def __init__(
        self,
        *,
        techdoc_performance_mounted: bool = False,
        now: Optional[datetime] = None,
        host: str = "127.0.0.1",
        recordings: Optional[Path] = None,
    ):
        self.recordings = recordings or recordings_dir()
        self.techdoc_performance_mounted = techdoc_performance_mounted
        self.task_rate_limit: Optional[int] = None
        """After this many queued tasks POST /task answers 429; None never limits."""
        self._fixed_now = now
        self.lock = threading.RLock()
        self.health_body = load_recording("health.json", self.recordings)
        self.achievements: list[dict] = seed_achievements(self.recordings)
        self.posts: list[dict] = seed_posts(self.clock())
        self.articles: list[dict] = seed_articles(self.clock())
        self.tasks: list[dict] = []
        self.metrics: dict = default_metrics()
        self.poisoned: set[int] = set()
        self.calls: collections.Counter = collections.Counter()
        self.service_calls: dict[str, collections.Counter] = {name: collections.Counter() for name in SERVICES}
        self.requests: list[Call] = []
        self.errors: list[str] = []
        self._next_achievement_id = max(item["id"] for item in self.achievements) + 1
        self._faults: dict[str, Fault] = {name: Fault() for name in SERVICES}
        self._stopping = threading.Event()
        self._endpoints = {
            ACHIEVEMENTS: _Endpoint(ACHIEVEMENTS, self._achievement_app(), host),
            ORCHESTRATOR: _Endpoint(ORCHESTRATOR, self._orchestrator_app(), host),
            TECH_DOC: _Endpoint(TECH_DOC, self._techdoc_app(), host),
        }

    # Lifecycle ----------------------------------------------------------------------------------

    def start(self) -> "FakeBackends":
        self._stopping.clear()
        for endpoint in self._endpoints.values():
            if not endpoint.listening:
                endpoint.listen()
        return self

    def stop(self) -> None:
        """Close every listener and connection; sleeping "slow" requests wake up and end."""
        self._stopping.set()
        for endpoint in self._endpoints.values():
            endpoint.close()

    def __enter__(self) -> "FakeBackends":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def achievement_url(self) -> str:
        return self._endpoints[ACHIEVEMENTS].url

    @property
    def orchestrator_url(self) -> str:
        return self._endpoints[ORCHESTRATOR].url

    @property
    def tech_doc_url(self) -> str:
        return self._endpoints[TECH_DOC].url

    def url(self, service: str) -> str:
        return self._endpoints[canonical_service(service)].url

    def clock(self) -> datetime:
        """Now, naive UTC; fixed when the fake was built with `now=`."""
        return self._fixed_now or utcnow()

    # Faults -----------------------------------------------------------------------------------

    def set_fault(
        self,
        service: str,
        fault: Optional[str],
        *,
        delay: float = 0.0,
        body: Any = None,
        query: Optional[dict[str, Any]] = None,
        method: Optional[str] = None,
    ) -> None:
        """Make one service misbehave, or (fault=None) behave again.

        "down": connections are refused (open ones are closed unanswered); "500": 500 text/plain
        "Internal Server Error"; "slow": answers normally after `delay` seconds; "malformed":
        200 application/json that is not JSON; "wrong_shape": 200 with valid JSON of the wrong
        shape (`body` if given, else a list where an object is due and an object where a list is);
        "drop": the connection is closed before any answer, and the request is not processed;
        "drop_mid_body": the request is processed (a write is applied), then the connection is
        closed half-way through the answer's body (Content-Length announces all of it).
        `delay` also applies before the other non-"down" faults. `query` limits a non-"down"
        fault to requests whose query string has these parameters, e.g. `{"page": 2}`: page 2
        of the achievements list fails, pages 1 and 3 answer normally. `method` limits it to
        one HTTP method, e.g. "PUT": reads work, writes fail. "trickle": the right answer, sent one
        byte every `body` seconds (default 2; Content-Length announces it all), so that no single
        read ever times out. "huge": 200 with a valid JSON object of `body` bytes, chunked.
        """
        name = canonical_service(service)
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        if fault == "slow" and delay <= 0:
            raise ValueError('the "slow" fault needs delay > 0')
        if fault == "down" and (query or method):
            raise ValueError('a "down" service refuses every connection; it takes no query or method')
        endpoint = self._endpoints[name]
        query = {key: str(value) for key, value in query.items()} if query else None
        self._faults[name] = Fault(fault, delay, body, query, method.upper() if method else None)
        if fault == "down":
            endpoint.down = True
            endpoint.close()
        elif endpoint.down:
            endpoint.down = False
            if not self._stopping.is_set():
                endpoint.listen()  # the same port: clients keep their base URL

    def clear_faults(self) -> None:
        for name in SERVICES:
            self.set_fault(name, None)

    # Data helpers -------------------------------------------------------------------------------

    def add_achievements(self, n: int) -> list[dict]:
        """Append `n` valid generated achievements (distinct ids, titles and completion times)."""
        with self.lock:
            start = len(self.achievements)
            added = [generated_achievement(self._new_achievement_id(), start + k, self.clock()) for k in range(n)]
            self.achievements.extend(added)
        return copy.deepcopy(added)

    def add_posts(self, n: int) -> list[dict]:
        """Append `n` older posts (back-filled history), with new ids."""
        with self.lock:
            oldest = min((parse_dt(p["created_at"]) for p in self.posts), default=self.clock())
            first_id = max((p["id"] for p in self.posts), default=0) + 1
            added = [generated_post(first_id + k, oldest - POST_SPACING * (k + 1)) for k in range(n)]
            self.posts.extend(added)
        return copy.deepcopy(added)

    def achievement(self, achievement_id: int) -> Optional[dict]:
        with self.lock:
            return next((copy.deepcopy(a) for a in self.achievements if a["id"] == achievement_id), None)

    def requests_to(self, key: str, service: Optional[str] = None) -> list[Call]:
        """The recorded calls with this "METHOD /template" key (optionally of one service)."""
        with self.lock:
            return [
                c
                for c in self.requests
                if c.key == key and (service is None or c.service == canonical_service(service))
            ]

    def reset_calls(self) -> None:
        with self.lock:
            self.calls.clear()
            for counter in self.service_calls.values():
                counter.clear()
            self.requests.clear()

    def _new_achievement_id(self) -> int:
        # Like a database sequence: ids are never reused, even after a delete.
        highest = max((a["id"] for a in self.achievements), default=0)
        self._next_achievement_id = max(self._next_achievement_id, highest + 1)
        new_id = self._next_achievement_id
        self._next_achievement_id += 1
        return new_id

    # Shared app wiring --------------------------------------------------------------------------

    def _new_app(self, service: str) -> Flask:
        app = Flask(f"fake-{service}")
        app.before_request(lambda: self._before(service))
        app.after_request(lambda response: self._after(service, response))
        app.register_error_handler(Invalid, lambda exc: json_response({"detail": exc.errors}, 422))
        app.register_error_handler(NotFound, lambda exc: json_response({"detail": str(exc)}, 404))
        app.register_error_handler(HTTPException, self._http_error)
        app.register_error_handler(Exception, self._crash)
        return app

    def _before(self, service: str) -> Optional[Response]:
        body = request.get_json(silent=True) if request.method in ("POST", "PUT", "PATCH") else None
        call = Call(service, request.method, route_template(), request.path, request.args.to_dict(), body)
        with self.lock:
            self.calls[call.key] += 1
            self.service_calls[service][call.key] += 1
            self.requests.append(call)
        fault = self._faults[service]
        if not fault.applies():
            return None
        if fault.delay > 0:
            self._stopping.wait(fault.delay)  # wakes early when the fake stops
        if fault.kind == "500":
            return Response("Internal Server Error", status=500, mimetype="text/plain")
        if fault.kind == "malformed":
            return Response(MALFORMED_BODY, status=200, mimetype="application/json")
        if fault.kind == "drop":
            return dropped_response()
        return None

    def _after(self, service: str, response: Response) -> Response:
        fault = self._faults[service]
        if not fault.applies() or fault.kind == "drop":
            return response
        if fault.kind == "drop_mid_body":
            return dropped_response(response.get_data(), status=response.status_code, mimetype=response.mimetype)
        if fault.kind == "trickle":
            return self._trickled(response, fault.body or 2.0)
        if fault.kind == "huge":
            return Response(_huge_json(int(fault.body)), status=200, mimetype="application/json")
        is_json_answer = response.status_code == 200 and response.mimetype == "application/json"
        if fault.kind != "wrong_shape" or not is_json_answer:
            return response
        if fault.body is not None:
            shape = fault.body
        else:
            data = json.loads(response.get_data())
            # An envelope around a list, a list around an object: valid JSON, wrong shape.
            shape = {"data": data} if isinstance(data, list) else [data]
        response.set_data(json.dumps(shape, separators=(",", ":")))
        return response

    def _trickled(self, response: Response, every: float) -> Response:
        data = response.get_data()
        stopping = self._stopping

        def one_byte_at_a_time() -> Iterator[bytes]:
            for index in range(len(data)):
                if index and stopping.wait(every):
                    return
                yield data[index : index + 1]

        trickled = Response(one_byte_at_a_time(), status=response.status_code, mimetype=response.mimetype)
        trickled.headers["Content-Length"] = str(len(data))
        return trickled

    @staticmethod
    def _http_error(exc: HTTPException):
        if isinstance(exc, RoutingException) or (exc.code or 500) < 400:
            return exc  # redirects (e.g. a missing trailing slash) stay redirects
        response = json_response({"detail": exc.name}, exc.code or 500)
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    def _crash(self, exc: Exception) -> Response:
        self.errors.append("".join(traceback.format_exception(exc)))
        return Response("Internal Server Error", status=500, mimetype="text/plain")

    # achievement-collector --------------------------------------------------------------------

    def _achievement_app(self) -> Flask:
        app = self._new_app(ACHIEVEMENTS)
        app.add_url_rule("/health", "health", lambda: json_response(self.health_body))
        app.add_url_rule("/achievements/", "list", self._list_achievements, methods=["GET"])
        app.add_url_rule("/achievements/", "create", self._create_achievement, methods=["POST"])
        app.add_url_rule("/achievements/stats/summary", "stats", self._stats_summary, methods=["GET"])
        one = "/achievements/<achievement_id>"
        app.add_url_rule(one, "get", self._get_achievement, methods=["GET"])
        app.add_url_rule(one, "update", self._update_achievement, methods=["PUT"])
        app.add_url_rule(one, "delete", self._delete_achievement, methods=["DELETE"])
        return app

    def _refuse_if_poisoned(self) -> Optional[Response]:
        # A row the service saved but cannot serialize breaks its list and get calls.
        if self.poisoned & {a["id"] for a in self.achievements}:
            return Response("Internal Server Error", status=500, mimetype="text/plain")
        return None

    def _list_achievements(self):
        args, errors = request.args, []
        page = query_int(args, "page", 1, errors, ge=1)
        per_page = query_int(args, "per_page", 20, errors, ge=1, le=100)
        portfolio_ready = query_bool(args, "portfolio_ready", errors)
        min_impact = query_float(args, "min_impact_score", errors)
        sort_by = query_pattern(args, "sort_by", "completed_at", SORT_PATTERN, errors)
        order = query_pattern(args, "order", "desc", ORDER_PATTERN, errors)
        if errors:
            raise Invalid(errors)
        with self.lock:
            refused = self._refuse_if_poisoned()
            if refused:
                return refused
            items = filter_achievements(
                self.achievements, args.get("category"), portfolio_ready, min_impact, args.get("search")
            )
            items = sort_achievements(items, sort_by, order)
            total = len(items)
            window = copy.deepcopy(items[(page - 1) * per_page : page * per_page])
        pages = math.ceil(total / per_page)
        return json_response({"items": window, "total": total, "page": page, "per_page": per_page, "pages": pages})

    def _get_achievement(self, achievement_id: str):
        wanted = path_int(achievement_id, "achievement_id")
        with self.lock:
            refused = self._refuse_if_poisoned()
            if refused:
                return refused
            return json_response(copy.deepcopy(self._find_achievement(wanted)))

    def _find_achievement(self, achievement_id: int) -> dict:
        for item in self.achievements:
            if item["id"] == achievement_id:
                return item
        raise NotFound("Achievement not found")

    def _create_achievement(self):
        body = request_json()
        require_object(body)
        errors = [
            _error("missing", ["body", name], "Field required", body) for name in REQUIRED_ON_CREATE if name not in body
        ]
        values = {name: coerce_field(name, body[name], errors) for name in ACHIEVEMENT_FIELDS if name in body}
        if errors:
            raise Invalid(errors)
        now = iso(self.clock())
        with self.lock:
            item = {**copy.deepcopy(CREATE_DEFAULTS), **values}
            item.update(
                id=self._new_achievement_id(),
                created_at=now,
                updated_at=now,
                duration_hours=duration_hours(values["started_at"], values["completed_at"]),
            )
            item = ordered(item)
            self.achievements.append(item)
            if breaks_the_service(item):
                self.poisoned.add(item["id"])
                return Response("Internal Server Error", status=500, mimetype="text/plain")
            return json_response(copy.deepcopy(item))

    def _update_achievement(self, achievement_id: str):
        wanted = path_int(achievement_id, "achievement_id")
        body = request_json()
        require_object(body)
        errors: list = []
        # Only writable fields count; category, source_* and dates are silently ignored.
        changes = {name: coerce_field(name, body[name], errors) for name in WRITABLE if name in body}
        if errors:
            raise Invalid(errors)
        with self.lock:
            item = self._find_achievement(wanted)
            item.update(changes)
            item["updated_at"] = iso(self.clock())
            return json_response(copy.deepcopy(item))

    def _delete_achievement(self, achievement_id: str):
        wanted = path_int(achievement_id, "achievement_id")
        with self.lock:
            item = self._find_achievement(wanted)
            self.achievements.remove(item)
            self.poisoned.discard(wanted)
        return json_response({"status": "deleted", "id": wanted})

    def _stats_summary(self):
        with self.lock:
            return json_response(stats_summary(self.achievements))

    # orchestrator -------------------------------------------------------------------------------

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
            _error("missing", ["body", name], "Field required", body)
            for name in ("persona_id", "task_type")
            if name not in body
        ]
        errors += [
            _error("string_type", ["body", name], "Input should be a valid string", body[name])
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
            _error("string_type", ["body", name], "Input should be a valid string", body[name])
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
            raise Invalid([_error("list_type", ["body"], "Input should be a valid list", platforms)])
        errors = [
            _error(
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

    # tech-doc-generator -----------------------------------------------------------------------

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


# Pure computations of the fake services --------------------------------------------------------


def canonical_service(service: str) -> str:
    name = _ALIASES.get(service, service)
    if name not in SERVICES:
        raise ValueError(f"unknown service {service!r}; one of {SERVICES}")
    return name


def breaks_the_service(item: dict) -> bool:
    """Values the service's validation lets through but its database/serializer then rejects."""
    return (
        item["category"] not in WORKING_CATEGORIES
        or item["source_type"] not in WORKING_SOURCE_TYPES
        or parse_dt(item["completed_at"]) < parse_dt(item["started_at"])
    )


def filter_achievements(items, category, portfolio_ready, min_impact, search) -> list[dict]:
    needle = search.lower() if search else None
    return [
        item
        for item in items
        if (category is None or item["category"] == category)
        and (portfolio_ready is None or item["portfolio_ready"] == portfolio_ready)
        and (min_impact is None or item["impact_score"] >= min_impact)
        and (needle is None or needle in f"{item['title']}\n{item['description'] or ''}".lower())
    ]


def sort_achievements(items: list[dict], sort_by: str, order: str) -> list[dict]:
    """ORDER BY sort_by asc|desc, with PostgreSQL's NULL placement (last asc, first desc)."""
    descending = order == "desc"
    present = [item for item in items if item.get(sort_by) is not None]
    missing = [item for item in items if item.get(sort_by) is None]
    if sort_by == "completed_at":
        present.sort(key=lambda item: parse_dt(item["completed_at"]), reverse=descending)
    else:
        present.sort(key=lambda item: item[sort_by], reverse=descending)
    return missing + present if descending else present + missing


def buggy_value(business_value: Optional[str]) -> float:
    """The service's reading of a business value: every digit and dot, concatenated (the bug)."""
    if not business_value:
        return 0.0
    digits = re.sub(r"[^0-9.]", "", business_value)
    try:
        return float(digits)
    except ValueError:
        return 0.0


def stats_summary(items: list[dict]) -> dict:
    count = len(items)
    by_category = collections.Counter(item["category"] for item in items)
    return {
        "total_achievements": count,
        "total_value_generated": sum(buggy_value(item["business_value"]) for item in items),
        "total_time_saved_hours": sum(item["time_saved_hours"] for item in items),
        "average_impact_score": sum(item["impact_score"] for item in items) / count if count else 0.0,
        "average_complexity_score": sum(item["complexity_score"] for item in items) / count if count else 0.0,
        "by_category": dict(sorted(by_category.items())),
    }


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


@contextmanager
def fake_backends(**options) -> Iterator[FakeBackends]:
    """A started FakeBackends, stopped on exit: `with fake_backends() as fake: ...` (or a fixture)."""
    fake = FakeBackends(**options)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


__all__ = [
    "ACHIEVEMENTS",
    "ORCHESTRATOR",
    "TECH_DOC",
    "SERVICES",
    "FAULTS",
    "Call",
    "FakeBackends",
    "fake_backends",
    "load_recording",
    "recordings_dir",
]
