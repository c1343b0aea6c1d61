"""The live feed: what a screen hears, what it gets back after a reconnect, and what the cache tells."""

from __future__ import annotations

import threading
import time

import pytest
from cachelib import SimpleCache

from dashboard.domain.errors import BackendError
from dashboard.infra.cache import FreshCache, LocalLocks
from dashboard.infra.live import FEED_CAPACITY, Change, Feed, LocalBus, RedisBus, newest_by_dataset, parse_id


class Clock:
    def __init__(self, start: float = 1_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


def test_ids_order_as_numbers_and_garbage_is_unknown():
    assert parse_id("10-2") < parse_id("10-10") < parse_id("11-0")
    for garbage in (None, "", "abc", "1-x", "-1", "9" * 50, "1-2-3", "١٢-٣"):
        assert parse_id(garbage) is None, garbage


def test_a_new_screen_hears_only_what_comes_after_it():
    bus = LocalBus(clock=Clock())
    bus.publish("achievements", "v1")
    start = bus.catch_up(None)
    assert start.changes == [] and start.complete
    bus.publish("posts", "p2")
    bus.publish("achievements", "v3")
    after = bus.catch_up(start.last_id)
    assert after.complete
    assert [(c.dataset, c.version) for c in after.changes] == [("posts", "p2"), ("achievements", "v3")]
    assert newest_by_dataset(after.changes) == {"posts": "p2", "achievements": "v3"}


def test_a_screen_from_an_earlier_run_or_with_a_garbled_id_is_told_to_refresh_everything():
    clock = Clock()
    old = LocalBus(clock=clock)
    old.publish("achievements", "v1")
    heard = old.catch_up(None).last_id
    clock.now += 60  # the server restarts: a new bus knows nothing of the old one's changes
    new = LocalBus(clock=clock)
    assert not new.catch_up(heard).complete
    assert not new.catch_up("0-0").complete


def test_a_screen_that_missed_more_than_the_feed_keeps_is_told_to_refresh_everything():
    bus = LocalBus(clock=Clock())
    first = bus.catch_up(None).last_id
    for n in range(FEED_CAPACITY + 5):
        bus.publish("posts", str(n))
    assert not bus.catch_up(first).complete
    recent = bus.feed.changes[-3].id
    caught = bus.catch_up(recent)
    assert caught.complete and [c.version for c in caught.changes] == [str(FEED_CAPACITY + 3), str(FEED_CAPACITY + 4)]


def test_waiting_returns_as_soon_as_a_change_arrives_and_not_before():
    feed = Feed()
    feed.start_id = "5-0"
    got: list = []
    waiter = threading.Thread(target=lambda: got.append(feed.wait("5-0", timeout=30)))
    waiter.start()
    time.sleep(0.05)
    assert got == []  # nothing yet: it waits
    feed.append(Change("6-1", "health", "a=down"))
    waiter.join(timeout=5)
    assert not waiter.is_alive()
    assert [c.id for c in got[0].changes] == ["6-1"]
    # An id ahead of the feed (heard from the stream before the pump copied it) waits, no spin.
    assert feed.wait("7-0", timeout=0.05).changes == []


# The cache tells what changed --------------------------------------------------------------


def told_cache(clock):
    cache = FreshCache(SimpleCache(), LocalLocks(), ttl=10, backoff=5, lock_seconds=2, clock=clock)
    told: list[tuple[str, str]] = []
    cache.on_change = lambda key, version: told.append((key, version))
    return cache, told


def test_the_cache_tells_a_new_value_a_failure_a_recovery_and_a_write_and_never_the_same_value_twice():
    clock = Clock()
    cache, told = told_cache(clock)
    value = {"n": 1}
    failing: list[Exception] = []

    def fetch():
        if failing:
            raise failing[0]
        return dict(value)

    cache.get("k", fetch)
    assert told == []  # the first value: no screen drew an older one
    clock.now += 11
    cache.get("k", fetch)
    assert told == []  # the same content fetched again is no change
    value["n"] = 2
    clock.now += 11
    cache.get("k", fetch)
    assert len(told) == 1 and told[0][0] == "k"
    failing.append(BackendError("collector", "down"))
    clock.now += 11
    cache.get("k", fetch)
    assert told[-1] == ("k", "failed")
    clock.now += 6
    cache.get("k", fetch)  # still failing: said once, not per retry
    assert [v for _, v in told].count("failed") == 1
    failing.clear()
    clock.now += 6
    cache.get("k", fetch)
    assert len(told) == 3 and told[-1][1] not in ("failed",)
    cache.invalidate("k")
    assert told[-1][0] == "k" and told[-1][1].startswith("write-")


def test_a_version_of_its_own_ignores_what_does_not_count():
    clock = Clock()
    cache, told = told_cache(clock)
    cache.version_of["h"] = lambda statuses: statuses["status"]
    answers = iter([{"status": "ok", "ms": 3}, {"status": "ok", "ms": 9}, {"status": "down", "ms": None}])
    for _ in range(3):
        cache.get("h", lambda: next(answers))
        clock.now += 11
    assert told == [("h", told[0][1])] and len(told) == 1  # latency alone is no change; the status is


def test_a_listener_that_raises_never_fails_the_read():
    clock = Clock()
    cache = FreshCache(SimpleCache(), LocalLocks(), ttl=10, backoff=5, lock_seconds=2, clock=clock)

    def broken(key, version):
        raise RuntimeError("bus gone")

    cache.on_change = broken
    cache.get("k", lambda: 1)
    clock.now += 11
    assert cache.get("k", lambda: 2).value == 2
    cache.invalidate("k")  # a write never fails for want of telling


# Across replicas: one Redis stream ------------------------------------------------------------


@pytest.fixture
def redis_client(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=10)
    yield client
    client.close()


def wait_for(predicate, timeout=5.0):
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_a_change_published_on_one_replica_reaches_the_feed_of_another(redis_client):
    a = RedisBus(redis_client, prefix="t:", block_seconds=0.5)
    b = RedisBus(redis_client, prefix="t:", block_seconds=0.5)
    b.start()
    assert wait_for(lambda: b._pump is not None and b.feed.start_id != "")
    time.sleep(0.2)  # b's pump is reading
    before = b.feed.last_id()
    sent = time.monotonic()
    a.publish("achievements", "w1")
    assert wait_for(lambda: b.feed.since(before).changes)
    assert time.monotonic() - sent < 1.0
    assert [(c.dataset, c.version) for c in b.feed.since(before).changes] == [("achievements", "w1")]
    a.mark_checked({"posts": 123.0})
    b._checked_read_at = 0
    assert b.checked()["posts"] == 123.0
    a.close(), b.close()


def test_a_screen_reconnecting_to_another_replica_gets_what_it_missed_from_the_stream(redis_client):
    a = RedisBus(redis_client, prefix="t:", block_seconds=0.5)
    a.publish("posts", "p1")
    heard = redis_client.xrevrange("t:live:changes", count=1)[0][0].decode()
    a.publish("posts", "p2")
    a.publish("health", "x=down")
    b = RedisBus(redis_client, prefix="t:", block_seconds=0.5)  # a replica started after
    caught = b.catch_up(heard)
    assert caught.complete
    assert newest_by_dataset(caught.changes) == {"posts": "p2", "health": "x=down"}
    # An id older than anything the stream still holds: refresh everything.
    redis_client.xtrim("t:live:changes", maxlen=1, approximate=False)
    assert not b.catch_up(heard).complete
    # A screen that heard nothing needs nothing.
    assert b.catch_up(None).complete and b.catch_up(None).changes == []
    b.close()


def test_publishing_with_redis_down_loses_the_push_not_the_write():
    from dashboard.infra.redis_connection import connect_redis

    # The dashboard's own client (one quick retry, then the caller's fallback), to a closed port.
    dead = connect_redis("redis://127.0.0.1:9/0", socket_timeout=0.2, connect_timeout=0.2)
    bus = RedisBus(dead, prefix="t:")
    bus.publish("achievements", "w")  # logs, never raises
    bus.mark_checked({"posts": 1.0})
    assert bus.checked() == {"posts": 1.0}
    assert bus.catch_up(None).complete
    bus.close()


@pytest.mark.parametrize(
    "raw, mode",
    [(None, "auto"), ("auto", "auto"), ("true", "on"), ("1", "on"), ("yes", "on"), ("false", "off"), ("0", "off")],
)
def test_the_live_setting_is_auto_by_default_and_takes_any_switch_word(raw, mode, monkeypatch):
    from dashboard.settings import Settings

    monkeypatch.delenv("DASHBOARD_LIVE", raising=False)
    if raw is not None:
        monkeypatch.setenv("DASHBOARD_LIVE", raw)
    assert Settings(_env_file=None).live == mode


def test_a_live_setting_that_is_no_switch_is_refused(monkeypatch):
    from pydantic import ValidationError

    from dashboard.settings import Settings

    monkeypatch.setenv("DASHBOARD_LIVE", "sometimes")
    with pytest.raises(ValidationError, match="auto"):
        Settings(_env_file=None)


@pytest.mark.parametrize(
    "software, anywhere, streams",
    [
        ("Werkzeug/3.1.3", False, True),  # make run: a thread per connection
        ("gunicorn/23.0.0", False, False),  # thread workers here: gevent is not patched in
        ("gunicorn/23.0.0", True, False),  # not even when asked: a few threads would be held
        ("waitress", False, False),  # a host's own server, maybe a few threads: auto polls
        ("waitress", True, True),  # DASHBOARD_LIVE=true: the host said it can hold them
        ("", False, False),
    ],
)
def test_auto_streams_only_where_a_connection_is_known_to_be_cheap(software, anywhere, streams):
    from dashboard.web.live import _why_not_here

    reason = _why_not_here({"SERVER_SOFTWARE": software}, anywhere)
    assert (reason is None) == streams
    if reason:
        assert reason.endswith("polling instead") or "polling instead" in reason
