"""Where samples over time are kept (health checks, the orchestrator's metrics): in Redis when it
is configured (every worker and replica reads and writes the same series), else in an SQLite file
in DASHBOARD_DATA_DIR beside the embedded store. Either way they survive a restart, and samples
older than `retention_seconds` are dropped as new ones arrive.

A series is a name ("health:orchestrator:http", "metrics:orchestrator") and its samples: a time
(Unix seconds) and a small JSON object. What a sample holds, and what it means, is decided above
(services/history.py); this module only keeps them in order.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Protocol

if TYPE_CHECKING:
    from redis import Redis

RETENTION_SECONDS = 8 * 86_400
"""Seven days shown, and one more kept so the 7-day figures never start with a hole."""
MAX_SAMPLES_READ = 50_000
"""The most samples one read returns (a week at one every 15 s is 40,320): a bound, not a page."""

Sample = tuple[float, dict[str, Any]]


class SampleStore(Protocol):
    def add(self, series: str, at: float, record: dict[str, Any]) -> None: ...
    def since(self, series: str, start: float) -> list[Sample]:
        """The samples of `series` at or after `start`, oldest first."""
        ...


def _loads(raw: Any) -> Optional[dict[str, Any]]:
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


class RedisSamples:
    """One sorted set per series, scored by time; each member carries its time so two equal
    samples taken at different times stay two."""

    def __init__(self, client: Redis, prefix: str, *, retention_seconds: float = RETENTION_SECONDS):
        self._redis = client
        self._prefix = prefix
        self.retention = retention_seconds

    def add(self, series: str, at: float, record: dict[str, Any]) -> None:
        key = self._prefix + series
        member = json.dumps({**record, "t": round(at, 3)}, separators=(",", ":"), sort_keys=True)
        pipe = self._redis.pipeline(transaction=False)
        pipe.zadd(key, {member: at})
        pipe.zremrangebyscore(key, "-inf", f"({at - self.retention}")
        pipe.expire(key, int(self.retention) + 3_600)
        pipe.execute()

    def since(self, series: str, start: float) -> list[Sample]:
        rows: list[tuple[bytes, float]] = self._redis.zrangebyscore(  # type: ignore[assignment]  # withscores
            self._prefix + series, start, "+inf", withscores=True, start=0, num=MAX_SAMPLES_READ
        )
        found = []
        for member, score in rows:  # (member, score) pairs: withscores=True
            record = _loads(member)
            if record is not None:  # written by something else: not a sample
                record.pop("t", None)
                found.append((float(score), record))
        return found


_SCHEMA = """CREATE TABLE IF NOT EXISTS samples (
    series TEXT NOT NULL, at REAL NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS samples_series_at ON samples (series, at)"""


class SqliteSamples:
    def __init__(self, path: Path, *, retention_seconds: float = RETENTION_SECONDS):
        self.path = Path(path)
        self.retention = retention_seconds
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._connect()
        try:
            conn.executescript(_SCHEMA)
        finally:
            conn.close()

    def _connect(self) -> sqlite3.Connection:
        # A connection per call: samples come every few seconds, and this stays fork- and thread-safe.
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def add(self, series: str, at: float, record: dict[str, Any]) -> None:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO samples VALUES (?, ?, ?)",
                (series, at, json.dumps(record, separators=(",", ":"), sort_keys=True)),
            )
            conn.execute("DELETE FROM samples WHERE series=? AND at < ?", (series, at - self.retention))
            conn.execute("COMMIT")
        finally:
            conn.close()

    def since(self, series: str, start: float) -> list[Sample]:
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT at, record FROM samples WHERE series=? AND at >= ? ORDER BY at LIMIT ?",
                (series, start, MAX_SAMPLES_READ),
            ).fetchall()
        finally:
            conn.close()
        found = []
        for at, raw in rows:
            record = _loads(raw)
            if record is not None:
                found.append((float(at), record))
        return found


def sample_store(redis_client: Optional[Redis], data_dir: Path, *, prefix: str) -> SampleStore:
    """Redis when the deployment has one, else SQLite in the data directory."""
    if redis_client is not None:
        return RedisSamples(redis_client, prefix)
    return SqliteSamples(Path(data_dir) / "history.sqlite3")


__all__ = [
    "MAX_SAMPLES_READ",
    "RETENTION_SECONDS",
    "RedisSamples",
    "Sample",
    "SampleStore",
    "SqliteSamples",
    "sample_store",
]
