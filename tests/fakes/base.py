"""What every fake service shares: names, the faults it can be told to have, and the calls it records.

Faults (`set_fault`) model what a dashboard meets in production: a service down, slow, answering
500, sending broken JSON or the wrong shape, or dropping the connection (before answering, or in
the middle of the body). A fault can be limited to requests with given query parameters, e.g.
page 2 of the paged achievements list only.
"""

from __future__ import annotations

import collections
import json
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterator, Optional

from flask import Flask, Response, g, request
from typing_extensions import Self  # typing.Self from Python 3.11, and the package supports 3.10
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from tests.fakes.fastapi import Invalid, NotFound, json_response, route_template
from tests.fakes.recordings import utcnow
from tests.fakes.transport import Endpoint, dropped_response, huge_json

ACHIEVEMENTS = "achievement-collector"
ORCHESTRATOR = "orchestrator"
TECH_DOC = "tech-doc-generator"
SERVICES = (ACHIEVEMENTS, ORCHESTRATOR, TECH_DOC)
"""Service names, as the clients' `.service` attribute spells them."""

_ALIASES = {
    "achievements": ACHIEVEMENTS,
    "achievement": ACHIEVEMENTS,
    "achievement_collector": ACHIEVEMENTS,
    "techdoc": TECH_DOC,
    "tech_doc": TECH_DOC,
    "tech-doc": TECH_DOC,
    "tech_doc_generator": TECH_DOC,
}
FAULTS = (None, "down", "500", "slow", "malformed", "wrong_shape", "drop", "drop_mid_body", "trickle", "huge")

MALFORMED_BODY = b'{"items": [{"id": 1, "title": "cut off in the middle'


@dataclass
class Call:
    """One request a fake service received."""

    service: str
    method: str
    template: str
    path: str
    query: dict[str, str]
    body: Any = None
    """The JSON body sent, when there was one (None otherwise)."""
    received_at: float = field(default_factory=time.monotonic)
    """When the request arrived (time.monotonic), before any fault's delay."""
    answered_at: Optional[float] = None
    """When the answer was ready to send (time.monotonic), after any delay; None until then."""

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"


@dataclass
class Fault:
    kind: Optional[str] = None
    delay: float = 0.0
    body: Any = None
    query: Optional[dict[str, str]] = None
    """Only requests whose query string has all these parameters misbehave (None: every request)."""
    method: Optional[str] = None
    """Only requests with this HTTP method misbehave (None: every method)."""

    def applies(self) -> bool:
        if self.kind is None:
            return False
        if self.method is not None and request.method != self.method:
            return False
        if not self.query:
            return True
        return all(request.args.get(name) == str(value) for name, value in self.query.items())


class FaultyServices:
    """Fake services over HTTP, each on its own port, each able to misbehave on request.

    `calls` counts requests by "METHOD /template" across services; `service_calls[service]` per
    service; `requests` keeps each call with its query string. `errors` collects tracebacks of
    bugs in the fake itself. Hold `lock` when changing state while a client may be calling.
    """

    def __init__(self, *, now: Optional[datetime] = None) -> None:
        self._fixed_now = now
        self.lock = threading.RLock()
        self.calls: collections.Counter = collections.Counter()
        self.service_calls: dict[str, collections.Counter] = {name: collections.Counter() for name in SERVICES}
        self.requests: list[Call] = []
        self.errors: list[str] = []
        self._faults: dict[str, Fault] = {name: Fault() for name in SERVICES}
        self._stopping = threading.Event()
        self._endpoints: dict[str, Endpoint] = {}

    def _serve(self, apps: dict[str, Flask], host: str) -> None:
        """Give each service's app its endpoint (listening from `start()` on)."""
        self._endpoints = {name: Endpoint(name, app, host) for name, app in apps.items()}

    # Lifecycle ----------------------------------------------------------------------------------

    def start(self) -> Self:
        self._stopping.clear()
        for endpoint in self._endpoints.values():
            if not endpoint.listening:
                endpoint.listen()
        return self

    def stop(self) -> None:
        """Close every listener and connection; sleeping "slow" requests wake up and end."""
        self._stopping.set()
        for endpoint in self._endpoints.values():
            endpoint.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def achievement_url(self) -> str:
        return self._endpoints[ACHIEVEMENTS].url

    @property
    def orchestrator_url(self) -> str:
        return self._endpoints[ORCHESTRATOR].url

    @property
    def tech_doc_url(self) -> str:
        return self._endpoints[TECH_DOC].url

    def url(self, service: str) -> str:
        return self._endpoints[canonical_service(service)].url

    def clock(self) -> datetime:
        """Now, naive UTC; fixed when the fake was built with `now=`."""
        return self._fixed_now or utcnow()

    # Faults -----------------------------------------------------------------------------------

    def set_fault(
        self,
        service: str,
        fault: Optional[str],
        *,
        delay: float = 0.0,
        body: Any = None,
        query: Optional[dict[str, Any]] = None,
        method: Optional[str] = None,
    ) -> None:
        """Make one service misbehave, or (fault=None) behave again.

        "down": connections are refused (open ones are closed unanswered); "500": 500 text/plain
        "Internal Server Error"; "slow": answers normally after `delay` seconds; "malformed":
        200 application/json that is not JSON; "wrong_shape": 200 with valid JSON of the wrong
        shape (`body` if given, else a list where an object is due and an object where a list is);
        "drop": the connection is closed before any answer, and the request is not processed;
        "drop_mid_body": the request is processed (a write is applied), then the connection is
        closed half-way through the answer's body (Content-Length announces all of it).
        `delay` also applies before the other non-"down" faults. `query` limits a non-"down"
        fault to requests whose query string has these parameters, e.g. `{"page": 2}`: page 2
        of the achievements list fails, pages 1 and 3 answer normally. `method` limits it to
        one HTTP method, e.g. "PUT": reads work, writes fail. "trickle": the right answer, sent one
        byte every `body` seconds (default 2; Content-Length announces it all), so that no single
        read ever times out. "huge": 200 with a valid JSON object of `body` bytes, chunked.
        """
        name = canonical_service(service)
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        if fault == "slow" and delay <= 0:
            raise ValueError('the "slow" fault needs delay > 0')
        if fault == "down" and (query or method):
            raise ValueError('a "down" service refuses every connection; it takes no query or method')
        endpoint = self._endpoints[name]
        query = {key: str(value) for key, value in query.items()} if query else None
        self._faults[name] = Fault(fault, delay, body, query, method.upper() if method else None)
        if fault == "down":
            endpoint.down = True
            endpoint.close()
        elif endpoint.down:
            endpoint.down = False
            if not self._stopping.is_set():
                endpoint.listen()  # the same port: clients keep their base URL

    def clear_faults(self) -> None:
        for name in SERVICES:
            self.set_fault(name, None)

    def requests_to(self, key: str, service: Optional[str] = None) -> list[Call]:
        """The recorded calls with this "METHOD /template" key (optionally of one service)."""
        with self.lock:
            return [
                c
                for c in self.requests
                if c.key == key and (service is None or c.service == canonical_service(service))
            ]

    def reset_calls(self) -> None:
        with self.lock:
            self.calls.clear()
            for counter in self.service_calls.values():
                counter.clear()
            self.requests.clear()

    # Shared app wiring --------------------------------------------------------------------------

    def _new_app(self, service: str) -> Flask:
        app = Flask(f"fake-{service}")
        app.before_request(lambda: self._before(service))
        app.after_request(lambda response: self._after(service, response))
        app.register_error_handler(Invalid, lambda exc: json_response({"detail": exc.errors}, 422))
        app.register_error_handler(NotFound, lambda exc: json_response({"detail": str(exc)}, 404))
        app.register_error_handler(HTTPException, self._http_error)
        app.register_error_handler(Exception, self._crash)
        return app

    def _before(self, service: str) -> Optional[Response]:
        body = request.get_json(silent=True) if request.method in ("POST", "PUT", "PATCH") else None
        call = Call(service, request.method, route_template(), request.path, request.args.to_dict(), body)
        with self.lock:
            self.calls[call.key] += 1
            self.service_calls[service][call.key] += 1
            self.requests.append(call)
        g.fake_call = call
        fault = self._faults[service]
        if not fault.applies():
            return None
        if fault.delay > 0:
            self._stopping.wait(fault.delay)  # wakes early when the fake stops
        if fault.kind == "500":
            return Response("Internal Server Error", status=500, mimetype="text/plain")
        if fault.kind == "malformed":
            return Response(MALFORMED_BODY, status=200, mimetype="application/json")
        if fault.kind == "drop":
            return dropped_response()
        return None

    def _after(self, service: str, response: Response) -> Response:
        call = g.get("fake_call")
        if call is not None:
            call.answered_at = time.monotonic()
        fault = self._faults[service]
        if not fault.applies() or fault.kind == "drop":
            return response
        if fault.kind == "drop_mid_body":
            return dropped_response(response.get_data(), status=response.status_code, mimetype=response.mimetype)
        if fault.kind == "trickle":
            return self._trickled(response, fault.body or 2.0)
        if fault.kind == "huge":
            return Response(huge_json(int(fault.body)), status=200, mimetype="application/json")
        is_json_answer = response.status_code == 200 and response.mimetype == "application/json"
        if fault.kind != "wrong_shape" or not is_json_answer:
            return response
        if fault.body is not None:
            shape = fault.body
        else:
            data = json.loads(response.get_data())
            # An envelope around a list, a list around an object: valid JSON, wrong shape.
            shape = {"data": data} if isinstance(data, list) else [data]
        response.set_data(json.dumps(shape, separators=(",", ":")))
        return response

    def _trickled(self, response: Response, every: float) -> Response:
        data = response.get_data()
        stopping = self._stopping

        def one_byte_at_a_time() -> Iterator[bytes]:
            for index in range(len(data)):
                if index and stopping.wait(every):
                    return
                yield data[index : index + 1]

        trickled = Response(one_byte_at_a_time(), status=response.status_code, mimetype=response.mimetype)
        trickled.headers["Content-Length"] = str(len(data))
        return trickled

    @staticmethod
    def _http_error(exc: HTTPException):
        if isinstance(exc, RoutingException) or (exc.code or 500) < 400:
            return exc  # redirects (e.g. a missing trailing slash) stay redirects
        response = json_response({"detail": exc.name}, exc.code or 500)
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    def _crash(self, exc: Exception) -> Response:
        self.errors.append("".join(traceback.format_exception(exc)))
        return Response("Internal Server Error", status=500, mimetype="text/plain")


def canonical_service(service: str) -> str:
    name = _ALIASES.get(service, service)
    if name not in SERVICES:
        raise ValueError(f"unknown service {service!r}; one of {SERVICES}")
    return name
