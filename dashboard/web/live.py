"""`GET <prefix>api/live`: the live channel, as Server-Sent Events.

Each open screen holds one connection. It hears:
- `change` — `{"achievements": "<version>", …}`: these data sets changed; the screen refreshes
  the parts that draw them (through the cache, as a timer tick would);
- `resync` — it missed more than the server remembers: refresh everything once;
- `checked` — every `heartbeat` seconds, when each data set was last confirmed unchanged
  (server epoch ms): the heartbeat that keeps proxies from dropping an idle connection, and
  what lets "Updated N s ago" stay true while nothing changes.

Every event has an id; a screen that reconnects sends the last one (`Last-Event-ID`, or
`?last=` when it reconnects by itself) and gets what it missed. A connection ends after
`stream_seconds` (± a fifth, so screens do not reconnect in step) and the browser reconnects
at once: workers can restart and recycle without a screen noticing.

Past `max_connections` per process the answer is 503 (full for now); under a worker model that
would give each connection a thread (gunicorn gthread or sync; with DASHBOARD_LIVE=auto, any
server not known to hold connections cheaply) it is 404 (not offered here). Either way the
screen polls on its interval.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

import flask
from flask.typing import ResponseReturnValue

from dashboard.infra.jitter import JITTER
from dashboard.infra.live import Bus, Catchup, newest_by_dataset, parse_id
from dashboard.services.live import Watcher
from dashboard.web import runtime

bp = flask.Blueprint("threads_dashboard_live", __name__)

RETRY_MS = (1_000, 4_000)
"""The browser's reconnect delay after a connection ends, drawn per connection (no storm)."""


@dataclass
class LiveChannel:
    """One process's side of the channel: its bus, its limits, and what it has served."""

    bus: Bus
    heartbeat_seconds: float = 15.0
    check_seconds: float = 15.0
    """The watcher's interval: a quiet screen hears `checked` this often, so its ages stay true."""
    stream_seconds: float = 300.0
    max_connections: int = 900
    anywhere: bool = False
    """DASHBOARD_LIVE=true: stream on any server but gunicorn's thread workers. False (auto): only
    where a connection is known to be cheap (gevent workers, the development server)."""
    watcher: Optional[Watcher] = None
    """Runs while this process has screens connected (none: nothing to watch for)."""
    open_connections: int = 0
    served: int = 0
    refused: int = 0
    _mutex: threading.Lock = field(default_factory=threading.Lock)

    def admit(self) -> bool:
        with self._mutex:
            if self.open_connections >= self.max_connections:
                self.refused += 1
                return False
            self.open_connections += 1
            self.served += 1
        self.bus.start()
        if self.watcher is not None:
            self.watcher.start()
        return True

    def leave(self) -> None:
        with self._mutex:
            self.open_connections -= 1


def install(server: flask.Flask, prefix: str) -> None:
    if bp.name not in server.blueprints:
        server.register_blueprint(bp, url_prefix=prefix)


def _why_not_here(environ: dict[str, Any], anywhere: bool) -> Optional[str]:
    """Why this server should not hold a stream per screen (None: it may).

    gunicorn with thread or sync workers would give each open stream one of a few threads; so
    would most other WSGI servers (waitress, mod_wsgi…) a host app may run. The development
    server starts a thread per connection, and gevent makes a connection a greenlet."""
    software = str(environ.get("SERVER_SOFTWARE", ""))
    gevent = sys.modules.get("gevent.monkey")
    patched = gevent is not None and gevent.is_module_patched("socket")
    if "gunicorn" in software:
        return None if patched else "live updates need gevent workers (GUNICORN_WORKER_CLASS=gevent): polling instead"
    if anywhere or patched or software.startswith("Werkzeug"):
        return None
    return (
        f"live updates are on where the server holds connections cheaply; {software or 'this server'} "
        "may give each a thread: polling instead (DASHBOARD_LIVE=true streams anyway)"
    )


@bp.get("/api/live")
def live() -> ResponseReturnValue:
    channel: Optional[LiveChannel] = runtime.current().live
    if channel is None:
        return _refuse("live updates are off (DASHBOARD_LIVE=0): this screen refreshes on its interval", 404)
    refused = _why_not_here(flask.request.environ, channel.anywhere)
    if refused:
        # Not offered by this server (a fact of the deployment, not a moment's load): 404, as
        # with live off; 503 is for a server that is full for now.
        return _refuse(refused, 404)
    asked = flask.request.headers.get("Last-Event-ID") or flask.request.args.get("last") or None
    # An id the browser could not have been given (hostile or garbled) is treated as unknown:
    # the screen refreshes once, which is always correct.
    last_id = asked if parse_id(asked) is not None else ("0-0" if asked else None)
    if not channel.admit():
        return _refuse(f"{channel.max_connections} screens are live on this server: polling instead", 503)
    try:
        caught = channel.bus.catch_up(last_id)
    except Exception:
        channel.leave()
        raise
    response = flask.Response(_events(channel, caught, last_id is not None), mimetype="text/event-stream")
    # The slot is given back when the server closes the response, whether the stream ran, ended,
    # lost its client, or never started (a HEAD, a client gone before the first byte).
    released = threading.Event()

    def leave() -> None:
        if not released.is_set():
            released.set()
            channel.leave()

    response.call_on_close(leave)
    # No proxy may buffer or transform the stream (nginx reads X-Accel-Buffering), nor cache it.
    response.headers["Cache-Control"] = "no-cache, no-store, no-transform"
    response.headers["X-Accel-Buffering"] = "no"
    # Whatever would read the whole body (a length, a digest) must fail loudly, not wait forever.
    response.implicit_sequence_conversion = False
    return response


def _events(channel: LiveChannel, caught: Catchup, resumed: bool) -> Iterator[str]:
    bus = channel.bus
    yield f"retry: {JITTER.randint(*RETRY_MS)}\n\n"
    if resumed and not caught.complete:
        yield _event("resync", caught.last_id, {})
    elif caught.changes:
        yield _event("change", caught.last_id, newest_by_dataset(caught.changes))
    yield _event("checked", caught.last_id, bus.checked())
    last = caught.last_id
    ends = time.monotonic() + channel.stream_seconds * JITTER.uniform(0.8, 1.2)
    while (left := ends - time.monotonic()) > 0:
        got = bus.feed.wait(last, min(channel.heartbeat_seconds, channel.check_seconds, left))
        if not got.complete:
            got = bus.catch_up(last)
        if not got.complete:
            yield _event("resync", got.last_id, {})
        elif got.changes:
            yield _event("change", got.last_id, newest_by_dataset(got.changes))
        else:
            yield _event("checked", last, bus.checked())
        last = got.last_id


def _event(name: str, event_id: str, data: dict[str, Any]) -> str:
    return f"event: {name}\nid: {event_id}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def _refuse(reason: str, status: int) -> ResponseReturnValue:
    response = flask.jsonify(error=reason)
    response.status_code = status
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response
