"""FreshCache in one process: fresh hits, single flight, last good value, back-off."""

import threading
import time

import pytest
from flask_caching.backends import SimpleCache

from dashboard.domain.errors import BackendError
from dashboard.infra.cache import FreshCache, LocalLocks


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


class Source:
    """A fetch function that counts its calls and can be told to fail or to be slow."""

    def __init__(self):
        self.calls = 0
        self.value = "v1"
        self.error = None
        self.delay = 0.0
        self.completed = 0
        """Calls that have returned or raised: "did the caller wait for the fetch?" without a stopwatch."""
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            self.calls += 1
        try:
            if self.delay:
                time.sleep(self.delay)
            if self.error:
                raise self.error
            return self.value
        finally:
            with self._lock:
                self.completed += 1


def make_cache(clock=time.time, ttl=10.0, backoff=5.0):
    return FreshCache(SimpleCache(), LocalLocks(), ttl=ttl, backoff=backoff, lock_seconds=2.0, clock=clock)


def test_fresh_value_is_served_without_fetching():
    clock, source = Clock(), Source()
    cache = make_cache(clock)
    first = cache.get("k", source)
    clock.now += 9
    second = cache.get("k", source)
    assert first.value == second.value == "v1"
    assert source.calls == 1
    assert not second.stale and second.error is None
    assert cache.stats.hits == 1 and cache.stats.fetches == 1


def test_expired_value_is_fetched_again():
    clock, source = Clock(), Source()
    cache = make_cache(clock)
    cache.get("k", source)
    clock.now += 11
    source.value = "v2"
    assert cache.get("k", source).value == "v2"
    assert source.calls == 2


def test_failure_keeps_last_good_value_marked_stale_and_backs_off():
    clock, source = Clock(), Source()
    cache = make_cache(clock)
    good = cache.get("k", source)
    clock.now += 11
    source.error = BackendError("orchestrator", "answered 500 to GET /content/stats: boom")
    failed = cache.get("k", source)
    assert failed.value == "v1" and failed.stale
    assert failed.fetched_at == good.fetched_at
    assert "answered 500" in failed.error
    clock.now += 2  # within the 5 s back-off: the backend is not asked again
    again = cache.get("k", source)
    assert source.calls == 2 and again.stale and again.value == "v1"
    clock.now += 4  # back-off over, backend back
    source.error = None
    source.value = "v3"
    recovered = cache.get("k", source)
    assert recovered.value == "v3" and not recovered.stale and recovered.error is None


def test_first_fetch_failing_gives_no_value_and_the_error():
    source = Source()
    source.error = BackendError("achievement-collector", "unreachable (ConnectError on GET /achievements/)")
    result = make_cache().get("k", source)
    assert result.value is None and result.stale
    assert "unreachable" in result.error


def test_unexpected_exception_does_not_escape():
    source = Source()
    source.error = KeyError("surprise")
    result = make_cache().get("k", source)
    assert result.value is None and "KeyError" in result.error


def test_concurrent_misses_make_one_call():
    source = Source()
    source.delay = 0.2
    cache = make_cache()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", source))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert source.calls == 1
    assert len(results) == 20 and all(r.value == "v1" for r in results)


def test_expired_value_served_at_once_while_another_refreshes():
    source = Source()
    cache = make_cache(ttl=0.05)
    cache.get("k", source)
    time.sleep(0.06)
    source.delay = 0.3
    source.value = "v2"
    refresher = threading.Thread(target=lambda: cache.get("k", source))
    refresher.start()
    while source.calls < 2:  # the refresher has begun fetching (holds the lock)
        time.sleep(0.005)
    meanwhile = cache.get("k", source)
    assert source.completed == 1  # answered while the refresh was still fetching
    assert meanwhile.value == "v1"
    refresher.join()
    assert source.calls == 2
    assert cache.get("k", source).value == "v2"


def test_invalidate_forces_a_fetch():
    source = Source()
    cache = make_cache()
    cache.get("k", source)
    cache.invalidate("k")
    cache.get("k", source)
    assert source.calls == 2


class BrokenBackend:
    def get(self, key):
        raise ConnectionError("redis down")

    set = delete = get


class BrokenLocks:
    def acquire(self, key, ttl):
        raise ConnectionError("redis down")

    def release(self, key, token):
        raise ConnectionError("redis down")

    def held(self, key):
        raise ConnectionError("redis down")


def test_broken_storage_falls_back_to_an_in_process_cache_and_single_flight():
    """Redis refusing must not make every reader fetch: 243 list fetches in 15 s were seen under
    50 screens. The failing call and the calls after it are served by an in-process cache."""
    source = Source()
    source.delay = 0.05
    cache = FreshCache(BrokenBackend(), BrokenLocks(), ttl=10, backoff=5, lock_seconds=1)
    readers = [threading.Thread(target=lambda: cache.get("k", source)) for _ in range(20)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    result = cache.get("k", source)
    assert result.value == "v1" and not result.stale
    assert source.calls == 1
    assert cache.guard.open and cache.guard.failures >= 1


def test_storage_that_comes_back_is_used_again():
    source = Source()
    storage = FlakyBackend()
    cache = FreshCache(storage, LocalLocks(), ttl=0.01, backoff=5, lock_seconds=1)
    cache.guard.seconds = 0.05
    storage.broken = True
    assert cache.get("k", source).value == "v1"
    assert cache.guard.open and storage.stored == {}
    storage.broken = False
    time.sleep(0.1)
    source.value = "v2"
    assert cache.get("k", source).value == "v2"
    assert not cache.guard.open and "k" in storage.stored


class FlakyBackend:
    def __init__(self):
        self.broken = False
        self.stored = {}

    def get(self, key):
        if self.broken:
            raise ConnectionError("refused")
        return self.stored.get(key)

    def set(self, key, value, timeout=None):
        if self.broken:
            raise ConnectionError("refused")
        self.stored[key] = value

    def delete(self, key):
        if self.broken:
            raise ConnectionError("refused")
        self.stored.pop(key, None)


@pytest.mark.parametrize("ttl", [0.0])
def test_zero_ttl_fetches_every_time(ttl):
    source = Source()
    cache = make_cache(ttl=ttl)
    cache.get("k", source)
    cache.get("k", source)
    assert source.calls == 2


def test_disabled_cache_calls_the_source_every_time_and_still_never_raises():
    source = Source()
    cache = FreshCache(SimpleCache(), LocalLocks(), ttl=60, backoff=5, lock_seconds=1, enabled=False)
    assert cache.get("k", source).value == "v1"
    assert cache.get("k", source).value == "v1"
    assert source.calls == 2
    source.error = BackendError("orchestrator", "answered 500")
    failed = cache.get("k", source)
    assert failed.value is None and failed.stale and "answered 500" in failed.error


def test_an_outage_is_dated_from_its_first_failure_and_forgotten_after_a_success():
    clock, source = Clock(), Source()
    cache = make_cache(clock, ttl=10, backoff=5)
    source.error = BackendError("achievement-collector", "unreachable (ConnectError on GET /achievements/)")
    first = cache.get("k", source)
    started = first.failing_since
    assert first.value is None and started is not None and started == _as_utc(clock.now)
    for _ in range(3):  # retries after each back-off keep the first failure's time
        clock.now += 6
        assert cache.get("k", source).failing_since == started
    assert source.calls == 4
    source.error = None
    clock.now += 6
    back = cache.get("k", source)
    assert back.value == "v1" and back.error is None and back.failing_since is None
    clock.now += 11
    source.error = BackendError("achievement-collector", "timed out (GET /achievements/)")
    again = cache.get("k", source)
    assert again.value == "v1" and again.failing_since == _as_utc(clock.now)  # a new outage, a new start


def _as_utc(epoch: float):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)


def test_a_caller_waits_at_most_its_budget_and_the_fetch_finishes_in_the_background():
    """A slow backend must not hold the screen that happens to hold the lock: it answers with
    what is cached after `wait_seconds`, and the next reader finds the fetched value."""
    source = Source()
    cache = FreshCache(SimpleCache(), LocalLocks(), ttl=0.5, backoff=5, fetch_seconds=5, wait_seconds=0.1)
    assert cache.get("k", source).value == "v1"
    time.sleep(0.51)
    source.delay, source.value = 0.4, "v2"
    meanwhile = cache.get("k", source, label="achievement-collector")
    assert source.completed == 1  # the budget ran out before the fetch did
    assert meanwhile.value == "v1"
    assert cache.stats.slow_fetches == 1
    time.sleep(0.5)
    source.delay = 0
    assert cache.get("k", source).value == "v2" and source.calls == 2


def test_a_first_read_past_the_budget_says_still_loading_with_the_service():
    source = Source()
    source.delay = 0.4
    cache = FreshCache(SimpleCache(), LocalLocks(), ttl=10, backoff=5, fetch_seconds=5, wait_seconds=0.1)
    first = cache.get("k", source, label="achievement-collector")
    assert first.value is None and first.stale
    assert first.error == "achievement-collector: still loading (no answer within 0.1 s)"
    time.sleep(0.5)
    assert cache.get("k", source).value == "v1" and source.calls == 1


def test_a_fetch_ends_at_its_deadline_whatever_its_calls():
    from dashboard.infra.http import seconds_left

    seen = []
    cache = FreshCache(SimpleCache(), LocalLocks(), ttl=10, backoff=5, fetch_seconds=2.5)
    cache.get("k", lambda: seen.append(seconds_left()) or "v")
    assert 2.0 < seen[0] <= 2.5
    assert cache.lock_seconds == 4.5  # the lock outlives the fetch: no second fetch beside a slow one


def test_likely_fresh_follows_what_this_process_last_saw_and_forgets_on_invalidate():
    clock = [1000.0]
    cache = FreshCache(SimpleCache(), LocalLocks(), ttl=10, backoff=1, lock_seconds=5, clock=lambda: clock[0])
    assert not cache.likely_fresh("k")  # never read
    cache.get("k", lambda: 1)
    assert cache.likely_fresh("k")  # just fetched
    clock[0] += 9
    assert cache.get("k", lambda: 2).value == 1 and cache.likely_fresh("k")
    clock[0] += 2
    assert not cache.likely_fresh("k")  # older than the TTL: the next read fetches
    cache.get("k", lambda: 3)
    assert cache.likely_fresh("k")
    cache.invalidate("k")
    assert not cache.likely_fresh("k")
