"""Health, readiness, Prometheus metrics and one JSON log line per request.

Everything here is registered on the Flask server for paths under the dashboard's prefix only,
so a host application that mounts the dashboard keeps its own routes unobserved and untouched.
Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py does) and
/metrics aggregates every worker.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import time
import uuid
from typing import Any, Optional

import flask
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from dashboard.infra.http import megabytes
from dashboard.web import runtime

request_id_var: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("request_id", default=None)
log = logging.getLogger("dashboard.request")

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_SECONDS = Histogram(
    "dashboard_request_duration_seconds",
    "HTTP request latency by route",
    ["route", "method", "status"],
    buckets=_BUCKETS,
)
CALLBACK_SECONDS = Histogram(
    "dashboard_callback_duration_seconds",
    "Dash callback latency by callback",
    ["callback"],
    buckets=_BUCKETS,
)
CACHE_EVENTS = Counter(
    "dashboard_cache_events_total",
    "Cache reads by outcome: hits, fetches (misses), fetch_errors, stale_served, waits, backend_errors, slow_fetches",
    ["event", "key"],
)
BACKEND_CALLS = Counter(
    "dashboard_backend_requests_total",
    "Requests to the Threads-Agent services",
    ["service", "method", "path", "outcome"],
)
BACKEND_SECONDS = Histogram(
    "dashboard_backend_request_duration_seconds",
    "Latency of requests to the Threads-Agent services",
    ["service"],
    buckets=_BUCKETS,
)


def observe_cache(event: str, key: str) -> None:
    CACHE_EVENTS.labels(event=event, key=key).inc()


def observe_backend(
    service: str, method: str, path: str, status: Optional[int], seconds: float, error: Optional[str]
) -> None:
    outcome = error or ("ok" if status is not None and status < 400 else "error")
    BACKEND_CALLS.labels(service=service, method=method, path=path, outcome=outcome).inc()
    BACKEND_SECONDS.labels(service=service).observe(seconds)


bp = flask.Blueprint("threads_dashboard_observability", __name__)


def install(server: flask.Flask, prefix: str, *, max_request_bytes: Optional[int] = None) -> None:
    """Routes /healthz, /readyz, /metrics under `prefix`, and the request hooks.

    `max_request_bytes` bounds the body of every request under `prefix` (the host application's
    own routes keep their limit): a larger announced body gets 413 before a byte is read, and
    a body without Content-Length is cut off at the limit.
    """
    if bp.name in server.blueprints:
        return
    observation = RequestObservation(prefix, max_request_bytes)
    server.before_request(observation.start)
    server.after_request(observation.finish)
    server.register_blueprint(bp, url_prefix=prefix)


def install_callback_check(server: flask.Flask, prefix: str) -> None:
    """Parse each callback body once, after the sign-in gate, and refuse what Dash cannot read.

    Registered after auth.install, so a request refused with 401 is never parsed (a 50 MB body
    took a worker from 125 to 1,154 MB when the metrics hook parsed it). Flask keeps the parsed
    body, so Dash's own `request.get_json()` reads it from there, not from the wire again. JSON
    nested deeper than Python parses, or not shaped like a callback, gets a 400, not a 500.
    """
    server.before_request(CallbackBodyCheck(prefix).check)


class RequestObservation:
    """The hooks around each request under the prefix: its id, its body limit, its metrics and log line."""

    def __init__(self, prefix: str, max_request_bytes: Optional[int]):
        self.prefix = prefix
        self.max_request_bytes = max_request_bytes

    def start(self) -> Optional[flask.Response]:
        if not request_path().startswith(self.prefix):
            return None
        flask.g.dashboard_started = time.perf_counter()
        incoming = flask.request.headers.get("X-Request-ID", "")
        flask.g.request_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex
        request_id_var.set(flask.g.request_id)
        if self.max_request_bytes is not None:
            flask.request.max_content_length = self.max_request_bytes
            announced = flask.request.content_length
            if announced is not None and announced > self.max_request_bytes:
                return _too_large(self.max_request_bytes)
        return None

    def finish(self, response: flask.Response) -> flask.Response:
        started = flask.g.pop("dashboard_started", None)
        if started is None:
            return response
        seconds = time.perf_counter() - started
        rule = flask.request.url_rule
        route = rule.rule if rule is not None else "unmatched"  # the path without ?endId=...
        REQUEST_SECONDS.labels(route=route, method=flask.request.method, status=response.status_code).observe(seconds)
        # Named by CallbackBodyCheck, which parsed the body once, for an admitted request only.
        callback = flask.g.pop("dashboard_callback", None)
        if callback:
            CALLBACK_SECONDS.labels(callback=callback).observe(seconds)
        response.headers["X-Request-ID"] = flask.g.request_id
        actor = flask.g.get("dashboard_actor")
        log.info(
            "request",
            extra={
                "method": flask.request.method,
                "path": request_path(),
                "route": route,
                "user": actor.name if actor is not None else None,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "callback": callback,
                # A stream (the live channel) has no length yet: asking would read it to the end.
                "bytes": None if response.is_streamed else response.calculate_content_length(),
            },
        )
        return response


class CallbackBodyCheck:
    """The before-request hook that parses a `_dash-update-component` body once and refuses a bad one."""

    def __init__(self, prefix: str):
        self.callback_path = f"{prefix}_dash-update-component"

    def check(self) -> Optional[flask.Response]:
        if flask.request.method != "POST" or request_path() != self.callback_path:
            return None
        if flask.request.content_length is None:
            # Chunked: WSGI servers differ in whether they end such a stream, and browsers always
            # send the length of a callback body; ask for it rather than read an endless body.
            return flask.Response(
                json.dumps({"error": "a callback body needs a Content-Length"}), status=411, mimetype="application/json"
            )
        try:
            body = flask.request.get_json(force=True)
        except RequestEntityTooLarge:
            return _too_large(flask.request.max_content_length)
        except (BadRequest, RecursionError, UnicodeDecodeError):
            return _bad_callback("the body is not JSON a callback can read (malformed, or nested too deeply)")
        if not _is_callback_body(body):
            return _bad_callback("the body is not a callback request (an object with output, inputs, state)")
        # "..a.children...b.figure.." -> "a.children": the first output names the callback well enough.
        flask.g.dashboard_callback = body["output"].strip(".").split("...")[0][:120]
        return None


def _is_callback_body(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and isinstance(body.get("output"), str)
        and isinstance(body.get("inputs", []), list)
        and isinstance(body.get("state", []), list)
    )


@bp.route("/healthz")
def healthz() -> flask.Response:
    """The process is alive and serving; no dependency is checked."""
    current = runtime.current()
    return flask.jsonify(
        status="ok",
        version=current.version,
        build=current.build_id,
        uptime_s=round(current.clock.time() - current.started_at, 1),
    )


@bp.route("/readyz")
def readyz() -> flask.Response:
    """Ready when what this instance depends on answers: Redis (if configured) and the store."""
    problems = readiness_problems(runtime.current())
    body = {"status": "ready" if not problems else "not ready", "problems": problems}
    return flask.Response(json.dumps(body), status=200 if not problems else 503, mimetype="application/json")


@bp.route("/metrics")
def metrics() -> flask.Response:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # prometheus_client leaves this constructor unannotated (a stub gap, not a mismatch).
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        data = generate_latest(registry)
    else:
        data = generate_latest()
    return flask.Response(data, mimetype=CONTENT_TYPE_LATEST)


def _too_large(limit: Optional[int]) -> flask.Response:
    size = megabytes(limit) if limit else "the limit"
    body = {"error": f"request body too large: this dashboard accepts at most {size} (DASHBOARD_MAX_REQUEST_BYTES)"}
    response = flask.Response(json.dumps(body), status=413, mimetype="application/json")
    response.headers["Connection"] = "close"  # the unread body must not be taken for the next request
    return response


def _bad_callback(reason: str) -> flask.Response:
    return flask.Response(
        json.dumps({"error": f"bad callback request: {reason}"}), status=400, mimetype="application/json"
    )


def request_path() -> str:
    return flask.request.path


def readiness_problems(current: "runtime.Runtime") -> list[str]:
    problems = []
    services = current.services
    locks = services.cache.locks
    client = getattr(locks, "redis", None)
    if client is not None:
        try:
            client.ping()
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            problems.append(f"redis unreachable: {type(exc).__name__}: {exc}")
    if services.store is not None:
        health = services.store.health("embedded store")
        if health.status != "healthy":
            problems.append(f"embedded store: {health.detail}")
    return problems


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id of the request being served."""

    _SKIP = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            data["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in self._SKIP and value is not None:
                data[key] = value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def configure_logging(level: str = "INFO") -> None:
    """JSON logs on stderr, for the entry points (a host app keeps its own logging)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
