"""The dashboard's Redis clients: short timeouts and one quick retry, then the caller's fallback.

One retry, after a few jittered milliseconds: a pooled connection that Redis dropped (a restart,
an idle timeout) is made again once before the command counts as failed. More would only hold a
callback, since a Redis that keeps failing is the storage guard's to handle (dashboard/infra/
storage.py: an in-process stand-in while it is left alone). Built here rather than left to
redis-py's defaults, which differ by constructor: `Redis(...)` retries ten times (about 4 s on a
refused port, drawing its delays from the global `random`), `Redis.from_url` not at all.
"""

from __future__ import annotations

import redis
from redis.backoff import AbstractBackoff
from redis.retry import Retry

from dashboard.infra.jitter import JITTER

RETRIES = 1
RETRY_SECONDS = 0.02


class JitteredBackoff(AbstractBackoff):
    """A delay of RETRY_SECONDS × (0.5–1.5), drawn from the dashboard's own generator."""

    def compute(self, failures: int) -> float:
        return RETRY_SECONDS * (0.5 + JITTER.random())


def connect_redis(
    url: str, *, socket_timeout: float, connect_timeout: float, health_check_seconds: int = 0
) -> redis.Redis:
    """A client for `url` (no connection is made until the first command)."""
    return redis.Redis.from_url(
        url,
        socket_timeout=socket_timeout,
        socket_connect_timeout=connect_timeout,
        health_check_interval=health_check_seconds,
        retry=Retry(JitteredBackoff(), RETRIES),
    )
