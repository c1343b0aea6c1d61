"""What sign-in must remember across requests: sign-in attempts per name and address, and
signed-out sessions.

Both live in Redis when REDIS_URL is set, so every gunicorn worker and replica counts the same
attempts and refuses the same signed-out cookie; without Redis, in this process (atomic under a
lock, but each worker then keeps its own). Each count is one atomic step (a Lua script in Redis,
a lock here), never a get followed by a set: 40 parallel guesses must not all read "0 so far".

Redis that fails or hangs is left alone for a few seconds and the in-process state stands in:
sign-in keeps working, counted per process meanwhile. That judgement is the cache's own
(`StorageGuard`, services/cache.py), on the cache's own Redis client: one view of Redis per process.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Optional, Protocol, TypeVar

import redis

from dashboard.infra.cache import FreshCache, StorageGuard

log = logging.getLogger("dashboard.web.auth")

KEY_PREFIX = "threads-dashboard:auth:"

# KEYS[1]: the counter; ARGV[1]: attempts allowed; ARGV[2]: window in seconds. An attempt within
# the allowance (re)starts the window, as every failure did before; one beyond it (locked out)
# does not stretch the lock.
_TAKE_ATTEMPT = """
local n = redis.call('INCR', KEYS[1])
if n <= tonumber(ARGV[1]) or redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return n
"""
_GIVE_BACK = """
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 1 then return redis.call('DECR', KEYS[1]) end
redis.call('DEL', KEYS[1])
return 0
"""


Entry = TypeVar("Entry")


class AuthState(Protocol):
    """Attempts counted per key in a window, and keys marked for a while (signed-out sessions)."""

    def take_attempt(self, key: str, allowed: int, window: float) -> int: ...
    def give_back(self, key: str) -> None: ...
    def mark(self, key: str, seconds: float) -> None: ...
    def marked(self, key: str) -> bool: ...


class LocalAuthState:
    """In-process attempts and marks, each change under one lock; expired entries are pruned."""

    MAX_ENTRIES = 20_000
    """A flood of names must not grow memory without bound: beyond this, the entries nearest
    their expiry go first."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}
        self._marks: dict[str, float] = {}

    def take_attempt(self, key: str, allowed: int, window: float) -> int:
        """Count one attempt and return how many there are now (this one included)."""
        with self._lock:
            now = self._clock()
            count, until = self._counts.get(key, (0, 0.0))
            if until <= now:
                count = 0
            count += 1
            if count <= allowed or until <= now:
                until = now + window
            self._counts[key] = (count, until)
            self._prune(self._counts, now, lambda entry: entry[1])
            return count

    def give_back(self, key: str) -> None:
        """Undo one counted attempt (it succeeded)."""
        with self._lock:
            count, until = self._counts.get(key, (0, 0.0))
            if count > 1 and until > self._clock():
                self._counts[key] = (count - 1, until)
            else:
                self._counts.pop(key, None)

    def mark(self, key: str, seconds: float) -> None:
        with self._lock:
            now = self._clock()
            self._marks[key] = now + seconds
            self._prune(self._marks, now, lambda until: until)

    def marked(self, key: str) -> bool:
        with self._lock:
            until = self._marks.get(key)
            return until is not None and until > self._clock()

    def _prune(self, entries: dict[str, Entry], now: float, until_of: Callable[[Entry], float]) -> None:
        if len(entries) <= self.MAX_ENTRIES:
            return
        for key in [k for k, v in entries.items() if until_of(v) <= now]:
            del entries[key]
        if len(entries) > self.MAX_ENTRIES:
            for key in sorted(entries, key=lambda k: until_of(entries[k]))[: len(entries) - self.MAX_ENTRIES]:
                del entries[key]


class RedisAuthState:
    """The same state in Redis, shared by every worker and replica; `local` stands in while
    Redis fails, and keeps this process's own marks as well (a sign-out is never forgotten
    by the worker that saw it)."""

    def __init__(
        self,
        client: redis.Redis,
        guard: Optional[StorageGuard] = None,
        *,
        prefix: str = KEY_PREFIX,
        local: Optional[LocalAuthState] = None,
    ):
        self.client = client
        self.guard = guard if guard is not None else StorageGuard(seconds=5.0)
        self.prefix = prefix
        self.local = local or LocalAuthState()
        self._take = client.register_script(_TAKE_ATTEMPT)
        self._give_back = client.register_script(_GIVE_BACK)

    def take_attempt(self, key: str, allowed: int, window: float) -> int:
        count: int = self.guard.run(  # either count is an int; StorageGuard.run answers Any
            lambda: int(self._take(keys=[self.prefix + key], args=[allowed, int(window)])),
            lambda: self.local.take_attempt(key, allowed, window),
        )
        return count

    def give_back(self, key: str) -> None:
        self.guard.run(lambda: self._give_back(keys=[self.prefix + key]), lambda: self.local.give_back(key))

    def mark(self, key: str, seconds: float) -> None:
        self.local.mark(key, seconds)
        self.guard.run(lambda: self.client.set(self.prefix + key, b"1", ex=max(1, int(seconds + 0.999))), lambda: None)

    def marked(self, key: str) -> bool:
        if self.local.marked(key):
            return True
        return bool(self.guard.run(lambda: self.client.exists(self.prefix + key), lambda: False))


def for_cache(cache: FreshCache) -> AuthState:
    """Sign-in state beside the cache: in its Redis, behind its guard, when it has one; else in-process."""
    client = getattr(cache.locks, "redis", None)
    if client is None:
        return LocalAuthState()
    return RedisAuthState(client, cache.guard)
