"""The dashboard's Redis clients fail fast to the storage guard and leave the global random alone."""

from __future__ import annotations

import random
import time

import pytest
import redis

from dashboard.infra.redis_connection import RETRIES, connect_redis


def test_a_refused_command_fails_after_one_quick_retry_without_drawing_from_the_global_random():
    client = connect_redis("redis://127.0.0.1:9/0", socket_timeout=0.5, connect_timeout=0.5)
    state = random.getstate()
    started = time.monotonic()
    with pytest.raises(redis.ConnectionError):
        client.ping()
    took = time.monotonic() - started
    # redis.Redis(...)'s default (ten retries, growing delays) takes about 4 s here; one retry of
    # ~20 ms leaves a wide margin under 1 s even on a slow machine (a refused connect is immediate).
    assert took < 1.0, f"a refused command took {took:.2f} s"
    assert RETRIES == 1 and client.connection_pool.make_connection().retry._retries == RETRIES
    # A background thread (the live pump, the cache) retrying while a test's hypothesis run
    # replays its examples must not move the global generator under it.
    assert random.getstate() == state
    client.close()
