"""The content pipeline's operations: posts by status, edits, status changes, previews, generation.

Each function takes the `DashboardServices` instance and works on its content source (chosen
once by the factory: the orchestrator over HTTP, or the embedded store). They never raise to a page:
every outcome is a typed result whose message says what happened and, on a refusal, what is
accepted; the user's input is kept in the result so a page can show it again.

What each source can do differs, and the results say so rather than pretending:
- the real orchestrator stores only hook and body (its PUT accepts status but drops it), so a
  status change against it is refused as read-only; the embedded store does all of it;
- "generate" queues a task (POST /task) on the orchestrator, whose answer is only a task id
  (there is no task-status endpoint), and writes a draft with our own templates when embedded
  (services/content/generate.py, whose names this module also offers to the pages).

No Dash, no Flask.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable, Optional

from dashboard.domain.actors import Actor, Role
from dashboard.domain.clock import to_naive_utc
from dashboard.domain.errors import BackendError, NotFound
from dashboard.domain.models import Post
from dashboard.domain.outcomes import FieldProblem, PostResult, refusal_message, refusals
from dashboard.domain.platforms import CONTENT_PLATFORMS, PLATFORM_LABELS, THREADS_LIMIT
from dashboard.services.content.generate import LABELS as GENERATE_LABELS
from dashboard.services.content.generate import (  # the pages and tests read them here too
    MAX_PICKED,
    PAIN_STATEMENT_MAX,
    PERSONA_PATTERN,
    RECENT_COUNT,
    RECENT_DAYS,
    GenerateRequest,
    GenerateResult,
    choose_achievements,
    generate_content,
    new_submission_id,
    pain_statement,
    parse_amount,
    parse_generate_form,
    recent_high_impact,
)
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
HOOK_MAX = THREADS_LIMIT
"""A hook must fit in one Threads post."""
POST_ID_MAX = 2**63 - 1
"""The largest id a post can have: SQLite's (and the orchestrator's Postgres bigint) largest integer."""
BODY_MAX = 20_000
READ_ONLY_STATUS = (
    "Status is read-only here: the orchestrator stores only a post's hook and body today, "
    "so a status change sent to it would not be kept."
)

LABELS = {"hook": "Hook", "body": "Body", "status": "Status", "scheduled_at": "Schedule for", **GENERATE_LABELS}

"""A post's field refused (the one shape of domain/outcomes.py)."""
_refuse = refusals(LABELS)


@dataclass
class AdaptResult:
    """A post's adaptations, where they came from, and which platforms got none."""

    post_id: int
    source: str
    adaptations: list[Adaptation] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: Optional[str] = None


# Reading -----------------------------------------------------------------------------------------


def source_name(services: "DashboardServices") -> str:
    return services.content_source.origin.service


def status_is_editable(services: "DashboardServices") -> bool:
    """Only the embedded store keeps a status change."""
    return services.content_source.status_is_editable


def queues_tasks(services: "DashboardServices") -> bool:
    """Generation queues a task on the orchestrator, rather than writing a draft at once."""
    return services.content_source.queues_tasks


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


def parse_post_id(raw: Any) -> Optional[int]:
    """A post id from what a URL or a request holds ("12" or 12), or None when it cannot be one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 1 <= raw <= POST_ID_MAX else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:  # "١٢" is a digit to isdigit()
        return None
    post_id = int(text)
    return post_id if 1 <= post_id <= POST_ID_MAX else None


def not_found_message(post_id: Any) -> str:
    """What the page says of a post that is not there, naming the id as given (cut when long)."""
    rule = "a post id is a positive whole number."
    if isinstance(post_id, int) and abs(post_id) >= 10**40:  # a huge int has no str() past 4,300 digits
        return f"A number of more than 40 digits is not a post id: {rule}"
    shown = " ".join(str(post_id)[:200].split())
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    if parse_post_id(post_id) is None:
        return f"“{shown}” is not a post id: {rule}"
    return f"No post has the id {shown}."


def get_post(services: "DashboardServices", post_id: Any) -> Optional[Post]:
    """The stored post now, read past the cache; None when it does not exist (or `post_id` cannot
    be an id).

    Raises BackendError when the orchestrator cannot be read.
    """
    parsed = parse_post_id(post_id)
    if parsed is None:
        return None
    try:
        return services.content_source.get_post(parsed)
    except NotFound:
        return None


# Editing -----------------------------------------------------------------------------------------


def validate_text(hook: Any, body: Any) -> tuple[dict[str, str], list[FieldProblem]]:
    """({"hook", "body"} trimmed, refusals) for an edit of a post's text."""
    values: dict[str, str] = {}
    errors: list[FieldProblem] = []
    for name, raw, limit in (("hook", hook, HOOK_MAX), ("body", body, BODY_MAX)):
        text = "" if raw is None else str(raw).strip()
        accepted = f"text of 1–{limit:,} characters"
        if not text:
            errors.append(_refuse(name, "must not be empty", accepted))
        elif len(text) > limit:
            errors.append(_refuse(name, f"is {len(text):,} characters long", accepted))
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
    expected: Optional[dict[str, Any]] = None,
    force: bool = False,
) -> PostResult:
    """Save a post's hook and body, unless they changed since `expected` (what the editor loaded).

    Against the orchestrator this is a PUT with only hook and body (all it stores).
    """
    result = PostResult(post_id=post_id, status="invalid", changes={"hook": hook, "body": body})
    if not actor.may(Role.EDITOR):
        result.status, result.message = "forbidden", actor.refusal(Role.EDITOR, "editing posts")
        return result
    if parse_post_id(post_id) is None:
        result.status, result.message = "not_found", "Not saved: " + not_found_message(post_id)
        return result
    values, errors = validate_text(hook, body)
    if errors:
        result.errors = errors
        result.message = refusal_message("Not saved", errors)
        return result
    # The orchestrator has no If-Match: read, compare and write one save at a time per post,
    # across workers and replicas (services/write_locks.py), or two editors are both told "saved".
    with services.write_locks.hold(f"post:{post_id}") as held:
        if not held:
            return result.busy("post", "Your text is kept")
        return _save_post_holding_lock(services, result, post_id, values, expected, force)


def _save_post_holding_lock(
    services: "DashboardServices",
    result: PostResult,
    post_id: int,
    values: dict[str, str],
    expected: Optional[dict[str, Any]],
    force: bool,
) -> PostResult:
    try:
        current = get_post(services, post_id)
    except BackendError as exc:
        result.status = "failed"
        result.message = f"Not saved: could not read the post ({exc}). Your text is kept; retry."
        return result
    if current is None:
        result.status, result.message = "not_found", "Not saved: " + not_found_message(post_id)
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
        saved = services.content_source.update_post(post_id, changes)
    except NotFound:
        result.status, result.message = "not_found", not_found_message(post_id)
        return result
    except BackendError as exc:
        if exc.status == 422:
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
    current = get_post(services, post_id)
    if current is None:
        result.status, result.message = "not_found", not_found_message(post_id)
        return result
    result.post = current
    allowed = TRANSITIONS.get(current.status, ())
    if target not in allowed:
        accepted = ", ".join(allowed) or "none: this status is final"
        error = _refuse("status", f"cannot go from {current.status} to {str(target)[:20]}", accepted)
        result.errors, result.message = [error], f"Not changed: {error}"
        return result
    changes: dict[str, Any] = {"status": target}
    if target == "scheduled":
        when, problem = _future_time(scheduled_at, now)
        if problem:
            result.errors, result.message = [problem], f"Not scheduled: {problem}"
            return result
        changes["scheduled_at"] = when
    elif target == "published":
        changes["published_at"] = now
    else:
        changes.update(scheduled_at=None, published_at=None)
    try:
        saved = services.content_source.update_post(int(post_id), changes)
    except NotFound:
        result.status, result.message = "not_found", not_found_message(post_id)
        return result
    services.invalidate_content()
    result.status, result.post = "saved", saved
    result.message = f"Moved from {current.status} to {target}"
    if target == "scheduled":
        result.message += f" (for {saved.scheduled_at:%Y-%m-%d %H:%M} UTC)"
    result.message += "."
    return result


def _future_time(raw: Any, now: datetime) -> tuple[Optional[datetime], Optional[FieldProblem]]:
    accepted = "a date and time in the future, in UTC, e.g. 2026-11-26T09:30"
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None, _refuse("scheduled_at", "is required to schedule a post", accepted)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None, _refuse("scheduled_at", f"{text[:40]!r} is not a date and time", accepted)
    try:
        moment = to_naive_utc(moment)
    except OverflowError:  # 0001-01-01T00:00+05:00 is before the first moment in UTC
        return None, _refuse("scheduled_at", f"{text[:40]!r} is out of range", accepted)
    if moment <= now:
        return None, _refuse("scheduled_at", f"{moment:%Y-%m-%d %H:%M} is in the past", accepted)
    return moment, None


# Adaptation preview ------------------------------------------------------------------------------


def adapt_preview(services: "DashboardServices", post_id: int, platforms: Any, *, actor: Actor) -> AdaptResult:
    """The stored post adapted per platform: by the orchestrator, or by our templates."""
    result = AdaptResult(post_id=post_id, source=services.content_source.adapter_name)
    if not actor.may(Role.EDITOR):
        # Adapting asks the orchestrator to do work on the post; it is part of editing.
        result.error = actor.refusal(Role.EDITOR, "adapting posts")
        return result
    post = parse_post_id(post_id)
    if post is None:
        result.error = not_found_message(post_id)
        return result
    asked = platforms if isinstance(platforms, list) else []
    chosen = [p for p in CONTENT_PLATFORMS if p in asked]
    unknown = [str(p)[:20] for p in asked if p not in CONTENT_PLATFORMS][:5]
    if unknown or not chosen:
        accepted = ", ".join(PLATFORM_LABELS[p] for p in CONTENT_PLATFORMS)
        result.error = f"Platforms: {', '.join(unknown) or 'none chosen'} (accepted: one or more of {accepted})"
        return result
    try:
        result.adaptations = services.content_source.adapt_post(post, chosen)
    except NotFound:
        result.error = not_found_message(post_id)
        return result
    except BackendError as exc:
        result.error = f"No preview: {exc}"
        return result
    returned = {a.platform for a in result.adaptations}
    result.missing = [p for p in chosen if p not in returned]
    return result


__all__ = [
    "AdaptResult",
    "BODY_MAX",
    "CONTENT_PLATFORMS",
    "GenerateRequest",
    "GenerateResult",
    "HOOK_MAX",
    "LABELS",
    "MAX_PICKED",
    "PAIN_STATEMENT_MAX",
    "PERSONA_PATTERN",
    "PLATFORM_LABELS",
    "POST_ID_MAX",
    "PostResult",
    "READ_ONLY_STATUS",
    "RECENT_COUNT",
    "RECENT_DAYS",
    "STATUS_ORDER",
    "TRANSITIONS",
    "adapt_preview",
    "change_status",
    "choose_achievements",
    "generate_content",
    "get_post",
    "group_by_status",
    "known_personas",
    "new_posts_since",
    "new_submission_id",
    "not_found_message",
    "parse_post_id",
    "newest_first",
    "pain_statement",
    "parse_amount",
    "parse_generate_form",
    "queues_tasks",
    "recent_high_impact",
    "save_post",
    "source_name",
    "status_is_editable",
    "validate_text",
]
