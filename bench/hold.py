"""Hold: the figures of issue 13, items 1-5, measured the same way on any tree of the dashboard.

Serves the tree in --app-dir exactly as the project configures it (`gunicorn -c gunicorn.conf.py
dashboard.wsgi:server`, cwd and PYTHONPATH = that tree, WEB_CONCURRENCY=2), with the fake
services of THIS tree's `tests/fakes/` in-process and a real redis-server where Redis
is needed, and prints one line per figure, then a JSON summary:

1. request bodies: worker RSS (summed over the workers; "peak" sampled every 50 ms) around one
   unauthenticated 50 MB POST to /_dash-update-component (auth on; a callback-shaped object, so
   the old hook parses it and answers 401), and four at once; their seconds; the status of JSON
   nested 100,000 deep
2. a trickling achievement-collector (a byte every 2 s): 8 screens refreshing the Overview and
   2 /healthz probes for 30 s (10 s client timeout); then how soon fresh data is back. Twice:
   every worker warm (it holds the last good data, expired), then cold (no worker has read the
   data yet: a new or recycled worker), since the two fail differently
3. 8, then 200 sockets that never finish their headers (one the server closes is reopened):
   /healthz probed every second (3 s timeout)
4. Redis killed under 50 screens: full list fetches in 12 s with Redis up, 15 s after the kill
5. a 50 MB collector answer (RSS, seconds, what the screen shows) and a collector claiming 1,000
   pages (seconds, page requests, RSS after recovery)

    .venv/bin/python bench/hold.py --app-dir DIR [--quick] [--json PATH] [--only 1 2 ...]

Each item starts its own gunicorn, so serve a tree nobody commits to while it runs (a detached
worktree: `git worktree add --detach /tmp/wt-old 767d98d`). Every request has a client timeout
and every phase a fixed length (about 4-5 minutes per tree, --quick about 2). Everything started
(gunicorn, redis-server, the fake) is stopped on exit, Ctrl-C included. It never fails on a
number: it prints what it saw, and figures from a loaded machine vary from run to run.
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from bench.common import free_port, percentile  # noqa: E402
from bench.dash_payloads import overview_refresh_request  # noqa: E402
from tests.conftest import RedisServer  # noqa: E402
from tests.fakes import FakeBackends  # noqa: E402

MB = 1024 * 1024
FRESHNESS = '{"page":"overview","type":"freshness-data"}'
CALLBACK = "/_dash-update-component"
SECRET = "hold-bench-" + "k3y-0123456789abcdefghijklmnopqrstuvwxyz"

_processes: list[subprocess.Popen] = []
"""Everything this script started (each in a session of its own), killed on exit."""


def _kill(process: subprocess.Popen, grace: float = 5.0) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # its own process group: gunicorn and its workers
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def _kill_all() -> None:
    for process in reversed(_processes):
        _kill(process, grace=2.0)


atexit.register(_kill_all)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # SystemExit: finally blocks and atexit run


def start_process(command: list[str], **kwargs) -> subprocess.Popen:
    process = subprocess.Popen(command, start_new_session=True, **kwargs)
    _processes.append(process)
    return process


# Servers ----------------------------------------------------------------------------------------


_CLEARED = (
    "ACHIEVEMENT_API_URL",
    "ORCHESTRATOR_URL",
    "TECH_DOC_API_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "PORT",
    "HOST",
    "WEB_CONCURRENCY",
    "PYTHONPATH",
    "PROMETHEUS_MULTIPROC_DIR",
)


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py dashboard.wsgi:server` serving the tree in `app_dir`."""

    def __init__(self, app_dir: Path, workdir: Path, env: dict[str, Any]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / "gunicorn.log"
        full_env = {
            k: v for k, v in os.environ.items() if k not in _CLEARED and not k.startswith(("DASHBOARD_", "GUNICORN_"))
        }
        full_env.update(
            {
                "PYTHONPATH": str(app_dir),
                "PORT": str(self.port),
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": "2",
                "DASHBOARD_DATA_DIR": str(workdir / "data"),
                "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics"),
                "GUNICORN_CONTROL_SOCKET": str(workdir / "gunicorn.ctl"),
            }
        )
        full_env.update({k: str(v) for k, v in env.items()})
        self._log = open(self.log_path, "w")
        self.process = start_process(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "dashboard.wsgi:server"],
            cwd=app_dir,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def workers(self) -> list[int]:
        try:
            return sorted(child.pid for child in psutil.Process(self.process.pid).children())
        except psutil.NoSuchProcess:
            return []

    def rss(self) -> int:
        total = 0
        for pid in self.workers():
            try:
                total += psutil.Process(pid).memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log_path.read_text()[-3000:])
            if get(self.url + "/healthz", timeout=2)[0] == 200 and len(self.workers()) >= 2:
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become ready:\n" + self.log_path.read_text()[-3000:])

    def stop(self) -> None:
        _kill(self.process, grace=5.0)
        self._log.close()


class PeakRss:
    """Samples the workers' summed RSS every 50 ms in the background; `.peak` is the highest seen."""

    def __init__(self, server: Gunicorn):
        self.server = server
        self.peak = server.rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self.server.rss())

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.peak = max(self.peak, self.server.rss())


# Clients ----------------------------------------------------------------------------------------


def request(url: str, data: Optional[bytes] = None, timeout: float = 10.0) -> tuple[int, float, bytes]:
    """(status, seconds, body); status 0 when no answer came within `timeout` (or it failed)."""
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            body = response.read()
            return response.status, time.monotonic() - started, body
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read()
        except OSError:
            body = b""
        return exc.code, time.monotonic() - started, body
    except (OSError, ValueError):
        return 0, time.monotonic() - started, b""


def get(url: str, timeout: float = 10.0) -> tuple[int, float, bytes]:
    return request(url, None, timeout)


def in_time(answer: tuple[int, float, bytes], timeout: float) -> bool:
    return answer[0] == 200 and answer[1] <= timeout


def freshness(raw: bytes) -> Optional[dict]:
    """The Overview answer's freshness payload ({tile: {t, state, error}}), None if unreadable."""
    try:
        return json.loads(raw)["response"][FRESHNESS]["data"]
    except (ValueError, KeyError, TypeError):
        return None


def fresh(answer: tuple[int, float, bytes], since_ms: float = 0.0) -> bool:
    """A 200 whose freshness payload names no error on any tile, each tile's data fetched at or
    after `since_ms` (epoch ms; the payload's "t")."""
    data = freshness(answer[2]) if answer[0] == 200 else None
    if not data:
        return False
    tiles = [entry for entry in data.values() if isinstance(entry, dict)]
    return bool(tiles) and all(not e.get("error") and (e.get("t") or 0) >= since_ms for e in tiles)


def with_data(raw: bytes, tile: str = "overview-completed") -> bool:
    """The answer shows achievement data (fresh or stale): the tile's data has a fetch time."""
    entry = (freshness(raw) or {}).get(tile)
    return isinstance(entry, dict) and entry.get("t") is not None


def recovery(url: str, body: bytes, limit: float, in_a_row: int = 4) -> tuple[Optional[float], Optional[float], int]:
    """After a fault is cleared: seconds to the first answer with fresh data (fetched after now),
    seconds until `in_a_row` answers running were all fresh (both workers), and the tries."""
    cleared = time.monotonic()
    since_ms = int(time.time() * 1000)  # the payload's times are whole milliseconds
    first = steady = None
    run = tries = 0
    while time.monotonic() < cleared + limit:
        tries += 1
        answer = request(url, body, timeout=max(0.5, min(10.0, cleared + limit - time.monotonic())))
        if fresh(answer, since_ms):
            run += 1
            if first is None:
                first = time.monotonic() - cleared
            if run >= in_a_row:
                steady = time.monotonic() - cleared
                break
        else:
            run = 0
        time.sleep(0.25)
    return first, steady, tries


def recovery_text(first: Optional[float], steady: Optional[float], tries: int, limit: float) -> str:
    if first is None:
        return f"no fresh data within {limit:.0f} s ({tries} tries)"
    text = f"first fresh answer after {first:.1f} s, "
    return text + (
        f"4 fresh in a row after {steady:.1f} s"
        if steady is not None
        else f"never 4 fresh in a row within {limit:.0f} s"
    )


def tile_error(raw: bytes, tile: str = "overview-completed") -> Optional[str]:
    data = freshness(raw) or {}
    entry = data.get(tile) or {}
    return entry.get("error") if isinstance(entry, dict) else None


def shown(raw: bytes, component: str = "overview-completed-value") -> Any:
    """What a KPI tile shows (its children), None if unreadable."""
    try:
        return json.loads(raw)["response"][component]["children"]
    except (ValueError, KeyError, TypeError):
        return None


def raw_post(port: int, body: bytes, timeout: float = 60.0) -> tuple[str, float, int]:
    """POST `body` to the callback route over a raw socket, announced by Content-Length, sending
    it while watching for an early answer. (status or what happened, seconds, bytes sent)."""
    head = (
        b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % (CALLBACK.encode(), len(body))
    )
    data = memoryview(head + body)
    sent = 0
    received = b""
    started = time.monotonic()
    deadline = started + timeout
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError as exc:
        return f"no connection ({type(exc).__name__})", time.monotonic() - started, 0
    try:
        sock.setblocking(False)
        while time.monotonic() < deadline:
            wants_write = [sock] if sent < len(data) else []
            wait = min(0.5, deadline - time.monotonic())
            readable, writable, _ = select.select([sock], wants_write, [], wait)
            if readable:
                try:
                    chunk = sock.recv(4096)
                except (BlockingIOError, InterruptedError):
                    continue
                except ConnectionResetError:
                    return (_status(received) or "reset by the server"), time.monotonic() - started, sent
                if not chunk:
                    return (_status(received) or "closed unanswered"), time.monotonic() - started, sent
                received += chunk
                if b"\r\n" in received:
                    return _status(received), time.monotonic() - started, sent
            elif writable:
                try:
                    sent += sock.send(data[sent : sent + 256 * 1024])
                except (BlockingIOError, InterruptedError):
                    pass
                except (BrokenPipeError, ConnectionResetError):
                    try:  # an answer may still be waiting in the receive buffer
                        sock.setblocking(True)
                        sock.settimeout(1)
                        received += sock.recv(4096)
                    except OSError:
                        pass
                    return (_status(received) or "reset while sending"), time.monotonic() - started, sent
        return "no answer in %.0f s" % timeout, time.monotonic() - started, sent
    finally:
        sock.close()


def _status(received: bytes) -> str:
    line = received.split(b"\r\n", 1)[0].decode(errors="replace")
    parts = line.split(" ")
    return parts[1] if len(parts) > 1 and line.startswith("HTTP/") else ""


def in_threads(target: Callable[[], Any], count: int) -> list[Callable[[float], Any]]:
    """Start `count` daemon threads running `target`; returns joiners giving each result."""
    results: list[Any] = [None] * count
    threads = []
    for index in range(count):

        def run(i=index):
            results[i] = target()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        threads.append(thread)

    def join_all(timeout: float) -> list[Any]:
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        return results

    return join_all


def mb(value: float) -> str:
    return f"{value / MB:,.0f} MB"


def backend_env(fake: FakeBackends, **extra: Any) -> dict[str, Any]:
    return {
        "ACHIEVEMENT_API_URL": fake.achievement_url,
        "ORCHESTRATOR_URL": fake.orchestrator_url,
        "TECH_DOC_API_URL": fake.tech_doc_url,
        **extra,
    }


def worker_of(server: Gunicorn, client_port: int) -> Optional[int]:
    """The worker holding the server side of our connection from `client_port`."""
    for pid in server.workers():
        try:
            connections = psutil.Process(pid).net_connections(kind="tcp")
        except psutil.Error:
            continue
        if any(c.raddr and c.raddr.port == client_port and c.laddr.port == server.port for c in connections):
            return pid
    return None


def refresh_on_a_worker(server: Gunicorn, body: bytes) -> tuple[Optional[int], bool]:
    """One refresh on a kept-alive connection: (the worker that answered, whether it was fresh)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("POST", CALLBACK, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        raw = response.read()
        return worker_of(server, connection.sock.getsockname()[1]), fresh((response.status, 0.0, raw))
    except (OSError, http.client.HTTPException):
        return None, False
    finally:
        connection.close()


def warm(server: Gunicorn, body: bytes, timeout: float = 40.0) -> bool:
    """Refresh until every worker has answered with fresh data (without Redis each worker has a
    cache of its own, and a cold one has no last good value to show); False if one never did."""
    deadline = time.monotonic() + timeout
    warmed: set[int] = set()
    while time.monotonic() < deadline:
        for result in in_threads(lambda: refresh_on_a_worker(server, body), 6)(25):
            if result and result[0] is not None and result[1]:
                warmed.add(result[0])
        if set(server.workers()) <= warmed:
            return True
        time.sleep(0.2)
    say(f"    (warm-up: only {len(warmed)} of {len(server.workers())} workers got fresh data in {timeout:.0f} s)")
    return False


def say(line: str) -> None:
    print(line, flush=True)


# 1. Request bodies -----------------------------------------------------------------------------


def request_bodies(app_dir: Path, workdir: Path, results: dict) -> None:
    from werkzeug.security import generate_password_hash

    users = workdir / "users.yaml"
    workdir.mkdir(parents=True, exist_ok=True)
    hashed = generate_password_hash("correct horse battery staple", method="pbkdf2:sha256:1000")
    users.write_text(f"users:\n  admin: {{password_hash: '{hashed}', role: admin}}\n")
    server = Gunicorn(
        app_dir,
        workdir,
        {
            "DASHBOARD_AUTH": "password",
            "SECRET_KEY": SECRET,
            "DASHBOARD_USERS_FILE": users,
            "DASHBOARD_COOKIE_SECURE": "false",
        },
    )
    try:
        in_threads(lambda: raw_post(server.port, b"{}", timeout=10), 8)(20)  # both workers warm
        time.sleep(0.5)
        # 50 MB of valid JSON shaped like a callback body (an object; its inputs, 17 million {}s)
        head = b'{"output":"overview-value-value.children","inputs":['
        tail = b'{}],"state":[],"changedPropIds":[]}'
        body = head + b"{}," * ((50 * MB - len(head) - len(tail)) // 3) + tail
        before = server.rss()
        with PeakRss(server) as peak:
            status, seconds, _ = raw_post(server.port, body)
        time.sleep(1.0)
        after = server.rss()
        one = {
            "status": status,
            "seconds": round(seconds, 2),
            "rss_before_mb": round(before / MB),
            "rss_after_mb": round(after / MB),
            "rss_peak_mb": round(peak.peak / MB),
        }
        say(
            f"1a  one 50 MB unauthenticated POST {CALLBACK}: {status} in {seconds:.2f} s; "
            f"worker RSS {mb(before)} -> {mb(after)} (peak {mb(peak.peak)})"
        )

        before4 = server.rss()
        with PeakRss(server) as peak4:
            answers = in_threads(lambda: raw_post(server.port, body), 4)(90)
        time.sleep(1.0)
        after4 = server.rss()
        answers = [a if a else ("client still waiting", 90.0, 0) for a in answers]
        four = {
            "statuses": [a[0] for a in answers],
            "seconds": [round(a[1], 2) for a in answers],
            "rss_before_mb": round(before4 / MB),
            "rss_after_mb": round(after4 / MB),
            "rss_peak_mb": round(peak4.peak / MB),
        }
        say(
            f"1b  four 50 MB POSTs at once: {', '.join(str(a[0]) for a in answers)} in "
            f"{', '.join(f'{a[1]:.2f}' for a in answers)} s; worker RSS {mb(before4)} -> {mb(after4)} "
            f"(peak {mb(peak4.peak)})"
        )

        nested = b"[" * 100_000 + b"]" * 100_000
        status_n, seconds_n, _ = raw_post(server.port, nested, timeout=30)
        say(f"1c  JSON nested 100,000 deep, unauthenticated: {status_n} in {seconds_n:.2f} s")
        results["1_request_bodies"] = {
            "one": one,
            "four": four,
            "nested": {"status": status_n, "seconds": round(seconds_n, 2)},
        }
    finally:
        server.stop()


# 2. A trickling backend ------------------------------------------------------------------------


def trickling_backend(app_dir: Path, workdir: Path, results: dict, window: float, cold: bool = False) -> None:
    """Warm: every worker holds the last good data, expired when the trickle starts. Cold: no
    worker has read the data yet (a new or recycled worker), so there is no last good value."""
    labels = ("2d", "2e", "2f") if cold else ("2a", "2b", "2c")
    with FakeBackends() as fake:
        server = Gunicorn(app_dir, workdir, backend_env(fake, DASHBOARD_CACHE_TTL_SECONDS=2))
        try:
            body = json.dumps(overview_refresh_request(server.url, "all")).encode()
            if cold:
                warmed = None
                fake.set_fault("achievement-collector", "trickle", body=2.0)
            else:
                warmed = warm(server, body)
                fake.set_fault("achievement-collector", "trickle", body=2.0)
                time.sleep(2.5)  # the cached data expires
            stop = time.monotonic() + window
            timeout = 10.0

            def screen() -> list:
                seen = []
                while time.monotonic() < stop:
                    started = time.monotonic()
                    status, seconds, raw = request(server.url + CALLBACK, body, timeout=timeout)
                    seen.append((status, seconds, status == 200 and with_data(raw), started))
                return seen

            def probe() -> list:
                seen = []
                while time.monotonic() < stop:
                    started = time.monotonic()
                    seen.append(get(server.url + "/healthz", timeout=timeout)[:2] + (started,))
                    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
                return seen

            screens = in_threads(screen, 8)
            probes = in_threads(probe, 2)
            callbacks = [a for r in screens(window + timeout + 5) for a in (r or [])]
            health = [a for r in probes(timeout + 5) for a in (r or [])]
            ok_cb = sum(1 for s, t, _, _ in callbacks if s == 200 and t <= timeout)
            ok_data = sum(1 for s, t, d, _ in callbacks if s == 200 and t <= timeout and d)
            ok_hz = sum(1 for s, t, _ in health if s == 200 and t <= timeout)
            slowest = max((t for s, t, _, _ in callbacks if s == 200), default=None)
            # The last third of the window (last 10 s of 30): where the "after ~30 s" stands.
            tail_from = stop - window / 3
            tail_cb = [a for a in callbacks if a[3] >= tail_from]
            tail_hz = [a for a in health if a[2] >= tail_from]
            tail_ok_cb = sum(1 for s, t, _, _ in tail_cb if s == 200 and t <= timeout)
            tail_ok_hz = sum(1 for s, t, _ in tail_hz if s == 200 and t <= timeout)

            fake.set_fault("achievement-collector", None)
            first, steady, tries = recovery(server.url + CALLBACK, body, 20.0)
            say(
                f"{labels[0]}  trickling collector, {'cold workers' if cold else 'warm cache'}, "
                f"{window:.0f} s, 8 screens + 2 probes (10 s timeout): callbacks answered in time "
                f"{ok_cb} of {len(callbacks)} ({ok_data} with achievement data, stale or not), "
                f"healthz {ok_hz} of {len(health)} (slowest 200: "
                f"{'none answered' if slowest is None else f'{slowest:.2f} s'})"
                f"{'  [warm-up incomplete]' if warmed is False else ''}"
            )
            say(
                f"{labels[1]}  requests started in the last {window / 3:.0f} s of it: callbacks answered "
                f"in time {tail_ok_cb} of {len(tail_cb)}, healthz {tail_ok_hz} of {len(tail_hz)}"
            )
            say(f"{labels[2]}  after the fault cleared: " + recovery_text(first, steady, tries, 20.0))
            results["2_trickle_cold" if cold else "2_trickle"] = {
                "window_s": window,
                "callbacks_in_time": ok_cb,
                "callbacks_in_time_with_data": ok_data,
                "callbacks": len(callbacks),
                "healthz_in_time": ok_hz,
                "healthz": len(health),
                "last_third": {
                    "callbacks_in_time": tail_ok_cb,
                    "callbacks": len(tail_cb),
                    "healthz_in_time": tail_ok_hz,
                    "healthz": len(tail_hz),
                },
                "slowest_200_s": None if slowest is None else round(slowest, 2),
                "first_fresh_after_recovery_s": round(first, 1) if first is not None else None,
                "steady_fresh_after_recovery_s": round(steady, 1) if steady is not None else None,
                "warmed": warmed,
            }
        finally:
            server.stop()


# 3. Slow sockets -------------------------------------------------------------------------------


class IdleSockets:
    """`count` sockets that each sent part of a request header and never finish it; one the server
    closes is opened again at once (an attacker would), so `count` stay open throughout."""

    HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Never-Finished: "

    def __init__(self, port: int, count: int):
        self.port = port
        self.count = count
        self.sockets: list[socket.socket] = []
        self.reopened = 0
        self.failed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep, daemon=True)

    def _open(self) -> Optional[socket.socket]:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=3)
            sock.sendall(self.HEAD)
            sock.setblocking(False)
            return sock
        except OSError:
            self.failed += 1
            return None

    def _keep(self) -> None:
        while not self._stop.wait(0.2):
            readable, _, _ = select.select(self.sockets, [], [], 0) if self.sockets else ([], [], [])
            for sock in readable:  # the server answered or closed it
                try:
                    sock.recv(65536)
                except OSError:
                    pass
                sock.close()
                self.sockets.remove(sock)
                self.reopened += 1
            while len(self.sockets) < self.count and not self._stop.is_set():
                sock = self._open()
                if sock is None:
                    break
                self.sockets.append(sock)

    def __enter__(self) -> "IdleSockets":
        while len(self.sockets) < self.count:
            sock = self._open()
            if sock is None:
                break
            self.sockets.append(sock)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def slow_sockets(app_dir: Path, workdir: Path, results: dict, window: float) -> None:
    server = Gunicorn(app_dir, workdir, {})
    try:
        results["3_slow_sockets"] = {}
        for count in (8, 200):
            with IdleSockets(server.port, count) as idle:
                time.sleep(0.5)
                answers = []
                stop = time.monotonic() + window
                while time.monotonic() < stop:
                    started = time.monotonic()
                    answers.append(get(server.url + "/healthz", timeout=3)[:2])
                    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
                reopened, failed = idle.reopened, idle.failed
            ok = sum(1 for s, t in answers if s == 200 and t <= 3)
            say(
                f"3{'a' if count == 8 else 'b'}  {count} sockets with unfinished headers, {window:.0f} s: "
                f"healthz answered {ok} of {len(answers)} (3 s timeout; sockets closed by the server and "
                f"reopened: {reopened}{f', failed to open: {failed}' if failed else ''})"
            )
            results["3_slow_sockets"][str(count)] = {
                "healthz_ok": ok,
                "healthz": len(answers),
                "reopened": reopened,
                "failed_to_open": failed,
            }
            time.sleep(2.0)  # the server lets go of them
    finally:
        server.stop()


# 4. Redis killed under 50 screens ----------------------------------------------------------------


def page_one_fetches(fake: FakeBackends) -> int:
    return sum(1 for c in fake.requests_to("GET /achievements/") if c.query.get("page") == "1")


def redis_killed(app_dir: Path, workdir: Path, results: dict, up_s: float, down_s: float) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    redis = RedisServer(workdir)  # the suite's own: a real redis-server on a free loopback port
    redis.start()
    atexit.register(redis.stop)
    with FakeBackends() as fake:
        server = Gunicorn(app_dir, workdir, backend_env(fake, REDIS_URL=redis.url, DASHBOARD_CACHE_TTL_SECONDS=2))
        try:
            body = json.dumps(overview_refresh_request(server.url, "all")).encode()
            warmed = warm(server, body)
            stop = threading.Event()
            answers: list[tuple[float, int, float]] = []
            lock = threading.Lock()

            def screen() -> None:
                while not stop.is_set():
                    status, seconds, _ = request(server.url + CALLBACK, body, timeout=10)
                    with lock:
                        answers.append((time.monotonic(), status, seconds))

            screens = in_threads(screen, 50)
            try:
                time.sleep(3)  # under load before counting
                fake.reset_calls()
                up_from = time.monotonic()
                time.sleep(up_s)
                up_fetches = page_one_fetches(fake)
                up_until = time.monotonic()
                redis.stop()
                fake.reset_calls()
                down_from = time.monotonic()
                time.sleep(down_s)
                down_fetches = page_one_fetches(fake)
                down_until = time.monotonic()
            finally:
                stop.set()
                screens(15)

            def phase(start: float, end: float) -> dict:
                inside = [a for a in answers if start <= a[0] < end]
                ok = [a[2] for a in inside if a[1] == 200]
                return {
                    "answers": len(inside),
                    "ok": len(ok),
                    "p50_s": round(percentile(ok, 50), 2) if ok else None,
                    "p95_s": round(percentile(ok, 95), 2) if ok else None,
                }

            up, down = phase(up_from, up_until), phase(down_from, down_until)
            say(
                f"4   50 screens, TTL 2 s: full list fetches {up_fetches} in {up_s:.0f} s with Redis up, "
                f"{down_fetches} in {down_s:.0f} s after redis-server was killed (answers 200: {up['ok']} of "
                f"{up['answers']} up, {down['ok']} of {down['answers']} down; p95 {up['p95_s']} / "
                f"{down['p95_s']} s)"
            )
            results["4_redis_killed"] = {
                "warmed": warmed,
                "up_s": up_s,
                "down_s": down_s,
                "fetches_up": up_fetches,
                "fetches_down": down_fetches,
                "answers_up": up,
                "answers_down": down,
            }
        finally:
            server.stop()
            redis.stop()


# 5. What a backend sends -----------------------------------------------------------------------


def huge_answer(app_dir: Path, workdir: Path, results: dict) -> None:
    with FakeBackends() as fake:
        server = Gunicorn(app_dir, workdir, backend_env(fake, DASHBOARD_CACHE_TTL_SECONDS=2))
        try:
            body = json.dumps(overview_refresh_request(server.url, "all")).encode()
            warmed = warm(server, body)
            time.sleep(2.5)  # expired: the next refresh fetches
            before = server.rss()
            fake.set_fault("achievement-collector", "huge", body=50 * MB)
            with PeakRss(server) as peak:
                status, seconds, raw = request(server.url + CALLBACK, body, timeout=60)
            time.sleep(1.0)
            after = server.rss()
            error, value = tile_error(raw), shown(raw)
            say(
                f"5a  50 MB collector answer: refresh {status} in {seconds:.2f} s; worker RSS "
                f"{mb(before)} -> {mb(after)} (peak {mb(peak.peak)}); Completed tile shows {value!r}, "
                f"error: {error or 'none shown'}"
            )
            results["5a_huge_answer"] = {
                "warmed": warmed,
                "status": status,
                "seconds": round(seconds, 2),
                "rss_before_mb": round(before / MB),
                "rss_after_mb": round(after / MB),
                "rss_peak_mb": round(peak.peak / MB),
                "error_on_screen": error,
                "completed_tile": value,
            }
        finally:
            server.stop()


def many_pages(app_dir: Path, workdir: Path, results: dict, timeout: float) -> None:
    with FakeBackends() as fake:
        server = Gunicorn(app_dir, workdir, backend_env(fake, DASHBOARD_CACHE_TTL_SECONDS=2))
        try:
            body = json.dumps(overview_refresh_request(server.url, "all")).encode()
            one_page = fake.achievement_url + "/achievements/?page=1&per_page=1"
            with urllib.request.urlopen(one_page, timeout=10) as answer:
                item = json.loads(answer.read())["items"][0]  # one valid achievement as the service sends it
            warmed = warm(server, body)
            time.sleep(2.5)
            before = server.rss()
            fake.reset_calls()
            fake.set_fault(
                "achievement-collector",
                "wrong_shape",
                body={"items": [item], "total": 100000, "page": 1, "per_page": 100, "pages": 1000},
            )
            with PeakRss(server) as peak:
                status, seconds, raw = request(server.url + CALLBACK, body, timeout=timeout)
            pages_at_answer = len(fake.requests_to("GET /achievements/"))
            error, value = tile_error(raw), shown(raw)
            fake.set_fault("achievement-collector", None)
            first, steady, tries = recovery(server.url + CALLBACK, body, 30.0)
            time.sleep(1.0)
            after = server.rss()
            pages_in_all = len(fake.requests_to("GET /achievements/"))
            took = f"{status} in {seconds:.1f} s" if status else f"no answer in {timeout:.0f} s (client gave up)"
            say(
                f"5b  collector claiming 1,000 pages: refresh {took}; page requests to the fake "
                f"{pages_at_answer} by then ({pages_in_all} by the end); Completed tile shows {value!r}, "
                f"error: {error or 'none shown'}"
            )
            say(
                "5c  after the fault cleared: "
                + recovery_text(first, steady, tries, 30.0)
                + f"; worker RSS {mb(before)} before, peak {mb(peak.peak)}, {mb(after)} after recovery"
            )
            results["5b_many_pages"] = {
                "warmed": warmed,
                "status": status,
                "seconds": round(seconds, 1),
                "client_timeout_s": timeout,
                "page_requests_at_answer": pages_at_answer,
                "page_requests_in_all": pages_in_all,
                "error_on_screen": error,
                "completed_tile": value,
                "first_fresh_after_recovery_s": round(first, 1) if first is not None else None,
                "steady_fresh_after_recovery_s": round(steady, 1) if steady is not None else None,
                "rss_before_mb": round(before / MB),
                "rss_peak_mb": round(peak.peak / MB),
                "rss_after_recovery_mb": round(after / MB),
            }
        finally:
            server.stop()


# Main ------------------------------------------------------------------------------------------


def describe(app_dir: Path) -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", str(app_dir), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(app_dir), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown commit"
    return commit + (" (with uncommitted changes)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--app-dir", required=True, type=Path, help="the tree to serve (its gunicorn.conf.py and dashboard/)"
    )
    parser.add_argument("--quick", action="store_true", help="shorter windows (about 3 minutes)")
    parser.add_argument("--json", type=Path, help="also write the summary to this file")
    parser.add_argument("--only", nargs="*", choices=["1", "2", "3", "4", "5"], help="run only these items")
    args = parser.parse_args()
    app_dir = args.app_dir.resolve()
    if not (app_dir / "gunicorn.conf.py").is_file() or not (app_dir / "dashboard").is_dir():
        parser.error(f"{app_dir} is not a tree of the dashboard")
    served = subprocess.run(
        [sys.executable, "-c", "import dashboard; print(dashboard.__file__)"],
        cwd=app_dir,
        env={**os.environ, "PYTHONPATH": str(app_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    window = 15.0 if args.quick else 30.0
    items = set(args.only or "12345")
    results: dict[str, Any] = {
        "app_dir": str(app_dir),
        "commit": describe(app_dir),
        "quick": args.quick,
        "cpus": os.cpu_count(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    say(
        f"hold: serving {app_dir} at {results['commit']} ({served}); {os.cpu_count()} CPUs, "
        f"load average {results['load_avg_at_start']} at start"
    )
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="hold-bench-"))
    try:
        if "1" in items:
            request_bodies(app_dir, workdir / "bodies", results)
        if "2" in items:
            trickling_backend(app_dir, workdir / "trickle", results, window)
            trickling_backend(app_dir, workdir / "trickle-cold", results, window, cold=True)
        if "3" in items:
            slow_sockets(app_dir, workdir / "sockets", results, window)
        if "4" in items:
            redis_killed(app_dir, workdir / "redis", results, *((6.0, 8.0) if args.quick else (12.0, 15.0)))
        if "5" in items:
            huge_answer(app_dir, workdir / "huge", results)
            many_pages(app_dir, workdir / "pages", results, 30.0 if args.quick else 90.0)
    finally:
        _kill_all()
        shutil.rmtree(workdir, ignore_errors=True)
    results["seconds"] = round(time.monotonic() - started, 1)
    if describe(app_dir) != results["commit"]:  # each item starts its own gunicorn: a moving tree mixes code
        results["commit_at_end"] = describe(app_dir)
        say(
            f"hold: WARNING: {app_dir} changed during the run ({results['commit']} -> "
            f"{results['commit_at_end']}); serve a tree nobody commits to (a detached worktree)"
        )
    results["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    say(f"hold: {results['seconds']:.0f} s in all; load average {results['load_avg_at_end']} at the end")
    summary = json.dumps(results, indent=2)
    print(summary)
    if args.json:
        args.json.write_text(summary + "\n")


if __name__ == "__main__":
    main()
