"""The activity feed: what happened, newest first, with time and who, the same for every screen.

- Achievements added, edited, undone and redone: the audit trail (one entry per write, however
  many fields it changed), with the person who did it.
- Posts generated, scheduled and published: the orchestrator's posts, by their own times.
- Services going down and coming back: the incidents of the 7-day health history.

Each source can fail on its own; the feed then shows what the others have and says which part is
missing, in words. No Dash, no Flask here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Optional, TypeVar

from dashboard.domain.models import Achievement, Post
from dashboard.infra.audit import AuditEntry
from dashboard.services.achievements.edits import FIELD_LABELS, label
from dashboard.services.achievements.writes import KEY_ACHIEVEMENTS
from dashboard.services.search import grid_search_link, post_target, post_title

if TYPE_CHECKING:
    from dashboard.services.facade import DashboardServices
    from dashboard.services.history import HistoryView

log = logging.getLogger(__name__)
_T = TypeVar("_T")

MAX_ENTRIES = 50
AUDIT_ROWS = 400
"""Audit rows read per feed: a write of many fields is many rows."""
WHAT_CHARS = 80

KINDS = {
    "create": "added",
    "update": "edited",
    "undo": "undone",
    "redo": "redone",
    "generated": "generated",
    "scheduled": "scheduled",
    "published": "published",
    "down": "down",
    "unhealthy": "unhealthy",
    "up": "back",
}
"""Each entry's kind -> the word its badge shows."""


@dataclass(frozen=True)
class Activity:
    at: datetime
    kind: str
    """One of KINDS."""
    text: str
    who: Optional[str] = None
    link: Optional[str] = None
    """A path of this dashboard (without its prefix) that shows what the entry is about."""


@dataclass(frozen=True)
class ActivityFeed:
    entries: tuple[Activity, ...]
    missing: tuple[str, ...] = ()
    """What could not be read ("posts: orchestrator is unreachable"), in words."""


def _short(text: str, limit: int = WHAT_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _column_order(name: str) -> tuple[int, str]:
    columns = list(FIELD_LABELS)
    return (columns.index(name) if name in columns else len(columns), name)


def achievement_entries(
    audit: list[AuditEntry], titles: dict[int, Achievement], *, grid: str = "/achievements"
) -> list[Activity]:
    """One entry per write: the audit rows of one write share their time, id, action and person."""
    entries = []

    def write_of(entry: AuditEntry) -> tuple[datetime, Optional[int], str, Optional[str]]:
        return (entry.at, entry.achievement_id, entry.action, entry.user)

    # A title the trail itself knows (an add, a rename), newest first: right after a write the
    # cache holds no list yet, and "#181 added" would say less than the person typed.
    written: dict[int, str] = {}
    for row in audit:
        if row.field == "title" and row.achievement_id is not None and isinstance(row.new_value, str):
            written.setdefault(row.achievement_id, row.new_value)
    for (at, achievement_id, action, user), rows in groupby(audit, key=write_of):
        # In the order of the grid's columns (the rows come newest first, the fields any order).
        fields = sorted({row.field for row in rows if row.field}, key=_column_order)
        known = titles.get(achievement_id) if achievement_id is not None else None
        name = known.title if known is not None else written.get(achievement_id or -1)
        title = f"“{_short(name)}”" if name else f"#{achievement_id}"
        if action == "create":
            text = f"Achievement {title} added"
        else:
            shown = ", ".join(label(name) for name in fields[:4]) + (" …" if len(fields) > 4 else "")
            verb = {"update": "edited", "undo": "edit undone", "redo": "edit redone"}.get(action, action)
            text = f"Achievement {title} {verb}" + (f": {shown}" if shown else "")
        link = grid_search_link(name, grid) if name else None
        entries.append(Activity(at, action if action in KINDS else "update", text, user, link))
    return entries


def post_entries(posts: list[Post], *, now: datetime, content: str = "/content") -> list[Activity]:
    entries = []
    for post in posts:
        title = f"“{_short(post_title(post))}”"
        link = post_target(post, content).href
        who = f"persona {post.persona_id}" if post.persona_id else "orchestrator"
        platforms = ", ".join(post.platforms) if post.platforms else ""
        if post.created_at is not None and post.created_at <= now:
            text = f"Post {title} generated"
            if post.status == "scheduled" and post.scheduled_at is not None:
                text += f", scheduled for {post.scheduled_at:%b %d %H:%M} UTC"
            entries.append(
                Activity(post.created_at, "scheduled" if "scheduled" in text else "generated", text, who, link)
            )
        if post.published_at is not None and post.published_at <= now:
            where = f" on {platforms}" if platforms else ""
            entries.append(Activity(post.published_at, "published", f"Post {title} published{where}", who, link))
    return entries


def health_entries(history: "HistoryView", *, system: str = "/system") -> list[Activity]:
    entries = []
    for service in history.services:
        for incident in service.incidents:
            word = "went down" if incident.status == "down" else "became unhealthy"
            entries.append(
                Activity(
                    incident.started,
                    incident.status,
                    f"{service.service} {word}: {_short(incident.error)}",
                    "health check",
                    system,
                )
            )
            if incident.ended is not None:
                lasted = incident.ended - incident.started
                minutes = max(1, round(lasted.total_seconds() / 60))
                entries.append(
                    Activity(
                        incident.ended, "up", f"{service.service} is back after {minutes} min", "health check", system
                    )
                )
    return entries


@dataclass(frozen=True)
class Links:
    """The pages entries link to, as paths of the dashboard (a page adds its prefix when it draws
    them; a host mounting the feed elsewhere may point them at its own pages)."""

    grid: str = "/achievements"
    content: str = "/content"
    system: str = "/system"


def activity_feed(
    services: "DashboardServices",
    history: Optional["HistoryView"],
    *,
    now: datetime,
    limit: int = MAX_ENTRIES,
    links: Links = Links(),
) -> ActivityFeed:
    """Every source's entries, newest first; what could not be read is said, not hidden."""
    entries: list[Activity] = []
    missing: list[str] = []
    # The titles: whatever is cached, however old (titles seldom change), so the feed never
    # refreshes the list beside the page's own read of it; the page, losing that race, would draw
    # the list before. Only with nothing cached (just after a write) is it read, and then both
    # readers wait on the one fetch. Posts are the feed's own data: read as any page reads them.
    achievements = services.cache.peek(KEY_ACHIEVEMENTS) or services.achievements()
    posts = services.posts()
    if services.audit is not None:
        try:
            audit = services.audit.recent(AUDIT_ROWS)
        except Exception as exc:  # noqa: BLE001 - the trail's file unreadable: the rest still shows
            log.warning("activity: the audit trail is unreadable: %s", exc)
            missing.append(f"edits: the audit trail cannot be read ({type(exc).__name__})")
        else:
            titles = {a.id: a for a in achievements.value or []}
            entries += achievement_entries(audit, titles, grid=links.grid)
    if posts.value is None:
        missing.append(f"posts: {posts.error or 'not loaded yet'}")
    else:
        entries += post_entries(posts.value, now=now, content=links.content)
    if history is not None:
        if history.error:
            missing.append(f"services: {history.error}")
        else:
            entries += health_entries(history, system=links.system)
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return ActivityFeed(tuple(entries[:limit]), tuple(missing))


__all__ = [
    "KINDS",
    "Activity",
    "ActivityFeed",
    "Links",
    "achievement_entries",
    "activity_feed",
    "health_entries",
    "post_entries",
]
