"""What the shared cache stores: its format version, the classes it pickles, and the small
record read on every call (`_Meta`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

CACHE_FORMAT = 3
"""The version of what the shared cache holds; part of its Redis key prefix (app.py). The cache
pickles, and a pickle names its classes by module path: when one of PICKLED_CLASSES moves or
changes shape, bump this, so that during a rolling deploy old and new pods keep apart instead of
failing to read each other's entries. tests/unit/test_cache_format.py fails until both agree
(format 2: the classes moved to the layered packages; format 3: ServiceStatus to domain/health,
GenerateResult to services/content/generate, _Meta here)."""

PICKLED_CLASSES = frozenset(
    {
        "dashboard.domain.models.Achievement",
        "dashboard.domain.models.ContentStats",
        "dashboard.domain.models.Post",
        "dashboard.domain.models.SystemMetrics",
        "dashboard.domain.models.PlatformPerformance",
        "dashboard.domain.models.ServicesHealthSummary",
        "dashboard.infra.cache_format._Meta",
        "dashboard.services.content.generate.GenerateResult",
        "dashboard.infra.packing.PackedModels",
        "dashboard.domain.health.ServiceStatus",
    }
)
"""Every class of ours whose instances the shared cache stores (module path and name)."""

META_SUFFIX = "#meta"
"""Each key `k` is stored as the value under `k` and its version/freshness under `k + META_SUFFIX`."""


@dataclass
class _Meta:
    """What every read looks at: which version of the value is current, and how it is doing."""

    token: Optional[str]
    fetched_at: Optional[float]
    error: Optional[str] = None
    failed_at: Optional[float] = None
    failing_since: Optional[float] = None
    """The first failure of the current run of failures (None after a success)."""
