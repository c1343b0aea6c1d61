"""Helpers the benchmark scripts share: a free port, waiting for a URL, percentiles, the dashboard
under gunicorn (this tree or another checkout), a headless Chromium, and a process tree's CPU and
memory as /proc reports them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Every .dash-graph holds a drawn plot (plotly's .main-svg): the page's charts are on screen.
ALL_CHARTS_DRAWN_JS = "Array.from(document.querySelectorAll('.dash-graph')).every(g => g.querySelector('.main-svg'))"
# page -> the element whose text leaves "\u2014" when the page's KPI data arrived
KPI_ELEMENTS = {
    "/": "overview-completed-value",
    "/achievements": "achievements-kpi-count",
    "/wallboard": "overview-completed-value",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    """Until `url` answers (any status urllib accepts), or TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(url)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile by nearest rank; NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


@dataclass(frozen=True)
class Checkout:
    """A tree of the dashboard to serve: its own `.venv/bin/gunicorn`, `gunicorn.conf.py` and code."""

    label: str
    path: Path

    @property
    def gunicorn(self) -> str:
        return str(self.path / ".venv" / "bin" / "gunicorn")


def parse_checkouts(values: list[str] | None) -> list[Checkout]:
    """`--checkout LABEL=PATH` values (default: this tree, labelled "this")."""
    if not values:
        return [Checkout("this", ROOT)]
    checkouts = []
    for value in values:
        label, sep, path = value.partition("=")
        tree = Path(path).expanduser().resolve()
        if not sep or not (tree / "gunicorn.conf.py").is_file() or not (tree / ".venv/bin/gunicorn").exists():
            raise SystemExit(f"--checkout {value}: want LABEL=PATH of a tree with gunicorn.conf.py and .venv/")
        checkouts.append(Checkout(label, tree))
    return checkouts


def parse_env(values: list[str] | None) -> dict[str, str]:
    return dict(item.split("=", 1) for item in values or [])


class Gunicorn:
    """The dashboard under `gunicorn -c gunicorn.conf.py` on a free port, in temporary folders.

    `workers=None` leaves WEB_CONCURRENCY unset (the configuration's own default). The caller's
    DASHBOARD_*, GUNICORN_*, WEB_CONCURRENCY and REDIS_URL never leak in; `extra_env` sets them.
    """

    def __init__(
        self,
        workers: int | None,
        extra_env: dict[str, str] | None = None,
        app: str = "dashboard.wsgi:server",
        checkout: Checkout | None = None,
        python_path: tuple[str, ...] = (),
    ):
        self.workers = workers
        self.app = app
        self.extra_env = extra_env or {}
        self.checkout = checkout or Checkout("this", ROOT)
        self.python_path = python_path
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-gunicorn-"))
        self.log_path = self.tmp / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.launched_at = 0.0

    def launch(self) -> "Gunicorn":
        """Start gunicorn without waiting; `launched_at` is the monotonic time of the Popen."""
        data_dir, metrics_dir = self.tmp / "data", self.tmp / "metrics"
        data_dir.mkdir()
        metrics_dir.mkdir()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DASHBOARD_", "GUNICORN_")) and k not in ("WEB_CONCURRENCY", "REDIS_URL", "PORT")
        }
        env.update(
            {
                "PORT": str(self.port),
                "PYTHONPATH": os.pathsep.join((str(self.checkout.path), *self.python_path)),
                "DASHBOARD_DATA_DIR": str(data_dir),
                "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
                # Not a tuning knob: two servers at once must not share the default socket path.
                "GUNICORN_CONTROL_SOCKET": str(self.tmp / "gunicorn.ctl"),
                **({"WEB_CONCURRENCY": str(self.workers)} if self.workers else {}),
                **self.extra_env,
            }
        )
        with open(self.log_path, "wb") as log:
            self.launched_at = time.monotonic()
            self.process = subprocess.Popen(
                [self.checkout.gunicorn, "-c", "gunicorn.conf.py", self.app],
                cwd=self.checkout.path,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def start(self) -> "Gunicorn":
        self.launch()
        try:
            wait_http(self.base + "/healthz", timeout=90)
        except TimeoutError:
            tail = self.log_path.read_text(errors="replace")[-2000:]
            self.stop()
            raise SystemExit(f"gunicorn did not answer /healthz; log tail:\n{tail}")
        return self

    def pids(self) -> list[int]:
        """The master and every process under it."""
        import psutil

        try:
            master = psutil.Process(self.process.pid)
            return [master.pid, *(child.pid for child in master.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of each process, and of its children already reaped (cutime + cstime)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()  # after "(comm)": state is fields[0], utime fields[11]
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / CLOCK_TICKS


def memory_mb(pids: list[int]) -> tuple[float, float]:
    """(sum of RSS, sum of PSS) in MB, from /proc/PID/smaps_rollup."""
    rss = pss = 0
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            key, _, rest = line.partition(":")
            if key == "Rss":
                rss += int(rest.split()[0])
            elif key == "Pss":
                pss += int(rest.split()[0])
    return rss / 1024, pss / 1024


def new_chrome(profile_dir: str, extra_flags: tuple[str, ...] = (), performance_log: bool = True):
    """A headless Chromium (tests/chromium.py's flags) with its own profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    from tests.chromium import CHROMIUM_FLAGS

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS + extra_flags:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


@contextmanager
def chrome(extra_flags: tuple[str, ...] = (), performance_log: bool = True) -> Iterator[Any]:
    """A new headless Chromium with an empty profile of its own; quit and the profile removed after."""
    profile = tempfile.mkdtemp(prefix="bench-chrome-")
    driver = None
    try:
        driver = new_chrome(profile, extra_flags, performance_log)
        yield driver
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def post_json(url: str, body: bytes, timeout: float = 30) -> tuple[float, bytes]:
    """(milliseconds, response body) of one JSON POST; OSError when it fails."""
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
    return (time.perf_counter() - started) * 1000, raw


def write_json(path: Path | str | None, figures: Any) -> None:
    """Write the figures of a run as indented JSON, when the script was given --json PATH."""
    if path:
        Path(path).write_text(json.dumps(figures, indent=2))


def main_thread_metrics(driver) -> dict[str, float]:
    """Chrome's Performance.getMetrics, name -> value (durations in seconds); enables the domain."""
    driver.execute_cdp_cmd("Performance.enable", {})
    return {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}


def wait_charts_drawn(driver, path: str, timeout: float = 20) -> float | None:
    """Seconds until `path`'s KPI shows a value and every chart holds a plot; None after `timeout`."""
    started = time.monotonic()
    script = (
        "const el = document.getElementById(arguments[0]);"
        "const text = el ? (el.textContent || '').trim() : '';"
        f"return !!text && text !== '\\u2014' && {ALL_CHARTS_DRAWN_JS};"
    )
    while time.monotonic() - started < timeout:
        if driver.execute_script(script, KPI_ELEMENTS[path]):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


class RedisServer:
    """An empty redis-server of our own on a free port (no persistence); `with` stops it."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        server = shutil.which("redis-server") or "redis-server"
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise TimeoutError(f"redis-server on port {self.port}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self) -> "RedisServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
