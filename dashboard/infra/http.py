"""What the three HTTP clients share: one pooled httpx.Client each, one error type, and limits.

Every call is bounded twice over, because httpx's own timeouts are per read: a service that sends
one byte every two seconds never trips a 5 s read timeout, and held request threads for ever.
- a deadline for the whole call (connect, send, headers, body), and for a whole paged read when
  the caller opens one around it (`deadline`): each socket read and write may wait only for what
  is left of it (`DeadlineTransport`);
- a byte limit for each answer, read as a stream and dropped once it is over the limit.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import ssl
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Optional, TypeVar

import httpcore
import httpx
from pydantic import TypeAdapter, ValidationError

from dashboard.domain.errors import BackendError, NotAvailable, NotFound
from dashboard.domain.outages import NOT_OFFERED

log = logging.getLogger("dashboard.backend")

Parsed = TypeVar("Parsed")

CallObserver = Callable[[str, str, str, Optional[int], float, Optional[str]], None]
"""(service, method, path template, status or None, seconds, error kind or None) of one call."""

_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def path_template(path: str) -> str:
    """/achievements/17 -> /achievements/{id}: metric labels must not grow with the data."""
    return _ID_SEGMENT.sub("/{id}", path)


DEFAULT_CALL_SECONDS = 15.0
DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024

_deadline: contextvars.ContextVar[Optional[float]] = contextvars.ContextVar("backend_deadline", default=None)
"""time.monotonic() by which the backend calls made now must be over (None: no deadline)."""


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Every backend call inside must be over within `seconds` from now, all of them together.

    Nested deadlines keep the earlier end: a page of a paged read cannot outlive the whole read.
    """
    ends = time.monotonic() + seconds
    outer = _deadline.get()
    if outer is not None:
        ends = min(ends, outer)
    reset = _deadline.set(ends)
    try:
        yield ends
    finally:
        _deadline.reset(reset)


def seconds_left() -> Optional[float]:
    """What is left of the current deadline (None when there is none)."""
    ends = _deadline.get()
    return None if ends is None else ends - time.monotonic()


def _clip(timeout: Optional[float], what: type[Exception]) -> Optional[float]:
    left = seconds_left()
    if left is None:
        return timeout
    if left <= 0:
        raise what("deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits at most for what is left of the deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: Optional[float] = None) -> bytes:
        return self._inner.read(max_bytes, _clip(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: Optional[float] = None) -> None:
        self._inner.write(buffer, _clip(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: Optional[str] = None, timeout: Optional[float] = None
    ) -> httpcore.NetworkStream:
        timeout = _clip(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend):
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: Optional[float] = None,
        local_address: Optional[str] = None,
        socket_options: Optional[Iterable[httpcore.SOCKET_OPTION]] = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(
            host, port, _clip(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: Optional[float] = None,
        socket_options: Optional[Iterable[httpcore.SOCKET_OPTION]] = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_unix_socket(path, _clip(timeout, httpcore.ConnectTimeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport, whose sockets honour the current `deadline`.

    httpx has no whole-request timeout (encode/httpx#1450); httpcore lets a network backend be
    plugged in, which httpx does not expose, so it is set on the pool httpx built.
    """

    def __init__(self, **kwargs: Any) -> None:  # httpx.HTTPTransport's own keywords
        super().__init__(**kwargs)
        pool = self._pool
        pool._network_backend = _DeadlineBackend(pool._network_backend)


def make_http_client(
    base_url: str,
    *,
    timeout: float,
    connect_timeout: float,
    transport: Optional[httpx.BaseTransport] = None,
    max_connections: int = 20,
    max_keepalive: int = 10,
) -> httpx.Client:
    """A pooled client for one service (DASHBOARD_HTTP_MAX_CONNECTIONS, DASHBOARD_HTTP_MAX_KEEPALIVE).
    `transport` lets tests inject httpx.MockTransport."""
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_keepalive)
    return httpx.Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        limits=limits,
        headers={"Accept": "application/json", "User-Agent": "threads-agent-dashboard"},
        transport=transport if transport is not None else DeadlineTransport(limits=limits),
        follow_redirects=True,
    )


def megabytes(size: float) -> str:
    return f"{size / 1_048_576:.3g} MB"


class ServiceClient:
    """Base of the clients: JSON requests with errors turned into BackendError."""

    service = "service"

    def __init__(
        self,
        http: httpx.Client,
        observer: Optional[CallObserver] = None,
        *,
        call_seconds: float = DEFAULT_CALL_SECONDS,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ):
        self.http = http
        self.observer = observer
        self.call_seconds = call_seconds
        """The most one call may take in all (connect, send, headers and body)."""
        self.max_response_bytes = max_response_bytes

    def close(self) -> None:
        self.http.close()

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            with deadline(self.call_seconds):
                status, body = self._send(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            self._observe(method, path, None, started, "timeout")
            left = seconds_left()
            took = time.perf_counter() - started
            what = f"timed out ({method} {path})"
            if (left is not None and left <= 0) or took >= self.call_seconds:
                # Not one slow read: an answer that did not finish (a trickle), or a paged read
                # that ran out of its time in all.
                what = f"did not finish answering in time: {took:.0f} s ({method} {path})"
            raise BackendError(
                self.service, what, maybe_processed=not isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            ) from None
        except _TooLarge as exc:
            self._observe(method, path, None, started, "too_large")
            raise BackendError(
                self.service,
                f"answer too large: {exc} ({method} {path}); the dashboard reads at most "
                f"{megabytes(self.max_response_bytes)} per answer",
            ) from None
        except httpx.TransportError as exc:
            reason = type(exc).__name__
            self._observe(method, path, None, started, "unreachable")
            what = (
                "closed the connection before answering"
                if isinstance(exc, httpx.RemoteProtocolError)
                else "unreachable"
            )
            raise BackendError(
                self.service,
                f"{what} ({reason} on {method} {path})",
                maybe_processed=not isinstance(exc, httpx.ConnectError),
            ) from None
        except httpx.RequestError as exc:  # undecodable body, redirect loop, ...
            reason = type(exc).__name__
            self._observe(method, path, None, started, "request_error")
            raise BackendError(self.service, f"request failed ({reason} on {method} {path})") from None
        self._observe(method, path, status, started, "http_error" if status >= 400 else None)
        if status == 404 and _route_missing(body):
            raise NotAvailable(self.service, f"{path} {NOT_OFFERED}", status=404)
        if status >= 400:
            error = NotFound if status == 404 else BackendError
            raise error(
                self.service,
                f"answered {status} to {method} {path}: {_detail(status, body)}",
                status=status,
            )
        try:
            return json.loads(body.data)
        except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than Python parses
            raise BackendError(self.service, f"sent malformed JSON for {method} {path}") from None

    def _send(self, method: str, path: str, **kwargs: Any) -> tuple[int, "_Body"]:
        """Status and body of one call, the body read as a stream up to the byte limit."""
        limit = self.max_response_bytes
        with self.http.stream(method, path, **kwargs) as response:
            announced = response.headers.get("content-length", "")
            if announced.isdigit() and int(announced) > limit:
                raise _TooLarge(f"it announced {megabytes(int(announced))}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise _TooLarge(f"more than {megabytes(limit)} sent")
                chunks.append(chunk)
            return response.status_code, _Body(b"".join(chunks), response.headers.get("content-type", ""))

    def _observe(self, method: str, path: str, status: Optional[int], started: float, error: Optional[str]) -> None:
        seconds = time.perf_counter() - started
        template = path_template(path)
        log.info(
            "backend call",
            extra={
                "service": self.service,
                "method": method,
                "path": template,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "error": error,
            },
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

    def parse(self, adapter: TypeAdapter[Parsed], data: Any, what: str) -> Parsed:
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise BackendError(self.service, f"sent an unexpected shape for {what} ({where}: {first['msg']})") from None

    def health(self) -> tuple[bool, float, Any]:
        """Check /health; returns (ok, latency_ms, body or error text)."""
        started = time.perf_counter()
        try:
            body = self.request_json("GET", "/health")
        except BackendError as exc:
            return False, (time.perf_counter() - started) * 1000, str(exc)
        latency = (time.perf_counter() - started) * 1000
        ok = isinstance(body, dict) and body.get("status") in ("healthy", "ok")
        return ok, latency, body


class _TooLarge(Exception):
    """An answer over the byte limit (the message says how large)."""


class _Body:
    """An answer's bytes (decoded from gzip etc.) and its content type."""

    __slots__ = ("data", "content_type")

    def __init__(self, data: bytes, content_type: str):
        self.data = data
        self.content_type = content_type

    def json(self) -> Any:
        return json.loads(self.data)

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def _route_missing(body: _Body) -> bool:
    """A 404 for the route itself (FastAPI's {"detail": "Not Found"}), not for a missing item."""
    if not body.content_type.startswith("application/json"):
        return True
    try:
        return bool(body.json() == {"detail": "Not Found"})
    except (ValueError, RecursionError):
        return True


def _detail(status: int, body: _Body) -> str:
    """FastAPI's {detail: str | [{loc, msg}]} as one line; else the start of the body."""
    try:
        detail = body.json().get("detail")
    except (ValueError, AttributeError, RecursionError):
        return body.text[:200] or httpx.codes.get_reason_phrase(status)
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
