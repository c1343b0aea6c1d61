"""Production shape: gunicorn (gunicorn.conf.py, 2 workers) + a real Redis, walked in Chromium."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.freshness_lines import wait_for_line
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PAGES = [
    ("/", "Overview"),
    ("/achievements", "Achievements"),
    ("/content", "Content pipeline"),
    ("/analytics", "Analytics"),
    ("/system", "System health"),
]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_status(url: str, status: int, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = get(url)
            if last[0] == status:
                return last[1]
        except OSError as exc:
            last = (None, str(exc))
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer {status} in {timeout} s; last: {last}")


@pytest.fixture
def gunicorn(own_redis, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "REDIS_URL": own_redis.url,
        "DASHBOARD_DATA_DIR": str(tmp_path / "data"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "DASHBOARD_REFRESH_SECONDS": "5",
        "DASHBOARD_CACHE_TTL_SECONDS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": "3",  # the browser's open connections need not hold the stop 30 s
        "DASHBOARD_LIVE": "false",  # the walk counts ticks: screens poll (tests/browser/test_live.py pushes)
        "DASHBOARD_HISTORY_SAMPLE_SECONDS": "0",
    }
    for name in ("ACHIEVEMENT_API_URL", "ORCHESTRATOR_URL", "TECH_DOC_API_URL"):
        env.pop(name, None)
    log = open(tmp_path / "gunicorn.log", "w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "dashboard.wsgi:server"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_status(base + "/healthz", 200, timeout=60)
        yield base, process, tmp_path / "gunicorn.log"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=40)
        log.close()


@pytest.mark.browser
def test_browser_walk_readiness_and_metrics_under_two_workers(dash_duo, gunicorn, own_redis):
    base, process, log_path = gunicorn
    for path, heading in PAGES:
        dash_duo.wait_for_page(url=base + path)
        dash_duo.wait_for_text_to_equal("h1", heading, timeout=15)
    dash_duo.wait_for_page(url=base + "/")
    wait_for_line(dash_duo, "#overview-completed-card .tile-freshness", "Updated 0 s ago", exact=True, timeout=15)
    assert dash_duo.get_logs() == []

    assert wait_status(base + "/readyz", 200).startswith('{"status": "ready"')
    own_redis.stop()
    body = wait_status(base + "/readyz", 503, timeout=15)
    assert "redis unreachable" in body
    status, _ = get(base + "/")
    assert status == 200  # pages still served while Redis is down
    own_redis.start()
    wait_status(base + "/readyz", 200, timeout=15)

    # Two reads of one data set back to back: the second is a cache hit whatever the machine's
    # pace (the walk above may take longer than the 2 s TTL between pages on a busy machine).
    for _ in range(2):
        assert get(base + "/api/charts/value-trend")[0] == 200
    metrics = get(base + "/metrics")[1]
    for series in (
        "dashboard_request_duration_seconds_count",
        "dashboard_callback_duration_seconds_count",
        "dashboard_cache_events_total",
    ):
        assert series in metrics, series
    callbacks = re.findall(r'dashboard_callback_duration_seconds_count\{callback="([^"]+)"\} (\d+\.\d+)', metrics)
    assert any(name.startswith("overview-value-value") and float(n) >= 1 for name, n in callbacks)
    fetches = re.findall(r'dashboard_cache_events_total\{event="fetches",key="achievements:all"\} (\d+\.\d+)', metrics)
    hits = re.findall(r'dashboard_cache_events_total\{event="hits",key="[^"]+"\} (\d+\.\d+)', metrics)
    assert fetches and float(fetches[0]) >= 1 and hits

    lines = [line for line in log_path.read_text().splitlines() if '"msg": "request"' in line]
    assert lines and '"request_id"' in lines[0] and '"route"' in lines[0]
    assert process.poll() is None
    log_text = log_path.read_text()
    # Two workers served; none was killed for hanging (a restart seen once in CI is under study).
    assert log_text.count("Booting worker") >= 2 and "WORKER TIMEOUT" not in log_text, [
        line for line in log_text.splitlines() if '"msg": "request"' not in line
    ][-30:]
