"""Live channel (issue 16): change -> seen on another replica, 1,000 connected screens, push vs poll.

Starts a redis-server of its own on a free port, the contract fakes (tests/fakes/, real HTTP) and
two replicas A and B of the dashboard under `gunicorn -c gunicorn.conf.py` (gevent workers,
WEB_CONCURRENCY unset: the configuration's own default, one worker on 2 cores), both with
DASHBOARD_LIVE=true and the same REDIS_URL. The screens are headless: one thread of this script
holds every screen's socket (epoll), sends `GET /api/live` as an EventSource does, decodes the
chunked stream and notes when each event arrives (time.monotonic, on receipt).

1. Change -> seen on the other replica. N screens on B (--screens, default 1 50 200); --writes
   times, a title edit posted to A exactly as the Achievements grid sends it (POST
   /_dash-update-component, `achievements-grid.cellValueChanged`, built from A's
   /_dash-dependencies by bench/dash_payloads.py; each write a different row, with the version it
   was loaded at, so every write saves). Per screen: from the write's HTTP answer to the receipt
   of the first `change` event naming `achievements` (negative: the event came before the answer;
   also from the write's request). p50/p95 over every (write, screen), and per write the time
   until the last screen had it. Target: p95 <= 1 s. Then --refresh-writes more writes in which
   every screen, on the change, posts the Overview's refresh callback as its page would (live.js
   sets `live-achievements`, the Overview's one refresh callback listens to it; body built from
   /_dash-dependencies): "visible" is from the write's answer to that refresh's answer, i.e. the
   change on screen but for the browser's own drawing.
2. --many screens (default 1,000) on B: RSS and PSS of B's master + workers (/proc/PID/smaps_rollup)
   before and with them connected; CPU of B's processes (utime + stime, /proc/PID/stat) over
   --idle-seconds with nothing written, as % of one core (the watcher's rounds are in it: that is
   what idle costs); then --changes writes on A, each: answer -> every screen has it. Targets:
   <= 5 % of one core, <= 2 s. B runs with DASHBOARD_LIVE_MAX_CONNECTIONS and
   GUNICORN_WORKER_CONNECTIONS raised to --many + 200 (defaults 900 per process and 1,000 per
   worker: 1,000 screens would not fit in one worker); A keeps the defaults.
3. Requests per minute of --idle-screens (default 200) idle screens, push vs poll, same servers.
   Push: the screens hold their stream to B for --window seconds, nothing written; counted: the
   requests B served in the window (its /metrics, dashboard_request_duration_seconds_count by
   route, our own /metrics reads left out) and the `change` events naming a data set the Overview
   draws (each would cost a real Overview one refresh callback). A stream lasts
   DASHBOARD_LIVE_STREAM_SECONDS (300 s, +-20 %) and is then reopened: screens x 60 / 300 requests
   a minute, derived, not seen in a shorter window. Poll: as many simulated screens post the
   Overview's refresh callback (the browser's own body, with what the screen last drew) every
   --interval seconds (default: DASHBOARD_REFRESH_SECONDS' default, 30 s), starts staggered over
   one interval, for --window; counted the same way. Derived as well: the server callbacks one
   tick of the Overview posts (from /_dash-dependencies: callbacks, not clientside, with
   refresh-interval.n_intervals as an input and an `overview-` output) x screens x 60 / interval.
   B's CPU in both windows.

Between phases the screens close their sockets (as a closed tab does: a FIN, nothing said) and
the script waits until B has closed its side of each (the server sockets whose peers were ours,
/proc/net/tcp, gone from B's /proc/PID/fd): "slots back" is how long a gone screen still holds
its connection slot.

    .venv/bin/python bench/live.py [--screens 1 50 200] [--writes 10] [--refresh-writes 3]
        [--many 1000] [--idle-seconds 30] [--changes 3] [--idle-screens 200] [--window 60]
        [--interval S] [--quick] [--json PATH]

--quick: 1 and 10 screens, 3 writes (+1 with refreshes), 100 screens for phase 2 (10 s idle),
20 idle screens with 15 s windows polling every 5 s (the per-minute figures are per minute of
that; the derived one uses the default interval). About 2 minutes; the full run about 6.
Figures only: nothing here fails on a number.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import resource
import selectors
import socket
import statistics
import sys
import threading
import time
import urllib.request
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Gunicorn, RedisServer, cpu_seconds, memory_mb, percentile, wait_http, write_json  # noqa: E402
from bench.dash_payloads import dependencies, find_callback, overview_refresh_body, request_for  # noqa: E402
from tests.fakes import FakeBackends  # noqa: E402

TARGET = {"p95_s": 1.0, "idle_cpu_pct": 5.0, "all_reached_s": 2.0}
LIVE_PATH = "/api/live"
ACHIEVEMENTS = "achievements"
ROWS = 150  # achievements in the collector: each write edits a row of its own (the first 100 are loaded)


def default_setting(name: str) -> Any:
    from dashboard.settings import Settings

    return Settings.model_fields[name].default


# Headless screens -------------------------------------------------------------------------------


class Screen:
    """One live connection: its socket, the stream's decoding state, and what it heard when."""

    def __init__(self, index: int, on_change: Callable[["Screen", float, dict], None]):
        self.index = index
        self.on_change = on_change
        self.sock: Optional[socket.socket] = None
        self.buf = bytearray()
        self.sse = b""
        self.state = "new"  # new -> head -> body -> ended (or refused, failed)
        self.chunked = False
        self.need: Optional[int] = None
        self.status = 0
        self.connected_at: Optional[float] = None  # first event (the server's `checked`) received
        self.last_id: Optional[str] = None
        self.retry_ms = 1000
        self.changes: list[tuple[float, dict]] = []
        self.events: Counter = Counter()
        self.received = 0
        self.reconnects = 0
        self.error = ""

    def first_change(self, dataset: str, since: float) -> Optional[tuple[float, dict]]:
        """(when, what) of the first `change` naming `dataset` received at or after `since`."""
        for at, data in self.changes:
            if at >= since and dataset in data:
                return at, data
        return None

    def feed(self, data: bytes, now: float) -> None:
        self.received += len(data)
        self.buf += data
        if self.state == "head":
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buf[:end]).lower()
            del self.buf[: end + 4]
            self.status = int(head.split(b" ", 2)[1])
            self.chunked = b"transfer-encoding: chunked" in head
            if self.status != 200:
                self.state = "refused"
                return
            self.state = "body"
        while self.state == "body" and self.buf:
            if not self.chunked:
                self._events(bytes(self.buf), now)
                self.buf.clear()
                return
            if self.need is None:
                line_end = self.buf.find(b"\r\n")
                if line_end < 0:
                    return
                size = int(bytes(self.buf[:line_end]).split(b";")[0], 16)
                del self.buf[: line_end + 2]
                if size == 0:
                    self.state = "ended"
                    return
                self.need = size
            if len(self.buf) < self.need + 2:
                return
            self._events(bytes(self.buf[: self.need]), now)
            del self.buf[: self.need + 2]
            self.need = None

    def _events(self, payload: bytes, now: float) -> None:
        self.sse += payload
        while b"\n\n" in self.sse:
            block, self.sse = self.sse.split(b"\n\n", 1)
            fields: dict[str, str] = {}
            for line in block.decode().splitlines():
                key, _, value = line.partition(": ")
                fields[key] = value
            if "retry" in fields:
                self.retry_ms = int(fields["retry"])
            name = fields.get("event")
            if name is None:
                continue
            self.events[name] += 1
            if fields.get("id"):
                self.last_id = fields["id"]
            if self.connected_at is None:
                self.connected_at = now
            if name == "change":
                data = json.loads(fields.get("data") or "{}")
                self.changes.append((now, data))
                self.on_change(self, now, data)


class Screens:
    """Headless screens on one server: one thread, one epoll over every socket; a stream the
    server ends is reopened after its `retry` delay with `?last=` (as assets/live.js does)."""

    def __init__(self, port: int):
        self.port = port
        self.selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self.selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._to_open: deque[Screen] = deque()
        self._to_close: deque[Screen] = deque()
        self._reopen: list[tuple[float, int, Screen]] = []
        self.screens: list[Screen] = []
        self.on_change: Optional[Callable[[Screen, float, dict], None]] = None
        """Called on this thread with every `change` a screen receives (what its page would do)."""
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="screens", daemon=True)
        self._thread.start()

    def open(self, count: int) -> list[Screen]:
        new = [Screen(len(self.screens) + i, self._changed) for i in range(count)]
        self.screens.extend(new)
        self._to_open.extend(new)
        self._wake()
        return new

    def close(self, screens: list[Screen]) -> None:
        self._to_close.extend(screens)
        self._wake()
        wait_until(lambda: all(s.sock is None for s in screens), 30)

    def stop(self) -> None:
        self.close([s for s in self.screens if s.sock is not None])
        self._stopped = True
        self._wake()
        self._thread.join(timeout=5)

    def _changed(self, screen: Screen, at: float, data: dict) -> None:
        if self.on_change is not None:
            self.on_change(screen, at, data)

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def _connect(self, screen: Screen) -> None:
        path = LIVE_PATH + (f"?last={screen.last_id}" if screen.last_id else "")
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: text/event-stream\r\n"
        request += "Cache-Control: no-cache\r\n\r\n"
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            sock.sendall(request.encode())
        except OSError as exc:
            screen.state, screen.error = "failed", f"{type(exc).__name__}: {exc}"
            return
        sock.setblocking(False)
        screen.sock, screen.state, screen.need = sock, "head", None
        screen.buf.clear()
        screen.sse = b""
        self.selector.register(sock, selectors.EVENT_READ, screen)

    def _drop(self, screen: Screen) -> None:
        if screen.sock is not None:
            self.selector.unregister(screen.sock)
            screen.sock.close()
            screen.sock = None

    def _run(self) -> None:
        while not self._stopped:
            for _ in range(min(50, len(self._to_open))):  # a batch at a time: reading goes on meanwhile
                self._connect(self._to_open.popleft())
            while self._to_close:
                screen = self._to_close.popleft()
                self._drop(screen)
                screen.state = "closed"
            now = time.monotonic()
            while self._reopen and self._reopen[0][0] <= now:
                _, _, screen = heapq.heappop(self._reopen)
                if screen.state == "ended":
                    screen.reconnects += 1
                    self._connect(screen)
            timeout = 0.01 if self._to_open else (max(0.0, self._reopen[0][0] - now) if self._reopen else 1.0)
            for key, _ in self.selector.select(timeout=min(timeout, 1.0)):
                if key.data is None:
                    try:
                        self._wake_r.recv(4096)
                    except BlockingIOError:
                        pass
                    continue
                screen = key.data
                try:
                    data = screen.sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError as exc:
                    data, screen.error = b"", f"{type(exc).__name__}: {exc}"
                received = time.monotonic()
                if data:
                    screen.feed(data, received)
                if not data or screen.state in ("ended", "refused"):
                    self._drop(screen)
                    if screen.state in ("body", "ended"):  # the server ended the stream: reopen
                        screen.state = "ended"
                        at = received + screen.retry_ms / 1000
                        heapq.heappush(self._reopen, (at, screen.index, screen))
                    elif screen.state == "head":
                        screen.state, screen.error = "failed", screen.error or "closed before the answer"


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def connect_all(screens: Screens, count: int, timeout: float = 120) -> tuple[list[Screen], float, dict]:
    """Open `count` screens; (them, seconds until all heard their first event, how many failed)."""
    started = time.monotonic()
    opened = screens.open(count)
    settled = ("refused", "failed")
    wait_until(lambda: all(s.connected_at is not None or s.state in settled for s in opened), timeout, 0.05)
    took = time.monotonic() - started
    outcome = Counter(
        "connected" if s.connected_at else (f"refused {s.status}" if s.state == "refused" else s.state) for s in opened
    )
    return opened, took, dict(outcome)


# The servers -------------------------------------------------------------------------------------


def server_sockets(port: int, client_ports: set[int]) -> set[str]:
    """Inodes of the server's side of our connections: sockets on `port` whose peer is one of ours."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if int(local.rpartition(":")[2], 16) == port and int(remote.rpartition(":")[2], 16) in client_ports:
                inodes.add(inode)
    return inodes


def open_sockets(pids: list[int]) -> set[str]:
    """Inodes of the sockets these processes hold open (/proc/PID/fd)."""
    found = set()
    for pid in pids:
        try:
            names = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for name in names:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{name}")
            except OSError:
                continue
            if target.startswith("socket:["):
                found.add(target[8:-1])
    return found


def close_and_time(server: Gunicorn, screens: Screens, opened: list[Screen], timeout: float = 60) -> Optional[float]:
    """Close these screens (as closed tabs: a FIN, nothing said); seconds until the server has
    closed its side of every one of them, i.e. given their slots back (None: not in `timeout`)."""
    ports = {s.sock.getsockname()[1] for s in opened if s.sock is not None}
    held = server_sockets(server.port, ports)
    screens.close(opened)
    started = time.monotonic()
    if wait_until(lambda: not held & open_sockets(server.pids()), timeout, 0.25):
        return time.monotonic() - started
    return None


def request_counts(server: Gunicorn) -> Counter:
    """`METHOD route` -> requests served, from the server's /metrics (summed over statuses)."""
    with urllib.request.urlopen(server.base + "/metrics", timeout=10) as response:
        text = response.read().decode()
    counts: Counter = Counter()
    for line in text.splitlines():
        if not line.startswith("dashboard_request_duration_seconds_count{"):
            continue
        labels, _, value = line.rpartition(" ")
        parts = dict(item.split("=", 1) for item in labels[labels.index("{") + 1 : -1].split(","))
        counts[f"{parts['method'].strip(chr(34))} {parts['route'].strip(chr(34))}"] += float(value)
    return counts


def served_between(before: Counter, after: Counter) -> dict[str, int]:
    delta = {key: int(after[key] - before.get(key, 0)) for key in after}
    delta.pop("GET /metrics", None)  # ours
    return {key: value for key, value in sorted(delta.items()) if value}


def raise_open_files(needed: int) -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))  # the servers inherit it
    return resource.getrlimit(resource.RLIMIT_NOFILE)


class Editor:
    """Edits on A as its Achievements grid sends them: one title per write, a row of its own each."""

    def __init__(self, base: str):
        self.url = base + "/_dash-update-component"
        deps = dependencies(base)
        self.rows_dep = self._dep(deps, "achievements-grid.getRowsResponse", "achievements-grid.getRowsRequest")
        self.edit_dep = self._dep(deps, "achievements-messages.children", "achievements-grid.cellValueChanged")
        self.rows: deque[dict] = deque()
        self.count = 0

    @staticmethod
    def _dep(deps: list[dict], output: str, input_prop: str) -> dict:
        return next(
            d
            for d in deps
            if output in d["output"] and any(f"{i['id']}.{i['property']}" == input_prop for i in d["inputs"])
        )

    def _post(self, body: dict) -> bytes:
        request = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def load(self) -> None:
        values = {"achievements-grid.getRowsRequest": {"startRow": 0, "endRow": 100}}
        body = request_for(self.rows_dep, values, triggered="achievements-grid.getRowsRequest")
        answer = json.loads(self._post(body))
        self.rows.extend(answer["response"]["achievements-grid"]["getRowsResponse"]["rowData"])

    def write(self) -> tuple[float, float]:
        """(monotonic time the request left, time its answer was read); raises when not saved."""
        if not self.rows:
            self.load()
        row = self.rows.popleft()
        self.count += 1
        title = f"Live bench edit {self.count}"
        event = [{"rowId": str(row["id"]), "colId": "title", "value": title, "oldValue": row["title"]}]
        event[0]["data"] = {**row, "title": title}
        trigger = "achievements-grid.cellValueChanged"
        body = request_for(self.edit_dep, {trigger: event}, triggered=trigger)
        sent = time.monotonic()
        raw = self._post(body)
        answered = time.monotonic()
        if b"edit-result--saved" not in raw:
            raise RuntimeError(f"the edit of #{row['id']} was not saved: {raw[:300]!r}")
        return sent, answered


class Refresher:
    """What a screen's page does on a `change` naming achievements: live.js sets the store
    `live-achievements`, and the Overview's one refresh callback posts (its body built from
    /_dash-dependencies, as the browser sends it). Notes when each screen's answer came."""

    def __init__(self, base: str, dep: dict, workers: int):
        self.url = base + "/_dash-update-component"
        self.dep = dep
        self.pool = ThreadPoolExecutor(workers)
        self.answered: dict[tuple[int, str], float] = {}
        self.errors: Counter = Counter()

    def __call__(self, screen: Screen, at: float, data: dict) -> None:
        if ACHIEVEMENTS in data:
            self.pool.submit(self._refresh, screen.index, data[ACHIEVEMENTS])

    def _refresh(self, index: int, version: str) -> None:
        values = {
            "overview-range.data": "30d",
            "theme-store.data": "light",
            f"live-{ACHIEVEMENTS}.data": version,
        }
        body = json.dumps(request_for(self.dep, values, triggered=f"live-{ACHIEVEMENTS}.data")).encode()
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
        except OSError as exc:
            self.errors[type(exc).__name__] += 1
            return
        self.answered[(index, version)] = time.monotonic()

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def write_and_time(editor: Editor, screens: list[Screen], refresher: Optional[Refresher] = None) -> dict:
    """One write on A; per screen, seconds from its answer to the `change` naming achievements
    (and, with a refresher, to the answer of the refresh that change made the screen post)."""
    sent, answered = editor.write()
    wait_until(lambda: all(s.first_change(ACHIEVEMENTS, sent) is not None for s in screens), 10)
    heard = [s.first_change(ACHIEVEMENTS, sent) for s in screens]
    seconds = [got[0] - answered for got in heard if got is not None]
    result = {
        "write_s": answered - sent,
        "seconds": seconds,
        "from_request": [got[0] - sent for got in heard if got is not None],
        "missed": sum(got is None for got in heard),
        "all_s": max(seconds) if seconds and len(seconds) == len(screens) else None,
    }
    if refresher is not None:
        keys = [(s.index, got[1][ACHIEVEMENTS]) for s, got in zip(screens, heard) if got is not None]
        wait_until(lambda: all(key in refresher.answered for key in keys), 120, 0.05)
        visible = [refresher.answered[key] - answered for key in keys if key in refresher.answered]
        result["visible"] = visible
        result["visible_all_s"] = max(visible) if visible and len(visible) == len(screens) else None
    return result


# The phases -------------------------------------------------------------------------------------


def phase_latency(
    b: Gunicorn, screens: Screens, editor: Editor, refresh_dep: dict, counts: list[int], writes: int, refreshes: int
) -> list[dict]:
    results = []
    for count in counts:
        opened, took, outcome = connect_all(screens, count)
        live = [s for s in opened if s.connected_at is not None]
        runs = []
        for _ in range(writes):
            runs.append(write_and_time(editor, live))
            time.sleep(random.uniform(0.3, 0.7))
        # Then as pages do: every screen posts its Overview refresh on the change.
        refresher = Refresher(b.base, refresh_dep, workers=min(256, max(1, len(live))))
        screens.on_change = refresher
        refreshed = []
        for _ in range(refreshes):
            refreshed.append(write_and_time(editor, live, refresher))
            time.sleep(random.uniform(0.3, 0.7))
        screens.on_change = None
        refresher.close()
        back = close_and_time(b, screens, opened)
        seconds = [x for r in runs for x in r["seconds"]]
        early = [x for r in runs for x in r["from_request"]]
        alls = [r["all_s"] for r in runs if r["all_s"] is not None]
        visible = [x for r in refreshed for x in r["visible"]]
        results.append(
            {
                "screens": count,
                "connect_s": took,
                "outcome": outcome,
                "writes": writes,
                "samples": len(seconds),
                "missed": sum(r["missed"] for r in runs),
                "before_answer": sum(x < 0 for x in seconds),
                "p50_s": percentile(seconds, 50),
                "p95_s": percentile(seconds, 95),
                "max_s": max(seconds) if seconds else float("nan"),
                "from_request_p50_s": percentile(early, 50),
                "from_request_p95_s": percentile(early, 95),
                "all_reached_p50_s": statistics.median(alls) if alls else float("nan"),
                "write_answer_p50_s": statistics.median(r["write_s"] for r in runs) if runs else float("nan"),
                "refresh_writes": refreshes,
                "visible_p50_s": percentile(visible, 50),
                "visible_p95_s": percentile(visible, 95),
                "visible_all_max_s": max(
                    (r["visible_all_s"] for r in refreshed if r["visible_all_s"] is not None), default=float("nan")
                ),
                "refresh_errors": dict(refresher.errors),
                "released_s": back,
            }
        )
        r = results[-1]
        print(
            f"  done: {count} screens, p95 {r['p95_s'] * 1000:.0f} ms, visible p95 {r['visible_p95_s'] * 1000:.0f} ms",
            file=sys.stderr,
            flush=True,
        )
    return results


def phase_many(
    b: Gunicorn, redis: RedisServer, screens: Screens, editor: Editor, count: int, idle_s: float, changes: int
) -> dict:
    pids = b.pids()
    rss0, pss0 = memory_mb(pids)
    opened, took, outcome = connect_all(screens, count)
    live = [s for s in opened if s.connected_at is not None]
    time.sleep(3.0)  # the last accepts and first heartbeats done
    pids = b.pids()
    rss1, pss1 = memory_mb(pids)
    events0 = sum(sum(s.events.values()) for s in live)
    bytes0 = sum(s.received for s in live)
    changes0 = sum(len(s.changes) for s in live)
    cpu0, redis0, own0, t0 = cpu_seconds(pids), cpu_seconds([redis.process.pid]), time.process_time(), time.monotonic()
    time.sleep(idle_s)
    elapsed = time.monotonic() - t0
    cpu1, redis1, own1 = cpu_seconds(b.pids()), cpu_seconds([redis.process.pid]), time.process_time()
    idle_events = sum(sum(s.events.values()) for s in live) - events0
    idle_bytes = sum(s.received for s in live) - bytes0
    idle_changes = Counter(name for s in live for at, data in s.changes if at >= t0 for name in data)
    runs = []
    for _ in range(changes):
        time.sleep(random.uniform(0.5, 1.0))
        runs.append(write_and_time(editor, live))
    back = close_and_time(b, screens, opened)
    seconds = [x for r in runs for x in r["seconds"]]
    result = {
        "screens": count,
        "connect_s": took,
        "outcome": outcome,
        "server_processes": len(pids),
        "rss_before_mb": rss0,
        "pss_before_mb": pss0,
        "rss_mb": rss1,
        "pss_mb": pss1,
        "rss_per_screen_kb": (rss1 - rss0) * 1024 / max(1, len(live)),
        "idle_s": elapsed,
        "idle_cpu_pct": (cpu1 - cpu0) / elapsed * 100,
        "redis_cpu_pct": (redis1 - redis0) / elapsed * 100,
        "client_cpu_pct": (own1 - own0) / elapsed * 100,
        "idle_events_per_screen_per_min": idle_events / max(1, len(live)) / elapsed * 60,
        "idle_bytes_per_screen_per_min": idle_bytes / max(1, len(live)) / elapsed * 60,
        "idle_change_events": dict(idle_changes),
        "changes_before_idle": changes0,
        "changes": [
            {"all_reached_s": r["all_s"], "p50_s": percentile(r["seconds"], 50), "missed": r["missed"]} for r in runs
        ],
        "all_reached_s_max": max((r["all_s"] for r in runs if r["all_s"] is not None), default=float("nan")),
        "p95_s": percentile(seconds, 95),
        "released_s": back,
    }
    print(f"  done: {count} screens connected in {took:.1f} s", file=sys.stderr, flush=True)
    return result


def overview_tick(base: str) -> tuple[dict, int, list[str]]:
    """The Overview's refresh callback, how many server callbacks one tick posts, and the live
    data sets it draws (its `live-<name>` store inputs)."""
    deps = dependencies(base)
    refresh = find_callback(deps, "overview-value-value.children")
    ticking = [
        d
        for d in deps
        if d.get("clientside_function") is None
        and "overview-" in d["output"]
        and any(f"{i['id']}.{i['property']}" == "refresh-interval.n_intervals" for i in d["inputs"])
    ]
    drawn = [i["id"][len("live-") :] for i in refresh["inputs"] if str(i["id"]).startswith("live-")]
    return refresh, len(ticking), drawn


def phase_push(b: Gunicorn, screens: Screens, count: int, window: float, overview_sets: list[str]) -> dict:
    opened, took, outcome = connect_all(screens, count)
    live = [s for s in opened if s.connected_at is not None]
    time.sleep(2.0)
    before, cpu0, t0 = request_counts(b), cpu_seconds(b.pids()), time.monotonic()
    reconnects0 = sum(s.reconnects for s in live)
    time.sleep(window)
    elapsed = time.monotonic() - t0
    after, cpu1 = request_counts(b), cpu_seconds(b.pids())
    served = served_between(before, after)
    refreshes = sum(1 for s in live for at, data in s.changes if at >= t0 and any(n in data for n in overview_sets))
    stream_s = default_setting("live_stream_seconds")
    back = close_and_time(b, screens, opened)
    return {
        "screens": count,
        "outcome": outcome,
        "window_s": elapsed,
        "served": served,
        "requests_per_min": sum(served.values()) / elapsed * 60,
        "callbacks_per_min": served.get("POST /_dash-update-component", 0) / elapsed * 60,
        "overview_change_events": refreshes,
        "refreshes_per_min": refreshes / elapsed * 60,
        "reconnects_in_window": sum(s.reconnects for s in live) - reconnects0,
        "stream_seconds": stream_s,
        "reopen_per_min_derived": len(live) * 60 / stream_s,
        "server_cpu_pct": (cpu1 - cpu0) / elapsed * 100,
        "released_s": back,
    }


def phase_poll(b: Gunicorn, refresh_dep: dict, count: int, window: float, interval: float) -> dict:
    """`count` screens polling the Overview every `interval` s (staggered) for `window` s."""
    url = b.base + "/_dash-update-component"
    drawn: dict[int, Any] = {}
    latencies: list[float] = []
    errors: Counter = Counter()

    def tick(screen: int, n: int) -> None:
        body = json.dumps(overview_refresh_body(refresh_dep, drawn.get(screen), tick=n)).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except OSError as exc:
            errors[type(exc).__name__] += 1
            return
        latencies.append(time.perf_counter() - started)
        drawn[screen] = json.loads(raw)["response"].get("overview-drawn", {}).get("data", drawn.get(screen))

    # Every screen has drawn the page before the window (the signature is the same for all).
    tick(0, 0)
    drawn.update({screen: drawn.get(0) for screen in range(count)})
    latencies.clear()
    before, cpu0, t0 = request_counts(b), cpu_seconds(b.pids()), time.monotonic()
    due = [(t0 + i * interval / count, i, 1) for i in range(count)]
    heapq.heapify(due)
    with ThreadPoolExecutor(16) as pool:
        while due and due[0][0] < t0 + window:
            at, screen, n = heapq.heappop(due)
            time.sleep(max(0.0, at - time.monotonic()))
            pool.submit(tick, screen, n)
            heapq.heappush(due, (at + interval, screen, n + 1))
        time.sleep(max(0.0, t0 + window - time.monotonic()))
    elapsed = time.monotonic() - t0
    after, cpu1 = request_counts(b), cpu_seconds(b.pids())
    served = served_between(before, after)
    return {
        "screens": count,
        "interval_s": interval,
        "window_s": elapsed,
        "served": served,
        "requests_per_min": sum(served.values()) / elapsed * 60,
        "callbacks_per_min": served.get("POST /_dash-update-component", 0) / elapsed * 60,
        "posted": len(latencies) + sum(errors.values()),
        "errors": dict(errors),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "server_cpu_pct": (cpu1 - cpu0) / elapsed * 100,
    }


# Main -------------------------------------------------------------------------------------------


def ms(seconds: Optional[float], width: int = 6) -> str:
    if seconds is None or seconds != seconds:
        return f"{'-':>{width}}"
    return f"{seconds * 1000:>{width}.0f}"


def report(args: argparse.Namespace, figures: dict) -> None:
    print(
        f"live: 2 replicas (gunicorn.conf.py, gevent, {figures['server_processes']} processes each:"
        f" master + workers), one Redis, contract fakes, headless SSE screens on B, writes on A;"
        f" load average {figures['load_average_at_start'][0]:.1f} -> {figures['load_average_at_end'][0]:.1f}"
    )
    print(
        "1. a write on A -> each screen on B: its `change` naming achievements received (ms from the write's"
        " answer), then the Overview refresh it posts answered ('visible')"
    )
    print(
        f"  {'screens':>8}{'samples':>8}{'p50':>6}{'p95':>6}{'max':>6}{'last':>6}{'req p95':>8}{'early':>6}"
        f"{'missed':>7}{'write':>6} |{'visible p50':>12}{'p95':>7}{'last':>7}{'writes':>7}{'errors':>7} |"
        f"{'slots back s':>13}"
    )
    for r in figures["latency"]:
        back = r["released_s"]
        print(
            f"  {r['screens']:>8}{r['samples']:>8}{ms(r['p50_s'])}{ms(r['p95_s'])}{ms(r['max_s'])}"
            f"{ms(r['all_reached_p50_s'])}{ms(r['from_request_p95_s'], 8)}{r['before_answer']:>6}{r['missed']:>7}"
            f"{ms(r['write_answer_p50_s'])} |{ms(r['visible_p50_s'], 12)}{ms(r['visible_p95_s'], 7)}"
            f"{ms(r['visible_all_max_s'], 7)}{r['refresh_writes']:>7}{sum(r['refresh_errors'].values()):>7} |"
            f"{'-' if back is None else f'{back:.1f}':>13}"
        )
    print(
        "  (last: per write, until the last screen had it, median of the writes; req p95: from the write's request;"
        " early: received before the write's answer;\n   visible: every screen posts its refresh on the change, as"
        f" a page does; last: the slowest write's last screen. Target p95 <= {TARGET['p95_s'] * 1000:.0f} ms)"
    )
    m = figures["many"]
    print(
        f"2. {m['screens']} screens on B ({m['outcome']}, connected in {m['connect_s']:.1f} s;"
        f" DASHBOARD_LIVE_MAX_CONNECTIONS={figures['max_connections']},"
        f" GUNICORN_WORKER_CONNECTIONS={figures['worker_connections']})"
    )
    print(
        f"  RSS {m['rss_before_mb']:.0f} -> {m['rss_mb']:.0f} MB (PSS {m['pss_before_mb']:.0f} -> {m['pss_mb']:.0f};"
        f" {m['rss_per_screen_kb']:.0f} KB a screen); idle {m['idle_s']:.0f} s: server CPU"
        f" {m['idle_cpu_pct']:.1f} % of a core (target <= {TARGET['idle_cpu_pct']:g} %),"
        f" redis {m['redis_cpu_pct']:.1f} %,"
        f" these clients {m['client_cpu_pct']:.1f} %"
    )
    reached = ", ".join("-" if c["all_reached_s"] is None else f"{c['all_reached_s'] * 1000:.0f}" for c in m["changes"])
    print(
        f"  idle: {m['idle_events_per_screen_per_min']:.1f} events ({m['idle_bytes_per_screen_per_min']:.0f} bytes)"
        f" a screen a minute, changes heard {m['idle_change_events'] or 'none'};"
        f" one change -> all {m['screens']}: {reached} ms (target <= {TARGET['all_reached_s'] * 1000:.0f});"
        f" slots back in {m['released_s']} s"
    )
    push, poll = figures["push"], figures["poll"]
    print(
        f"3. {push['screens']} idle screens, requests a minute ({push['window_s']:.0f} s windows;"
        f" the Overview posts {figures['callbacks_per_tick']} callback(s) a tick)"
    )
    print(f"  {'':<34}{'req/min':>9}{'callbacks/min':>14}{'server CPU %':>13}")
    print(
        f"  {'push (streams open, nothing changed)':<34}{push['requests_per_min']:>9.1f}"
        f"{push['refreshes_per_min']:>14.1f}{push['server_cpu_pct']:>13.1f}"
        f"   + {push['reopen_per_min_derived']:.0f}/min stream reopens (derived: 1 per {push['stream_seconds']:g} s)"
    )
    simulated = f"poll every {poll['interval_s']:g} s (simulated)"
    derived = f"poll every {figures['default_interval_s']:g} s (derived)"
    print(
        f"  {simulated:<34}{poll['requests_per_min']:>9.1f}"
        f"{poll['callbacks_per_min']:>14.1f}{poll['server_cpu_pct']:>13.1f}"
        f"   p50 {poll['p50_ms']:.0f} ms, p95 {poll['p95_ms']:.0f} ms, errors {poll['errors'] or 0}"
    )
    print(f"  {derived:<34}{figures['poll_derived_per_min']:>9.1f}{figures['poll_derived_per_min']:>14.1f}")
    print(f"  served in the push window: {push['served'] or 'nothing'}; in the poll window: {poll['served']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, nargs="+", default=[1, 50, 200], help="phase 1: screens on B")
    parser.add_argument("--writes", type=int, default=10, help="phase 1: writes on A per screen count")
    parser.add_argument(
        "--refresh-writes", type=int, default=3, help="phase 1: more writes, each screen then posting its refresh"
    )
    parser.add_argument("--many", type=int, default=1000, help="phase 2: screens connected to B")
    parser.add_argument("--idle-seconds", type=float, default=30.0, help="phase 2: CPU window with nothing written")
    parser.add_argument("--changes", type=int, default=3, help="phase 2: writes timed to reach every screen")
    parser.add_argument("--idle-screens", type=int, default=200, help="phase 3: screens, push then poll")
    parser.add_argument("--window", type=float, default=60.0, help="phase 3: seconds of each window")
    parser.add_argument("--interval", type=float, help="phase 3: poll interval (default: the default refresh)")
    parser.add_argument("--quick", action="store_true", help="1 and 10 screens, 100 for phase 2, short windows")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    default_interval = float(default_setting("refresh_seconds"))
    if args.quick:
        args.screens, args.writes, args.refresh_writes, args.many = [1, 10], 3, 1, 100
        args.idle_seconds, args.changes = 10.0, 2
        args.idle_screens, args.window, args.interval = 20, 15.0, args.interval or 5.0
    interval = args.interval or default_interval
    limit = max(default_setting("live_max_connections"), args.many + 200)
    worker_connections = max(1000, args.many + 200)
    raise_open_files(2 * (args.many + 200) + 1024)

    with FakeBackends() as fake, RedisServer() as redis:
        fake.add_achievements(ROWS - len(fake.achievements))
        env = {
            "ACHIEVEMENT_API_URL": fake.achievement_url,
            "ORCHESTRATOR_URL": fake.orchestrator_url,
            "TECH_DOC_API_URL": fake.tech_doc_url,
            "REDIS_URL": redis.url,
            "DASHBOARD_LIVE": "true",
            "GUNICORN_GRACEFUL_TIMEOUT": "3",  # stopping need not wait the production 30 s
        }
        a = Gunicorn(None, env).launch()
        b = Gunicorn(
            None,
            {
                **env,
                "DASHBOARD_LIVE_MAX_CONNECTIONS": str(limit),
                "GUNICORN_WORKER_CONNECTIONS": str(worker_connections),
            },
        ).launch()
        screens: Optional[Screens] = None
        try:
            for server in (a, b):
                wait_http(server.base + "/healthz", timeout=90)
            editor = Editor(a.base)
            editor.load()
            refresh_dep, per_tick, overview_sets = overview_tick(b.base)
            screens = Screens(b.port)
            # Warm-up (not counted): B's pump and watcher start with its first screen; one write.
            warm, _, _ = connect_all(screens, 1)
            write_and_time(editor, warm)
            screens.close(warm)
            figures: dict[str, Any] = {
                "quick": args.quick,
                "server_processes": len(b.pids()),
                "max_connections": limit,
                "worker_connections": worker_connections,
                "default_interval_s": default_interval,
                "callbacks_per_tick": per_tick,
                "overview_live_sets": overview_sets,
                "target": TARGET,
                "load_average_at_start": os.getloadavg(),
            }
            figures["latency"] = phase_latency(
                b, screens, editor, refresh_dep, args.screens, args.writes, args.refresh_writes
            )
            figures["many"] = phase_many(b, redis, screens, editor, args.many, args.idle_seconds, args.changes)
            figures["push"] = phase_push(b, screens, args.idle_screens, args.window, overview_sets)
            print("  done: push window", file=sys.stderr, flush=True)
            figures["poll"] = phase_poll(b, refresh_dep, args.idle_screens, args.window, interval)
            figures["poll_derived_per_min"] = per_tick * args.idle_screens * 60 / default_interval
            figures["load_average_at_end"] = os.getloadavg()
        except Exception:
            for server in (a, b):
                print(server.log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            if screens is not None:
                screens.stop()
            a.stop()
            b.stop()
    report(args, figures)
    write_json(args.json, figures)


if __name__ == "__main__":
    main()
