"""FreshCache against a real redis-server: one backend call for many workers at once."""

import threading
import time

import redis
from flask_caching.backends import RedisCache

from dashboard.domain.errors import BackendError
from dashboard.infra.cache import FreshCache, RedisLocks


class CountingSource:
    def __init__(self, delay=0.2):
        self.calls = 0
        self.delay = delay
        self.fail = False
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            self.calls += 1
        time.sleep(self.delay)
        if self.fail:
            raise BackendError("achievement-collector", "answered 503")
        return {"total": 42}


def worker_cache(url, ttl=5.0):
    """What one gunicorn worker builds: its own Redis connections, the shared keys."""
    client = redis.Redis.from_url(url)
    return FreshCache(
        RedisCache(host=client, key_prefix="t:data:"),
        RedisLocks(client, prefix="t:lock:"),
        ttl=ttl,
        backoff=1.0,
        lock_seconds=3.0,
    )


def run_concurrently(caches, key, source, per_cache=5):
    results = []
    barrier = threading.Barrier(len(caches) * per_cache)

    def read(cache):
        barrier.wait()
        results.append(cache.get(key, source))

    threads = [threading.Thread(target=read, args=(c,)) for c in caches for _ in range(per_cache)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_twenty_concurrent_cold_reads_across_four_workers_make_one_call(redis_url):
    source = CountingSource()
    caches = [worker_cache(redis_url) for _ in range(4)]
    results = run_concurrently(caches, "overview", source)
    assert source.calls == 1
    assert len(results) == 20 and all(r.value == {"total": 42} and not r.stale for r in results)


def test_expired_entry_refreshed_once_others_get_last_value(redis_url):
    source = CountingSource(delay=0.3)
    caches = [worker_cache(redis_url, ttl=0.2) for _ in range(4)]
    caches[0].get("overview", source)
    time.sleep(0.25)
    results = run_concurrently(caches, "overview", source)
    assert source.calls == 2
    assert all(r.value == {"total": 42} for r in results)


def test_failure_is_shared_stale_value_and_backoff_across_workers(redis_url):
    source = CountingSource(delay=0.0)
    first, second = worker_cache(redis_url, ttl=0.1), worker_cache(redis_url, ttl=0.1)
    first.get("k", source)
    time.sleep(0.15)
    source.fail = True
    failed = first.get("k", source)
    seen_by_other = second.get("k", source)  # inside the back-off: no new call
    assert source.calls == 2
    assert failed.stale and seen_by_other.stale
    assert seen_by_other.value == {"total": 42} and "503" in seen_by_other.error


def test_lock_release_does_not_drop_another_holders_lock(redis_url):
    client = redis.Redis.from_url(redis_url)
    locks = RedisLocks(client, prefix="t:lock:")
    token = locks.acquire("k", 0.05)
    time.sleep(0.08)  # expired; someone else takes it
    other = locks.acquire("k", 5)
    assert token and other
    locks.release("k", token)
    assert locks.held("k")
    locks.release("k", other)
    assert not locks.held("k")
