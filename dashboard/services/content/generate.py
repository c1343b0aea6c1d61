"""The Generate form: which achievements a post is about, and one submission sent once.

Against the orchestrator a submission queues a task (POST /task), whose answer is only a task id
(there is no task-status endpoint); with the embedded store, our own templates write a draft at
once. The content source says which (`queues_tasks`). Each submission id is sent at most once,
whichever worker gets it, and a refused one can be corrected and sent again.

No Dash, no Flask.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Literal, Optional

from dashboard.domain.actors import Actor, Role
from dashboard.domain.business_value import format_money, format_reading
from dashboard.domain.errors import BackendError
from dashboard.domain.models import Achievement, Post
from dashboard.domain.outcomes import FieldProblem, refusal_message, refusals
from dashboard.domain.platforms import CONTENT_PLATFORMS, PLATFORM_LABELS
from dashboard.sources.embedded import templates

if TYPE_CHECKING:
    from dashboard.services.facade import DashboardServices

PERSONA_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
RECENT_DAYS = 30
RECENT_COUNT = 3
MAX_PICKED = 5
FROM_THE_LIST = "achievements from the list"
TASK_TYPE = "create_post"
"""The task the orchestrator's worker turns into a post (its own tests queue this one)."""
PAIN_STATEMENT_MAX = 1_000
SUBMISSION_PATTERN = re.compile(r"[0-9a-f]{32}")

LABELS = {
    "platforms": "Platforms",
    "persona_id": "Persona",
    "mode": "Achievements",
    "picked": "Achievements",
    "min_value": "Minimum value",
    "submission": "Form",
}
_refuse = refusals(LABELS)


@dataclass(frozen=True)
class GenerateRequest:
    """A validated Generate form."""

    persona_id: str
    platforms: tuple[str, ...]
    draft_only: bool
    mode: Literal["recent", "pick"]
    picked: tuple[int, ...]
    min_value: float


@dataclass
class GenerateResult:
    """The outcome of one submission of the Generate form.

    `done`: the embedded templates wrote `post`. `queued`: the orchestrator queued `task_id`.
    `duplicate` is set when the same submission arrived again and got this stored outcome.
    """

    submission_id: str
    status: Literal["done", "queued", "invalid", "failed"]
    message: str = ""
    errors: list[FieldProblem] = field(default_factory=list)
    source: str = ""
    task_id: Optional[str] = None
    task_state: Optional[str] = None
    post: Optional[Post] = None
    achievement_ids: list[int] = field(default_factory=list)
    submitted_at: Optional[datetime] = None
    baseline_post_id: Optional[int] = None
    """The newest post id when the task was queued: posts above it appeared afterwards."""
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        return self.status in ("done", "queued")

    def as_job(self) -> dict[str, Any]:
        """A JSON-safe summary for the page to keep and poll."""
        return {
            "submission": self.submission_id,
            "status": self.status,
            "source": self.source,
            "task_id": self.task_id,
            "task_state": self.task_state,
            "post_id": self.post.id if self.post else None,
            "message": self.message,
            "achievement_ids": list(self.achievement_ids),
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "baseline_post_id": self.baseline_post_id,
        }


def parse_generate_form(form: dict[str, Any]) -> tuple[Optional[GenerateRequest], list[FieldProblem]]:
    """The Generate form, validated; None and the refusals when anything is wrong."""
    errors: list[FieldProblem] = []
    persona = str(form.get("persona_id") or "").strip()
    if not PERSONA_PATTERN.fullmatch(persona):
        problem = "is required" if not persona else f"{persona[:40]!r} is not a persona id"
        errors.append(_refuse("persona_id", problem, "letters, digits, - _ . (1–64 characters), e.g. ai-engineer"))
    raw_platforms = _as_list(form.get("platforms"))
    platforms = tuple(p for p in CONTENT_PLATFORMS if p in raw_platforms)
    unknown = [str(p) for p in raw_platforms if p not in CONTENT_PLATFORMS]
    if unknown or not platforms:
        problem = f"{', '.join(unknown)[:60]} not offered" if unknown else "none chosen"
        errors.append(
            _refuse("platforms", problem, "one or more of " + ", ".join(PLATFORM_LABELS[p] for p in CONTENT_PLATFORMS))
        )
    raw_mode = form.get("mode") or "recent"
    if raw_mode not in ("recent", "pick"):
        errors.append(_refuse("mode", f"{str(raw_mode)[:20]!r} is not a choice", "recent or pick"))
    mode: Literal["recent", "pick"] = "pick" if raw_mode == "pick" else "recent"
    picked: list[int] = []
    for raw in _as_list(form.get("picked")):  # "12" is one id, not the ids 1 and 2
        try:
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            picked.append(int(raw))
        except (TypeError, ValueError, OverflowError):
            errors.append(_refuse("picked", f"{str(raw)[:20]!r} is not an achievement id", FROM_THE_LIST))
    if mode == "pick" and not picked and not any(e.field == "picked" for e in errors):
        errors.append(_refuse("picked", "none picked", f"1–{MAX_PICKED} achievements from the list"))
    if len(picked) > MAX_PICKED:
        errors.append(_refuse("picked", f"{len(picked)} picked", f"1–{MAX_PICKED} achievements from the list"))
    min_value = parse_amount(form.get("min_value"), errors)
    if errors:
        return None, errors
    return GenerateRequest(
        persona_id=persona,
        platforms=platforms,
        draft_only=bool(form.get("draft_only")),
        mode=mode,
        picked=tuple(dict.fromkeys(picked)),
        min_value=min_value,
    ), []


def _as_list(raw: Any) -> list[Any]:
    """A form value that should be a list (checklist, multi-select): one value is a list of one."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, (list, tuple)):
        return list(raw)
    return [raw]


def parse_amount(raw: Any, errors: list[FieldProblem]) -> float:
    """The minimum value as a number (0 when empty); a refusal appended to `errors`."""
    accepted = "an amount of 0 or more, e.g. 10000 (empty: no minimum)"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 0.0
    try:
        value = float(str(raw).replace(",", "").replace("$", "").strip())
    except ValueError:
        errors.append(_refuse("min_value", f"{str(raw)[:20]!r} is not a number", accepted))
        return 0.0
    if not math.isfinite(value) or value < 0:
        errors.append(_refuse("min_value", f"{str(raw)[:20]} is out of range", accepted))
        return 0.0
    return value


def recent_high_impact(
    achievements: Iterable[Achievement],
    now: datetime,
    *,
    min_value: float = 0.0,
    days: int = RECENT_DAYS,
    count: int = RECENT_COUNT,
) -> list[Achievement]:
    """The highest-impact achievements completed in the last `days`, worth at least `min_value`."""
    since = now - timedelta(days=days)
    recent = [a for a in achievements if since <= a.completed_at <= now and (a.value_amount or 0) >= min_value]
    # An achievement without a score is not high-impact: it comes after every scored one.
    return sorted(
        recent,
        key=lambda a: (a.impact_score is None, -(a.impact_score or 0), -a.completed_at.timestamp(), a.id),
    )[:count]


def choose_achievements(
    achievements: list[Achievement], request: GenerateRequest, now: datetime
) -> tuple[list[Achievement], list[FieldProblem]]:
    """The achievements a draft is about, or why there are none."""
    if request.mode == "recent":
        chosen = recent_high_impact(achievements, now, min_value=request.min_value)
        if not chosen:
            problem = f"no achievement completed in the last {RECENT_DAYS} days"
            if request.min_value:
                problem += f" is worth {format_money(request.min_value, compact=False)} or more"
            return [], [_refuse("mode", problem, "a lower minimum value, or achievements picked from the list")]
        return chosen, []
    by_id = {a.id: a for a in achievements}
    chosen, errors = [], []
    for achievement_id in request.picked:
        achievement = by_id.get(achievement_id)
        if achievement is None:
            errors.append(_refuse("picked", f"achievement {achievement_id} no longer exists", FROM_THE_LIST))
        elif (achievement.value_amount or 0) < request.min_value:
            errors.append(
                _refuse(
                    "picked",
                    f"“{achievement.title[:60]}” is worth {format_money(achievement.value_amount, compact=False)}, "
                    f"below the minimum of {format_money(request.min_value, compact=False)}",
                    "achievements worth at least the minimum value, or a lower minimum",
                )
            )
        else:
            chosen.append(achievement)
    return (chosen, []) if not errors else ([], errors)


def pain_statement(achievements: Iterable[Achievement]) -> str:
    """What the orchestrator's task is asked to write about, from the chosen achievements."""
    items = []
    for a in achievements:
        facts = [] if a.impact_score is None else [f"impact {a.impact_score:.0f}/100"]
        if a.value_amount:
            facts.insert(0, f"{format_reading(a.value_reading(), compact=True)} of business value")
        items.append(f"{a.title} ({', '.join(facts)})")
    text = "Write about this recent engineering work: " + "; ".join(items) + "."
    return text if len(text) <= PAIN_STATEMENT_MAX else text[: PAIN_STATEMENT_MAX - 1] + "…"


def new_submission_id() -> str:
    """A fresh id for one submission of the Generate form."""
    return uuid.uuid4().hex


def generate_content(
    services: "DashboardServices",
    form: dict[str, Any],
    submission_id: Any,
    *,
    actor: Actor,
    now: Optional[datetime] = None,
) -> GenerateResult:
    """Write a draft (embedded) or queue a task (orchestrator), once per submission id.

    A second call with the same submission id, while the first runs or after it succeeded,
    gets the first one's outcome and writes or queues nothing: a double click, a retried
    request or a second worker cannot queue twice. A refused or failed submission is not
    remembered, so the same form can be corrected and sent again.
    """
    submission = str(submission_id or "")
    if not actor.may(Role.EDITOR):
        return GenerateResult(
            submission_id=submission, status="invalid", message=actor.refusal(Role.EDITOR, "generating content")
        )
    if not SUBMISSION_PATTERN.fullmatch(submission):
        return GenerateResult(
            submission_id=submission,
            status="invalid",
            errors=[_refuse("submission", "has no valid submission id", "a form loaded by this page")],
            message="Not sent: this form has no submission id. Reload the page and try again.",
        )
    key = f"content:submission:{submission}"
    stored = _recall(services, key)
    if stored is not None:
        return replace(stored, duplicate=True)
    with services.submission_locks.hold(key) as held:
        if not held:
            return _wait_for_first(services, key, submission)
        result = _generate(services, form, submission, now or services.clock.now())
        # A success is kept for a day; a refusal only long enough for a request waiting on
        # this one to show it, so the corrected form can be sent again with the same id.
        _remember(
            services,
            key if result.ok else key + "#refused",
            result,
            services.backend.submission_seconds if result.ok else max(1, math.ceil(services.cache.lock_seconds)),
        )
        return result


def _generate(services: "DashboardServices", form: dict[str, Any], submission: str, now: datetime) -> GenerateResult:
    result = GenerateResult(
        submission_id=submission, status="invalid", source=services.content_source.origin.service, submitted_at=now
    )
    request, errors = parse_generate_form(form)
    if request is None:  # refused: `errors` says why
        result.errors, result.message = errors, refusal_message("Not sent", errors)
        return result
    achievements = services.achievements()
    if achievements.value is None:
        result.status = "failed"
        result.message = f"Not sent: the achievements cannot be read ({achievements.error}). Your choices are kept."
        return result
    chosen, errors = choose_achievements(achievements.value, request, now)
    if errors:
        result.errors, result.message = errors, refusal_message("Not sent", errors)
        return result
    result.achievement_ids = [a.id for a in chosen]
    if services.content_source.queues_tasks:
        return _queue_task(services, request, chosen, result)
    hook, body = templates.draft_from_achievements(chosen)
    status = "draft" if request.draft_only else "ready"
    post = services.content_source.create_post(
        {
            "persona_id": request.persona_id,
            "hook": hook,
            "body": body,
            "status": status,
            "platforms": list(request.platforms),
            "quality_score": None,
            "tokens_used": None,
        }
    )
    services.invalidate_content()
    result.status, result.post, result.source = "done", post, "embedded templates"
    result.task_state = "done"
    result.message = (
        f"Post #{post.id} written as {status} from {len(chosen)} achievement"
        f"{'s' if len(chosen) != 1 else ''} by the embedded templates (no language model)."
    )
    if not request.draft_only:
        result.message += " Marked ready: publishing is not part of the embedded mode."
    return result


def _queue_task(
    services: "DashboardServices", request: GenerateRequest, chosen: list[Achievement], result: GenerateResult
) -> GenerateResult:
    posts = services.posts()
    result.baseline_post_id = max((p.id for p in posts.value or []), default=None)
    try:
        queued = services.content_source.create_task(
            request.persona_id, TASK_TYPE, pain_statement=pain_statement(chosen)
        )
    except BackendError as exc:
        result.status = "failed"
        result.message = f"Not queued: {exc}. Your choices are kept; try again."
        return result
    result.status, result.task_id, result.task_state = "queued", queued.task_id, queued.status
    result.message = (
        f"Task {queued.task_id} {queued.status} on the orchestrator for {request.persona_id}. "
        "POST /task takes a persona and a topic only: platforms and draft-only are not sent, "
        "its worker decides them."
    )
    return result


# Once per submission: the cache's backend and locks are shared by every worker (Redis) or
# by the threads of this process (no Redis). A cache outage degrades to "no de-duplication"
# across workers; the lock then holds within this process (infra/write_locks.py).


def _recall(services: "DashboardServices", key: str) -> Optional[GenerateResult]:
    try:
        stored = services.cache.backend.get(key)
    except Exception:  # noqa: BLE001
        return None
    return stored if isinstance(stored, GenerateResult) else None


def _remember(services: "DashboardServices", key: str, result: GenerateResult, seconds: int) -> None:
    try:
        services.cache.backend.set(key, result, timeout=seconds)
    except Exception:  # noqa: BLE001
        pass


def _wait_for_first(services: "DashboardServices", key: str, submission: str) -> GenerateResult:
    """The outcome of the request already sending this submission, once it has one."""
    deadline = time.monotonic() + services.cache.lock_seconds + 1
    while time.monotonic() < deadline:
        time.sleep(0.05)
        stored = _recall(services, key) or _recall(services, key + "#refused")
        if stored is not None:
            return replace(stored, duplicate=True)
    return GenerateResult(
        submission_id=submission,
        status="failed",
        message="This form was already being sent; nothing was sent twice. "
        "Its outcome did not arrive in time: check the board, then send again if needed.",
    )
