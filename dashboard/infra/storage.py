"""The shared storage under the cache: a cachelib backend (Redis or in-process), its locks, and
the guard that leaves a failing Redis alone for a while.

What the System page asks of the storage (its Redis client, its keys) is answered here, so no
caller reads cachelib's private attributes.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
import weakref
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, TypeVar

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger("dashboard.infra.cache")

Answer = TypeVar("Answer")

KEY_COUNT_LIMIT = 10_000
"""The most keys `storage_keys` lists (a Redis shared with other data could hold millions)."""

FALLBACK_THRESHOLD = 2000
"""Entries of the in-process stand-in while the shared storage is left alone (DASHBOARD_CACHE_FALLBACK_THRESHOLD)."""

_RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class CacheBackend(Protocol):
    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any, timeout: Optional[int] = None) -> Any: ...
    def delete(self, key: str) -> Any: ...


class Locks(Protocol):
    def acquire(self, key: str, ttl_seconds: float) -> Optional[str]: ...
    def release(self, key: str, token: str) -> None: ...
    def held(self, key: str) -> bool: ...


class LocalLocks:
    """Expiring per-key locks inside one process (no Redis configured)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._mutex = threading.Lock()
        self._held: dict[str, tuple[str, float]] = {}

    def acquire(self, key: str, ttl_seconds: float) -> Optional[str]:
        now = self._clock()
        with self._mutex:
            current = self._held.get(key)
            if current and current[1] > now:
                return None
            token = uuid.uuid4().hex
            self._held[key] = (token, now + ttl_seconds)
            return token

    def release(self, key: str, token: str) -> None:
        with self._mutex:
            if self._held.get(key, ("",))[0] == token:
                del self._held[key]

    def held(self, key: str) -> bool:
        with self._mutex:
            current = self._held.get(key)
            return bool(current and current[1] > self._clock())


class RedisLocks:
    """`SET key token NX PX ttl` locks shared by every worker and replica using one Redis."""

    def __init__(self, client: Redis, prefix: str = "threads-dashboard:lock:"):
        self.redis = client  # also used by readiness checks
        self._redis = client
        self._prefix = prefix
        self._release = client.register_script(_RELEASE_SCRIPT)

    def acquire(self, key: str, ttl_seconds: float) -> Optional[str]:
        token = uuid.uuid4().hex
        if self._redis.set(self._prefix + key, token, nx=True, px=max(1, int(ttl_seconds * 1000))):
            return token
        return None

    def release(self, key: str, token: str) -> None:
        # Compare-and-delete: a lock that expired and was taken by another is not ours to drop.
        self._release(keys=[self._prefix + key], args=[token])

    def held(self, key: str) -> bool:
        return bool(self._redis.exists(self._prefix + key))


def _is_outage(exc: BaseException) -> bool:
    """The storage is gone or hung (refused, reset, timed out), not a bad value or a bug of ours."""
    if isinstance(exc, (OSError, TimeoutError)):  # builtin ConnectionError is an OSError
        return True
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"ConnectionError", "TimeoutError", "BusyLoadingError"})


class StorageGuard:
    """The shared storage left alone for a while after it failed (used by the cache, its locks
    and the sign-in state: one judgement of whether Redis is there).

    Redis that stops answering (frozen, a network partition) costs a socket timeout per call:
    8 s for one Overview refresh were seen with a frozen redis-server. Redis that is down
    refuses at once, but then nothing is shared: each read found no value and no lock, and
    every screen fetched its backend itself (243 full list fetches in 15 s under 50 screens).
    So after a call fails for want of the storage, that call and every call for `seconds` go to
    an in-process stand-in (cache and locks: one fetch per key per TTL in each process); then
    the shared storage is tried again, and used again as soon as it answers.
    """

    def __init__(self, seconds: float, *, threshold: int = FALLBACK_THRESHOLD):
        from cachelib import SimpleCache

        self.seconds = seconds
        self.local = SimpleCache(threshold=threshold, default_timeout=0)
        self.local_locks = LocalLocks()
        self._open_until = 0.0
        self._mutex = threading.Lock()
        self.failures = 0
        """Calls the shared storage failed since start (each then served in-process)."""

    @property
    def open(self) -> bool:
        return time.monotonic() < self._open_until

    def run(self, shared: Callable[[], Answer], local: Callable[[], Answer]) -> Answer:
        if self.open:
            return local()
        try:
            return shared()
        except Exception as exc:
            if not _is_outage(exc):
                raise
            with self._mutex:
                first = not self.open
                self._open_until = time.monotonic() + self.seconds
                self.failures += 1
            if first:
                log.warning(
                    "shared cache storage failed (%s: %s): in-process cache for %.0f s",
                    type(exc).__name__,
                    exc,
                    self.seconds,
                )
            return local()


_GUARDS: "weakref.WeakKeyDictionary[Any, StorageGuard]" = weakref.WeakKeyDictionary()
_GUARDS_MUTEX = threading.Lock()


def _guard_for(backend: Any, seconds: float, threshold: int) -> StorageGuard:
    """One guard per storage object, shared by every FreshCache over it."""
    with _GUARDS_MUTEX:
        try:
            guard = _GUARDS.get(backend)
            if guard is None:
                guard = _GUARDS[backend] = StorageGuard(seconds, threshold=threshold)
        except TypeError:  # not weak-referenceable: a guard of its own
            guard = StorageGuard(seconds, threshold=threshold)
    return guard


class GuardedBackend:
    """A cachelib-style storage behind a `StorageGuard`: every public method is guarded; other
    attributes (the redis client, the key prefix) are the storage's own."""

    def __init__(self, inner: Any, guard: StorageGuard):
        self._inner = inner
        self._guard = guard

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name.startswith("_") or not callable(attribute):
            return attribute
        local = getattr(self._guard.local, name, None)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._guard.run(
                lambda: attribute(*args, **kwargs), lambda: local(*args, **kwargs) if local is not None else None
            )

        return call


class GuardedLocks:
    """Locks behind the same guard: in-process locks while the shared storage is left alone."""

    _LOCAL = "local:"

    def __init__(self, inner: Locks, guard: StorageGuard):
        self._inner = inner
        self._guard = guard

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)  # e.g. .redis, for readiness checks

    def acquire(self, key: str, ttl_seconds: float) -> Optional[str]:
        def local() -> Optional[str]:
            token = self._guard.local_locks.acquire(key, ttl_seconds)
            return None if token is None else self._LOCAL + token

        return self._guard.run(lambda: self._inner.acquire(key, ttl_seconds), local)

    def release(self, key: str, token: str) -> None:
        if token.startswith(self._LOCAL):
            self._guard.local_locks.release(key, token[len(self._LOCAL) :])
            return
        self._guard.run(lambda: self._inner.release(key, token), lambda: None)

    def held(self, key: str) -> bool:
        return self._guard.run(lambda: self._inner.held(key), lambda: self._guard.local_locks.held(key))


def redis_client(backend: Any) -> Optional[Redis]:
    """The redis client behind a cachelib RedisCache (guarded or not); None for an in-process backend."""
    inner = getattr(backend, "_inner", backend)
    client = getattr(inner, "_read_client", None)
    return client if client is not None and hasattr(client, "ping") else None


def storage_keys(backend: Any, limit: int = KEY_COUNT_LIMIT) -> Optional[list[str]]:
    """The keys of the dashboard's namespace, without its prefix (None: this storage cannot list
    them). Raises what the Redis client raises."""
    inner = getattr(backend, "_inner", backend)
    client = redis_client(inner)
    if client is not None:
        return _redis_keys(client, _prefix(inner), limit)
    return _local_keys(inner)


def _prefix(backend: Any) -> str:
    getter = getattr(backend, "_get_prefix", None)
    return str(getter()) if callable(getter) else str(getattr(backend, "key_prefix", "") or "")


def _redis_keys(client: Redis, prefix: str, limit: int) -> list[str]:
    pattern = "".join("\\" + ch if ch in "*?[]\\" else ch for ch in prefix) + "*"
    keys = []
    for raw in client.scan_iter(match=pattern, count=500):
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        keys.append(text[len(prefix) :])
        if len(keys) >= limit:
            break
    return keys


def _local_keys(backend: Any) -> Optional[list[str]]:
    entries = getattr(backend, "_cache", None)
    if not isinstance(entries, dict):
        return None
    with getattr(backend, "_lock", None) or nullcontext():
        items = list(entries.items())
    now = time.time()  # the system clock, as cachelib's own expiry times
    # cachelib's SimpleCache keeps (expires, value); 0 never expires.
    return [key for key, entry in items if not (isinstance(entry, tuple) and 0 < entry[0] <= now)]
