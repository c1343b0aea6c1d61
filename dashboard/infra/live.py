"""Changes, pushed: which data set changed (and its new version), told to every open screen.

A message never carries the data. A screen that hears "achievements:all changed" refreshes
just the parts that draw it, through the cached service layer as a timer tick would; so the
backends are asked no more often than the cache allows, whatever the number of screens.

Two buses with one shape:
- `LocalBus`: the embedded default (one process): a publish goes straight into the feed;
- `RedisBus`: workers and replicas sharing Redis: a publish is `XADD` to one capped stream,
  and one pump per process (`XREAD BLOCK`) copies what arrives into the process's feed. The
  stream ids order messages across every replica, so a screen that reconnects to another
  replica with the id it heard last gets exactly what it missed (or, if that is too old, is
  told to refresh everything: `Catchup.complete` False).

Every open connection waits on the process's `Feed` (a ring of recent changes and a
condition), never on Redis itself: a thousand screens cost one Redis connection per process.

Nothing here knows Flask or Dash (dashboard/web/live.py serves the feed as Server-Sent Events).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Protocol

from dashboard.infra.jitter import JITTER

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

FEED_CAPACITY = 1024
"""Changes a process remembers for screens that reconnect (and the Redis stream keeps, about)."""


def parse_id(change_id: Optional[str]) -> Optional[tuple[int, int]]:
    """`"1700000000000-3"` -> (1700000000000, 3): the order of stream ids. None when malformed."""
    if not change_id or len(change_id) > 40:
        return None
    millis, _, sequence = change_id.partition("-")
    if not (change_id.isascii() and millis.isdigit() and (sequence.isdigit() or sequence == "")):
        return None
    return int(millis), int(sequence or 0)


@dataclass(frozen=True)
class Change:
    """`dataset` changed; `version` names what it is now (a digest, or a write's mark)."""

    id: str
    dataset: str
    version: str


@dataclass(frozen=True)
class Catchup:
    """What a screen missed since the id it heard last. `complete` False: more than the feed
    remembers (or an id from before this process listened): refresh every data set."""

    changes: list[Change]
    complete: bool
    last_id: str


@dataclass
class Feed:
    """The process's ring of recent changes, which every open connection of it waits on."""

    capacity: int = FEED_CAPACITY
    changes: deque[Change] = field(default_factory=deque)
    start_id: str = "0-0"
    """The feed knows every change after this id (and none before it)."""
    _condition: threading.Condition = field(default_factory=threading.Condition)

    def __post_init__(self) -> None:
        self.changes = deque(maxlen=self.capacity)

    def append(self, change: Change) -> None:
        with self._condition:
            if len(self.changes) == self.capacity:
                self.start_id = self.changes[0].id  # the oldest is forgotten: known only after it
            self.changes.append(change)
            self._condition.notify_all()

    def last_id(self) -> str:
        with self._condition:
            return self.changes[-1].id if self.changes else self.start_id

    def since(self, last_id: Optional[str]) -> Catchup:
        """Changes after `last_id` (None: a new screen, which needs none)."""
        with self._condition:
            newest = self.changes[-1].id if self.changes else self.start_id
            if last_id is None:
                return Catchup([], True, newest)
            after = parse_id(last_id)
            start = parse_id(self.start_id) or (0, 0)
            if after is None or after < start:
                return Catchup([], False, newest)
            missed = [change for change in self.changes if (parse_id(change.id) or (0, 0)) > after]
            return Catchup(missed, True, newest)

    def wait(self, last_id: str, timeout: float) -> Catchup:
        """Changes after `last_id`, waiting up to `timeout` seconds for the first."""
        ends = time.monotonic() + timeout
        after = parse_id(last_id) or (0, 0)
        with self._condition:
            while True:
                newest = self.changes[-1].id if self.changes else self.start_id
                if (parse_id(newest) or (0, 0)) > after:
                    break
                left = ends - time.monotonic()
                if left <= 0:
                    return Catchup([], True, last_id)
                self._condition.wait(left)
        return self.since(last_id)


class Bus(Protocol):
    feed: Feed

    def start(self) -> None: ...
    def publish(self, dataset: str, version: str) -> None: ...
    def mark_checked(self, checked: dict[str, float]) -> None: ...
    def checked(self) -> dict[str, float]: ...
    def catch_up(self, last_id: Optional[str]) -> Catchup: ...
    def close(self) -> None: ...


class LocalBus:
    """One process: changes go straight into its feed; ids count on from the start time, so an
    id heard from an earlier run of the server is older than anything this one knows."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self._clock = clock
        self.feed = Feed()
        self.feed.start_id = f"{int(clock() * 1000)}-0"
        self._sequence = itertools.count(1)
        self._mutex = threading.Lock()
        self._checked: dict[str, float] = {}

    def start(self) -> None:
        pass

    def publish(self, dataset: str, version: str) -> None:
        with self._mutex:
            millis, _ = parse_id(self.feed.last_id()) or (0, 0)
            change_id = f"{max(millis, int(self._clock() * 1000))}-{next(self._sequence)}"
            self.feed.append(Change(change_id, dataset, version))

    def mark_checked(self, checked: dict[str, float]) -> None:
        self._checked.update(checked)

    def checked(self) -> dict[str, float]:
        return dict(self._checked)

    def catch_up(self, last_id: Optional[str]) -> Catchup:
        return self.feed.since(last_id)

    def close(self) -> None:
        pass


class RedisBus:
    """Workers and replicas sharing Redis: one capped stream, one pump per process."""

    def __init__(
        self,
        client: Redis,
        *,
        prefix: str,
        block_seconds: float = 5.0,
        retry_seconds: float = 1.0,
        checked_seconds: float = 5.0,
        clock: Callable[[], float] = time.time,
    ):
        """`client` is a client of its own: the pump's XREAD blocks for `block_seconds`, longer
        than the cache's socket timeout allows."""
        self._redis = client
        self._clock = clock
        self._stream = prefix + "live:changes"
        self._checked_key = prefix + "live:checked"
        self._block_ms = int(block_seconds * 1000)
        self._retry_seconds = retry_seconds
        self._checked_seconds = checked_seconds
        self._checked: dict[str, float] = {}
        self._checked_read_at = 0.0
        self.feed = Feed()
        self._stopped = threading.Event()
        self._pump: Optional[threading.Thread] = None
        self._pump_lock = threading.Lock()
        self.wanted: Callable[[], bool] = lambda: True
        """Whether this process has screens listening; the pump ends after two quiet reads
        without any (and `start` runs it again): a process with no screens holds no connection."""

    def start(self) -> None:
        """Start this process's pump (again, after a fork: threads do not survive one)."""
        with self._pump_lock:
            if self._pump is not None and self._pump.is_alive():
                return
            self._stopped.clear()
            # Where the feed starts is known before the first screen asks (once, not in the
            # thread): a screen's id from before it is caught up from the stream itself.
            self.feed.start_id = self._newest_id() or f"{int(self._clock() * 1000)}-0"
            self._pump = threading.Thread(target=self._run, name="live pump", daemon=True)
            self._pump.start()

    def publish(self, dataset: str, version: str) -> None:
        try:
            self._redis.xadd(self._stream, {"d": dataset, "v": version}, maxlen=FEED_CAPACITY, approximate=True)
        except Exception as exc:  # noqa: BLE001 - a missed push costs a refresh, never a write
            log.warning("live: publishing %s failed: %s", dataset, exc)

    def mark_checked(self, checked: dict[str, float]) -> None:
        if not checked:
            return
        self._checked.update(checked)
        try:
            self._redis.hset(self._checked_key, mapping={key: repr(value) for key, value in checked.items()})
        except Exception as exc:  # noqa: BLE001
            log.warning("live: recording a check failed: %s", exc)

    def checked(self) -> dict[str, float]:
        """When the watcher last confirmed each data set (any replica's), read at most every few seconds."""
        now = time.monotonic()
        if now - self._checked_read_at >= self._checked_seconds:
            self._checked_read_at = now
            try:
                stored: Any = self._redis.hgetall(self._checked_key)
                self._checked.update({_text(key): float(value) for key, value in stored.items()})
            except Exception as exc:  # noqa: BLE001
                log.warning("live: reading checks failed: %s", exc)
        return dict(self._checked)

    def catch_up(self, last_id: Optional[str]) -> Catchup:
        """What a screen missed: from this process's feed when it reaches back far enough, else
        from the stream itself (another replica's screen, or one older than this process)."""
        self.start()
        caught = self.feed.since(last_id)
        if caught.complete or last_id is None or parse_id(last_id) is None:
            return caught
        try:
            entries: Any = self._redis.xrange(self._stream, min="(" + last_id, max="+", count=FEED_CAPACITY)
            first: Any = self._redis.xrange(self._stream, min="-", max="+", count=1)
        except Exception as exc:  # noqa: BLE001
            log.warning("live: catching up from the stream failed: %s", exc)
            return caught
        # Complete only if the stream still holds what follows last_id: its oldest entry is
        # last_id itself or older (else entries were trimmed away in between).
        oldest = parse_id(_text(first[0][0])) if first else None
        complete = oldest is not None and oldest <= (parse_id(last_id) or (0, 0)) and len(entries) < FEED_CAPACITY
        changes = [_change(entry_id, fields) for entry_id, fields in entries]
        return Catchup(changes, complete, changes[-1].id if changes else self.feed.last_id())

    def close(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        last = self.feed.start_id
        idle_reads = 0
        while not self._stopped.is_set():
            idle_reads = 0 if self.wanted() else idle_reads + 1
            if idle_reads > 2:
                with self._pump_lock:
                    if not self.wanted():
                        self._pump = None
                        return
                idle_reads = 0
            try:
                answer: Any = self._redis.xread({self._stream: last}, block=self._block_ms, count=256)
            except Exception as exc:  # noqa: BLE001 - Redis restarting: try again shortly
                log.warning("live: reading the stream failed: %s", exc)
                self._stopped.wait(self._retry_seconds * (1 + JITTER.random()))
                continue
            for _stream, entries in answer or []:
                for entry_id, fields in entries:
                    change = _change(entry_id, fields)
                    last = change.id
                    self.feed.append(change)

    def _newest_id(self) -> Optional[str]:
        """The stream's newest id ("0-0" when empty); None when Redis cannot say."""
        try:
            newest: Any = self._redis.xrevrange(self._stream, max="+", min="-", count=1)
        except Exception as exc:  # noqa: BLE001
            log.warning("live: reading the stream failed: %s", exc)
            return None
        return _text(newest[0][0]) if newest else "0-0"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _change(entry_id: bytes | str, fields: dict[Any, Any]) -> Change:
    decoded = {_text(key): _text(value) for key, value in fields.items()}
    return Change(_text(entry_id), decoded.get("d", ""), decoded.get("v", ""))


def newest_by_dataset(changes: Iterable[Change]) -> dict[str, str]:
    """dataset -> its latest version: a screen needs only the last of several changes."""
    return {change.dataset: change.version for change in changes}


__all__ = ["Bus", "Catchup", "Change", "Feed", "LocalBus", "RedisBus", "newest_by_dataset", "parse_id"]
