"""The one door pages use for data: typed, cached reads that carry their freshness.

Each data set has a cache key and a source: the HTTP client when its service is configured,
the embedded store otherwise. Pages never see a client, a store or an exception.
"""

from __future__ import annotations

import hashlib
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Optional

import httpx

from dashboard.domain.actors import Actor, Role
from dashboard.domain.business_value import DEFAULT_CURRENCY
from dashboard.domain.clock import SYSTEM_CLOCK, Clock
from dashboard.domain.models import (
    Achievement,
    ContentStats,
    Fresh,
    PlatformPerformance,
    Post,
    ServiceHealth,
    SystemMetrics,
)
from dashboard.domain.outages import Outage, Source, one_per_service, outage_of
from dashboard.infra.audit import AuditLog
from dashboard.infra.cache import FreshCache
from dashboard.infra.http import DEFAULT_CALL_SECONDS, DEFAULT_MAX_RESPONSE_BYTES, CallObserver
from dashboard.infra.write_locks import RecordLocks, lock_seconds_for
from dashboard.services.achievements import grid_query
from dashboard.services.achievements.edits import (
    EDITABLE_FIELDS,
    EditResult,
    FieldError,
    label,
    saved_message,
    to_editor_value,
    validate_changes,
    validate_new,
)
from dashboard.services.achievements.rows import (
    BOOLEAN_COLUMNS,
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    SEARCH_FIELDS,
    TEXT_COLUMNS,
    ViewSummary,
    grid_row,
    stamp,
    summarise,
    to_csv,
)
from dashboard.sources.clients import (
    AchievementClient,
    BackendError,
    NotAvailable,
    OrchestratorClient,
    TechDocClient,
    make_http_client,
)
from dashboard.sources.embedded.store import Conflict, EmbeddedStore

log = logging.getLogger(__name__)

KEY_ACHIEVEMENTS = "achievements:all"
KEY_POSTS = "content:posts"
KEY_CONTENT_STATS = "content:stats"
KEY_SYSTEM_METRICS = "orchestrator:metrics"
KEY_PLATFORM_PERFORMANCE = "techdoc:performance"
KEY_SERVICE_HEALTH = "services:health"

CREATE_RECORD_PREFIX = "achievements:create:"
"""Cache key of what became of a create, by the fingerprint of its body (shared by every worker)."""
CREATE_UNCERTAIN_SECONDS = 86_400
"""How long a create whose answer was lost is remembered: a retry within it looks for the row first."""
CREATE_DONE_SECONDS = 600
"""How long a create that succeeded is remembered: the same form sent again gets the same achievement."""

SERVICE_NAMES = ("achievement-collector", "orchestrator", "tech-doc-generator")
GRID_KINDS = grid_query.ColumnKinds(
    text=TEXT_COLUMNS - {"tags"},
    number=NUMBER_COLUMNS,
    date=DATE_COLUMNS,
    boolean=BOOLEAN_COLUMNS,
    tags=frozenset({"tags"}),
)


@dataclass(frozen=True)
class GridPage:
    """One block of rows for the grid, with the size and summary of the whole filtered view."""

    rows: list[dict]
    total: int
    summary: ViewSummary
    fresh: Fresh
    error: Optional[str] = None
    """Why the view cannot be shown (a filter, sort or search the grid refused), said in its place."""


@dataclass(frozen=True)
class CsvExport:
    """The grid's view as CSV, or why it cannot be exported (the same refusals as the grid's)."""

    text: Optional[str]
    error: Optional[str] = None


@dataclass(frozen=True)
class Endpoints:
    """Which services are configured; None means the embedded store (or 'not available')."""

    achievement_api_url: Optional[str] = None
    orchestrator_url: Optional[str] = None
    tech_doc_api_url: Optional[str] = None


class DashboardServices:
    """Cached reads of every data set the pages show."""

    def __init__(
        self,
        cache: FreshCache,
        store: EmbeddedStore,
        *,
        achievements: Optional[AchievementClient] = None,
        orchestrator: Optional[OrchestratorClient] = None,
        techdoc: Optional[TechDocClient] = None,
        audit: Optional[AuditLog] = None,
        clock: Clock = SYSTEM_CLOCK,
        currency: str = DEFAULT_CURRENCY,
        write_lock_seconds: float = lock_seconds_for(DEFAULT_CALL_SECONDS),
    ):
        self.audit = audit
        self.clock = clock
        self.currency = currency
        """ISO code of every money total (DASHBOARD_CURRENCY); other currencies are shown apart."""
        """Data time (dashboard.domain.clock): windows, stamps, generation times."""
        self._rows_memo: tuple[Optional[object], list[dict]] = (None, [])
        self.cache = cache
        self.store = store
        self.achievement_client = achievements
        self.orchestrator_client = orchestrator
        self.techdoc_client = techdoc
        self.write_locks = RecordLocks(cache.locks, ttl_seconds=write_lock_seconds)
        """One write at a time per achievement, across workers (the cache's locks)."""

    @classmethod
    def from_endpoints(
        cls,
        endpoints: Endpoints,
        cache: FreshCache,
        store: EmbeddedStore,
        *,
        timeout: float,
        connect_timeout: float,
        transport: Optional[httpx.BaseTransport] = None,
        audit: Optional[AuditLog] = None,
        observer: Optional[CallObserver] = None,
        clock: Clock = SYSTEM_CLOCK,
        currency: str = DEFAULT_CURRENCY,
        call_seconds: float = DEFAULT_CALL_SECONDS,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> "DashboardServices":
        def http(url: Optional[str]):
            if url is None:
                return None
            return make_http_client(url, timeout=timeout, connect_timeout=connect_timeout, transport=transport)

        limits = {"call_seconds": call_seconds, "max_response_bytes": max_response_bytes}
        return cls(
            cache,
            store,
            achievements=AchievementClient(c, observer, **limits)
            if (c := http(endpoints.achievement_api_url))
            else None,
            orchestrator=OrchestratorClient(c, observer, **limits) if (c := http(endpoints.orchestrator_url)) else None,
            techdoc=TechDocClient(c, observer, **limits) if (c := http(endpoints.tech_doc_api_url)) else None,
            audit=audit,
            clock=clock,
            currency=currency,
            write_lock_seconds=lock_seconds_for(call_seconds),
        )

    def close(self) -> None:
        for client in (self.achievement_client, self.orchestrator_client, self.techdoc_client):
            if client is not None:
                client.close()

    # Reads --------------------------------------------------------------------------------

    def achievements(self) -> Fresh[list[Achievement]]:
        source = self.achievement_client.list_all if self.achievement_client else self.store.list_achievements
        return self.cache.get(KEY_ACHIEVEMENTS, source, label=self.source_of("achievements").service)

    def posts(self) -> Fresh[list[Post]]:
        source = self.orchestrator_client.list_posts if self.orchestrator_client else self.store.list_posts
        return self.cache.get(KEY_POSTS, source, label=self.source_of("posts").service)

    def content_stats(self) -> Fresh[ContentStats]:
        source = self.orchestrator_client.content_stats if self.orchestrator_client else self.store.content_stats
        return self.cache.get(KEY_CONTENT_STATS, source, label=self.source_of("content_stats").service)

    def system_metrics(self) -> Fresh[SystemMetrics]:
        source = self.orchestrator_client.metrics_summary if self.orchestrator_client else self.store.metrics_summary
        return self.cache.get(KEY_SYSTEM_METRICS, source, label=self.source_of("system_metrics").service)

    def platform_performance(self) -> Fresh[PlatformPerformance]:
        """tech-doc-generator's analytics; an error saying 'not available' rather than invented numbers."""
        if self.techdoc_client is None:
            return Fresh(error="not available: TECH_DOC_API_URL is not configured")
        return self.cache.get(KEY_PLATFORM_PERFORMANCE, self.techdoc_client.performance, label="tech-doc-generator")

    # What a page says when a data set could not be read -------------------------------------

    def source_of(self, data_set: str) -> Source:
        """Where `data_set` (achievements, posts, content_stats, system_metrics, platform_performance)
        comes from, and the setting that chooses it."""
        if data_set == "achievements":
            client, service, setting = self.achievement_client, "achievement-collector", "ACHIEVEMENT_API_URL"
        elif data_set == "platform_performance":
            client, service, setting = self.techdoc_client, "tech-doc-generator", "TECH_DOC_API_URL"
        elif data_set in ("posts", "content_stats", "system_metrics"):
            client, service, setting = self.orchestrator_client, "orchestrator", "ORCHESTRATOR_URL"
        else:
            raise ValueError(f"unknown data set {data_set!r}")
        if client is not None:
            return Source(service, setting, str(client.http.base_url).rstrip("/"))
        if data_set == "platform_performance":
            return Source(service, setting)
        return Source("embedded store", "DASHBOARD_DATA_DIR", str(self.store.path.parent) if self.store else None)

    def sample_data_sets(self) -> frozenset[str]:
        """Data sets drawn from the embedded sample data while another source is a real service:
        each tile showing one says "sample data", so made-up numbers never pass for real ones.
        With no service configured at all, the whole dashboard is the sample (the README says so)."""
        real = [c for c in (self.achievement_client, self.orchestrator_client) if c is not None]
        if not real:
            return frozenset()
        embedded = set()
        if self.achievement_client is None:
            embedded.add("achievements")
        if self.orchestrator_client is None:
            embedded |= {"posts", "content_stats", "system_metrics"}
        return frozenset(embedded)

    def outages(self, **reads: Fresh) -> list[Outage]:
        """One outage per service among `reads` (data set name -> what was read), in order."""
        return one_per_service(
            [outage_of(fresh, self.source_of(name), self.cache.backoff) for name, fresh in reads.items()]
        )

    def service_health(self) -> Fresh[list[ServiceHealth]]:
        return self.cache.get(KEY_SERVICE_HEALTH, self._check_health)

    def _check_health(self) -> list[ServiceHealth]:
        clients = {
            "achievement-collector": self.achievement_client,
            "orchestrator": self.orchestrator_client,
            "tech-doc-generator": self.techdoc_client,
        }

        def check(name: str) -> ServiceHealth:
            client = clients[name]
            if client is None:
                if name == "tech-doc-generator":
                    return ServiceHealth(service=name, source="not configured", status="not configured")
                return self.store.health(name)
            ok, latency, body = client.health()
            return ServiceHealth(
                service=name,
                source="http",
                status="healthy" if ok else ("unhealthy" if isinstance(body, dict) else "down"),
                latency_ms=round(latency, 1),
                version=body.get("version") if isinstance(body, dict) else None,
                detail=None if ok else str(body)[:300],
            )

        # In parallel: one dead service must not triple the time of the check.
        with ThreadPoolExecutor(max_workers=len(SERVICE_NAMES)) as pool:
            return list(pool.map(check, SERVICE_NAMES))

    # The achievements grid -----------------------------------------------------------------

    def achievement_rows(self) -> tuple[Fresh, list[dict]]:
        """The cached achievements as grid rows; converted once per fetch, not once per request."""
        fresh = self.achievements()
        key = (fresh.fetched_at, id(fresh.value) if fresh.value is None else len(fresh.value))
        memo_key, rows = self._rows_memo
        if memo_key != key:
            rows = [grid_row(a, self.currency) for a in fresh.value or []]
            self._rows_memo = (key, rows)
        return fresh, rows

    def query_achievements(
        self,
        request: Optional[dict],
        *,
        search: Optional[str] = None,
        published_only: bool = False,
        unreadable_only: bool = False,
        max_rows: int = grid_query.MAX_BLOCK_ROWS,
    ) -> GridPage:
        """A block of rows as AG Grid's infinite row model asks for it, filtered and sorted here.

        A request the grid would never send (malformed, or past grid_query's limits) gives no rows
        and an `error` saying what is wrong, never an exception.
        """
        fresh, rows = self.achievement_rows()
        try:
            start, end = grid_query.block_bounds(grid_query.check_request(request), max_rows)
            view = self._view(rows, request, search, published_only, unreadable_only)
        except grid_query.GridQueryError as exc:
            return GridPage([], 0, summarise([]), fresh, error=f"The server refused it: {exc}.")
        return GridPage(view[start:end], len(view), summarise(view, self.currency), fresh)

    def export_achievements_csv(
        self,
        request: Optional[dict],
        *,
        search: Optional[str] = None,
        published_only: bool = False,
        unreadable_only: bool = False,
    ) -> CsvExport:
        """The current filtered, sorted view as CSV (formula-looking text neutralised)."""
        _, rows = self.achievement_rows()
        try:
            return CsvExport(to_csv(self._view(rows, request, search, published_only, unreadable_only)))
        except grid_query.GridQueryError as exc:
            return CsvExport(None, f"Not exported: {exc}.")

    @staticmethod
    def _view(
        rows: list[dict],
        request: Optional[dict],
        search: Optional[str],
        published_only: bool,
        unreadable_only: bool = False,
    ) -> list[dict]:
        if published_only:
            rows = [r for r in rows if r["portfolio_ready"]]
        if unreadable_only:
            rows = [r for r in rows if r["business_value"] is None]
        return grid_query.view(rows, request, GRID_KINDS, search=search, search_fields=SEARCH_FIELDS)

    # Writes -------------------------------------------------------------------------------

    def edit_achievement(
        self,
        achievement_id: int,
        changes: dict,
        *,
        actor: Actor,
        expected_updated_at: Optional[str] = None,
        force: bool = False,
        undo: bool = False,
    ) -> EditResult:
        """Validate and save a partial edit, unless the row changed since `expected_updated_at`.

        Never raises: the result says saved, invalid, conflict, busy, not_found, forbidden or
        failed, and keeps the user's `changes` for a retry. An edit must say which version it
        was made on (`expected_updated_at`); `force` writes over a newer version (the user chose
        their values in the conflict dialog). With `undo`, the edit puts back the values an
        earlier one replaced: it says "Undid …" and the audit trail records it as an undo.

        The achievement-collector has no If-Match, so the read, the comparison and the PUT run
        under a lock per achievement shared by every worker (services/write_locks.py), and the
        row is read again after the PUT: a write another client sent straight to the service
        just after ours is said, not hidden behind "saved".
        """
        result = EditResult(
            achievement_id=achievement_id, status="failed", changes=dict(changes), version=expected_updated_at
        )
        if not actor.may(Role.EDITOR):
            result.status, result.message = "forbidden", actor.refusal(Role.EDITOR, "editing achievements")
            return result
        if not expected_updated_at:
            result.status = "invalid"
            result.message = (
                "Not saved: this edit does not say which version of the achievement it was made on, "
                "so it could overwrite someone else's change. Reload the page and make it again."
            )
            return result
        with self.write_locks.hold(f"achievement:{achievement_id}") as held:
            if not held:
                result.status = "busy"
                result.message = (
                    "Not saved: someone else is saving this achievement right now. "
                    "Your input is kept; try again in a moment."
                )
                return result
            return self._edit_holding_lock(result, changes, actor, expected_updated_at, force, undo)

    def _edit_holding_lock(
        self, result: EditResult, changes: dict, actor: Actor, expected_updated_at: str, force: bool, undo: bool
    ) -> EditResult:
        achievement_id = result.achievement_id
        try:
            current = self._current(achievement_id)
        except BackendError as exc:
            result.message = f"Not saved: could not read the current value ({exc}). Your input is kept; retry."
            return result
        if current is None:
            result.status, result.message = "not_found", f"Achievement {achievement_id} no longer exists."
            return result
        result.achievement = current
        body, errors = validate_changes(current, changes)
        if errors:
            result.status, result.errors = "invalid", errors
            result.message = "Not saved: " + "; ".join(str(e) for e in errors)
            return result
        if not force and stamp(current) != expected_updated_at:
            self.invalidate_achievements()  # the grid's copy is old: let every screen re-read
            result.status = "conflict"
            result.message = (
                f"Changed elsewhere since you loaded it (at {current.updated_at:%Y-%m-%d %H:%M:%S} UTC); "
                "nothing was saved."
            )
            return result
        if not body:
            result.status, result.message = "saved", "No change."
            return result
        try:
            saved = self._write(current, body)
        except Conflict as conflict:
            self.invalidate_achievements()
            result.status, result.achievement = "conflict", conflict.current
            result.message = "Changed elsewhere while saving; nothing was saved."
            return result
        except BackendError as exc:
            if exc.status == 422:
                result.status = "invalid"
                result.message = f"Refused by the achievement-collector: {exc}"
            else:
                result.message = (
                    f"{exc.outcome('Not saved')}: {exc}. Your input is kept; retry when the service is back."
                )
            return result
        self.invalidate_achievements()
        if self.audit is not None:
            self.audit.record(
                achievement_id,
                "undo" if undo else "update",
                {k: (getattr(current, k), body[k]) for k in body},
                source=self._source_name(),
                user=actor.name,
            )
        result.status, result.achievement = "saved", saved
        result.previous = {k: to_editor_value(current, k) for k in body}
        result.message = saved_message(body, undo=undo)
        return self._checked_after_write(result, current, saved, body)

    def _checked_after_write(
        self, result: EditResult, before: Achievement, saved: Achievement, body: dict
    ) -> EditResult:
        """The row read again after a saved write: what another client wrote meanwhile is said.

        Our lock keeps the dashboard's own editors apart; a client writing to the service
        directly is not held by it. A write of theirs that landed after ours and replaced our
        values is a conflict (our values are not stored); one that changed only other fields,
        before or after ours, is said beside "saved".
        """
        try:
            now = self._current(saved.id)
        except BackendError as exc:
            log.warning("could not read achievement %s back after saving it: %s", saved.id, exc)
            return result
        if now is None:
            result.status, result.achievement = "not_found", None
            result.message = f"Saved, but achievement {saved.id} was deleted elsewhere right after; your input is kept."
            return result
        others = [
            name for name in EDITABLE_FIELDS if name not in body and getattr(saved, name) != getattr(before, name)
        ]
        if stamp(now) != stamp(saved):
            replaced = [name for name in body if getattr(now, name) != getattr(saved, name)]
            others += [
                name
                for name in EDITABLE_FIELDS
                if name not in body and name not in others and getattr(now, name) != getattr(saved, name)
            ]
            if replaced:
                result.status, result.achievement, result.previous = "conflict", now, {}
                result.message = (
                    f"Changed elsewhere right after your save (at {now.updated_at:%Y-%m-%d %H:%M:%S} UTC), "
                    f"which replaced your {', '.join(label(name) for name in replaced)}. Your input is kept."
                )
                return result
            result.achievement = now
        if others:
            result.message += (
                f" Also changed elsewhere at the same time: "
                f"{', '.join(label(name) for name in others)} (the grid shows it now)."
            )
        return result

    def create_achievement(self, form: dict, *, actor: Actor) -> EditResult:
        """Validate and add a new achievement, once, whichever worker the form is sent to.

        The achievement-collector takes no idempotency key. So the same body is added by one
        request at a time (a lock on its fingerprint: a double click or a second tab is told it
        is being added), a create whose answer was lost is remembered in the shared cache so a
        retry on any worker looks for its row before posting again, and a create that succeeded
        is remembered for a few minutes so the same form sent again gets the same achievement.
        """
        if not actor.may(Role.EDITOR):
            return EditResult(
                achievement_id=None,
                status="forbidden",
                changes=dict(form),
                message=actor.refusal(Role.EDITOR, "adding achievements"),
            )
        body, errors = validate_new(form)
        result = EditResult(achievement_id=None, status="invalid", changes=dict(form), errors=errors)
        if errors:
            result.message = "Not added: " + "; ".join(str(e) for e in errors)
            return result
        key = CREATE_RECORD_PREFIX + hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        with self.write_locks.hold(key) as held:
            if not held:
                result.status = "busy"
                result.message = (
                    "Not added again: this achievement is being added right now (a second click, or "
                    "another tab). Check the grid in a moment; the form keeps what you typed."
                )
                return result
            return self._create_holding_lock(result, body, key, actor)

    def _create_holding_lock(self, result: EditResult, body: dict, key: str, actor: Actor) -> EditResult:
        try:
            earlier = self._earlier_create(key, body)
        except BackendError as exc:
            # Posting without knowing could add it twice: say so and keep the form.
            result.status = "failed"
            result.message = (
                f"Not added: could not check whether your earlier add of this achievement went "
                f"through ({exc}). The form keeps what you typed; retry in a moment."
            )
            return result
        if earlier is not None:
            result.status, result.achievement_id, result.achievement = "saved", earlier.id, earlier
            result.message = f"Already added as achievement {earlier.id}; it was not added a second time."
            return result
        try:
            if self.achievement_client is not None:
                created = self.achievement_client.create(body)
            else:
                created = self.store.create_achievement(body)
        except BackendError as exc:
            if exc.maybe_processed:
                # It may have been added after all: a retry, on any worker, looks for it first.
                self._remember_create(key, {"state": "uncertain"}, CREATE_UNCERTAIN_SECONDS)
            result.status = "invalid" if exc.status == 422 else "failed"
            result.message = f"{exc.outcome('Not added')}: {exc}. The form keeps what you typed."
            return result
        self._remember_create(key, {"state": "created", "id": created.id}, CREATE_DONE_SECONDS)
        self.invalidate_achievements()
        if self.audit is not None:
            self.audit.record(
                created.id,
                "create",
                {k: (None, v) for k, v in body.items()},
                source=self._source_name(),
                user=actor.name,
            )
        result.status, result.achievement_id, result.achievement = "saved", created.id, created
        result.message = f"Added achievement {created.id}."
        return result

    def _earlier_create(self, key: str, body: dict) -> Optional[Achievement]:
        """The achievement an earlier create of the same body made, when one is remembered and found.

        Raises BackendError when it cannot be looked for."""
        try:
            record = self.cache.backend.get(key)
        except Exception as exc:  # noqa: BLE001 - without the record, a create is at worst repeated
            log.warning("create record %s unreadable: %s", key, exc)
            return None
        if not isinstance(record, dict):
            return None
        if record.get("state") == "created" and isinstance(record.get("id"), int):
            return self._current(record["id"])  # None when it was deleted since: add it again
        if record.get("state") == "uncertain" and self.achievement_client is not None:
            return self.achievement_client.find_created(body)
        return None

    def _remember_create(self, key: str, record: dict, seconds: int) -> None:
        try:
            self.cache.backend.set(key, record, timeout=seconds)
        except Exception as exc:  # noqa: BLE001
            log.warning("create record %s not kept: %s", key, exc)

    def get_achievement(self, achievement_id: int) -> Optional[Achievement]:
        """The stored row now, read past the cache (None when it does not exist)."""
        return self._current(achievement_id)

    def _current(self, achievement_id: int) -> Optional[Achievement]:
        """The stored row now, read past the cache: a conflict check needs the latest."""
        if self.achievement_client is None:
            return self.store.get_achievement(achievement_id)
        try:
            return self.achievement_client.get(achievement_id)
        except BackendError as exc:
            if exc.status == 404:
                return None
            raise

    def _write(self, current: Achievement, body: dict) -> Achievement:
        if self.achievement_client is not None:
            return self.achievement_client.update(current.id, body)
        return self.store.update_achievement(current.id, body, expected_updated_at=current.updated_at)

    def _source_name(self) -> str:
        return "achievement-collector" if self.achievement_client is not None else "embedded"

    def invalidate_achievements(self) -> None:
        self.cache.invalidate(KEY_ACHIEVEMENTS)

    def invalidate_content(self) -> None:
        self.cache.invalidate(KEY_POSTS, KEY_CONTENT_STATS)


__all__ = ["DashboardServices", "EditResult", "Endpoints", "FieldError", "GridPage", "NotAvailable"]
