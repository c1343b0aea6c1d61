"""The content pipeline's operations: posts by status, edits, status changes, previews, generation.

Each function takes the `DashboardServices` instance and works on whichever source is
configured: the orchestrator over HTTP, or the embedded store. They never raise to a page:
every outcome is a typed result whose message says what happened and, on a refusal, what is
accepted; the user's input is kept in the result so a page can show it again.

What each source can do differs, and the results say so rather than pretending:
- the real orchestrator stores only hook and body (its PUT accepts status but drops it), so a
  status change against it is refused as read-only; the embedded store does all of it;
- "generate" queues a task (POST /task) on the orchestrator, whose answer is only a task id
  (there is no task-status endpoint), and writes a draft with our own templates when embedded.

No Dash, no Flask.
"""

from __future__ import annotations

import math
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Iterable, Literal, Optional

from dashboard.domain.actors import Actor, Role
from dashboard.domain.business_value import format_money, format_reading
from dashboard.domain.errors import BackendError
from dashboard.domain.models import PLATFORMS, Achievement, Post
from dashboard.services.content import templates
from dashboard.sources.clients.orchestrator import Adaptation

if TYPE_CHECKING:
    from dashboard.services.facade import DashboardServices

STATUS_ORDER = ("draft", "ready", "scheduled", "published", "failed")
"""Board columns, in pipeline order."""
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("ready",),
    "ready": ("scheduled", "draft"),
    "scheduled": ("published", "ready"),
    "published": (),
    "failed": ("draft",),
}
"""Status changes offered from each status: one step forward, or one step back."""
GENERATE_PLATFORMS = ("dev.to", "linkedin", "threads", "medium")
PLATFORM_LABELS = {
    "dev.to": "Dev.to",
    "linkedin": "LinkedIn",
    "threads": "Threads",
    "medium": "Medium",
    "github": "GitHub",
}
HOOK_MAX = 500
"""A hook must fit in one Threads post."""
BODY_MAX = 20_000
PERSONA_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
RECENT_DAYS = 30
RECENT_COUNT = 3
MAX_PICKED = 5
FROM_THE_LIST = "achievements from the list"
TASK_TYPE = "create_post"
"""The task the orchestrator's worker turns into a post (its own tests queue this one)."""
PAIN_STATEMENT_MAX = 1_000
SUBMISSION_PATTERN = re.compile(r"[0-9a-f]{32}")
SUBMISSION_TTL_SECONDS = 86_400
READ_ONLY_STATUS = (
    "Status is read-only here: the orchestrator stores only a post's hook and body today, "
    "so a status change sent to it would not be kept."
)

LABELS = {
    "hook": "Hook",
    "body": "Body",
    "status": "Status",
    "scheduled_at": "Schedule for",
    "platforms": "Platforms",
    "persona_id": "Persona",
    "mode": "Achievements",
    "picked": "Achievements",
    "min_value": "Minimum value",
    "submission": "Form",
}


@dataclass(frozen=True)
class FormError:
    """One refused field: what was wrong and what is accepted."""

    field: str
    message: str
    accepted: str

    def __str__(self) -> str:
        return f"{LABELS.get(self.field, self.field)}: {self.message} (accepted: {self.accepted})"


@dataclass
class PostResult:
    """What happened to an edit or a status change; `post` is what is stored now, when known."""

    post_id: Optional[int]
    status: Literal["saved", "invalid", "conflict", "busy", "failed", "not_found", "read_only", "forbidden"]
    """busy: another save of the same post was running; nothing was written, retry."""
    post: Optional[Post] = None
    errors: list[FormError] = field(default_factory=list)
    message: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    """The user's input as sent, kept for a retry."""

    @property
    def ok(self) -> bool:
        return self.status == "saved"


@dataclass
class AdaptResult:
    """A post's adaptations, where they came from, and which platforms got none."""

    post_id: int
    source: str
    adaptations: list[Adaptation] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: Optional[str] = None


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
    errors: list[FormError] = field(default_factory=list)
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

    def as_job(self) -> dict:
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


# Reading -----------------------------------------------------------------------------------------


def source_name(services: "DashboardServices") -> str:
    return "orchestrator" if services.orchestrator_client is not None else "embedded store"


def status_is_editable(services: "DashboardServices") -> bool:
    """Only the embedded store keeps a status change."""
    return services.orchestrator_client is None


def newest_first(posts: Iterable[Post]) -> list[Post]:
    return sorted(posts, key=lambda p: (p.created_at or datetime.min, p.id), reverse=True)


def group_by_status(posts: Iterable[Post], *, platform: Optional[str] = None) -> dict[str, list[Post]]:
    """Posts per status, newest first; every pipeline status present (maybe empty), unknown
    statuses after them, so nothing a backend sends disappears from the board."""
    groups: dict[str, list[Post]] = {status: [] for status in STATUS_ORDER}
    for post in newest_first(posts):
        if platform and platform not in post.platforms:
            continue
        groups.setdefault(post.status, []).append(post)
    return groups


def known_personas(posts: Iterable[Post]) -> list[str]:
    """Personas seen in the posts, most frequent first."""
    counts = Counter(p.persona_id for p in posts if p.persona_id)
    return sorted(counts, key=lambda name: (-counts[name], name))


def new_posts_since(posts: Iterable[Post], baseline_post_id: Optional[int]) -> list[Post]:
    """Posts with an id above the baseline, newest first (ids grow as posts are created)."""
    if baseline_post_id is None:
        return []
    return newest_first(p for p in posts if p.id > baseline_post_id)


def get_post(services: "DashboardServices", post_id: int) -> Optional[Post]:
    """The stored post now, read past the cache; None when it does not exist.

    Raises BackendError when the orchestrator cannot be read.
    """
    if services.orchestrator_client is None:
        return services.store.get_post(int(post_id))
    try:
        return services.orchestrator_client.get_post(int(post_id))
    except BackendError as exc:
        if exc.status == 404:
            return None
        raise


# Editing -----------------------------------------------------------------------------------------


def validate_text(hook: Any, body: Any) -> tuple[dict[str, str], list[FormError]]:
    """({"hook", "body"} trimmed, refusals) for an edit of a post's text."""
    values: dict[str, str] = {}
    errors: list[FormError] = []
    for name, raw, limit in (("hook", hook, HOOK_MAX), ("body", body, BODY_MAX)):
        text = "" if raw is None else str(raw).strip()
        accepted = f"text of 1–{limit:,} characters"
        if not text:
            errors.append(FormError(name, "must not be empty", accepted))
        elif len(text) > limit:
            errors.append(FormError(name, f"is {len(text):,} characters long", accepted))
        else:
            values[name] = text
    return values, errors


def save_post(
    services: "DashboardServices",
    post_id: int,
    hook: Any,
    body: Any,
    *,
    actor: Actor,
    expected: Optional[dict] = None,
    force: bool = False,
) -> PostResult:
    """Save a post's hook and body, unless they changed since `expected` (what the editor loaded).

    Against the orchestrator this is a PUT with only hook and body (all it stores).
    """
    result = PostResult(post_id=post_id, status="invalid", changes={"hook": hook, "body": body})
    if not actor.may(Role.EDITOR):
        result.status, result.message = "forbidden", actor.refusal(Role.EDITOR, "editing posts")
        return result
    values, errors = validate_text(hook, body)
    if errors:
        result.errors = errors
        result.message = "Not saved: " + "; ".join(str(e) for e in errors)
        return result
    # The orchestrator has no If-Match: read, compare and write one save at a time per post,
    # across workers and replicas (services/write_locks.py), or two editors are both told "saved".
    with services.write_locks.hold(f"post:{post_id}") as held:
        if not held:
            result.status = "busy"
            result.message = (
                "Not saved: someone else is saving this post right now. Your text is kept; try again in a moment."
            )
            return result
        return _save_post_holding_lock(services, result, post_id, values, expected, force)


def _save_post_holding_lock(
    services: "DashboardServices", result: PostResult, post_id: int, values: dict, expected: Optional[dict], force: bool
) -> PostResult:
    try:
        current = get_post(services, post_id)
    except BackendError as exc:
        result.status = "failed"
        result.message = f"Not saved: could not read the post ({exc}). Your text is kept; retry."
        return result
    if current is None:
        result.status, result.message = "not_found", f"Post {post_id} no longer exists."
        return result
    result.post = current
    changes = {name: value for name, value in values.items() if value != getattr(current, name)}
    if not changes:
        result.status, result.message = "saved", "No change."
        return result
    if (
        expected
        and not force
        and any(name in expected and expected[name] != getattr(current, name) for name in ("hook", "body"))
    ):
        services.invalidate_content()
        result.status = "conflict"
        result.message = (
            "Changed elsewhere since you opened it. Nothing was saved; "
            "“Save anyway” replaces the stored text with yours."
        )
        return result
    try:
        if services.orchestrator_client is not None:
            saved = services.orchestrator_client.update_post(post_id, **changes)
        else:
            saved = services.store.update_post(post_id, changes)
    except KeyError:
        result.status, result.message = "not_found", f"Post {post_id} no longer exists."
        return result
    except BackendError as exc:
        if exc.status == 404:
            result.status, result.message = "not_found", f"Post {post_id} no longer exists."
        elif exc.status == 422:
            result.message = f"Refused by the orchestrator: {exc}"
        else:
            result.status = "failed"
            result.message = f"{exc.outcome('Not saved')}: {exc}. Your text is kept; retry when the service is back."
        return result
    services.invalidate_content()
    result.status, result.post = "saved", saved
    result.message = "Saved " + " and ".join(name for name in ("hook", "body") if name in changes) + "."
    return result


def change_status(
    services: "DashboardServices",
    post_id: int,
    target: Any,
    *,
    actor: Actor,
    scheduled_at: Any = None,
    now: Optional[datetime] = None,
) -> PostResult:
    """Move a post along the pipeline (embedded store only; read-only against the orchestrator)."""
    result = PostResult(post_id=post_id, status="invalid", changes={"status": target, "scheduled_at": scheduled_at})
    if not actor.may(Role.EDITOR):
        result.status, result.message = "forbidden", actor.refusal(Role.EDITOR, "moving posts")
        return result
    if not status_is_editable(services):
        result.status, result.message = "read_only", READ_ONLY_STATUS
        return result
    now = now or services.clock.now()
    current = services.store.get_post(int(post_id))
    if current is None:
        result.status, result.message = "not_found", f"Post {post_id} no longer exists."
        return result
    result.post = current
    allowed = TRANSITIONS.get(current.status, ())
    if target not in allowed:
        accepted = ", ".join(allowed) or "none: this status is final"
        error = FormError("status", f"cannot go from {current.status} to {str(target)[:20]}", accepted)
        result.errors, result.message = [error], f"Not changed: {error}"
        return result
    changes: dict[str, Any] = {"status": target}
    if target == "scheduled":
        when, error = _future_time(scheduled_at, now)
        if error:
            result.errors, result.message = [error], f"Not scheduled: {error}"
            return result
        changes["scheduled_at"] = when
    elif target == "published":
        changes["published_at"] = now
    else:
        changes.update(scheduled_at=None, published_at=None)
    try:
        saved = services.store.update_post(int(post_id), changes)
    except KeyError:
        result.status, result.message = "not_found", f"Post {post_id} no longer exists."
        return result
    services.invalidate_content()
    result.status, result.post = "saved", saved
    result.message = f"Moved from {current.status} to {target}"
    if target == "scheduled":
        result.message += f" (for {saved.scheduled_at:%Y-%m-%d %H:%M} UTC)"
    result.message += "."
    return result


def _future_time(raw: Any, now: datetime) -> tuple[Optional[datetime], Optional[FormError]]:
    accepted = "a date and time in the future, in UTC, e.g. 2026-11-26T09:30"
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None, FormError("scheduled_at", "is required to schedule a post", accepted)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None, FormError("scheduled_at", f"{text[:40]!r} is not a date and time", accepted)
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # 0001-01-01T00:00+05:00 is before the first moment in UTC
            return None, FormError("scheduled_at", f"{text[:40]!r} is out of range", accepted)
    if moment <= now:
        return None, FormError("scheduled_at", f"{moment:%Y-%m-%d %H:%M} is in the past", accepted)
    return moment, None


# Adaptation preview ------------------------------------------------------------------------------


def adapt_preview(services: "DashboardServices", post_id: int, platforms: Any, *, actor: Actor) -> AdaptResult:
    """The stored post adapted per platform: by the orchestrator, or by our templates."""
    source = "orchestrator" if services.orchestrator_client is not None else "embedded templates"
    result = AdaptResult(post_id=post_id, source=source)
    if not actor.may(Role.EDITOR):
        # Adapting asks the orchestrator to do work on the post; it is part of editing.
        result.error = actor.refusal(Role.EDITOR, "adapting posts")
        return result
    chosen = [p for p in PLATFORMS if p in set(platforms or [])]
    unknown = [str(p) for p in (platforms or []) if p not in PLATFORMS]
    if unknown or not chosen:
        result.error = (
            f"Platforms: {', '.join(unknown) or 'none chosen'} (accepted: one or more of {', '.join(PLATFORMS)})"
        )
        return result
    if services.orchestrator_client is not None:
        try:
            result.adaptations = services.orchestrator_client.adapt_post(post_id, chosen)
        except BackendError as exc:
            result.error = f"No preview: {exc}"
            return result
    else:
        post = services.store.get_post(int(post_id))
        if post is None:
            result.error = f"Post {post_id} no longer exists."
            return result
        result.adaptations = [templates.adapt(post, platform) for platform in chosen]
    returned = {a.platform for a in result.adaptations}
    result.missing = [p for p in chosen if p not in returned]
    return result


# Generation --------------------------------------------------------------------------------------


def parse_generate_form(form: dict) -> tuple[Optional[GenerateRequest], list[FormError]]:
    """The Generate form, validated; None and the refusals when anything is wrong."""
    errors: list[FormError] = []
    persona = str(form.get("persona_id") or "").strip()
    if not PERSONA_PATTERN.fullmatch(persona):
        problem = "is required" if not persona else f"{persona[:40]!r} is not a persona id"
        errors.append(FormError("persona_id", problem, "letters, digits, - _ . (1–64 characters), e.g. ai-engineer"))
    raw_platforms = _as_list(form.get("platforms"))
    platforms = tuple(p for p in GENERATE_PLATFORMS if p in raw_platforms)
    unknown = [str(p) for p in raw_platforms if p not in GENERATE_PLATFORMS]
    if unknown or not platforms:
        problem = f"{', '.join(unknown)[:60]} not offered" if unknown else "none chosen"
        errors.append(
            FormError(
                "platforms", problem, "one or more of " + ", ".join(PLATFORM_LABELS[p] for p in GENERATE_PLATFORMS)
            )
        )
    mode = form.get("mode") or "recent"
    if mode not in ("recent", "pick"):
        errors.append(FormError("mode", f"{str(mode)[:20]!r} is not a choice", "recent or pick"))
    picked: list[int] = []
    for raw in _as_list(form.get("picked")):  # "12" is one id, not the ids 1 and 2
        try:
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            picked.append(int(raw))
        except (TypeError, ValueError, OverflowError):
            errors.append(FormError("picked", f"{str(raw)[:20]!r} is not an achievement id", FROM_THE_LIST))
    if mode == "pick" and not picked and not any(e.field == "picked" for e in errors):
        errors.append(FormError("picked", "none picked", f"1–{MAX_PICKED} achievements from the list"))
    if len(picked) > MAX_PICKED:
        errors.append(FormError("picked", f"{len(picked)} picked", f"1–{MAX_PICKED} achievements from the list"))
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


def _as_list(raw: Any) -> list:
    """A form value that should be a list (checklist, multi-select): one value is a list of one."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, (list, tuple)):
        return list(raw)
    return [raw]


def parse_amount(raw: Any, errors: list[FormError]) -> float:
    """The minimum value as a number (0 when empty); a refusal appended to `errors`."""
    accepted = "an amount of 0 or more, e.g. 10000 (empty: no minimum)"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return 0.0
    try:
        value = float(str(raw).replace(",", "").replace("$", "").strip())
    except ValueError:
        errors.append(FormError("min_value", f"{str(raw)[:20]!r} is not a number", accepted))
        return 0.0
    if not math.isfinite(value) or value < 0:
        errors.append(FormError("min_value", f"{str(raw)[:20]} is out of range", accepted))
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
    return sorted(recent, key=lambda a: (-a.impact_score, -a.completed_at.timestamp(), a.id))[:count]


def choose_achievements(
    achievements: list[Achievement], request: GenerateRequest, now: datetime
) -> tuple[list[Achievement], list[FormError]]:
    """The achievements a draft is about, or why there are none."""
    if request.mode == "recent":
        chosen = recent_high_impact(achievements, now, min_value=request.min_value)
        if not chosen:
            problem = f"no achievement completed in the last {RECENT_DAYS} days"
            if request.min_value:
                problem += f" is worth {format_money(request.min_value, compact=False)} or more"
            return [], [FormError("mode", problem, "a lower minimum value, or achievements picked from the list")]
        return chosen, []
    by_id = {a.id: a for a in achievements}
    chosen, errors = [], []
    for achievement_id in request.picked:
        achievement = by_id.get(achievement_id)
        if achievement is None:
            errors.append(FormError("picked", f"achievement {achievement_id} no longer exists", FROM_THE_LIST))
        elif (achievement.value_amount or 0) < request.min_value:
            errors.append(
                FormError(
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
        facts = [f"impact {a.impact_score:.0f}/100"]
        if a.value_amount:
            facts.insert(0, f"{format_reading(a.value_reading(), compact=True)} of business value")
        items.append(f"{a.title} ({', '.join(facts)})")
    text = "Write about this recent engineering work: " + "; ".join(items) + "."
    return text if len(text) <= PAIN_STATEMENT_MAX else text[: PAIN_STATEMENT_MAX - 1] + "…"


def new_submission_id() -> str:
    """A fresh id for one submission of the Generate form."""
    return uuid.uuid4().hex


def generate_content(
    services: "DashboardServices", form: dict, submission_id: Any, *, actor: Actor, now: Optional[datetime] = None
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
            errors=[FormError("submission", "has no valid submission id", "a form loaded by this page")],
            message="Not sent: this form has no submission id. Reload the page and try again.",
        )
    key = f"content:submission:{submission}"
    stored = _recall(services, key)
    if stored is not None:
        return replace(stored, duplicate=True)
    token = _acquire(services, key)
    if token is None:
        return _wait_for_first(services, key, submission)
    try:
        result = _generate(services, form, submission, now or services.clock.now())
        # A success is kept for a day; a refusal only long enough for a request waiting on
        # this one to show it, so the corrected form can be sent again with the same id.
        _remember(
            services,
            key if result.ok else key + "#refused",
            result,
            SUBMISSION_TTL_SECONDS if result.ok else max(1, math.ceil(services.cache.lock_seconds)),
        )
        return result
    finally:
        _release(services, key, token)


def _generate(services: "DashboardServices", form: dict, submission: str, now: datetime) -> GenerateResult:
    result = GenerateResult(submission_id=submission, status="invalid", source=source_name(services), submitted_at=now)
    request, errors = parse_generate_form(form)
    if errors:
        result.errors, result.message = errors, "Not sent: " + "; ".join(str(e) for e in errors)
        return result
    achievements = services.achievements()
    if achievements.value is None:
        result.status = "failed"
        result.message = f"Not sent: the achievements cannot be read ({achievements.error}). Your choices are kept."
        return result
    chosen, errors = choose_achievements(achievements.value, request, now)
    if errors:
        result.errors, result.message = errors, "Not sent: " + "; ".join(str(e) for e in errors)
        return result
    result.achievement_ids = [a.id for a in chosen]
    if services.orchestrator_client is not None:
        return _queue_task(services, request, chosen, result)
    hook, body = templates.draft_from_achievements(chosen)
    status = "draft" if request.draft_only else "ready"
    post = services.store.create_post(
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


def _queue_task(services, request: GenerateRequest, chosen: list[Achievement], result: GenerateResult):
    posts = services.posts()
    result.baseline_post_id = max((p.id for p in posts.value or []), default=None)
    try:
        queued = services.orchestrator_client.create_task(
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
# by the threads of this process (no Redis). A cache outage degrades to "no de-duplication".


def _recall(services, key: str) -> Optional[GenerateResult]:
    try:
        stored = services.cache.backend.get(key)
    except Exception:  # noqa: BLE001
        return None
    return stored if isinstance(stored, GenerateResult) else None


def _remember(services, key: str, result: GenerateResult, seconds: int) -> None:
    try:
        services.cache.backend.set(key, result, timeout=seconds)
    except Exception:  # noqa: BLE001
        pass


def _acquire(services, key: str) -> Optional[str]:
    try:
        return services.cache.locks.acquire(key, services.cache.lock_seconds)
    except Exception:  # noqa: BLE001
        return "unlocked"


def _release(services, key: str, token: str) -> None:
    if token == "unlocked":
        return
    try:
        services.cache.locks.release(key, token)
    except Exception:  # noqa: BLE001
        pass


def _wait_for_first(services, key: str, submission: str) -> GenerateResult:
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
