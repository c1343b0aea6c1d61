"""Redis stopped and restarted under load: screens keep getting data, each process falls back to
an in-process cache (one fetch per data set per TTL, not one per screen), and the shared cache
is used again once Redis is back.

Two apps (two "workers") share one real redis-server and the fake backends over HTTP; screens
refresh the Overview continuously from several threads while Redis stops and starts again.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from dataclasses import dataclass

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from tests.fakes import FakeBackends

TTL = 0.5
SCREENS_PER_WORKER = 3


@dataclass
class Answer:
    at: float
    status: int
    completed: object
    state: str
    took: float = 0.0
    screen: int = 0


class Screens:
    """Threads refreshing the Overview over each app's test client until stopped."""

    def __init__(self, apps):
        self.apps = apps
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _run(self, app, screen: int):
        client = app.server.test_client()
        dep = find_callback(client.get("/_dash-dependencies").get_json(), "overview-value-value.children")
        tick = 0
        while not self._stop.is_set():
            tick += 1
            body = request_for(
                dep,
                {"overview-range.data": "all", "refresh-interval.n_intervals": tick},
                triggered="refresh-interval.n_intervals",
            )
            started = time.monotonic()
            response = client.post("/_dash-update-component", json=body)
            answer = Answer(time.monotonic(), response.status_code, None, "", time.monotonic() - started, screen)
            if response.status_code == 200:
                out = response.get_json()["response"]
                answer.completed = out["overview-completed-value"]["children"]
                answer.state = out['{"page":"overview","type":"freshness-data"}']["data"]["overview-completed"]["state"]
            with self._lock:
                self.answers.append(answer)
            time.sleep(0.02)

    def start(self):
        for app in self.apps:
            for _ in range(SCREENS_PER_WORKER):
                screen = len(self._threads)
                thread = threading.Thread(target=self._run, args=(app, screen), daemon=True)
                thread.start()
                self._threads.append(thread)

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        assert not any(t.is_alive() for t in self._threads), "a screen hung"

    def between(self, start: float, end: float) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if start <= a.at < end]

    def silent_between(self, start: float, end: float) -> set[int]:
        """The screens that got no answer at all in the window: a floor, not a rate, so that a
        busy CI machine (fewer refreshes a second) cannot turn it into a timing test."""
        return set(range(len(self._threads))) - {a.screen for a in self.between(start, end)}

    def phase(self, start: float, seconds: float, at_most: float = 15.0) -> float:
        """Let `seconds` pass, then on until every screen has had an answer since `start` (a busy
        machine can hold one refresh past a short window: a screen slow, not silent); its end."""
        time.sleep(seconds)
        deadline = start + at_most
        while self.silent_between(start, time.monotonic()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return time.monotonic()


@contextlib.contextmanager
def screens_on_two_workers(redis, make_settings, statuses):
    """The fake services, and Overview screens refreshing on two apps (as two gunicorn workers
    would be) over them and the same Redis, every answer watched; stopped and closed after."""
    with FakeBackends() as backends:
        apps = []
        for _ in range(2):
            app = create_app(
                settings=make_settings(
                    achievement_api_url=backends.achievement_url,
                    orchestrator_url=backends.orchestrator_url,
                    redis_url=redis.url,
                    cache_ttl_seconds=TTL,
                    retry_backoff_seconds=0.5,
                    http_timeout_seconds=2.0,
                )
            )
            statuses.watch(app)
            apps.append(app)
        screens = Screens(apps)
        screens.start()
        try:
            yield backends, screens
        finally:
            screens.stop()
            for app in apps:
                app.server.extensions["threads_dashboard"].services.close()


def page_one_calls(backends) -> int:
    return sum(1 for c in backends.requests_to("GET /achievements/") if c.query.get("page") == "1")


def test_redis_stopped_and_restarted_under_load(own_redis, make_settings, statuses, fault_tally):
    with screens_on_two_workers(own_redis, make_settings, statuses) as (backends, screens):
        expected = str(len(backends.achievements))
        time.sleep(0.5)  # warm: the shared cache holds the data
        backends.reset_calls()
        shared_from = time.monotonic()
        shared_until = screens.phase(shared_from, 1.5)
        shared_calls = page_one_calls(backends)

        own_redis.stop()
        down_from = time.monotonic()
        down_until = screens.phase(down_from, 1.5)
        calls_while_down = page_one_calls(backends) - shared_calls

        own_redis.start()  # same port, empty: a cold shared cache
        back_from = time.monotonic()
        time.sleep(1.0)  # reconnected: the first reads refill the cache
        backends.reset_calls()
        settled_from = time.monotonic()
        time.sleep(1.5)
        settled_calls = page_one_calls(backends)
        settled_until = time.monotonic()

    windows = 1.5 / TTL  # the settled phase
    shared_windows = (shared_until - shared_from) / TTL
    down_windows = (down_until - down_from) / TTL
    shared = screens.between(shared_from, shared_until)
    down = screens.between(down_from, down_until)
    back = screens.between(back_from, settled_until)
    settled = screens.between(settled_from, settled_until)
    # Load: every screen kept refreshing in every phase.
    assert screens.silent_between(shared_from, shared_until) == set(), len(shared)
    assert screens.silent_between(down_from, down_until) == set(), len(down)
    # No 500, and data on every answer, while Redis was down too.
    assert [a for a in screens.answers if a.status != 200] == []
    assert {a.completed for a in screens.answers} == {expected}
    assert {a.state for a in down} <= {"ok"} and {a.state for a in back} <= {"ok"}
    print(
        "slowest refresh while Redis was down: %.3f s (up: %.3f s)"
        % (max(a.took for a in down), max(a.took for a in shared))
    )
    # Shared cache: about one backend call per TTL window for all six screens of both workers.
    assert shared_calls <= shared_windows + 2, shared_calls
    # Redis down: each worker fetches for itself, but once per TTL window, not once per screen
    # (243 full list fetches in 15 s under 50 screens, when each read fetched directly).
    assert 0 < calls_while_down <= 2 * (down_windows + 2), (calls_while_down, len(down))
    # Redis back: shared again, one call per TTL window.
    assert settled_calls <= windows + 2, (settled_calls, len(settled))
    assert own_redis.client().keys("threads-dashboard:data:*"), "the cache is written to Redis again"
    statuses.assert_clean()
    fault_tally.fault("stopped and restarted under load", "redis")


def test_redis_frozen_under_load_costs_at_most_a_timeout_then_the_cache_is_shared_again(
    own_redis, make_settings, statuses, fault_tally
):
    """A redis-server that hangs (SIGSTOP: connections accepted, nothing answered) costs each
    call the client's socket timeout (1 s): without a guard, one Overview refresh made ~8 calls."""
    with screens_on_two_workers(own_redis, make_settings, statuses) as (backends, screens):
        expected = str(len(backends.achievements))
        try:
            time.sleep(0.5)
            own_redis.process.send_signal(signal.SIGSTOP)
            frozen_from = time.monotonic()
            frozen_until = screens.phase(frozen_from, 4.0)
            own_redis.process.send_signal(signal.SIGCONT)
            time.sleep(2.0)  # the guard's window passes; the shared cache answers again
            backends.reset_calls()
            settled_from = time.monotonic()
            screens.phase(settled_from, 1.5)
            settled_calls = page_one_calls(backends)
            settled_until = time.monotonic()
        finally:
            if own_redis.process and own_redis.process.poll() is None:
                own_redis.process.send_signal(signal.SIGCONT)  # before the screens are stopped

    frozen = screens.between(frozen_from, frozen_until)
    assert [a for a in screens.answers if a.status != 200] == []
    assert {a.completed for a in screens.answers} == {expected}
    # Every screen kept refreshing while Redis hung, each refresh costing at most about one timeout.
    assert screens.silent_between(frozen_from, frozen_until) == set(), len(frozen)
    slowest = max(a.took for a in frozen)
    assert slowest < 3.0, slowest
    assert {a.state for a in frozen} <= {"ok"}
    assert settled_calls <= (settled_until - settled_from) / TTL + 2, settled_calls
    assert screens.silent_between(settled_from, settled_until) == set()
    statuses.assert_clean()
    fault_tally.fault("frozen (SIGSTOP) under load", "redis")
