"""A gunicorn worker killed mid-request: the request in flight fails, the next refresh succeeds,
and gunicorn replaces the worker.

gunicorn (gunicorn.conf.py, two workers) in front of the fake backends over HTTP; the overview
refresh is made slow by a slow achievement-collector, and the worker serving it (the one holding
a connection to that service) is SIGKILLed while the refresh is in flight.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time

import psutil
import pytest

from bench.dash_payloads import overview_refresh_request
from tests.fakes import ACHIEVEMENTS, FakeBackends

SLOW = 4.0


def post_refresh(base: str, body: dict, timeout: float = 30) -> tuple[int, dict]:
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=timeout)
    try:
        connection.request(
            "POST", "/_dash-update-component", body=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if response.status == 200 else {"body": data[:500]}
    finally:
        connection.close()


def worker_calling(server, port: int, timeout: float = 10) -> int:
    """The worker pid that holds a connection to `port` (the backend it is waiting on)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in server.workers():
            try:
                connections = psutil.Process(pid).net_connections(kind="tcp")
            except psutil.NoSuchProcess:
                continue
            if any(c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED for c in connections):
                return pid
        time.sleep(0.02)
    raise AssertionError("no worker is calling the backend")


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        yield fake


def served(backends, gunicorn_dashboard):
    return gunicorn_dashboard(
        ACHIEVEMENT_API_URL=backends.achievement_url,
        ORCHESTRATOR_URL=backends.orchestrator_url,
        DASHBOARD_CACHE_TTL_SECONDS="0.5",
        DASHBOARD_RETRY_BACKOFF_SECONDS="0.5",
        DASHBOARD_HTTP_TIMEOUT_SECONDS=str(SLOW * 2),
    )


def test_worker_killed_mid_request_next_refresh_succeeds(backends, gunicorn_dashboard, statuses, fault_tally):
    server = served(backends, gunicorn_dashboard)
    body = overview_refresh_request(server.url, range_key="all")
    expected = str(len(backends.achievements))
    status, answer = post_refresh(server.url, body)
    statuses.record("POST", "/_dash-update-component", status)
    assert status == 200 and answer["response"]["overview-completed-value"]["children"] == expected
    workers_before = server.workers()

    backends.set_fault(ACHIEVEMENTS, "slow", delay=SLOW)
    time.sleep(0.6)  # the cached list has expired: the next refresh waits on the slow service
    outcome: dict = {}

    def in_flight():
        try:
            outcome["status"] = post_refresh(server.url, body)[0]
        except (OSError, http.client.HTTPException) as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=in_flight)
    thread.start()
    victim = worker_calling(server, int(backends.achievement_url.rsplit(":", 1)[1]))
    os.kill(victim, signal.SIGKILL)
    backends.set_fault(ACHIEVEMENTS, None)
    thread.join(timeout=30)
    assert not thread.is_alive()
    # The request in flight died with its worker: the connection closed, no answer (no 500 either).
    assert "error" in outcome, outcome

    started = time.monotonic()
    status, answer = post_refresh(server.url, body)  # the next refresh
    statuses.record("POST", "/_dash-update-component", status)
    assert status == 200, answer
    tiles = answer["response"]
    assert tiles["overview-completed-value"]["children"] == expected
    assert "tile--ok" in tiles["overview-completed-card"]["className"]
    assert time.monotonic() - started < 15

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (len(server.workers()) < 2 or victim in server.workers()):
        time.sleep(0.1)
    workers_after = server.workers()
    assert len(workers_after) == 2 and victim not in workers_after and victim in workers_before
    (replacement,) = set(workers_after) - set(workers_before)
    # Both workers answer, the replacement included: refresh until the log shows a request served
    # by the new pid. (Workers are preloaded, so a new one writes nothing until it serves; a
    # SIGTERM that reaches a worker still importing is lost and the master would then wait its
    # whole graceful timeout, 30 s, at the end of this test.)
    served_by_replacement = f'"pid": {replacement}, "msg": "request"'
    answered = 0
    while time.monotonic() < deadline and (answered < 4 or served_by_replacement not in server.log_path.read_text()):
        status, answer = post_refresh(server.url, body)
        statuses.record("POST", "/_dash-update-component", status)
        assert status == 200 and answer["response"]["overview-completed-value"]["children"] == expected
        answered += 1
    assert served_by_replacement in server.log_path.read_text()
    assert server.process.poll() is None
    log = server.log_path.read_text()
    assert "WORKER TIMEOUT" not in log
    statuses.assert_clean()
    fault_tally.fault("SIGKILL mid-request", "gunicorn worker")
