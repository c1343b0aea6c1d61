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

Faults are described in tests/fakes/base.py (`set_fault`).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator, Optional

from tests.fakes.achievement_collector import AchievementCollector
from tests.fakes.achievement_seed import seed_achievements
from tests.fakes.base import ACHIEVEMENTS, ORCHESTRATOR, TECH_DOC, FaultyServices
from tests.fakes.orchestrator import Orchestrator, default_metrics, seed_posts
from tests.fakes.recordings import load_recording, recordings_dir
from tests.fakes.tech_doc import TechDocGenerator, seed_articles


class FakeBackends(AchievementCollector, Orchestrator, TechDocGenerator, FaultyServices):
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
    ) -> None:
        super().__init__(now=now)
        self.recordings = recordings or recordings_dir()
        self.techdoc_performance_mounted = techdoc_performance_mounted
        self.task_rate_limit = None
        """After this many queued tasks POST /task answers 429; None never limits."""
        self.health_body = load_recording("health.json", self.recordings)
        self.achievements = seed_achievements(self.recordings)
        self.posts = seed_posts(self.clock())
        self.articles = seed_articles(self.clock())
        self.tasks = []
        self.metrics = default_metrics()
        self.poisoned = set()
        self._next_achievement_id = max(item["id"] for item in self.achievements) + 1
        self._serve(
            {
                ACHIEVEMENTS: self._achievement_app(),
                ORCHESTRATOR: self._orchestrator_app(),
                TECH_DOC: self._techdoc_app(),
            },
            host,
        )


@contextmanager
def fake_backends(**options) -> Iterator[FakeBackends]:
    """A started FakeBackends, stopped on exit: `with fake_backends() as fake: ...` (or a fixture)."""
    fake = FakeBackends(**options)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
