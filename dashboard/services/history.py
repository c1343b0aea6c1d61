"""Health and metrics over time: sampled once per interval across every worker and replica, kept
for a week (infra/history.py), and summed up for the System page and the activity feed.

- One sampler thread per process, started by the first request the process serves (threads do
  not survive a fork). Each round, whoever takes the lock in the cache's locks (Redis when
  configured) reads every service's health check and the orchestrator's metrics through the
  caches, as a screen would, and keeps one sample of each. So the history has one sample per
  interval whatever the number of screens, replicas or workers, and it goes on while nobody
  looks: the System page shows in the morning what happened at night.
- A read of the history (`history_view`) is memoised per process for a few seconds: a System
  page on every screen of a wall costs one read of the week per process, not one per screen.

No Dash, no Flask here.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional

from dashboard.domain.history import WEEK, ServiceHistory, Trend, service_history, trend
from dashboard.infra.history import Sample, SampleStore
from dashboard.infra.jitter import JITTER
from dashboard.services import system
from dashboard.services.rounds import Rounds

if TYPE_CHECKING:
    from dashboard.services.facade import DashboardServices

log = logging.getLogger(__name__)

METRICS_SERIES = "metrics:orchestrator"
METRIC_NAMES = ("queue_size", "active_tasks", "success_rate", "api_latency_ms", "avg_processing_time_s")
"""The orchestrator's numbers kept as trends (completed_today restarts every day: not a trend)."""
MAX_ERROR_CHARS = 200
VIEW_MEMO_SECONDS = 5.0
"""The shortest a process keeps its summing-up of the history (the sampling interval, when longer)."""


def health_series(service: str, source: str) -> str:
    # Per source: an embedded store's history says nothing about the service once configured.
    return f"health:{service}:{source}"


def health_sample(status: system.ServiceStatus) -> dict[str, Any]:
    sample: dict[str, Any] = {"status": status.status}
    if status.latency_ms is not None:
        sample["latency_ms"] = round(float(status.latency_ms), 1)
    if status.status != "healthy" and status.detail:
        sample["error"] = str(status.detail)[:MAX_ERROR_CHARS]
    return sample


def watched(services: "DashboardServices") -> list[tuple[str, str]]:
    """(service, source) of every service with a history, known without probing it."""
    found = []
    for name, source in services.health_sources().items():
        if source.is_embedded:
            found.append((name, "embedded"))
        elif source.origin.location:  # a URL: checked over HTTP
            found.append((name, "http"))
    return found


def record(store: SampleStore, statuses: list[system.ServiceStatus], metrics: Any, at: float) -> int:
    """Keep one sample per checked service, and one of the metrics when they were read; how many."""
    kept = 0
    for status in statuses:
        if status.source == "not configured":
            continue
        store.add(health_series(status.service, status.source), at, health_sample(status))
        kept += 1
    if metrics is not None:
        values = {name: getattr(metrics, name, None) for name in METRIC_NAMES}
        numbers = {k: v for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        if numbers:
            store.add(METRICS_SERIES, at, numbers)
            kept += 1
    return kept


class Sampler(Rounds):
    """One thread per process; one round per `interval` across all of them (whoever takes the lock)."""

    thread_name = "history sampler"

    def __init__(self, services: "DashboardServices", store: SampleStore, *, interval: float):
        super().__init__()
        self.services = services
        self.store = store
        self.interval = interval

    def run_round(self) -> int:
        """Read health and metrics through the caches now and keep them; how many samples."""
        statuses = system.service_statuses(self.services)
        metrics = self.services.system_metrics()
        at = self.services.clock.time()
        return record(
            self.store,
            list(statuses.value or []) if statuses.error is None else [],
            metrics.value if metrics.error is None else None,
            at,
        )

    def _rounds(self) -> None:
        # A first wait of a fraction of an interval: replicas started together do not race.
        self._stopped.wait(min(self.interval, 5.0) * JITTER.random())
        while not self._stopped.is_set():
            token = self.services.cache.locks.acquire("history:sample", self.interval * 0.9)
            if token is not None:  # never released: it expires, and the next round may start
                try:
                    self.run_round()
                except Exception:  # noqa: BLE001 - a storage or backend outage: try next round
                    log.exception("history: a sampling round failed")
            self._stopped.wait(self.interval)


@dataclass(frozen=True)
class HistoryView:
    services: tuple[ServiceHistory, ...]
    metrics: dict[str, Trend]
    """Each of METRIC_NAMES over the last 24 h."""
    interval: float
    error: Optional[str] = None
    """Why the history could not be read (the storage did not answer), in words."""


class _SeriesMemo:
    """One series as this process last read it: a week of samples, topped up with what arrived
    since (the store is read from the newest sample known, less an overlap), not read whole again."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.newest: Optional[float] = None

    def read(self, store: SampleStore, series: str, now: float, overlap: float) -> list[Sample]:
        start = now - WEEK
        if self.newest is None or self.newest < start:
            fresh = store.since(series, start)
        else:
            # The overlap catches a sample another replica wrote a little late (its clock, a slow
            # round); what is already known is not added twice.
            since = self.newest - overlap
            known = {(at, _key(record)) for at, record in self.samples if at >= since}
            fresh = [sample for sample in store.since(series, since) if (sample[0], _key(sample[1])) not in known]
        if fresh:
            merged = self.samples + fresh
            if self.samples and fresh[0][0] < self.samples[-1][0]:
                merged.sort(key=lambda sample: sample[0])
            self.samples = merged
            self.newest = max(self.newest or fresh[-1][0], fresh[-1][0])
        elif self.newest is None:
            self.newest = start
        cut = next((i for i, (at, _) in enumerate(self.samples) if at >= start), len(self.samples))
        if cut:
            del self.samples[:cut]
        return self.samples


def _key(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


class History:
    """The process's way to the history: the store, each series as last read, and a memo of the
    view (a System page on every screen of a wall costs one summing-up per interval)."""

    def __init__(self, store: SampleStore, *, interval: float, clock: Callable[[], float] = time.time):
        self.store = store
        self.interval = interval
        self.clock = clock
        self._memo: Optional[tuple[float, tuple[tuple[str, str], ...], HistoryView]] = None
        self._series: dict[str, _SeriesMemo] = {}
        self._mutex = threading.Lock()

    def _read(self, series: str, now: float) -> list[Sample]:
        memo = self._series.setdefault(series, _SeriesMemo())
        return memo.read(self.store, series, now, overlap=4 * self.interval)

    def view(self, services: list[tuple[str, str]]) -> HistoryView:
        """The week of `(service, source)` and of the metrics, summed up."""
        now = self.clock()
        asked = tuple(services)
        memo = self._memo
        # A new sample comes once per interval: summing a week up again sooner changes nothing
        # but the last seconds of the windows (about 0.1 s of a core for four series of a week).
        if memo is not None and memo[1] == asked and now - memo[0] < max(VIEW_MEMO_SECONDS, self.interval):
            return memo[2]
        with self._mutex:
            try:
                found = tuple(
                    service_history(
                        service, self._read(health_series(service, source), now), now=now, interval=self.interval
                    )
                    for service, source in asked
                )
                metric_samples = self._read(METRICS_SERIES, now)
            except Exception as exc:  # noqa: BLE001 - storage down: said, and the page goes on
                log.warning("history unreadable: %s", exc)
                return HistoryView((), {}, self.interval, f"the history cannot be read now ({type(exc).__name__})")
            view = HistoryView(
                services=found,
                metrics={name: trend(metric_samples, name, now=now) for name in METRIC_NAMES},
                interval=self.interval,
            )
            self._memo = (now, asked, view)
            return view


__all__ = ["METRICS_SERIES", "METRIC_NAMES", "History", "HistoryView", "Sampler", "health_series", "record", "watched"]
