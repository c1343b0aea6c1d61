"""Where named grid views are kept, per user: in Redis when it is configured (every worker and
replica sees the same), else in an SQLite file in DASHBOARD_DATA_DIR beside the embedded store.

Each user's views are one Redis hash (or the rows of one owner); a save checks the bound and
writes in one step (a Lua script, an IMMEDIATE transaction), so two tabs saving at once never
pass the limit. What a view holds is checked above (services/achievements/saved_views.py).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Protocol

if TYPE_CHECKING:
    from redis import Redis

StoredView = tuple[str, str, float]
"""(name, query string, saved at as a Unix time)."""

_PUT = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""


class ViewStore(Protocol):
    def views(self, owner: str) -> list[StoredView]: ...
    def put(self, owner: str, name: str, query: str, at: float, *, limit: int) -> bool:
        """Saved (or replaced): True; False when `owner` already has `limit` other views."""
        ...

    def delete(self, owner: str, name: str) -> None: ...


class RedisViews:
    def __init__(self, client: Redis, prefix: str):
        self._redis = client
        self._prefix = prefix
        self._put = client.register_script(_PUT)

    def views(self, owner: str) -> list[StoredView]:
        found = []
        for name, raw in self._redis.hgetall(self._prefix + owner).items():
            try:
                entry = json.loads(raw)
                found.append((_text(name), str(entry["query"]), float(entry["at"])))
            except (ValueError, KeyError, TypeError):
                continue  # written by something else: not a view
        return found

    def put(self, owner: str, name: str, query: str, at: float, *, limit: int) -> bool:
        entry = json.dumps({"query": query, "at": at})
        return bool(self._put(keys=[self._prefix + owner], args=[name, entry, limit]))

    def delete(self, owner: str, name: str) -> None:
        self._redis.hdel(self._prefix + owner, name)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


_SCHEMA = """CREATE TABLE IF NOT EXISTS saved_views (
    owner TEXT NOT NULL, name TEXT NOT NULL, query TEXT NOT NULL, saved_at REAL NOT NULL,
    PRIMARY KEY (owner, name))"""


class SqliteViews:
    def __init__(self, path: Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute(_SCHEMA)
        return conn

    def views(self, owner: str) -> list[StoredView]:
        conn = self._connect()
        try:
            rows = conn.execute("SELECT name, query, saved_at FROM saved_views WHERE owner=?", (owner,)).fetchall()
        finally:
            conn.close()
        return [(str(n), str(q), float(at)) for n, q, at in rows]

    def put(self, owner: str, name: str, query: str, at: float, *, limit: int) -> bool:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                exists = conn.execute("SELECT 1 FROM saved_views WHERE owner=? AND name=?", (owner, name)).fetchone()
                count = conn.execute("SELECT COUNT(*) FROM saved_views WHERE owner=?", (owner,)).fetchone()[0]
                if exists is None and count >= limit:
                    conn.execute("ROLLBACK")
                    return False
                conn.execute("INSERT OR REPLACE INTO saved_views VALUES (?, ?, ?, ?)", (owner, name, query, at))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return True
        finally:
            conn.close()

    def delete(self, owner: str, name: str) -> None:
        conn = self._connect()
        try:
            conn.execute("DELETE FROM saved_views WHERE owner=? AND name=?", (owner, name))
        finally:
            conn.close()


def view_store(redis_client: Optional[Redis], data_dir: Path, *, prefix: str) -> ViewStore:
    """Redis when the deployment has one, else SQLite in the data directory."""
    if redis_client is not None:
        return RedisViews(redis_client, prefix)
    return SqliteViews(Path(data_dir) / "saved_views.sqlite3")
