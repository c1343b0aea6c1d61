"""Shared fixtures: a real redis-server per session, apps built through the factory, Chromium.

Under CI (CI set in the environment) a skipped test fails the run: browser and Redis tests
must really run there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM_FLAGS

CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


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


_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
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
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
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
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)

    return make
