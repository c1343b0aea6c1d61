"""The read cache: one backend call per key per TTL, last good value kept through failures.

A plain memoize lets every concurrent miss call the backend. Here each key holds an entry
(value, fetched_at, last error) that is *fresh* for the TTL and *usable* for much longer:

- a fresh entry is served as is;
- when it has expired, one caller (across threads, workers and replicas: the lock lives in
  Redis when Redis is configured) takes a short lock and fetches; the others serve the last
  good value at once, or wait briefly for the lock holder when there is no value yet;
- a failed fetch keeps the last good value, marks it stale with the error, and backs off for
  `backoff` seconds before that backend is asked again;
- a fetch must end within `fetch_seconds`, all its backend calls together (the lock lasts a
  little longer, so it never expires under a fetch still running and lets a second one start);
- no caller waits longer than `wait_seconds` for a fetch: the fetch runs on in the background
  and the caller answers with the last good value (or "still loading") at once.

Storage is any cachelib-style backend (flask-caching's RedisCache or SimpleCache): get, set,
delete. Each key is two entries: a small one (version token, fetched_at, last error) read on every
call, and the value itself, read only when its version changed. Each process keeps the last value
it decoded, so 10,000 achievements are not unpickled on every request; long lists of models are
stored as one JSON document (services/packing.py), cheaper than pickling each model. A broken
backend (Redis down) degrades to fetching directly; nothing raises to callers.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import pickle
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar

from dashboard.domain.clock import maybe_utc_from_epoch
from dashboard.domain.errors import BackendError
from dashboard.domain.models import Fresh
from dashboard.infra.cache_format import CACHE_FORMAT, META_SUFFIX, PICKLED_CLASSES, _Meta
from dashboard.infra.http import deadline
from dashboard.infra.packing import PackedModels, pack, unpack
from dashboard.infra.storage import (
    FALLBACK_THRESHOLD,
    CacheBackend,
    GuardedBackend,
    GuardedLocks,
    LocalLocks,
    Locks,
    RedisLocks,
    StorageGuard,
    _guard_for,
    redis_client,
    storage_keys,
)

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class CacheStats:
    """Counters since start, per process (the System page and /metrics read them)."""

    hits: int = 0
    fetches: int = 0
    fetch_errors: int = 0
    stale_served: int = 0
    waits: int = 0
    backend_errors: int = 0
    slow_fetches: int = 0
    """Fetches that outlasted a caller's wait and went on in the background."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def bump(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)

    def as_dict(self) -> dict[str, int]:
        return {
            name: getattr(self, name)
            for name in ("hits", "fetches", "fetch_errors", "stale_served", "waits", "backend_errors", "slow_fetches")
        }


@dataclass
class _Entry:
    value: Any
    fetched_at: Optional[float]
    error: Optional[str] = None
    failed_at: Optional[float] = None
    token: Optional[str] = None
    failing_since: Optional[float] = None


_MISSING = object()


LOCK_MARGIN_SECONDS = 2.0
"""The fetch lock outlives the fetch deadline by this much: time to store what was fetched."""


class FreshCache:
    """Single-flight, stale-while-revalidate reads over a cachelib-style backend."""

    def __init__(
        self,
        backend: CacheBackend,
        locks: Locks,
        *,
        ttl: float,
        backoff: float,
        lock_seconds: Optional[float] = None,
        fetch_seconds: Optional[float] = None,
        wait_seconds: Optional[float] = None,
        retain_seconds: int = 7 * 86_400,
        poll_seconds: float = 0.02,
        clock: Callable[[], float] = time.time,
        enabled: bool = True,
        lock_margin_seconds: float = LOCK_MARGIN_SECONDS,
        fallback_threshold: int = FALLBACK_THRESHOLD,
    ):
        """`fetch_seconds`: the most one fetch may take, its backend calls together (None: no
        deadline of its own); the lock lasts `lock_seconds` (default: fetch_seconds + 2 s).
        `wait_seconds`: the most a caller waits for a fetch before answering with what is
        cached (None: callers wait for the fetch to end). `lock_margin_seconds`
        (DASHBOARD_FETCH_LOCK_MARGIN_SECONDS) and `fallback_threshold`
        (DASHBOARD_CACHE_FALLBACK_THRESHOLD) are the settings' knobs."""
        if lock_seconds is None:
            if fetch_seconds is None:
                raise ValueError("FreshCache needs lock_seconds or fetch_seconds")
            lock_seconds = fetch_seconds + lock_margin_seconds
        self.enabled = enabled
        if isinstance(backend, GuardedBackend):
            guard = backend._guard
        else:
            guard = _guard_for(backend, max(1.0, min(ttl, 10.0)), fallback_threshold)
            backend = GuardedBackend(backend, guard)
        self.backend = backend
        """The storage, guarded: after it hangs, an in-process stand-in for a while (see StorageGuard)."""
        self.locks = locks if isinstance(locks, GuardedLocks) else GuardedLocks(locks, guard)
        self.guard = guard
        self.ttl = ttl
        self.backoff = backoff
        self.lock_seconds = lock_seconds
        self.fetch_seconds = fetch_seconds
        self.wait_seconds = wait_seconds
        self.retain_seconds = retain_seconds
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.stats = CacheStats()
        self.observer: Optional[Callable[[str, str], None]] = None
        """Told (event, key) of every hit, fetch, error and stale serve: the app counts them."""
        self.on_change: Optional[Callable[[str, str], None]] = None
        """Told (key, version) when what `key` holds changed: a fetch brought a value unlike the
        last one, a fetch failed after a success (or succeeded after failures), or a write
        dropped it (`invalidate`). The live feed (infra/live.py) tells the screens."""
        self.version_of: dict[str, Callable[[Any], str]] = {}
        """key -> what counts as a change of its value (default: any difference at all); e.g. the
        health checks change only when a service's status does, not with every latency."""
        self._decoded: dict[str, tuple[str, Any]] = {}
        """key -> (token, value): the last value this process decoded."""
        self._seen_fresh: dict[str, float] = {}
        """key -> fetched_at of the last fresh value this process read or wrote (likely_fresh)."""

    def sibling(self, *, ttl: float, backoff: float, lock_seconds: float) -> "FreshCache":
        """A cache over the same storage, locks and guard with timings of its own (health checks)."""
        return FreshCache(
            self.backend,
            self.locks,
            ttl=ttl,
            backoff=backoff,
            lock_seconds=lock_seconds,
            retain_seconds=self.retain_seconds,
            clock=self.clock,
        )

    @property
    def redis(self) -> Optional[Redis]:
        """The Redis client of the shared storage; None when the cache is in-process."""
        return redis_client(self.backend)

    def keys(self) -> Optional[list[str]]:
        """The keys of the dashboard's namespace, at most KEY_COUNT_LIMIT (None: cannot be listed).
        Raises what the Redis client raises."""
        return storage_keys(self.backend)

    def get(self, key: str, fetch: Callable[[], T], *, label: Optional[str] = None) -> Fresh[T]:
        """The value under `key`, fetched with `fetch` when it is missing or expired.

        `label` names who `fetch` asks (a service): errors of the cache's own ("still loading")
        begin with it, as a client's errors begin with its service."""
        if not self.enabled:  # benchmarks only: what every read would cost without the cache
            value, error = self._call(key, fetch)
            if error is not None:
                return Fresh(error=error, stale=True)
            return Fresh(value=value, fetched_at=maybe_utc_from_epoch(self.clock()))
        entry = self._read(key)
        now = self.clock()
        if entry is not None:
            if entry.fetched_at is not None and now - entry.fetched_at < self.ttl and entry.error is None:
                self._count("hits", key)
                self._seen_fresh[key] = entry.fetched_at
                return self._fresh(entry, now)
            if entry.failed_at is not None and now - entry.failed_at < self.backoff:
                self._count("stale_served", key)
                return self._fresh(entry, now)

        token = self._acquire(key)
        if token is not None:
            return self._refresh_within_budget(key, fetch, token, entry, label)
        if entry is not None and entry.fetched_at is not None:
            # Someone else is refreshing: the last good value now beats waiting for theirs.
            self._count("stale_served", key)
            return self._fresh(entry, now)
        return self._wait_for_holder(key, fetch, label)

    def _refresh_within_budget(
        self, key: str, fetch: Callable[[], T], token: str, entry: Optional[_Entry], label: Optional[str]
    ) -> Fresh[T]:
        """Refresh holding the lock; past `wait_seconds`, answer from the cache and let the
        refresh finish in the background (it stores its result for the next reader)."""
        if self.wait_seconds is None:
            return self._refresh_holding_lock(key, fetch, token)
        done = threading.Event()
        result: list[Fresh[T]] = []

        def refresh() -> None:
            try:
                result.append(self._refresh_holding_lock(key, fetch, token))
            except SystemExit:  # the interpreter (or a test's server) stopping its threads: the lock expires
                return
            finally:
                done.set()

        context = contextvars.copy_context()  # the request id, for the logs of the fetch
        threading.Thread(target=context.run, args=(refresh,), name=f"refresh {key}", daemon=True).start()
        if done.wait(self.wait_seconds) and result:
            return result[0]
        self._count("slow_fetches", key)
        return self._answer_while_loading(key, entry, label)

    def _answer_while_loading(self, key: str, entry: Optional[_Entry], label: Optional[str]) -> Fresh[Any]:
        now = self.clock()
        if entry is not None and entry.fetched_at is not None:
            self._count("stale_served", key)
            return self._fresh(entry, now)
        if entry is not None and entry.error is not None:
            return self._fresh(entry, now)
        waited = f"no answer within {self.wait_seconds:g} s"
        return Fresh(
            error=f"{label}: still loading ({waited})" if label else f"still loading {key} ({waited})", stale=True
        )

    def likely_fresh(self, key: str) -> bool:
        """Whether a read of `key` will very likely be a quick hit: the last fresh value this
        process saw of it is younger than the TTL. No backend is asked (another process may have
        invalidated it since: then the read just fetches)."""
        seen = self._seen_fresh.get(key)
        return seen is not None and self.enabled and self.clock() - seen < self.ttl

    def invalidate(self, *keys: str) -> None:
        """Drop entries after a write, so every screen fetches the new data on its next read
        (and screens listening live are told at once)."""
        for key in keys:
            self._decoded.pop(key, None)
            self._seen_fresh.pop(key, None)
            try:
                self.backend.delete(_meta_key(key))
                self.backend.delete(key)
            except Exception as exc:  # noqa: BLE001 - a cache outage must not fail the write
                self._count("backend_errors", key)
                log.warning("cache delete of %s failed: %s", key, exc)
            self._tell(key, "write-" + uuid.uuid4().hex[:12])

    def peek(self, key: str) -> Optional[Fresh[Any]]:
        """What is cached under `key`, without fetching."""
        entry = self._read(key)
        return None if entry is None else self._fresh(entry, self.clock())

    def _refresh_holding_lock(self, key: str, fetch: Callable[[], T], token: str) -> Fresh[T]:
        try:
            # Another worker may have finished a refresh between our read and our lock.
            entry = self._read(key)
            now = self.clock()
            if entry and entry.error is None and entry.fetched_at and now - entry.fetched_at < self.ttl:
                self._count("hits", key)
                return self._fresh(entry, now)
            return self._refresh(key, fetch, entry)
        finally:
            self._release(key, token)

    def _call(self, key: str, fetch: Callable[[], T]) -> tuple[Optional[T], Optional[str]]:
        """(value, None) or (None, the error for the user); never raises."""
        self._count("fetches", key)
        try:
            if self.fetch_seconds is None:
                return fetch(), None
            with deadline(self.fetch_seconds):
                return fetch(), None
        except BackendError as exc:
            return None, str(exc)
        except Exception as exc:  # noqa: BLE001 - a bug in one source must not break a page
            log.exception("fetching %s failed", key)
            return None, f"unexpected error while reading {key}: {type(exc).__name__}: {exc}"

    def _refresh(self, key: str, fetch: Callable[[], T], previous: Optional[_Entry]) -> Fresh[T]:
        value, error = self._call(key, fetch)
        if error is None:
            fetched_at = self.clock()
            entry = self._write(key, value, fetched_at)
            if previous is not None and (previous.error is not None or self._changed(key, previous, entry)):
                self._tell(key, entry.token or "")
            return self._fresh(entry, fetched_at)
        self._count("fetch_errors", key)
        log.warning("refresh of %s failed: %s", key, error)
        now = self.clock()
        failed = _Entry(
            value=previous.value if previous else None,
            fetched_at=previous.fetched_at if previous else None,
            error=error,
            failed_at=now,
            token=previous.token if previous else None,
            # An outage is said "since" its first failure, not its latest retry.
            failing_since=(previous.failing_since or previous.failed_at or now)
            if previous is not None and previous.error is not None
            else now,
        )
        self._write_meta(key, failed)  # the last good value itself is already stored
        if previous is not None and previous.error is None:
            self._tell(key, "failed")
        return self._fresh(failed, now)

    def _wait_for_holder(self, key: str, fetch: Callable[[], T], label: Optional[str] = None) -> Fresh[T]:
        self._count("waits", key)
        budget = self.lock_seconds if self.wait_seconds is None else min(self.lock_seconds, self.wait_seconds)
        ends = self.clock() + budget
        while self.clock() < ends:
            time.sleep(self.poll_seconds)
            entry = self._read(key)
            if entry is not None and (entry.fetched_at is not None or entry.error is not None):
                now = self.clock()
                fresh_enough = entry.fetched_at is not None and now - entry.fetched_at < self.ttl
                if fresh_enough or entry.failed_at is not None:
                    return self._fresh(entry, now)
            if not self._held(key):
                token = self._acquire(key)
                if token is not None:
                    return self._refresh_within_budget(key, fetch, token, self._read(key), label)
        if self.wait_seconds is not None and budget < self.lock_seconds:
            return self._answer_while_loading(key, self._read(key), label)
        waited = f"timed out waiting for another worker to load {key}"
        return Fresh(error=f"{label}: {waited}" if label else waited, stale=True)

    def _changed(self, key: str, previous: _Entry, entry: _Entry) -> bool:
        version_of = self.version_of.get(key)
        if version_of is None:
            return previous.token != entry.token  # tokens are digests of the content
        try:
            return version_of(previous.value) != version_of(entry.value)
        except Exception:  # noqa: BLE001 - a value of an older shape: call it a change
            return True

    def _tell(self, key: str, version: str) -> None:
        if self.on_change is None:
            return
        try:
            self.on_change(key, version)
        except Exception:  # noqa: BLE001 - telling the screens must never fail a read or a write
            log.exception("live: telling the change of %s failed", key)

    def _count(self, event: str, key: str) -> None:
        self.stats.bump(event)
        if self.observer is not None:
            self.observer(event, key)

    def _fresh(self, entry: _Entry, now: float) -> Fresh[Any]:
        overdue = entry.fetched_at is not None and now - entry.fetched_at > self.ttl + self.lock_seconds
        return Fresh(
            value=entry.value,
            fetched_at=maybe_utc_from_epoch(entry.fetched_at),
            stale=entry.error is not None or overdue,
            error=entry.error,
            failing_since=maybe_utc_from_epoch(entry.failing_since) if entry.error is not None else None,
            version=entry.token,
        )

    # The backend and the locks may be down (Redis restarting): degrade, never raise.
    def _read(self, key: str) -> Optional[_Entry]:
        try:
            meta = self.backend.get(_meta_key(key))
            if not isinstance(meta, _Meta):
                return None
            value = self._value(key, meta.token) if meta.token is not None else None
        except Exception as exc:  # noqa: BLE001
            self._count("backend_errors", key)
            log.warning("cache read of %s failed: %s", key, exc)
            return None
        if value is _MISSING:
            return None  # the value was evicted: fetch again
        # getattr: a _Meta pickled by an older version (in a shared Redis) has no failing_since.
        return _Entry(
            value, meta.fetched_at, meta.error, meta.failed_at, meta.token, getattr(meta, "failing_since", None)
        )

    def _value(self, key: str, token: str) -> Any:
        decoded = self._decoded.get(key)
        if decoded is not None and decoded[0] == token:
            return decoded[1]
        stored = self.backend.get(key)
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == token):
            return _MISSING
        value = unpack(stored[1])
        self._decoded[key] = (token, value)
        return value

    def _write(self, key: str, value: Any, fetched_at: float) -> _Entry:
        """Store a fetched value as a new version; the entry it is. Its token is a digest of the
        content: the same data fetched again has the same token (no change to tell)."""
        packed = pack(value)
        token = _digest(packed)
        entry = _Entry(value=value, fetched_at=fetched_at, token=token)
        try:
            # The value first: a reader that sees the new version must find its value.
            self.backend.set(key, (token, packed), timeout=self.retain_seconds)
            self._decoded[key] = (token, value)
        except Exception as exc:  # noqa: BLE001
            self._count("backend_errors", key)
            log.warning("cache write of %s failed: %s", key, exc)
            return entry
        self._write_meta(key, entry)
        self._seen_fresh[key] = fetched_at
        return entry

    def _write_meta(self, key: str, entry: _Entry) -> None:
        meta = _Meta(entry.token, entry.fetched_at, entry.error, entry.failed_at, entry.failing_since)
        try:
            self.backend.set(_meta_key(key), meta, timeout=self.retain_seconds)
        except Exception as exc:  # noqa: BLE001
            self._count("backend_errors", key)
            log.warning("cache write of %s failed: %s", key, exc)

    def _acquire(self, key: str) -> Optional[str]:
        try:
            return self.locks.acquire(key, self.lock_seconds)
        except Exception as exc:  # noqa: BLE001
            # Without the shared lock, fetching ourselves beats serving nothing.
            self._count("backend_errors", key)
            log.warning("cache lock for %s unavailable: %s", key, exc)
            return "unlocked"

    def _release(self, key: str, token: str) -> None:
        if token == "unlocked":
            return
        try:
            self.locks.release(key, token)
        except Exception as exc:  # noqa: BLE001
            self._count("backend_errors", key)
            log.warning("cache lock release for %s failed: %s", key, exc)

    def _held(self, key: str) -> bool:
        try:
            return self.locks.held(key)
        except Exception:  # noqa: BLE001
            return False


__all__ = [
    "CACHE_FORMAT",
    "META_SUFFIX",
    "PICKLED_CLASSES",
    "CacheBackend",
    "CacheStats",
    "FreshCache",
    "GuardedBackend",
    "GuardedLocks",
    "LocalLocks",
    "Locks",
    "RedisLocks",
    "StorageGuard",
]


def _digest(packed: Any) -> str:
    """A short digest of a value as stored (the JSON of a long list, else its pickle)."""
    data = packed.data if isinstance(packed, PackedModels) else pickle.dumps(packed, protocol=5)
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def _meta_key(key: str) -> str:
    return key + META_SUFFIX
