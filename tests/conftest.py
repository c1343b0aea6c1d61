"""Shared fixtures: a real redis-server per session, apps built through the factory, Chromium.

Under CI (CI set in the environment) a skipped test fails the run: browser and Redis tests
must really run there.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import flask
import pytest
from flask.testing import FlaskClient

from tests.chromium import CHROMIUM_FLAGS
from tests.clock import TEST_CLOCK, TEST_NOW


class ReadWholeClient(FlaskClient):
    """Flask's test client, reading each answer whole and closing it as a WSGI server does.

    A test that only looks at `status_code` would otherwise leave a streamed file (an asset)
    open until the garbage collector finds it, a ResourceWarning (an error in this suite) at a
    moment no test controls.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


flask.Flask.test_client_class = ReadWholeClient

CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")

# Every app the suite builds, here or in a subprocess, reads the suite's clock (tests/clock.py).
os.environ["DASHBOARD_CLOCK_SHIFT_SECONDS"] = repr(TEST_CLOCK.shift_seconds)


def pytest_report_header(config):
    return f"dashboard clock: {TEST_NOW:%Y-%m-%d %H:%M:%S} UTC (DASHBOARD_TEST_NOW moves it)"


def pytest_setup_options():
    """dash[testing]'s hook: Debian's chromium, headless, with no calls to the outside."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    for argument in CHROMIUM_FLAGS:
        options.add_argument(argument)
    return options


@pytest.fixture(scope="session")
def shared_chromium():
    """The session's one Chromium (tests/shared_browser.py)."""
    from tests.shared_browser import SharedChromium

    browser = SharedChromium(pytest_setup_options)
    yield browser
    browser.quit()


@pytest.fixture
def dash_duo(dash_thread_server, tmp_path, shared_chromium):
    """dash[testing]'s dash_duo on the shared Chromium; its get_logs() holds warnings too."""
    from tests.shared_browser import SharedDashComposite

    download = tmp_path / "download"
    download.mkdir()
    composite = SharedDashComposite(dash_thread_server, shared_chromium.driver(), str(download))
    yield composite
    shared_chromium.reset(composite.origins)


_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        # A pytest-xdist worker: its tallies go to the controller, which prints the summary and
        # sees every skip through the reports it receives.
        workeroutput["tallies"] = _worker_tallies()
        return
    if CI and _skipped and exitstatus == 0:
        session.exitstatus = 1
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"CI: {len(_skipped)} test(s) skipped; under CI every test must run:", red=True)
            for nodeid in _skipped:
                reporter.write_line(f"  {nodeid}", red=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A real redis-server on a free loopback port, in a temporary folder."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed (make test installs it)")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own, free to be stopped, frozen or restarted."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server):
    """A Redis URL on an emptied database."""
    redis_server.client().flushall()
    return redis_server.url


@pytest.fixture
def make_settings(tmp_path):
    """Settings for a test app: its own data folder, fast refresh, no environment leaking in."""
    from dashboard.settings import Settings

    def make(**overrides):
        values = {
            "data_dir": tmp_path / "data",
            "refresh_seconds": 5,
            "cache_ttl_seconds": 1.0,
            "retry_backoff_seconds": 0.5,
            "http_timeout_seconds": 2.0,
            "http_connect_timeout_seconds": 0.5,
            "achievement_api_url": None,
            "orchestrator_url": None,
            "tech_doc_api_url": None,
            "redis_url": None,
            # Off unless a test asks: an app's sampler would probe its backends every round
            # for the rest of the session, long after its test ended.
            "history_sample_seconds": 0,
            # Screens poll (the live channel's fallback) unless the test is about the channel:
            # the product's default, auto, is live under the servers tests start.
            "live": "off",
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)

    return make


# Fault tests: what the user was answered, counted across the session -------------------------------


class FaultTally:
    """What the fault tests (tests/*/test_faults*.py) saw, for the closing summary line."""

    def __init__(self):
        self.faults: set[str] = set()
        """"kind × backend or component" of every fault injected and checked."""
        self.responses = 0
        self.server_errors: list[str] = []
        """Every answer of 500 or more the dashboard gave a user, as 'METHOD path -> status'."""
        self.edits_attempted = 0
        self.edits_lost: list[str] = []

    def fault(self, kind: str, target: str) -> None:
        self.faults.add(f"{kind} × {target}")

    def summary(self) -> str:
        return (
            f"fault tests: {len(self.faults)} distinct faults tested, {self.responses} dashboard answers "
            f"checked, {len(self.server_errors)} user-facing 5xx, {self.edits_attempted} writes attempted "
            f"during outages, {len(self.edits_lost)} edits lost"
        )


_fault_tally = FaultTally()


@pytest.fixture(scope="session")
def fault_tally() -> FaultTally:
    return _fault_tally


def _print_fault_tally(terminalreporter) -> None:
    """The fault tests' tally (called from the one pytest_terminal_summary below)."""
    if _fault_tally.faults or _fault_tally.responses:
        terminalreporter.write_line(_fault_tally.summary())
        for line in _fault_tally.server_errors + _fault_tally.edits_lost:
            terminalreporter.write_line(f"  {line}", red=True)


class StatusRecorder:
    """Every status the dashboard answered (WSGI middleware, or fed by an HTTP client), with
    tracebacks: a test asserts none was a 5xx and no exception escaped to Flask."""

    def __init__(self, tally: FaultTally):
        self.tally = tally
        self.statuses: list[tuple[str, str, int]] = []
        self.exceptions: list[str] = []
        self._lock = threading.Lock()

    def record(self, method: str, path: str, status: int, body: bytes = b"") -> None:
        with self._lock:
            self.statuses.append((method, path, status))
            self.tally.responses += 1
            if status >= 500:
                self.tally.server_errors.append(f"{method} {path} -> {status}")
            if b"Traceback (most recent call last)" in body:
                self.exceptions.append(f"{method} {path}: traceback in the body")

    def watch(self, dash_app) -> None:
        """Record every answer of this Dash app's Flask server (test client or real server)."""
        import flask

        server = dash_app.server if hasattr(dash_app, "server") else dash_app
        inner = server.wsgi_app
        recorder = self

        def recording(environ, start_response):
            seen = {}

            def start(status, headers, exc_info=None):
                seen["status"] = int(status.split()[0])
                return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

            answer = inner(environ, start)
            try:
                chunks = list(answer)
            finally:
                if hasattr(answer, "close"):
                    answer.close()
            recorder.record(
                environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), seen.get("status", 0), b"".join(chunks)
            )
            return chunks

        server.wsgi_app = recording

        def on_exception(sender, exception, **extra):
            with recorder._lock:
                recorder.exceptions.append(f"{type(exception).__name__}: {exception}")

        flask.got_request_exception.connect(on_exception, server, weak=False)

    @property
    def server_errors(self) -> list[tuple[str, str, int]]:
        return [entry for entry in self.statuses if entry[2] >= 500]

    def assert_clean(self) -> None:
        assert not self.server_errors, f"the dashboard answered 5xx: {self.server_errors}"
        assert not self.exceptions, f"exceptions reached Flask: {self.exceptions}"


@pytest.fixture
def statuses(fault_tally):
    """A StatusRecorder; the test fails at teardown if any recorded answer was a 5xx."""
    recorder = StatusRecorder(fault_tally)
    yield recorder
    recorder.assert_clean()


# Property-based tests (hypothesis, issue 6) -------------------------------------------------------
# One deterministic profile: CI and every developer run the same examples, no example database,
# no per-example deadline (a slow CI machine must not turn a passing property into a failure).
# HYPOTHESIS_PROFILE=explore runs random examples (PROPERTY_SCALE=10 ten times as many) to hunt for bugs.
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile(
    "dashboard",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_hypothesis_settings.register_profile(
    "explore",
    derandomize=False,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dashboard"))


_property_tally: dict = {"examples": {}, "covered": set()}
"""The property tests' tally, as the controller merges it from xdist workers."""


def _worker_tallies() -> dict:
    import sys

    properties = sys.modules.get("tests.unit.test_properties_common")
    return {
        "faults": sorted(_fault_tally.faults),
        "responses": _fault_tally.responses,
        "server_errors": _fault_tally.server_errors,
        "edits_attempted": _fault_tally.edits_attempted,
        "edits_lost": _fault_tally.edits_lost,
        "examples": dict(properties.EXAMPLES) if properties else {},
        "covered": sorted(properties.COVERED) if properties else [],
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist: a worker finished; add its tallies to the controller's."""
    tallies = getattr(node, "workeroutput", {}).get("tallies")
    if not tallies:
        return
    _fault_tally.faults.update(tallies["faults"])
    _fault_tally.responses += tallies["responses"]
    _fault_tally.server_errors += tallies["server_errors"]
    _fault_tally.edits_attempted += tallies["edits_attempted"]
    _fault_tally.edits_lost += tallies["edits_lost"]
    for name, count in tallies["examples"].items():
        _property_tally["examples"][name] = _property_tally["examples"].get(name, 0) + count
    _property_tally["covered"].update(tallies["covered"])


def pytest_terminal_summary(terminalreporter):
    """The property tests' tally: parsers and validators covered, examples generated this run;
    and the fault tests' tally."""
    import sys

    _print_fault_tally(terminalreporter)

    local = sys.modules.get("tests.unit.test_properties_common")
    examples = dict(_property_tally["examples"]) or (dict(local.EXAMPLES) if local else {})
    covered = _property_tally["covered"] or (local.COVERED if local else set())
    if not examples:
        return
    terminalreporter.write_line(
        f"property tests: {len(covered)} parsers/validators covered, "
        f"{sum(examples.values())} generated inputs run by {len(examples)} properties"
    )


class GunicornDashboard:
    """The dashboard under gunicorn (gunicorn.conf.py), on a free port, for fault tests."""

    def __init__(self, workdir: Path, env: dict[str, str]):
        import sys

        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "gunicorn.log"
        root = Path(__file__).resolve().parents[1]
        full_env = {**os.environ}
        for name in ("ACHIEVEMENT_API_URL", "ORCHESTRATOR_URL", "TECH_DOC_API_URL", "REDIS_URL"):
            full_env.pop(name, None)
        full_env.update(
            {
                "PORT": str(self.port),
                "WEB_CONCURRENCY": "2",
                "GUNICORN_THREADS": "4",
                "DASHBOARD_DATA_DIR": str(workdir / "data"),
                "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics"),
                "GUNICORN_CONTROL_SOCKET": str(workdir / "gunicorn.ctl"),
                "DASHBOARD_REFRESH_SECONDS": "5",
                # A test's browser keeps connections open; stopping need not wait the production 30 s.
                "GUNICORN_GRACEFUL_TIMEOUT": "3",
                # Polling, the fallback, unless the test is about the live channel (it says so).
                "DASHBOARD_LIVE": "false",
                # And no history sampler probing the backends behind the test's counts.
                "DASHBOARD_HISTORY_SAMPLE_SECONDS": "0",
            }
        )
        full_env.update(env)
        self.expected_workers = int(full_env["WEB_CONCURRENCY"])
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "dashboard.wsgi:server"],
            cwd=root,
            env=full_env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def workers(self) -> list[int]:
        import psutil

        try:
            return sorted(child.pid for child in psutil.Process(self.process.pid).children())
        except psutil.NoSuchProcess:
            return []

    def wait_ready(self, timeout: float = 60) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.log_path.read_text()[-3000:])
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200 and len(self.workers()) >= self.expected_workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become ready:\n" + self.log_path.read_text()[-3000:])

    def stop(self) -> None:
        if self.process.poll() is None:
            # gunicorn's quick stop: a graceful one (SIGTERM) waits out open keep-alive connections
            # and the workers' 1 s loop, 1.5-4 s a test, and none of these tests is about it.
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture
def gunicorn_dashboard(tmp_path):
    """A factory: `gunicorn_dashboard(ACHIEVEMENT_API_URL=..., ...)` starts one, stopped at teardown."""
    started: list[GunicornDashboard] = []

    def start(**env: str) -> GunicornDashboard:
        server = GunicornDashboard(tmp_path, {k: str(v) for k, v in env.items()})
        started.append(server)
        server.wait_ready()
        return server

    yield start
    for server in started:
        server.stop()
