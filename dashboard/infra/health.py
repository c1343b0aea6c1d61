"""GET /health of one service, with a timeout of its own: healthy, unhealthy or down."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, Optional

import httpx

from dashboard.domain.health import ServiceStatus

DEFAULT_PROBE_TIMEOUT_SECONDS = 2.0
"""A health check that takes longer than this counts as no answer, whatever the data timeout."""
HEALTHY_WORDS = ("healthy", "ok")


def probe(name: str, http: httpx.Client, *, timeout_seconds: float = DEFAULT_PROBE_TIMEOUT_SECONDS) -> ServiceStatus:
    """GET /health with a short timeout: healthy, unhealthy (answers badly) or down (no answer)."""
    configured = http.timeout
    timeout = httpx.Timeout(
        _shorter(configured.read, timeout_seconds),
        connect=_shorter(configured.connect, timeout_seconds),
    )
    status = ServiceStatus(service=name, configured=True, source="http", status="down", url=display_url(http.base_url))
    started = time.perf_counter()

    def took() -> float:
        return round((time.perf_counter() - started) * 1000, 1)

    try:
        response = http.get("/health", timeout=timeout)
    except httpx.TimeoutException:
        return replace(status, latency_ms=took(), detail=f"no answer to GET /health within {timeout.read:g} s")
    except httpx.TransportError as exc:
        return replace(status, latency_ms=took(), detail=f"unreachable ({type(exc).__name__} on GET /health)")
    except httpx.HTTPError as exc:
        return replace(
            status, status="unhealthy", latency_ms=took(), detail=f"GET /health failed ({type(exc).__name__})"
        )
    latency = took()
    answered = replace(status, status="unhealthy", latency_ms=latency)
    if response.status_code >= 400:
        return replace(answered, detail=f"answered {response.status_code} to GET /health: {response.text[:200]}")
    try:
        body: Any = response.json()
    except ValueError:
        return replace(answered, detail="answered GET /health with a body that is not JSON")
    if not isinstance(body, dict):
        return replace(answered, detail=f"answered GET /health with {type(body).__name__}, not an object")
    version = body.get("version")
    answered = replace(answered, version=str(version)[:40] if version is not None else None)
    reported = body.get("status")
    if reported not in HEALTHY_WORDS:
        return replace(answered, detail=f"reports status {str(reported)[:80]!r}")
    return replace(answered, status="healthy")


def display_url(url: httpx.URL) -> str:
    """A base URL without user or password, for the screen."""
    path = url.path.rstrip("/")
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}{path}"


def _shorter(configured: Optional[float], ceiling: float) -> float:
    return ceiling if configured is None else min(configured, ceiling)
