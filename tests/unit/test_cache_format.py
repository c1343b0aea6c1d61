"""The shared cache's format: every class of ours it pickles is declared, so that moving one
(a rename, a new package) cannot silently break a rolling deploy.

A pickle names its classes by module path. Pods of the old release cannot read entries whose
classes moved, and the other way round; `CACHE_FORMAT` is part of the Redis key prefix, so a
bump keeps the two releases' entries apart. This test pickles what the cache really stores after
every kind of read and write, and fails when a class appears, disappears or moves without the
declaration (and so, the bump) following.
"""

from __future__ import annotations

import io
import pickle
from datetime import datetime

from cachelib import SimpleCache

from dashboard.domain.models import PlatformPerformance
from dashboard.infra.cache import CACHE_FORMAT, PICKLED_CLASSES, FreshCache, LocalLocks
from dashboard.services import system
from dashboard.services.content import posts as content
from dashboard.services.facade import KEY_PLATFORM_PERFORMANCE, DashboardServices
from dashboard.sources.embedded.store import EmbeddedStore
from tests.actors import EDITOR

NOW = datetime(2027, 3, 15, 12, 0, 0)

_MODELS = (
    "Achievement",
    "ContentStats",
    "Post",
    "ServiceHealth",
    "SystemMetrics",
    "PlatformPerformance",
    "ServicesHealthSummary",
)
RELEASED_FORMATS = {
    1: frozenset(
        {
            *(f"dashboard.models.{name}" for name in _MODELS),
            "dashboard.services.cache._Meta",
            "dashboard.services.content.GenerateResult",
            "dashboard.services.packing.PackedModels",
            "dashboard.services.system.ServiceStatus",
        }
    ),
    2: frozenset(
        {
            *(f"dashboard.domain.models.{name}" for name in _MODELS),
            "dashboard.infra.cache._Meta",
            "dashboard.services.content.posts.GenerateResult",
            "dashboard.infra.packing.PackedModels",
            "dashboard.services.system.ServiceStatus",
        }
    ),
    3: frozenset(
        {
            *(f"dashboard.domain.models.{name}" for name in _MODELS if name != "ServiceHealth"),
            "dashboard.infra.cache_format._Meta",
            "dashboard.services.content.generate.GenerateResult",
            "dashboard.infra.packing.PackedModels",
            "dashboard.domain.health.ServiceStatus",
        }
    ),
}
"""What each released CACHE_FORMAT pickles. A release that moves a class adds a format here."""


class Recording(SimpleCache):
    """A cachelib cache that keeps, beside each value, the classes its pickle names."""

    def __init__(self):
        super().__init__(threshold=10_000, default_timeout=0)
        self.classes: set[str] = set()

    def set(self, key, value, timeout=None):
        seen = self.classes

        class Pickler(pickle.Pickler):
            def reducer_override(self, obj):
                if isinstance(obj, type) and obj.__module__.startswith("dashboard"):
                    seen.add(f"{obj.__module__}.{obj.__qualname__}")
                return NotImplemented

        Pickler(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        return super().set(key, value, timeout)


def test_every_class_the_shared_cache_pickles_is_declared(tmp_path):
    backend = Recording()
    cache = FreshCache(backend, LocalLocks(), ttl=60, backoff=1, lock_seconds=2)
    services = DashboardServices(cache, EmbeddedStore.open(tmp_path, clock=lambda: NOW))
    achievements = services.achievements().value
    cache.get("long list", lambda: (achievements * 3)[:300])  # long lists of models are packed
    services.posts()
    services.content_stats()
    services.system_metrics()
    system.service_statuses(services)
    cache.get(KEY_PLATFORM_PERFORMANCE, lambda: PlatformPerformance(total_generated=1, platform_breakdown={}))
    form = {
        "title": "Cache format",
        "category": "testing",
        "started_at": "2027-03-01T09:00",
        "completed_at": "2027-03-02T09:00",
        "impact_score": 50,
        "complexity_score": 50,
    }
    services.create_achievement(form, actor=EDITOR)
    content.generate_content(
        services,
        {
            "persona_id": "ai-engineer",
            "platforms": ["linkedin"],
            "draft_only": True,
            "mode": "recent",
            "picked": [],
            "min_value": None,
        },
        content.new_submission_id(),
        actor=EDITOR,
        now=NOW,
    )

    assert backend.classes == PICKLED_CLASSES, (
        f"the shared cache now pickles {sorted(backend.classes - PICKLED_CLASSES)} and no longer "
        f"{sorted(PICKLED_CLASSES - backend.classes)}: update PICKLED_CLASSES and bump CACHE_FORMAT "
        f"(now {CACHE_FORMAT}) in dashboard/infra/cache.py"
    )


def test_a_moved_class_comes_with_a_new_cache_format():
    """PICKLED_CLASSES changed without a CACHE_FORMAT bump would mix two releases' pickles."""
    assert RELEASED_FORMATS.get(CACHE_FORMAT) == PICKLED_CLASSES, (
        f"PICKLED_CLASSES differs from what format {CACHE_FORMAT} was released with: bump CACHE_FORMAT "
        f"and add the new set to RELEASED_FORMATS"
    )
    assert len(set(RELEASED_FORMATS.values())) == len(RELEASED_FORMATS)
