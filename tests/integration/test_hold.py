"""Hold under hostile clients and backends, served as in production: gunicorn (gunicorn.conf.py,
2 workers) over the fake services. Each test reproduces a finding of the red-team pass and is
bounded in time and size (loopback only).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from bench.dash_payloads import overview_refresh_request
from tests.fakes import FakeBackends


def answer(url: str, *, data: bytes | None = None, timeout: float = 5.0) -> tuple[int, float, bytes]:
    """(status, seconds, body) of one request; status 0 when it did not answer in `timeout`."""
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, time.monotonic() - started, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, time.monotonic() - started, exc.read()
    except OSError:
        return 0, time.monotonic() - started, b""


def worker_rss(server) -> int:
    return sum(psutil.Process(pid).memory_info().rss for pid in server.workers())


@pytest.fixture
def fake():
    with FakeBackends() as backends:
        yield backends


def test_two_hundred_idle_sockets_leave_every_page_answering(gunicorn_dashboard, fault_tally):
    """With gthread (2 workers x 4 threads), 8 sockets that never finished their headers left
    /healthz answering 1 time in 7 over 30 s; 200 sockets, 2 in 8."""
    server = gunicorn_dashboard()
    host, port = "127.0.0.1", server.port
    idle = []
    try:
        for _ in range(200):
            sock = socket.create_connection((host, port), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Never-Finished: ")  # headers never end
            idle.append(sock)
        results = []
        for index in range(8):
            path = ("/healthz", "/", "/analytics", "/healthz")[index % 4]
            results.append((path,) + answer(server.url + path, timeout=3)[:2])
            time.sleep(0.25)
    finally:
        for sock in idle:
            sock.close()
    assert [r for r in results if r[1] != 200] == [], results
    assert max(r[2] for r in results) < 2.0, results
    fault_tally.fault("200 idle sockets", "gunicorn")


def test_a_trickling_backend_holds_no_screen_and_healthz_answers_throughout(gunicorn_dashboard, fake, fault_tally):
    """A service sending one byte every 2 s held request threads for ever (the timeout is per
    read), and each lock expiry added another: after ~30 s, 0 of 8 callbacks and 0 of 2 /healthz
    probes succeeded, and it stayed so after the service recovered."""
    server = gunicorn_dashboard(
        ACHIEVEMENT_API_URL=fake.achievement_url,
        ORCHESTRATOR_URL=fake.orchestrator_url,
        DASHBOARD_CACHE_TTL_SECONDS=1,
        DASHBOARD_RETRY_BACKOFF_SECONDS=1,
        DASHBOARD_BACKEND_CALL_SECONDS=2,
        DASHBOARD_BACKEND_READ_SECONDS=3,
        DASHBOARD_WAIT_SECONDS=1.5,
        DASHBOARD_HTTP_TIMEOUT_SECONDS=5,
    )
    body = json.dumps(overview_refresh_request(server.url, "all")).encode()
    callback = server.url + "/_dash-update-component"
    assert answer(callback, data=body)[0] == 200  # warm: the cache holds the data
    fake.set_fault("achievement-collector", "trickle", body=1.0)
    time.sleep(1.2)  # the cached data expires
    stop = time.monotonic() + 5
    with ThreadPoolExecutor(max_workers=10) as pool:

        def screen() -> list[tuple[int, float]]:
            seen = []
            while time.monotonic() < stop:
                seen.append(answer(callback, data=body, timeout=6)[:2])
            return seen

        def probe() -> list[tuple[int, float]]:
            seen = []
            while time.monotonic() < stop:
                seen.append(answer(server.url + "/healthz", timeout=6)[:2])
                time.sleep(0.5)
            return seen

        screens = [pool.submit(screen) for _ in range(8)]
        probes = [pool.submit(probe) for _ in range(2)]
        callbacks = [a for f in screens for a in f.result()]
        health = [a for f in probes for a in f.result()]
    assert callbacks and all(status == 200 for status, _ in callbacks), callbacks
    assert max(seconds for _, seconds in callbacks) < 1.5 + 1.5, max(seconds for _, seconds in callbacks)
    assert health and all(status == 200 and seconds < 1.0 for status, seconds in health), health
    fake.set_fault("achievement-collector", None)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # recovered: fresh data again within a read deadline or so
        status, _, raw = answer(callback, data=body)
        freshness = json.loads(raw)["response"]['{"page":"overview","type":"freshness-data"}']["data"]
        if status == 200 and freshness["overview-completed"]["state"] == "ok":
            break
        time.sleep(0.3)
    else:
        raise AssertionError(f"no fresh data 10 s after the service recovered: {freshness}")
    fault_tally.fault("trickling answer", "achievement-collector")


def test_a_huge_request_body_costs_a_worker_almost_nothing(gunicorn_dashboard, fault_tally):
    """A 50 MB body sent without signing in took a worker from 125 to 1,154 MB and ~3 s; four at
    once, 3.3 GB in all."""
    server = gunicorn_dashboard()
    callback = server.url + "/_dash-update-component"
    answer(callback, data=b"{}")
    before = worker_rss(server)
    body = b"[" + b"{}," * (50 * 1024 * 1024 // 3) + b"{}]"  # 50 MB of JSON

    def send_announced() -> str:
        """Headers announcing 50 MB, then the body's first MB: the answer comes before the rest."""
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(
                b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body) + body[: 1 << 20]
            )
            return sock.recv(200).decode(errors="replace")

    def send_chunked() -> str:
        """A chunked body (no length announced): its first MB, then the answer."""
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(
                b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n" % (1 << 20, body[: 1 << 20])
            )
            return sock.recv(2000).decode(errors="replace")

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        announced = list(pool.map(lambda _: send_announced(), range(4)))
        chunked = list(pool.map(lambda _: send_chunked(), range(4)))
    took = time.monotonic() - started
    grown = worker_rss(server) - before
    assert all(" 413 " in answer.split("\r\n")[0] for answer in announced), announced
    assert all(" 411 " in answer.split("\r\n")[0] for answer in chunked), chunked
    assert grown < 40 * 1024 * 1024, f"workers grew by {grown / 1e6:.0f} MB"
    assert took < 10
    fault_tally.fault("50 MB request bodies", "dashboard")


def test_a_huge_backend_answer_is_a_clear_too_large_state_on_screen(make_settings, fake, fault_tally):
    from bench.dash_payloads import find_callback, request_for
    from dashboard import create_app

    app = create_app(
        settings=make_settings(
            achievement_api_url=fake.achievement_url,
            orchestrator_url=fake.orchestrator_url,
            backend_max_bytes=256 * 1024,
        )
    )
    client = app.server.test_client()
    fake.set_fault("achievement-collector", "huge", body=4 * 1024 * 1024)
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "overview-value-value.children")
    body = request_for(dep, {"overview-range.data": "all"}, triggered="overview-range.data")
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    out = response.get_json()["response"]
    assert out["overview-value-value"]["children"] == "—"  # unknown, not an invented $0
    freshness = out['{"page":"overview","type":"freshness-data"}']["data"]["overview-value"]
    assert freshness["state"] == "failed"
    assert freshness["error"] == "achievement-collector: answer too large: more than 0.25 MB sent"
    notice = json.dumps(out["overview-outages"])
    assert "achievement-collector is sending more data than the dashboard reads in one answer" in notice
    assert "the dashboard reads at most 0.25 MB per answer" in notice
    fault_tally.fault("huge answer", "achievement-collector")


def test_idle_sockets_are_dropped_after_the_keepalive_time(gunicorn_dashboard):
    """An unfinished request costs a greenlet only until `keepalive` seconds have passed."""
    server = gunicorn_dashboard(GUNICORN_KEEPALIVE=1)
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    started = time.monotonic()
    try:
        assert sock.recv(100) == b""  # closed by the server, nothing sent
    finally:
        sock.close()
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("threads", [8])
def test_many_slow_clients_at_once_do_not_starve_healthz(gunicorn_dashboard, threads):
    """Clients that send their request a byte at a time (slowloris) beside ordinary ones."""
    server = gunicorn_dashboard()
    stop = threading.Event()

    def slow_client():
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\n":
                if stop.wait(0.3):
                    return
                sock.sendall(bytes([byte]))

    slow = [threading.Thread(target=slow_client, daemon=True) for _ in range(threads * 4)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(0.5)
        results = [answer(server.url + "/healthz", timeout=3)[:2] for _ in range(5)]
    finally:
        stop.set()
    assert all(status == 200 and seconds < 1 for status, seconds in results), results
