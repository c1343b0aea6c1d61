"""Saved views of the Achievements grid: a person names the grid's current state and gets it back.

A view is a name and the grid's link (grid_state's query string, read and written back here, so
only a state the grid can show is kept). Names are 1–60 characters once trimmed and put in
Unicode NFC, without control characters; a person keeps at most MAX_VIEWS. Each person's views
are their own (the actor's `via:name`), kept where the deployment keeps shared state
(infra/saved_views.py). Storage that fails is said, never raised.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import parse_qsl, urlencode

from dashboard.infra.saved_views import ViewStore, view_store
from dashboard.services.achievements.grid_state import parse_state

log = logging.getLogger(__name__)

MAX_VIEWS = 20
"""Views per person: a menu that still reads at a glance."""
MAX_NAME = 60
MAX_QUERY = 4000
"""Characters of a view's link (a dozen filters at their longest is far less)."""
KEY_PREFIX = "threads-dashboard:views:"


@dataclass(frozen=True)
class SavedView:
    name: str
    query: str
    """The grid's part of the link, without "?" ("" for the default view)."""
    saved_at: float


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    views: list[SavedView]


def check_name(raw: Any) -> tuple[Optional[str], str]:
    """(the name to keep, "") or (None, why not)."""
    if not isinstance(raw, str) or not raw.strip():
        return None, "Name the view first (1–60 characters)."
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in name):
        return None, "A view's name cannot hold control or invisible characters."
    if len(name) > MAX_NAME:
        return None, f"A view's name is at most {MAX_NAME} characters (this one has {len(name):,})."
    return name, ""


def canonical_query(search: Any) -> Optional[str]:
    """The grid's part of a link ('?sort=…&q=…'), read and written back; None when too long."""
    if not isinstance(search, str) or len(search) > MAX_QUERY:
        return None
    query: dict[str, Any] = {}
    for key, value in parse_qsl(search.lstrip("?"), keep_blank_values=True):
        query.setdefault(key, []).append(value)
    state, _ = parse_state({k: v[0] if len(v) == 1 else v for k, v in query.items()})
    return urlencode(state.query(), doseq=True).replace("%2C", ",")


class SavedViews:
    def __init__(self, store: ViewStore, clock: Callable[[], float]):
        self.store = store
        self.clock = clock

    @classmethod
    def open(cls, redis_client: Any, data_dir: Path, clock: Callable[[], float]) -> "SavedViews":
        return cls(view_store(redis_client, data_dir, prefix=KEY_PREFIX), clock)

    def views(self, owner: str) -> Outcome:
        try:
            found = sorted(self.store.views(owner), key=lambda v: v[0].casefold())
        except Exception as exc:  # noqa: BLE001 - storage down: said, and the grid goes on
            log.warning("saved views unreadable: %s", exc)
            return Outcome(False, f"Saved views cannot be read now ({type(exc).__name__}).", [])
        return Outcome(True, "", [SavedView(*v) for v in found[:MAX_VIEWS]])

    def save(self, owner: str, raw_name: Any, search: Any) -> Outcome:
        name, why = check_name(raw_name)
        query = canonical_query(search)
        if name is None or query is None:
            return Outcome(False, why or "This view's link is too long to keep.", self.views(owner).views)
        try:
            saved = self.store.put(owner, name, query, self.clock(), limit=MAX_VIEWS)
        except Exception as exc:  # noqa: BLE001
            log.warning("saved view not written: %s", exc)
            return Outcome(False, f"“{name}” was not saved: the storage did not answer ({type(exc).__name__}).", [])
        if not saved:
            message = f"You have {MAX_VIEWS} saved views, the most kept: delete one to save “{name}”."
            return Outcome(False, message, self.views(owner).views)
        return Outcome(True, f"Saved “{name}”.", self.views(owner).views)

    def delete(self, owner: str, raw_name: Any) -> Outcome:
        if not isinstance(raw_name, str) or len(raw_name) > MAX_NAME * 4:
            return Outcome(False, "No such view.", self.views(owner).views)
        try:
            self.store.delete(owner, raw_name)
        except Exception as exc:  # noqa: BLE001
            return Outcome(False, f"“{raw_name}” was not deleted ({type(exc).__name__}).", [])
        return Outcome(True, f"Deleted “{raw_name}”.", self.views(owner).views)
