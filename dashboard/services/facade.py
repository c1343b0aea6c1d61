"""The one door pages use for data: typed, cached reads that carry their freshness.

Each data set has a cache key and a source: the HTTP client when its service is configured,
the embedded store otherwise. Pages never see a client, a store or an exception.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable, Optional, Protocol, TypeVar

import httpx

from dashboard.domain.business_value import DEFAULT_CURRENCY
from dashboard.domain.clock import SYSTEM_CLOCK, Clock
from dashboard.domain.models import (
    Achievement,
    ContentStats,
    Fresh,
    PlatformPerformance,
    Post,
    SystemMetrics,
)
from dashboard.domain.outages import Outage, Source, one_per_service, outage_of
from dashboard.domain.outcomes import EditResult
from dashboard.domain.ranges import Range
from dashboard.infra.audit import AuditLog
from dashboard.infra.cache import FreshCache
from dashboard.infra.csv_export import to_csv
from dashboard.infra.http import (
    DEFAULT_CALL_SECONDS,
    DEFAULT_MAX_RESPONSE_BYTES,
    CallObserver,
    ServiceClient,
    make_http_client,
)
from dashboard.infra.write_locks import RecordLocks, lock_seconds_for
from dashboard.services.achievements import grid_query
from dashboard.services.achievements.rows import (
    BOOLEAN_COLUMNS,
    CSV_COLUMNS,
    DATE_COLUMNS,
    NUMBER_COLUMNS,
    SEARCH_FIELDS,
    TEXT_COLUMNS,
    ViewSummary,
    grid_row,
    summarise,
)
from dashboard.services.achievements.writes import KEY_ACHIEVEMENTS, AchievementWrites
from dashboard.settings import BackendSettings
from dashboard.sources.clients import AchievementClient, NotAvailable, OrchestratorClient, TechDocClient
from dashboard.sources.clients.adapters import HttpAchievements, HttpAnalytics, HttpContent, Unconfigured
from dashboard.sources.embedded.adapters import EmbeddedAchievements, EmbeddedContent
from dashboard.sources.embedded.store import EmbeddedStore
from dashboard.sources.protocols import AchievementSource, AnalyticsSource, ContentSource, DataSource

log = logging.getLogger(__name__)

KEY_POSTS = "content:posts"
KEY_CONTENT_STATS = "content:stats"
KEY_SYSTEM_METRICS = "orchestrator:metrics"
KEY_PLATFORM_PERFORMANCE = "techdoc:performance"

_READ_KEYS = {
    "achievements": KEY_ACHIEVEMENTS,
    "posts": KEY_POSTS,
    "content_stats": KEY_CONTENT_STATS,
    "system_metrics": KEY_SYSTEM_METRICS,
    "platform_performance": KEY_PLATFORM_PERFORMANCE,
}
"""The cache key each read of DashboardServices uses, by method name (read_both)."""

SERVICE_NAMES = ("achievement-collector", "orchestrator", "tech-doc-generator")
GRID_KINDS = grid_query.ColumnKinds(
    text=TEXT_COLUMNS - {"tags"},
    number=NUMBER_COLUMNS,
    date=DATE_COLUMNS,
    boolean=BOOLEAN_COLUMNS,
    tags=frozenset({"tags"}),
)

_Source = TypeVar("_Source", covariant=True)
_A = TypeVar("_A")
_B = TypeVar("_B")


class _SourceOfClient(Protocol[_Source]):
    """An HTTP source class (sources/clients/adapters.py): built around its service's client."""

    def __call__(self, client: ServiceClient, *, probe_seconds: float) -> _Source: ...


@dataclass(frozen=True)
class GridPage:
    """One block of rows for the grid, with the size and summary of the whole filtered view."""

    rows: list[grid_query.Row]
    total: int
    summary: ViewSummary
    fresh: Fresh[list[Achievement]]
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


class DashboardServices(AchievementWrites):
    """Cached reads of every data set the pages show."""

    def __init__(
        self,
        cache: FreshCache,
        store: Optional[EmbeddedStore],
        *,
        achievements: Optional[AchievementSource] = None,
        orchestrator: Optional[ContentSource] = None,
        techdoc: Optional[AnalyticsSource] = None,
        audit: Optional[AuditLog] = None,
        clock: Clock = SYSTEM_CLOCK,
        currency: str = DEFAULT_CURRENCY,
        timezone: str = "UTC",
        write_lock_seconds: float = lock_seconds_for(DEFAULT_CALL_SECONDS),
        backend: Optional[BackendSettings] = None,
    ):
        """Each data set's source is chosen here, once: the one given, else the embedded store
        (achievements, posts) or `Unconfigured` (tech-doc analytics)."""
        self.audit = audit
        self.clock = clock
        """Data time (dashboard.domain.clock): windows, stamps, generation times."""
        self.currency = currency
        self.timezone = timezone
        """The zone days and months are read in (DASHBOARD_TIMEZONE), unless a page's URL says tz=."""
        """ISO code of every money total (DASHBOARD_CURRENCY); other currencies are shown apart."""
        self.backend = backend or BackendSettings()
        """The knobs below the web layer (DASHBOARD_... settings): probe timeout, TTLs, limits."""
        self._rows_memo: tuple[Optional[object], list[grid_query.Row]] = (None, [])
        self.cache = cache
        self.store = store
        """The embedded store, when one is open: readiness checks and tests read it; reads go through
        the sources below."""
        self.achievement_source: AchievementSource = achievements or EmbeddedAchievements(_needed(store))
        self.content_source: ContentSource = orchestrator or EmbeddedContent(_needed(store))
        self.analytics_source: AnalyticsSource = techdoc or Unconfigured("tech-doc-generator")
        self.write_locks = RecordLocks(
            cache.locks, ttl_seconds=write_lock_seconds, wait_seconds=self.backend.write_wait_seconds
        )
        """One write at a time per achievement, across workers (the cache's locks)."""
        max_age = min(self.backend.health_max_age_seconds, cache.ttl)  # never older than the data
        self.health_cache = cache.sibling(
            ttl=max_age,
            backoff=max_age,
            # The probes run in parallel; each may spend the probe timeout connecting, then reading.
            lock_seconds=self.backend.probe_timeout_seconds * 2 + 1,
        )
        """The System page's health checks: their own entry, at most `max_age` old (services/system.py)."""
        self.submission_locks = RecordLocks(cache.locks, ttl_seconds=cache.lock_seconds, wait_seconds=0)
        """One sending of a Generate form at a time (services/content/generate.py); no wait: a second
        request waits for the first one's outcome instead."""

    @classmethod
    def from_endpoints(
        cls,
        endpoints: Endpoints,
        cache: FreshCache,
        store: Optional[EmbeddedStore],
        *,
        timeout: float,
        connect_timeout: float,
        transport: Optional[httpx.BaseTransport] = None,
        audit: Optional[AuditLog] = None,
        observer: Optional[CallObserver] = None,
        clock: Clock = SYSTEM_CLOCK,
        currency: str = DEFAULT_CURRENCY,
        timezone: str = "UTC",
        call_seconds: float = DEFAULT_CALL_SECONDS,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        backend: Optional[BackendSettings] = None,
    ) -> "DashboardServices":
        """The services with an HTTP source for each configured endpoint, the embedded store for the rest."""
        knobs = backend or BackendSettings()

        def http(
            url: Optional[str], client_class: type[ServiceClient], source_class: _SourceOfClient[_Source]
        ) -> Optional[_Source]:
            if url is None:
                return None
            pooled = make_http_client(
                url,
                timeout=timeout,
                connect_timeout=connect_timeout,
                transport=transport,
                max_connections=knobs.http_max_connections,
                max_keepalive=knobs.http_max_keepalive,
            )
            client = client_class(pooled, observer, call_seconds=call_seconds, max_response_bytes=max_response_bytes)
            return source_class(client, probe_seconds=knobs.probe_timeout_seconds)

        return cls(
            cache,
            store,
            achievements=http(endpoints.achievement_api_url, AchievementClient, HttpAchievements),
            orchestrator=http(endpoints.orchestrator_url, OrchestratorClient, HttpContent),
            techdoc=http(endpoints.tech_doc_api_url, TechDocClient, HttpAnalytics),
            audit=audit,
            clock=clock,
            currency=currency,
            timezone=timezone,
            write_lock_seconds=lock_seconds_for(call_seconds, margin_seconds=knobs.write_lock_margin_seconds),
            backend=knobs,
        )

    def close(self) -> None:
        for source in self._sources():
            source.close()

    def release_connections(self) -> None:
        """Close the SQLite connections this thread opened (the embedded store's, the audit
        log's); each reopens on its next use. Called before a fork: none may cross one."""
        if self.store is not None:
            self.store.close()
        if self.audit is not None:
            self.audit.close()

    def _sources(self) -> tuple[DataSource, ...]:
        return (self.achievement_source, self.content_source, self.analytics_source)

    # Reads --------------------------------------------------------------------------------

    def read_both(self, first: Callable[[], _A], second: Callable[[], _B]) -> tuple[_A, _B]:
        """Two of the reads below at once (`second` on a thread of its own): a page that shows two
        data sets waits for the slower backend, not for one after the other. When both are likely
        quick cache hits they are simply read in turn: a thread costs more than the two hits."""
        keys = [_READ_KEYS.get(getattr(read, "__name__", "")) for read in (first, second)]
        if all(key is not None and self.cache.likely_fresh(key) for key in keys):
            return first(), second()
        answer: list[_B] = []
        failure: list[BaseException] = []

        def run_second() -> None:
            try:
                answer.append(second())
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                failure.append(exc)

        context = contextvars.copy_context()  # the request id, for the logs of the read
        thread = threading.Thread(target=context.run, args=(run_second,), name="read", daemon=True)
        thread.start()
        try:
            result = first()
        finally:
            thread.join()
        if failure:
            raise failure[0]
        return result, answer[0]

    def achievements(self) -> Fresh[list[Achievement]]:
        source = self.achievement_source
        return self.cache.get(KEY_ACHIEVEMENTS, source.list_all, label=source.origin.service)

    def posts(self) -> Fresh[list[Post]]:
        source = self.content_source
        return self.cache.get(KEY_POSTS, source.list_posts, label=source.origin.service)

    def content_stats(self) -> Fresh[ContentStats]:
        source = self.content_source
        return self.cache.get(KEY_CONTENT_STATS, source.content_stats, label=source.origin.service)

    def system_metrics(self) -> Fresh[SystemMetrics]:
        source = self.content_source
        return self.cache.get(KEY_SYSTEM_METRICS, source.metrics_summary, label=source.origin.service)

    def platform_performance(self) -> Fresh[PlatformPerformance]:
        """tech-doc-generator's analytics; an error saying 'not available' rather than invented numbers."""
        source = self.analytics_source
        if source.unavailable is not None:
            return Fresh(error=source.unavailable)
        return self.cache.get(KEY_PLATFORM_PERFORMANCE, source.performance, label=source.origin.service)

    # What a page says when a data set could not be read -------------------------------------

    def source_of(self, data_set: str) -> Source:
        """Where `data_set` (achievements, posts, content_stats, system_metrics, platform_performance)
        comes from, and the setting that chooses it."""
        if data_set == "achievements":
            return self.achievement_source.origin
        if data_set == "platform_performance":
            return self.analytics_source.origin
        if data_set in ("posts", "content_stats", "system_metrics"):
            return self.content_source.origin
        raise ValueError(f"unknown data set {data_set!r}")

    def sample_data_sets(self) -> frozenset[str]:
        """Data sets drawn from the embedded sample data while another source is a real service:
        each tile showing one says "sample data", so made-up numbers never pass for real ones.
        With no service configured at all, the whole dashboard is the sample (the README says so)."""
        if self.achievement_source.is_embedded and self.content_source.is_embedded:
            return frozenset()
        embedded = set()
        if self.achievement_source.is_embedded:
            embedded.add("achievements")
        if self.content_source.is_embedded:
            embedded |= {"posts", "content_stats", "system_metrics"}
        return frozenset(embedded)

    def outages(self, **reads: Fresh[Any]) -> list[Outage]:
        """One outage per service among `reads` (data set name -> what was read), in order."""
        return one_per_service(
            [outage_of(fresh, self.source_of(name), self.cache.backoff) for name, fresh in reads.items()]
        )

    def health_sources(self) -> dict[str, DataSource]:
        """Each service, by name, and the source standing for it (the System page probes them)."""
        return dict(zip(SERVICE_NAMES, self._sources()))

    # The achievements grid -----------------------------------------------------------------

    def achievement_rows(self) -> tuple[Fresh[list[Achievement]], list[grid_query.Row]]:
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
        request: Optional[grid_query.JsonObject],
        *,
        search: Optional[str] = None,
        published_only: bool = False,
        unreadable_only: bool = False,
        completed: Range = Range(),
        max_rows: int = grid_query.MAX_BLOCK_ROWS,
    ) -> GridPage:
        """A block of rows as AG Grid's infinite row model asks for it, filtered and sorted here.

        A request the grid would never send (malformed, or past grid_query's limits) gives no rows
        and an `error` saying what is wrong, never an exception.
        """
        fresh, rows = self.achievement_rows()
        try:
            start, end = grid_query.block_bounds(grid_query.check_request(request), max_rows)
            view = self._view(rows, request, search, published_only, unreadable_only, completed)
        except grid_query.GridQueryError as exc:
            return GridPage([], 0, summarise([]), fresh, error=f"The server refused it: {exc}.")
        return GridPage(view[start:end], len(view), summarise(view, self.currency), fresh)

    def export_achievements_csv(
        self,
        request: Optional[grid_query.JsonObject],
        *,
        search: Optional[str] = None,
        published_only: bool = False,
        unreadable_only: bool = False,
        completed: Range = Range(),
    ) -> CsvExport:
        """The current filtered, sorted view as CSV (formula-looking text neutralised)."""
        _, rows = self.achievement_rows()
        try:
            view = self._view(rows, request, search, published_only, unreadable_only, completed)
            return CsvExport(to_csv(view, CSV_COLUMNS))
        except grid_query.GridQueryError as exc:
            return CsvExport(None, f"Not exported: {exc}.")

    @staticmethod
    def _view(
        rows: list[grid_query.Row],
        request: Optional[grid_query.JsonObject],
        search: Optional[str],
        published_only: bool,
        unreadable_only: bool = False,
        completed: Range = Range(),
    ) -> list[grid_query.Row]:
        """The rows of the grid's view: the navbar's range (completed in it), the switches, then
        the grid's own filters, sort and search."""
        if completed != Range():
            # A row keeps its completion as ISO text of one width (rows.py): text compares as time.
            first = completed.start.isoformat(timespec="seconds") if completed.start else ""
            last = completed.end.isoformat(timespec="seconds") if completed.end else "\uffff"
            rows = [r for r in rows if first <= r["completed_at"] < last]
        if published_only:
            rows = [r for r in rows if r["portfolio_ready"]]
        if unreadable_only:
            rows = [r for r in rows if r["business_value"] is None]
        return grid_query.view(rows, request, GRID_KINDS, search=search, search_fields=SEARCH_FIELDS)

    def invalidate_content(self) -> None:
        self.cache.invalidate(KEY_POSTS, KEY_CONTENT_STATS)


def _needed(store: Optional[EmbeddedStore]) -> EmbeddedStore:
    if store is None:
        raise ValueError("a data set has no service configured and no embedded store to stand in")
    return store


__all__ = ["DashboardServices", "EditResult", "Endpoints", "GridPage", "NotAvailable"]
