"""The audit trail: every write to an achievement, field by field, in SQLite.

Kept in DASHBOARD_DATA_DIR beside the embedded store, whichever source the write went to, so
"who changed what, when" can be read back even against the real achievement-collector.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from dashboard.domain.clock import SYSTEM_CLOCK

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    achievement_id INTEGER,
    action TEXT NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    user TEXT,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
"""


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    achievement_id: Optional[int]
    action: str
    field: Optional[str]
    old_value: Any
    new_value: Any
    user: Optional[str]
    source: str


class AuditLog:
    def __init__(self, path: Path, *, clock: Callable[[], datetime] = SYSTEM_CLOCK.now):
        self.path = Path(path)
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close this thread's connection (before a fork: see EmbeddedStore.close)."""
        conn = getattr(self._local, "conn", None)
        self._local = threading.local()
        if conn is not None:
            conn.close()

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    def record(
        self,
        achievement_id: Optional[int],
        action: str,
        changes: dict[str, tuple[Any, Any]],
        *,
        source: str,
        user: Optional[str] = None,
    ) -> None:
        """One row per changed field: (old, new)."""
        at = self.clock().isoformat(timespec="seconds")
        # No field given: still one row, for the action itself (its field NULL).
        fields: Iterable[tuple[Optional[str], tuple[Any, Any]]] = changes.items() if changes else [(None, (None, None))]
        rows = [(at, achievement_id, action, name, _dump(old), _dump(new), user, source) for name, (old, new) in fields]
        with self._connect() as conn:
            conn.executemany(
                "INSERT INTO audit (at, achievement_id, action, field, old_value, new_value, user, source)"
                " VALUES (?,?,?,?,?,?,?,?)",
                rows,
            )

    def recent(self, limit: int = 50, achievement_id: Optional[int] = None) -> list[AuditEntry]:
        query = "SELECT at, achievement_id, action, field, old_value, new_value, user, source FROM audit"
        args: tuple[int, ...] = ()
        if achievement_id is not None:
            query += " WHERE achievement_id=?"
            args = (achievement_id,)
        query += " ORDER BY id DESC LIMIT ?"
        rows = self._connect().execute(query, (*args, max(1, min(int(limit), 1000)))).fetchall()
        return [
            AuditEntry(datetime.fromisoformat(r[0]), r[1], r[2], r[3], _load(r[4]), _load(r[5]), r[6], r[7])
            for r in rows
        ]


def _dump(value: Any) -> Optional[str]:
    return None if value is None else json.dumps(value, default=str)


def _load(text: Optional[str]) -> Any:
    return None if text is None else json.loads(text)
