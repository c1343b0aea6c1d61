"""The embedded store: SQLite in DASHBOARD_DATA_DIR, serving whatever no backend is configured for.

It holds the same domain model as the services (one JSON document per row, a few indexed
columns) and is seeded on first start with the deterministic sample data set, so `make run`
shows a full dashboard with no backend at all. Several gunicorn workers may open it at once:
seeding runs in one IMMEDIATE transaction, and WAL lets readers go on during a write.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from pydantic import TypeAdapter

from dashboard.domain.clock import SYSTEM_CLOCK
from dashboard.domain.errors import Conflict, NotFound, StoreError
from dashboard.domain.models import Achievement, ContentStats, Post, ServiceHealth, SystemMetrics

SCHEMA_VERSION = 1
SERVICE = "embedded store"
"""How the store names itself in its errors (as a client names its service)."""
_ACHIEVEMENTS = TypeAdapter(list[Achievement])
_POSTS = TypeAdapter(list[Post])

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS achievements (
    id INTEGER PRIMARY KEY,
    completed_at TEXT NOT NULL,
    updated_at TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS achievements_completed ON achievements (completed_at);
CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY,
    created_at TEXT,
    status TEXT NOT NULL,
    doc TEXT NOT NULL
);
"""


_now = SYSTEM_CLOCK.now  # microseconds kept: updated_at is how a concurrent edit is detected


def _wal(conn: sqlite3.Connection, attempts: int = 100) -> None:
    """Switch to WAL. The first switch of a new file needs it to itself, and SQLite answers
    "database is locked" at once (no busy wait) to a second worker doing the same: retry."""
    for attempt in range(attempts):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


class EmbeddedStore:
    """SQLite-backed source of achievements, posts and system metrics."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = _now):
        self.path = Path(path)
        self.clock = clock
        self._local = threading.local()

    @classmethod
    def open(cls, data_dir: Path, *, clock: Callable[[], datetime] = _now) -> "EmbeddedStore":
        """Open (creating and seeding on first start) the store in `data_dir`."""
        try:
            Path(data_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"DASHBOARD_DATA_DIR={data_dir}: cannot create it ({exc})") from None
        store = cls(Path(data_dir) / "dashboard.sqlite3", clock=clock)
        store.initialise()
        return store

    def close(self) -> None:
        """Close this thread's connection; the next use opens a new one. A server that forks
        calls it first: an SQLite connection must not cross a fork (sqlite.org/howtocorrupt.html)."""
        conn = getattr(self._local, "conn", None)
        self._local = threading.local()
        if conn is not None:
            conn.close()

    @contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        # One connection per thread: sqlite3 connections must not cross threads.
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open {self.path}: {exc}") from None
            _wal(conn)
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        if not write:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def initialise(self) -> None:
        """Create the tables and seed them once, whichever worker gets there first."""
        try:
            # In the write transaction: workers starting at once wait for each other (busy
            # timeout) instead of racing on the schema.
            with self._connect(write=True) as conn:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    conn.execute(statement)
            with self._connect(write=True) as conn:
                seeded = conn.execute("SELECT value FROM meta WHERE key='seeded_at'").fetchone()
                if seeded is None:
                    self._seed(conn)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot initialise {self.path}: {exc}") from None

    def _seed(self, conn: sqlite3.Connection) -> None:
        from dashboard.sources.embedded.sample_data import generate_sample

        now = self.clock()
        sample = generate_sample(now)
        for item in sample.achievements:
            self._put_achievement(conn, Achievement.model_validate(item))
        for item in sample.posts:
            self._put_post(conn, Post.model_validate(item))
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('system_metrics', ?)",
            (SystemMetrics.model_validate(sample.system_metrics).model_dump_json(),),
        )
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('seeded_at', ?)", (now.isoformat(),))

    # Reads --------------------------------------------------------------------------------

    def list_achievements(self) -> list[Achievement]:
        """Every achievement, newest completion first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT doc FROM achievements ORDER BY completed_at DESC").fetchall()
        return _ACHIEVEMENTS.validate_json("[" + ",".join(row[0] for row in rows) + "]")

    def get_achievement(self, achievement_id: int) -> Optional[Achievement]:
        with self._connect() as conn:
            row = conn.execute("SELECT doc FROM achievements WHERE id=?", (achievement_id,)).fetchone()
        return None if row is None else Achievement.model_validate_json(row[0])

    def list_posts(self) -> list[Post]:
        """Every post, newest first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT doc FROM posts ORDER BY created_at DESC, id DESC").fetchall()
        return _POSTS.validate_json("[" + ",".join(row[0] for row in rows) + "]")

    def content_stats(self) -> ContentStats:
        """The orchestrator's /content/stats, computed from the stored posts."""
        posts = self.list_posts()
        now = self.clock()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        week_start = today - timedelta(days=today.weekday())
        counts = {status: 0 for status in ("draft", "ready", "scheduled", "published")}
        for post in posts:
            if post.status in counts:
                counts[post.status] += 1
        scores = [p.quality_score for p in posts if p.quality_score is not None]
        return ContentStats(
            total_posts=len(posts),
            posts_today=sum(1 for p in posts if p.created_at and p.created_at >= today),
            posts_this_week=sum(1 for p in posts if p.created_at and p.created_at >= week_start),
            avg_quality_score=round(sum(scores) / len(scores), 1) if scores else None,
            active_personas=len({p.persona_id for p in posts if p.persona_id}),
            draft_count=counts["draft"],
            ready_count=counts["ready"],
            scheduled_count=counts["scheduled"],
            published_count=counts["published"],
        )

    def metrics_summary(self) -> SystemMetrics:
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key='system_metrics'").fetchone()
        if row is None:
            raise StoreError("the embedded store holds no system metrics (was it seeded?)")
        return SystemMetrics.model_validate_json(row[0])

    def health(self, service: str) -> ServiceHealth:
        try:
            with self._connect() as conn:
                conn.execute("SELECT 1").fetchone()
        except (sqlite3.Error, StoreError) as exc:
            return ServiceHealth(service=service, source="embedded", status="down", detail=str(exc))
        return ServiceHealth(service=service, source="embedded", status="healthy", detail=f"embedded store {self.path}")

    # Writes -------------------------------------------------------------------------------

    def save_achievement(self, achievement: Achievement) -> Achievement:
        """Insert or replace one achievement, stamping updated_at."""
        stamped = achievement.model_copy(update={"updated_at": self.clock()})
        with self._connect(write=True) as conn:
            self._put_achievement(conn, stamped)
        return stamped

    def update_achievement(
        self, achievement_id: int, changes: dict[str, Any], *, expected_updated_at: Optional[datetime] = None
    ) -> Achievement:
        """Apply a partial update in one transaction; Conflict if the row changed meanwhile, NotFound
        if it is gone."""
        with self._connect(write=True) as conn:
            row = conn.execute("SELECT doc FROM achievements WHERE id=?", (achievement_id,)).fetchone()
            if row is None:
                raise NotFound(SERVICE, f"achievement {achievement_id} does not exist")
            current = Achievement.model_validate_json(row[0])
            if expected_updated_at is not None and current.updated_at != expected_updated_at:
                raise Conflict(current)
            merged = Achievement.model_validate(
                {**current.model_dump(exclude={"value_amount"}), **changes, "updated_at": self.clock()}
            )
            self._put_achievement(conn, merged)
        return merged

    def create_achievement(self, body: dict[str, Any]) -> Achievement:
        """Insert a new achievement with the next id, as the collector's POST does."""
        now = self.clock()
        with self._connect(write=True) as conn:
            next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM achievements").fetchone()[0]
            achievement = Achievement.model_validate({**body, "id": next_id, "created_at": now, "updated_at": now})
            started, completed = achievement.started_at, achievement.completed_at
            achievement = achievement.model_copy(
                update={"duration_hours": round((completed - started).total_seconds() / 3600, 2)}
            )
            self._put_achievement(conn, achievement)
        return achievement

    def save_many(self, achievements: list[Achievement]) -> None:
        """Insert or replace many achievements in one transaction (imports, benchmarks)."""
        with self._connect(write=True) as conn:
            for achievement in achievements:
                self._put_achievement(conn, achievement)

    def save_post(self, post: Post) -> Post:
        with self._connect(write=True) as conn:
            self._put_post(conn, post)
        return post

    @staticmethod
    def _put_achievement(conn: sqlite3.Connection, achievement: Achievement) -> None:
        doc = achievement.model_dump_json(exclude={"value_amount"})
        conn.execute(
            "INSERT OR REPLACE INTO achievements (id, completed_at, updated_at, doc) VALUES (?,?,?,?)",
            (
                achievement.id,
                achievement.completed_at.isoformat(),
                achievement.updated_at.isoformat() if achievement.updated_at else None,
                doc,
            ),
        )

    @staticmethod
    def _put_post(conn: sqlite3.Connection, post: Post) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO posts (id, created_at, status, doc) VALUES (?,?,?,?)",
            (post.id, post.created_at.isoformat() if post.created_at else None, post.status, post.model_dump_json()),
        )

    # Posts, one at a time (the Content page) ----------------------------------------------------

    def get_post(self, post_id: int) -> Optional[Post]:
        with self._connect() as conn:
            row = conn.execute("SELECT doc FROM posts WHERE id=?", (post_id,)).fetchone()
        return None if row is None else Post.model_validate_json(row[0])

    def update_post(self, post_id: int, changes: dict[str, Any]) -> Post:
        """Apply a partial update in one transaction; NotFound when the post does not exist.

        `full_content` follows hook and body, as the orchestrator builds it.
        """
        with self._connect(write=True) as conn:
            row = conn.execute("SELECT doc FROM posts WHERE id=?", (post_id,)).fetchone()
            if row is None:
                raise NotFound(SERVICE, f"post {post_id} does not exist")
            merged = {**Post.model_validate_json(row[0]).model_dump(), **changes}
            merged["full_content"] = f"{merged['hook']}\n\n{merged['body']}"
            post = Post.model_validate(merged)
            self._put_post(conn, post)
        return post

    def create_post(self, body: dict[str, Any]) -> Post:
        """Insert a new post with the next id, created now."""
        with self._connect(write=True) as conn:
            next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM posts").fetchone()[0]
            doc = {"status": "draft", **body, "id": next_id, "created_at": self.clock()}
            doc["full_content"] = f"{doc.get('hook', '')}\n\n{doc.get('body', '')}"
            post = Post.model_validate(doc)
            self._put_post(conn, post)
        return post
