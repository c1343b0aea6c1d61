"""The sockets under the fakes: a service that can go down and come back, and bodies cut short."""

from __future__ import annotations

import socket
import threading
from typing import Iterator, Optional

from flask import Flask, Response
from werkzeug.serving import WSGIRequestHandler, make_server

POLL_INTERVAL = 0.02
"""How often a server loop checks for shutdown: short, so stop() and "down" are quick."""


class _Dropped(ConnectionError):
    """Raised inside a response body: werkzeug closes the connection where it stands."""


def _dropping_body(data: bytes, keep: int) -> Iterator[bytes]:
    if keep:
        yield data[:keep]
    raise _Dropped("connection dropped by the fake")


def huge_json(size: int) -> Iterator[bytes]:
    """A valid JSON object of about `size` bytes, streamed without Content-Length (chunked)."""
    chunk = b"x" * 65536
    yield b'{"items": [], "total": 0, "page": 1, "per_page": 100, "pages": 0, "padding": "'
    for _ in range(max(0, size) // len(chunk)):
        yield chunk
    yield b'"}'


def dropped_response(data: bytes = b"", *, status: int = 200, mimetype: str = "application/json") -> Response:
    """A response whose connection closes after half of `data` (after nothing, when empty).

    Content-Length announces the whole body, so the client knows it was cut off.
    """
    response = Response(_dropping_body(data, len(data) // 2), status=status, mimetype=mimetype)
    response.headers["Content-Length"] = str(len(data))
    return response


class _GatedHandler(WSGIRequestHandler):
    """werkzeug's handler, plus: connections are tracked, and a "down" service answers nothing."""

    protocol_version = "HTTP/1.1"  # keep-alive, like uvicorn: the client's pool is exercised

    def setup(self) -> None:
        super().setup()
        self.server.endpoint.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.endpoint.untrack(self.connection)

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if parsed and self.server.endpoint.down:
            # A request on a connection opened before the service went down: close it unanswered.
            self.close_connection = True
            return False
        return parsed

    def connection_dropped(self, error, environ=None) -> None:
        # A "drop" fault (or a client gone): close this connection, do not wait for another request.
        self.close_connection = True

    # The fake records its own calls; request logs would only clutter the test output.
    def log_request(self, *args, **kwargs) -> None:
        pass

    def log(self, *args, **kwargs) -> None:
        pass


class Endpoint:
    """One service's listening socket: can go down (refuse connections) and come back on its port."""

    def __init__(self, name: str, app: Flask, host: str):
        self.name = name
        self.app = app
        self.host = host
        self.port = 0
        self.down = False
        self._server = None
        self._thread: Optional[threading.Thread] = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def listen(self) -> None:
        try:
            server = make_server(self.host, self.port, self.app, threaded=True, request_handler=_GatedHandler)
        except SystemExit:  # werkzeug exits the process when it cannot bind; a test must not
            raise RuntimeError(f"{self.name}: cannot listen on {self.host}:{self.port}") from None
        server.endpoint = self
        self.port = server.port
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL},
            name=f"fake-{self.name}",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        """Stop accepting and drop every open connection (the client then sees a refusal)."""
        if self._server is not None:
            self._server.shutdown()  # serve_forever closes the listening socket on its way out
            self._thread.join(timeout=5)
            self._server = self._thread = None
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @property
    def listening(self) -> bool:
        return self._server is not None

    def track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)
