"""The dashboard's clock: the one place that says what time it is for data.

Data time — the windows of "last 30 days", the sample data, `fetched_at`, `updated_at`, audit
entries, the names of exported files — comes from `Clock.now()` (naive UTC, as the services
send datetimes) or `Clock.time()` (epoch seconds). The factory builds one clock from
DASHBOARD_CLOCK_SHIFT_SECONDS and hands it to every part; no other module reads the wall clock
for data (tests/unit/test_clock.py checks the source). Durations use `time.monotonic` or
`time.perf_counter`; signed tokens and sessions keep the system clock, because their expiry is a
security property, not data.

A shift moves the whole dashboard to another day while it keeps running at the speed of real
time, so TTLs, ages and "Updated 5 s ago" keep working: a demo of a month end, or the suite run
at a leap day (`make test-dates`). A shift rather than a start instant, because every process
given the same shift agrees to the microsecond, where an instant taken at each process's start
would not (gunicorn workers start one after another and share one Redis).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Optional

EPOCH = datetime(1970, 1, 1)


def to_naive_utc(moment: datetime) -> datetime:
    """`moment` as naive UTC, the dashboard's convention: an aware time is converted (not just
    stripped), a naive one is taken as UTC already. Raises OverflowError for a time that leaves
    the calendar once in UTC (0001-01-01T00:00+05:00)."""
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.replace(tzinfo=None)


def utc_from_epoch(epoch: float) -> datetime:
    """Epoch seconds as a naive UTC datetime."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)


def maybe_utc_from_epoch(epoch: Optional[float]) -> Optional[datetime]:
    """`utc_from_epoch`, with None for None (a time not recorded)."""
    return None if epoch is None else utc_from_epoch(epoch)


def epoch_ms(moment: Optional[datetime]) -> Optional[int]:
    """Milliseconds since the epoch of a naive UTC datetime (the browser's time unit).

    A freshness store's `_updated` is the server's now in this unit: the browser measures ages
    against the server's clock from it, not against its own (a TV's clock may be off by minutes).
    """
    if moment is None:
        return None
    return int((moment - datetime(1970, 1, 1)).total_seconds() * 1000)


class Clock:
    """System time moved by `shift_seconds` (0: the system clock)."""

    __slots__ = ("shift_seconds",)

    def __init__(self, shift_seconds: float = 0.0):
        self.shift_seconds = float(shift_seconds)

    @classmethod
    def starting_at(cls, moment: datetime) -> "Clock":
        """A clock that reads `moment` now (naive means UTC) and runs on from there."""
        moment = to_naive_utc(moment)
        return cls((moment - EPOCH).total_seconds() - time.time())

    def time(self) -> float:
        """Epoch seconds, like `time.time()`."""
        return time.time() + self.shift_seconds

    def now(self) -> datetime:
        """Naive UTC now, the convention of every datetime in the dashboard."""
        return utc_from_epoch(self.time())

    def __repr__(self) -> str:
        return f"Clock(shift_seconds={self.shift_seconds!r})"


SYSTEM_CLOCK = Clock()
"""The unshifted clock: the default of every part built outside the factory."""
