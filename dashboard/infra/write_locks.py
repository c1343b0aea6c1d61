"""One write at a time per record, across threads, workers and replicas.

The achievement-collector has no If-Match and no idempotency key: two editors who both read
version 5 and then PUT would both be told "saved", and the first edit would be gone. So the
dashboard takes a lock per record around its read-compare-write and holds it for the whole
write. The lock is the cache's (`services.cache.locks`): Redis `SET NX PX` when Redis is
configured, so every worker and replica sees it; a per-process lock otherwise. Its time to live
covers every backend call made while holding it, so it cannot expire under a slow write.

A caller who cannot get the lock within a short wait is told someone else is saving; it never
queues behind a write it cannot see. When the shared locks cannot be reached at all (Redis
refusing connections), writes are still serialised within this process and a warning is logged.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Iterator, Optional

from dashboard.infra.cache import LocalLocks, Locks

log = logging.getLogger(__name__)

DEFAULT_WAIT_SECONDS = 1.0
"""How long a write waits for another write of the same record before saying so."""
CALLS_UNDER_LOCK = 4
"""Backend calls an edit makes while holding its lock: read, write, read back a lost answer, check."""
DEFAULT_MARGIN_SECONDS = 1.0
"""DASHBOARD_WRITE_LOCK_MARGIN_SECONDS: time past the last call's deadline to release the lock."""


def lock_seconds_for(call_seconds: float, *, margin_seconds: float = DEFAULT_MARGIN_SECONDS) -> float:
    """A write lock's time to live: every call made under it, each to its whole-call deadline
    (DASHBOARD_BACKEND_CALL_SECONDS), and a margin (DASHBOARD_WRITE_LOCK_MARGIN_SECONDS)."""
    return CALLS_UNDER_LOCK * call_seconds + margin_seconds


class RecordLocks:
    """`with locks.hold("achievement:7") as held:` — `held` is False when another write has it."""

    def __init__(
        self,
        locks: Locks,
        *,
        ttl_seconds: float,
        wait_seconds: float = DEFAULT_WAIT_SECONDS,
        poll_seconds: float = 0.05,
    ):
        self.locks = locks
        self.ttl_seconds = ttl_seconds
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds
        self._fallback = LocalLocks()

    @contextmanager
    def hold(self, key: str) -> Iterator[bool]:
        key = "write:" + key
        locks, token = self._acquire(key)
        try:
            yield token is not None
        finally:
            if token is not None:
                try:
                    locks.release(key, token)
                except Exception as exc:  # noqa: BLE001 - it expires by itself
                    log.warning("write lock release for %s failed: %s", key, exc)

    def _acquire(self, key: str) -> tuple[Locks, Optional[str]]:
        """(the locks that answered, the token or None when another write holds the lock)."""
        deadline = time.monotonic() + self.wait_seconds
        locks = self.locks
        while True:
            try:
                token = locks.acquire(key, self.ttl_seconds)
            except Exception as exc:  # noqa: BLE001
                if locks is self._fallback:
                    raise
                log.warning("shared write lock for %s unavailable (%s): serialising in this process only", key, exc)
                locks = self._fallback
                continue
            if token is not None or time.monotonic() >= deadline:
                return locks, token
            time.sleep(self.poll_seconds)
