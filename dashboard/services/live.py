"""What makes the dashboard live: the cache tells the bus what changed, and one watcher per
round (across every worker and replica) keeps each data set checked once per cache TTL.

- Our own writes invalidate cache keys: the cache tells the bus at once (infra/cache.py
  `on_change`), so a rename on one replica reaches the screens of another within a second.
- Changes made behind our back (on the backends themselves) are found by the watcher: every
  `interval` seconds one process (a lock in the cache's locks, so in Redis when configured)
  reads each data set through the cache. A read past the TTL fetches (single-flight, as a
  screen's would); when the content differs from the last, the cache tells the bus. Screens no
  longer need a timer of their own while their channel is up.
- Each round records when every data set was last confirmed (`Bus.mark_checked`): a screen
  that has heard nothing knows its numbers were still true at that moment, and its
  "Updated N s ago" says so.

No Dash, no Flask here: dashboard/web/live.py serves the channel, the pages listen to it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable

from dashboard.domain.clock import epoch_ms
from dashboard.domain.models import Fresh
from dashboard.infra.jitter import JITTER
from dashboard.infra.live import Bus
from dashboard.services import system
from dashboard.services.achievements.writes import KEY_ACHIEVEMENTS
from dashboard.services.facade import (
    KEY_CONTENT_STATS,
    KEY_PLATFORM_PERFORMANCE,
    KEY_POSTS,
    KEY_SYSTEM_METRICS,
)
from dashboard.services.rounds import Rounds

if TYPE_CHECKING:
    from dashboard.services.facade import DashboardServices

log = logging.getLogger(__name__)

DATASETS: dict[str, Callable[["DashboardServices"], Fresh[Any]]] = {
    KEY_ACHIEVEMENTS: lambda services: services.achievements(),
    KEY_POSTS: lambda services: services.posts(),
    KEY_CONTENT_STATS: lambda services: services.content_stats(),
    KEY_SYSTEM_METRICS: lambda services: services.system_metrics(),
    KEY_PLATFORM_PERFORMANCE: lambda services: services.platform_performance(),
    system.KEY_HEALTH: system.service_statuses,
}
"""Each data set a screen can draw, by its cache key, and how the watcher reads it."""

LIVE_NAMES = {
    KEY_ACHIEVEMENTS: "achievements",
    KEY_POSTS: "posts",
    KEY_CONTENT_STATS: "content-stats",
    KEY_SYSTEM_METRICS: "system-metrics",
    KEY_PLATFORM_PERFORMANCE: "platform-performance",
    system.KEY_HEALTH: "health",
}
"""The short name a screen knows each data set by (its store is `live-<name>`)."""


def health_version(statuses: Any) -> str:
    """The health checks change when a service's status does, not with every latency."""
    return ";".join(f"{status.service}={status.status}" for status in statuses or [])


def connect(services: "DashboardServices", bus: Bus) -> None:
    """Tell `bus` of every change the caches see (reads that found new data, writes)."""

    def tell(key: str, version: str) -> None:
        name = LIVE_NAMES.get(key)
        if name is not None:
            bus.publish(name, version)

    services.cache.on_change = tell
    services.health_cache.on_change = tell
    services.health_cache.version_of[system.KEY_HEALTH] = health_version


class Watcher(Rounds):
    """One thread per process; one round per `interval` across all of them (whoever takes the lock)."""

    thread_name = "live watcher"

    def __init__(
        self,
        services: "DashboardServices",
        bus: Bus,
        *,
        interval: float,
        wanted: Callable[[], bool] = lambda: True,
    ):
        """`wanted`: whether this process has screens to watch for; the thread ends one
        interval after it says no (and `start` is called again when a screen connects)."""
        super().__init__()
        self.services = services
        self.bus = bus
        self.interval = interval
        self.wanted = wanted

    def run_round(self) -> dict[str, float]:
        """Read every data set through the cache; record when each was confirmed (server ms)."""
        checked: dict[str, float] = {}
        for key, read in DATASETS.items():
            try:
                fresh = read(self.services)
            except Exception:  # noqa: BLE001 - one broken reader must not stop the others
                log.exception("live: watching %s failed", key)
                continue
            millis = epoch_ms(fresh.fetched_at)
            if fresh.error is None and millis is not None:
                checked[LIVE_NAMES[key]] = millis
        self.bus.mark_checked(checked)
        return checked

    def _rounds(self) -> None:
        # A first wait of up to one interval: replicas started together do not all race at once.
        self._stopped.wait(self.interval * JITTER.random())
        idle_rounds = 0
        while not self._stopped.is_set():
            idle_rounds = 0 if self.wanted() else idle_rounds + 1
            if idle_rounds > 1:
                with self._mutex:  # no screen here any more: the next to connect starts it again
                    if not self.wanted():
                        self._thread = None
                        return
                idle_rounds = 0
            token = self.services.cache.locks.acquire("live:watch", self.interval * 0.9)
            if token is not None:  # never released: it expires, and the next round may start
                try:
                    self.run_round()
                except Exception:  # noqa: BLE001
                    log.exception("live: a watch round failed")
            self._stopped.wait(self.interval)


__all__ = ["DATASETS", "LIVE_NAMES", "Watcher", "connect", "health_version"]
