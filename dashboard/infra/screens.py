"""Wallboard heartbeats: which screens refreshed, when, and how their tiles were doing.

Kept in Redis when it is configured, so every worker and replica lists the same screens; in the
process otherwise. Each screen is its own entry, updated atomically (a Lua script over a hash of
beats and sorted sets by last beat): 3,000 screens reporting at once are all counted, where a
read-modify-write of one stored list kept about 1,600. The list is bounded, so no token can grow
it (or every System page's payload) without limit:

- at most `MAX_PER_ACTOR` screens per token or user: its oldest are dropped, never another's;
- at most `MAX_SCREENS` in all: the oldest are dropped;
- a screen silent for `FORGET_AFTER` is forgotten (a TV dead since Friday is still listed,
  as silent, on Monday).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional, Protocol, TypedDict

from dashboard.domain.clock import SYSTEM_CLOCK
from dashboard.infra.storage import Locks

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)

SCREEN_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
FORGET_AFTER = 7 * 86_400
MAX_SCREENS = 200
"""Screens kept in all: more than any office's wallboards, and a System page of a few tens of KB."""
MAX_PER_ACTOR = 50
"""Screens kept per token or user (`via:name`): one token's flood stays within its own share."""
LOCAL_ACTOR = "local:local"


@dataclass(frozen=True)
class Heartbeat:
    screen: str
    page: str
    state: str
    """ok, stale or failed: the worst tile of the refresh."""
    at: float
    actor: str = ""
    """Who reported it (`via:name`); each actor's screens are bounded apart."""

    def age(self, now: float) -> float:
        """Seconds since this beat, `now` read from the registry's clock."""
        return max(0.0, now - self.at)


class ScreenStore(Protocol):
    def put(self, beat: Heartbeat) -> None: ...
    def beats(self, now: float) -> list[Heartbeat]: ...


class _Limits(TypedDict):
    """A store's bounds (the keywords of RedisScreens and LocalScreens)."""

    forget_after: float
    max_screens: int
    max_per_actor: int


class ScreenRegistry:
    """Validates heartbeats and keeps them in a store (Redis or in-process)."""

    def __init__(self, store: Optional[ScreenStore] = None, clock: Callable[[], float] = SYSTEM_CLOCK.time):
        self.store = store if store is not None else LocalScreens()
        self.clock = clock

    @classmethod
    def for_locks(
        cls,
        locks: Locks,
        *,
        prefix: str,
        clock: Callable[[], float] = SYSTEM_CLOCK.time,
        forget_after: float = FORGET_AFTER,
        max_screens: int = MAX_SCREENS,
        max_per_actor: int = MAX_PER_ACTOR,
    ) -> "ScreenRegistry":
        """In the Redis of the cache's locks when they have one (every worker shares it), else
        in-process; bounded by DASHBOARD_SCREEN_FORGET_SECONDS, DASHBOARD_MAX_SCREENS and
        DASHBOARD_MAX_SCREENS_PER_ACTOR."""
        limits: _Limits = {"forget_after": forget_after, "max_screens": max_screens, "max_per_actor": max_per_actor}
        client: Optional[Redis] = getattr(locks, "redis", None)  # RedisLocks (guarded or not) have one
        store: ScreenStore = RedisScreens(client, prefix, **limits) if client is not None else LocalScreens(**limits)
        return cls(store, clock=clock)

    def record(self, screen: str, page: str, state: str, *, actor: str = LOCAL_ACTOR) -> Heartbeat:
        if not isinstance(screen, str) or not SCREEN_ID.fullmatch(screen):  # match() let "lobby\n" in
            raise ValueError("screen must be 1–40 letters, digits, '-', '_' or '.' (e.g. lobby-tv)")
        state = state if state in ("ok", "stale", "failed") else "ok"
        beat = Heartbeat(screen, str(page)[:40], state, self.clock(), str(actor)[:100])
        try:
            self.store.put(beat)
        except Exception as exc:  # noqa: BLE001 - a lost heartbeat must not fail the screen
            log.warning("heartbeat of %s not kept: %s", screen, exc)
        return beat

    def all(self) -> list[Heartbeat]:
        """Every screen seen within FORGET_AFTER, by name."""
        try:
            beats = self.store.beats(self.clock())
        except Exception as exc:  # noqa: BLE001
            log.warning("heartbeats unreadable: %s", exc)
            return []
        return sorted(beats, key=lambda b: b.screen)


class LocalScreens:
    """Heartbeats in this process (no Redis), under a lock."""

    def __init__(
        self, *, max_screens: int = MAX_SCREENS, max_per_actor: int = MAX_PER_ACTOR, forget_after: float = FORGET_AFTER
    ):
        self.max_screens, self.max_per_actor, self.forget_after = max_screens, max_per_actor, forget_after
        self._beats: dict[str, Heartbeat] = {}
        self._lock = threading.Lock()

    def put(self, beat: Heartbeat) -> None:
        with self._lock:
            self._beats[beat.screen] = beat
            horizon = beat.at - self.forget_after
            for old in [b for b in self._beats.values() if b.at < horizon]:
                del self._beats[old.screen]
            self._drop_oldest([b for b in self._beats.values() if b.actor == beat.actor], self.max_per_actor)
            self._drop_oldest(list(self._beats.values()), self.max_screens)

    def _drop_oldest(self, beats: list[Heartbeat], keep: int) -> None:
        for old in sorted(beats, key=lambda b: b.at)[: max(0, len(beats) - keep)]:
            del self._beats[old.screen]

    def beats(self, now: float) -> list[Heartbeat]:
        with self._lock:
            return [b for b in self._beats.values() if b.at >= now - self.forget_after]


# KEYS: the beats hash (screen -> JSON), the last-seen sorted set, the owner hash (screen -> actor).
# ARGV: screen, JSON, at, actor, the prefix of the per-actor sorted sets, horizon, bounds, ttl.
_PUT_SCRIPT = """
local beats, seen, owners = KEYS[1], KEYS[2], KEYS[3]
local screen, doc, at, actor, per_actor = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local horizon, max_screens, max_per_actor, ttl = ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]

local function forget(id)
  local owner = redis.call('HGET', owners, id)
  if owner then redis.call('ZREM', per_actor .. owner, id) end
  redis.call('HDEL', owners, id)
  redis.call('HDEL', beats, id)
  redis.call('ZREM', seen, id)
end

local previous = redis.call('HGET', owners, screen)
if previous and previous ~= actor then redis.call('ZREM', per_actor .. previous, screen) end
local mine = per_actor .. actor
redis.call('HSET', beats, screen, doc)
redis.call('HSET', owners, screen, actor)
redis.call('ZADD', seen, at, screen)
redis.call('ZADD', mine, at, screen)
for _, id in ipairs(redis.call('ZRANGEBYSCORE', seen, '-inf', '(' .. horizon)) do forget(id) end
local extra = redis.call('ZCARD', mine) - max_per_actor
if extra > 0 then
  for _, id in ipairs(redis.call('ZRANGE', mine, 0, extra - 1)) do forget(id) end
end
extra = redis.call('ZCARD', seen) - max_screens
if extra > 0 then
  for _, id in ipairs(redis.call('ZRANGE', seen, 0, extra - 1)) do forget(id) end
end
for _, key in ipairs({beats, seen, owners, mine}) do redis.call('EXPIRE', key, ttl) end
return 1
"""


class RedisScreens:
    """Heartbeats in Redis, one entry per screen, updated atomically by one script.

    The per-actor sets' names are built inside the script (single Redis, not Cluster).
    """

    def __init__(
        self,
        client: Redis,
        prefix: str,
        *,
        max_screens: int = MAX_SCREENS,
        max_per_actor: int = MAX_PER_ACTOR,
        forget_after: float = FORGET_AFTER,
    ):
        self.redis = client
        self.prefix = prefix
        self.max_screens, self.max_per_actor, self.forget_after = max_screens, max_per_actor, forget_after
        self._keys = [prefix + "beats", prefix + "seen", prefix + "owners"]
        self._put = client.register_script(_PUT_SCRIPT)

    def put(self, beat: Heartbeat) -> None:
        doc = json.dumps({"page": beat.page, "state": beat.state, "at": beat.at, "actor": beat.actor})
        self._put(
            keys=self._keys,
            args=[
                beat.screen,
                doc,
                repr(beat.at),
                beat.actor,
                self.prefix + "actor:",
                repr(beat.at - self.forget_after),
                self.max_screens,
                self.max_per_actor,
                int(self.forget_after),
            ],
        )

    def beats(self, now: float) -> list[Heartbeat]:
        found = []
        for screen, doc in self.redis.hgetall(self._keys[0]).items():
            try:
                data = json.loads(doc)
                beat = Heartbeat(
                    screen.decode() if isinstance(screen, bytes) else screen,  # str: decode_responses
                    str(data["page"]),
                    str(data["state"]),
                    float(data["at"]),
                    str(data.get("actor", "")),
                )
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
            if beat.at >= now - self.forget_after:
                found.append(beat)
        return found
