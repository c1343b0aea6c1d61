"""What a service's health checks over time add up to: uptime, latency, incidents.

Pure functions of samples `(Unix time, {"status": …, "latency_ms": …, "error": …})`, taken
about every `interval` seconds by one process of all (services/history.py). Time without a
sample (nothing running, or the sampler stopped) is unknown, not up and not down: each sample
stands for the time until the next one, at most two intervals, and a figure over a window says
how much of the window it measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional, Sequence

from dashboard.domain.clock import utc_from_epoch

DAY = 86_400.0
WEEK = 7 * DAY
SPARKLINE_POINTS = 96
"""Latency points over the last 24 h: one per 15 minutes."""
MAX_INCIDENTS = 20


@dataclass(frozen=True)
class Incident:
    """A run of checks that were not healthy: from its first such check to the first healthy one."""

    status: str
    """"down" when any check in the run had no answer, else "unhealthy"."""
    started: datetime
    ended: Optional[datetime]
    """None: still going on at the last check."""
    error: str
    checks: int

    @property
    def ongoing(self) -> bool:
        return self.ended is None


@dataclass(frozen=True)
class Uptime:
    """The share of measured time a service was healthy over a window."""

    window_seconds: float
    healthy_share: Optional[float]
    """None when nothing in the window was measured."""
    measured_share: float
    """How much of the window the checks cover (0 to 1)."""


@dataclass(frozen=True)
class ServiceHistory:
    service: str
    samples: int
    """Checks kept for the last 7 days."""
    uptime_day: Uptime
    uptime_week: Uptime
    latency: tuple[tuple[datetime, Optional[float]], ...] = ()
    """The last 24 h, one point per quarter hour: the median latency of its healthy checks."""
    failed: tuple[bool, ...] = ()
    """The same quarter hours: whether any check in it was not healthy."""
    incidents: tuple[Incident, ...] = field(default_factory=tuple)
    """Newest first, at most MAX_INCIDENTS."""


def _weights(samples: Sequence[tuple[float, Any]], now: float, interval: float) -> list[float]:
    """How long each sample stands for: until the next one (or now), at most two intervals."""
    cap = 2 * interval
    ends = [at for at, _ in samples[1:]] + [now]
    return [max(0.0, min(end - at, cap)) for (at, _), end in zip(samples, ends)]


def uptime(samples: Sequence[tuple[float, dict[str, Any]]], now: float, window: float, interval: float) -> Uptime:
    start = now - window
    inside = [(at, record) for at, record in samples if start <= at <= now]
    weights = _weights(inside, now, interval)
    measured = sum(weights)
    healthy = sum(w for w, (_, record) in zip(weights, inside) if record.get("status") == "healthy")
    return Uptime(
        window_seconds=window,
        healthy_share=None if measured <= 0 else healthy / measured,
        measured_share=min(1.0, measured / window) if window > 0 else 0.0,
    )


def latency_points(
    samples: Sequence[tuple[float, dict[str, Any]]], now: float, *, points: int = SPARKLINE_POINTS
) -> tuple[tuple[datetime, Optional[float]], ...]:
    """The median latency of healthy checks per slot of the last 24 h (None: no such check)."""
    slot = DAY / points
    start = now - DAY
    slots: list[list[float]] = [[] for _ in range(points)]
    for at, record in samples:
        latency = record.get("latency_ms")
        if at < start or at > now or record.get("status") != "healthy" or not isinstance(latency, (int, float)):
            continue
        slots[min(points - 1, int((at - start) // slot))].append(float(latency))
    return tuple((utc_from_epoch(start + (i + 1) * slot), median(values)) for i, values in enumerate(slots))


def failed_slots(
    samples: Sequence[tuple[float, dict[str, Any]]], now: float, *, points: int = SPARKLINE_POINTS
) -> tuple[bool, ...]:
    """Per slot of the last 24 h: whether any check in it was down or unhealthy."""
    slot = DAY / points
    start = now - DAY
    failed = [False] * points
    for at, record in samples:
        if start <= at <= now and record.get("status") in ("down", "unhealthy"):
            failed[min(points - 1, int((at - start) // slot))] = True
    return tuple(failed)


def median(values: Sequence[float]) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def incidents(samples: Sequence[tuple[float, dict[str, Any]]], *, limit: int = MAX_INCIDENTS) -> tuple[Incident, ...]:
    """Every run of unhealthy or failed checks, newest first."""
    found: list[Incident] = []
    run: list[tuple[float, dict[str, Any]]] = []

    def close(ended: Optional[float]) -> None:
        statuses = {record.get("status") for _, record in run}
        error = next((str(record.get("error")) for _, record in run if record.get("error")), "")
        found.append(
            Incident(
                status="down" if "down" in statuses else "unhealthy",
                started=utc_from_epoch(run[0][0]),
                ended=None if ended is None else utc_from_epoch(ended),
                error=error or ("no answer" if "down" in statuses else "answered, but not healthy"),
                checks=len(run),
            )
        )

    for at, record in samples:
        if record.get("status") == "healthy":
            if run:
                close(at)
                run = []
        elif record.get("status") in ("down", "unhealthy"):
            run.append((at, record))
    if run:
        close(None)
    return tuple(reversed(found[-limit:]))


def service_history(
    service: str, samples: Sequence[tuple[float, dict[str, Any]]], *, now: float, interval: float
) -> ServiceHistory:
    return ServiceHistory(
        service=service,
        samples=len(samples),
        uptime_day=uptime(samples, now, DAY, interval),
        uptime_week=uptime(samples, now, WEEK, interval),
        latency=latency_points(samples, now),
        failed=failed_slots(samples, now),
        incidents=incidents(samples),
    )


@dataclass(frozen=True)
class Trend:
    """One metric over a window: the mean per slot (None: no sample), and the latest sample."""

    slots: tuple[Optional[float], ...]
    latest: Optional[float]
    low: Optional[float]
    high: Optional[float]


def trend(
    samples: Sequence[tuple[float, dict[str, Any]]],
    name: str,
    *,
    now: float,
    window: float = DAY,
    points: int = SPARKLINE_POINTS,
) -> Trend:
    """One metric's values over the window (samples without a number are left out)."""
    slot = window / points
    start = now - window
    sums = [0.0] * points
    counts = [0] * points
    values: list[float] = []
    for at, record in samples:
        value = record.get(name)
        if not (start <= at <= now) or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        index = min(points - 1, int((at - start) // slot))
        sums[index] += float(value)
        counts[index] += 1
        values.append(float(value))
    return Trend(
        slots=tuple(None if n == 0 else total / n for total, n in zip(sums, counts)),
        latest=values[-1] if values else None,
        low=min(values) if values else None,
        high=max(values) if values else None,
    )


__all__ = [
    "DAY",
    "WEEK",
    "Incident",
    "Trend",
    "ServiceHistory",
    "Uptime",
    "failed_slots",
    "incidents",
    "latency_points",
    "median",
    "service_history",
    "trend",
    "uptime",
]
