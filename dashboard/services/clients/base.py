"""What the three HTTP clients share: one pooled httpx.Client each, and one error type."""

from __future__ import annotations

import logging
import re
import time
from typing import Any, Callable, Optional

import httpx
from pydantic import TypeAdapter, ValidationError

from dashboard.services.outages import NOT_OFFERED

log = logging.getLogger("dashboard.backend")

CallObserver = Callable[[str, str, str, Optional[int], float, Optional[str]], None]
"""(service, method, path template, status or None, seconds, error kind or None) of one call."""

_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def path_template(path: str) -> str:
    """/achievements/17 -> /achievements/{id}: metric labels must not grow with the data."""
    return _ID_SEGMENT.sub("/{id}", path)


class BackendError(Exception):
    """A backend call failed; the message is written for the person looking at the screen."""

    def __init__(self, service: str, message: str, *, status: Optional[int] = None, maybe_processed: bool = False):
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status
        self.maybe_processed = maybe_processed
        """The request reached the service, which may have acted on it before the answer was lost
        (a read timeout, a connection dropped mid-answer): a write may have happened."""

    def outcome(self, failed: str) -> str:
        """`failed` ('Not saved'), or 'Perhaps not saved' when the request reached the service and
        its answer was lost (and reading back could not settle it): the write may still land."""
        return "Perhaps " + failed[0].lower() + failed[1:] if self.maybe_processed else failed


class NotAvailable(BackendError):
    """The service answers, but does not offer this data (e.g. an endpoint not mounted)."""


def make_http_client(
    base_url: str, *, timeout: float, connect_timeout: float, transport=None
) -> httpx.Client:
    """A pooled client for one service. `transport` lets tests inject httpx.MockTransport."""
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        headers={"Accept": "application/json", "User-Agent": "threads-agent-dashboard"},
        transport=transport,
        follow_redirects=True,
    )


class ServiceClient:
    """Base of the clients: JSON requests with errors turned into BackendError."""

    service = "service"

    def __init__(self, http: httpx.Client, observer: Optional[CallObserver] = None):
        self.http = http
        self.observer = observer

    def close(self) -> None:
        self.http.close()

    def request_json(self, method: str, path: str, **kwargs) -> Any:
        started = time.perf_counter()
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            self._observe(method, path, None, started, "timeout")
            raise BackendError(self.service, f"timed out ({method} {path})",
                               maybe_processed=not isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))) from None
        except httpx.TransportError as exc:
            reason = type(exc).__name__
            self._observe(method, path, None, started, "unreachable")
            what = "closed the connection before answering" if isinstance(exc, httpx.RemoteProtocolError) \
                else "unreachable"
            raise BackendError(self.service, f"{what} ({reason} on {method} {path})",
                               maybe_processed=not isinstance(exc, httpx.ConnectError)) from None
        except httpx.RequestError as exc:  # undecodable body, redirect loop, ...
            reason = type(exc).__name__
            self._observe(method, path, None, started, "request_error")
            raise BackendError(self.service, f"request failed ({reason} on {method} {path})") from None
        self._observe(method, path, response.status_code, started,
                      "http_error" if response.status_code >= 400 else None)
        if response.status_code == 404 and _route_missing(response):
            raise NotAvailable(self.service, f"{path} {NOT_OFFERED}", status=404)
        if response.status_code >= 400:
            raise BackendError(
                self.service,
                f"answered {response.status_code} to {method} {path}: {_detail(response)}",
                status=response.status_code,
            )
        try:
            return response.json()
        except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than Python parses
            raise BackendError(self.service, f"sent malformed JSON for {method} {path}") from None

    def _observe(self, method: str, path: str, status: Optional[int], started: float, error: Optional[str]) -> None:
        seconds = time.perf_counter() - started
        template = path_template(path)
        log.info(
            "backend call",
            extra={"service": self.service, "method": method, "path": template, "status": status,
                   "duration_ms": round(seconds * 1000, 1), "error": error},
        )
        if self.observer is not None:
            self.observer(self.service, method, template, status, seconds, error)

    def write_verified(self, write: Callable[[], Any], stored: Callable[[], Any], landed: Callable[[Any], bool]) -> Any:
        """A write whose answer may be lost: when the request reached the service but its answer
        did not come back, read what is stored now; if the write landed, that is the answer.

        The services take no idempotency key, so a write told "failed" that in fact happened
        would be repeated by the user's retry (a second achievement) or reported as someone
        else's change (a conflict). Returns the raw JSON of the write or of the stored state.
        """
        try:
            return write()
        except BackendError as exc:
            if not exc.maybe_processed:
                raise
            failure = exc
        try:
            found = stored()
        except BackendError:
            raise failure from None
        if found is not None and landed(found):
            log.warning("write answer lost but the write landed", extra={"service": self.service})
            return found
        raise failure

    def parse(self, adapter: TypeAdapter, data: Any, what: str):
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise BackendError(
                self.service, f"sent an unexpected shape for {what} ({where}: {first['msg']})"
            ) from None

    def health(self):
        """Check /health; returns (ok, latency_ms, body or error text)."""
        started = time.perf_counter()
        try:
            body = self.request_json("GET", "/health")
        except BackendError as exc:
            return False, (time.perf_counter() - started) * 1000, str(exc)
        latency = (time.perf_counter() - started) * 1000
        ok = isinstance(body, dict) and body.get("status") in ("healthy", "ok")
        return ok, latency, body


def _route_missing(response: httpx.Response) -> bool:
    """A 404 for the route itself (FastAPI's {"detail": "Not Found"}), not for a missing item."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return True
    try:
        return response.json() == {"detail": "Not Found"}
    except (ValueError, RecursionError):
        return True


def _detail(response: httpx.Response) -> str:
    """FastAPI's {detail: str | [{loc, msg}]} as one line; else the start of the body."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError, RecursionError):
        return response.text[:200] or response.reason_phrase
    if isinstance(detail, list):
        parts = []
        for item in detail[:5]:
            if isinstance(item, dict):
                loc = item.get("loc")
                loc = ".".join(str(p) for p in loc[1:]) if isinstance(loc, list) else ""
                loc = loc or "request"
                parts.append(f"{loc}: {item.get('msg')}")
        return "; ".join(parts) or str(detail)[:200]
    return str(detail)[:200]
