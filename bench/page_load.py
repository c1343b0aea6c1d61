"""Page load: seconds and bytes from a cold browser to the first KPI value on screen, per page.

Starts the dashboard under gunicorn (gunicorn.conf.py, 2 workers, empty data folder), then visits
`/`, `/achievements` and `/wallboard` N times each, every visit in a NEW headless Chromium with an
empty profile (so an empty browser cache). Time runs from `driver.get` to the page's KPI value
showing something other than "—" (polled every 20 ms). Bytes are the `encodedDataLength` of the
DevTools `Network.loadingFinished` events (falling back to the Resource Timing API), collected
until the network is quiet for 0.5 s (at most 5 s after the KPI showed).

    .venv/bin/python bench/page_load.py [--runs 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chromium import CHROMIUM_FLAGS  # noqa: E402

# (page path, element whose text must not be "—")
PAGES = (
    ("/", "overview-completed-value"),
    ("/achievements", "achievements-kpi-count"),
    ("/wallboard", "overview-completed-value"),
)
TARGET_SECONDS = 1.0
TARGET_MB = 3.0
KPI_SCRIPT = """
const el = document.getElementById(arguments[0]);
if (!el) return null;
const text = (el.textContent || '').trim();
return (text && text !== '\u2014' && el.offsetParent !== null) ? text : null;
"""
RESOURCE_SCRIPT = """
const nav = performance.getEntriesByType('navigation');
const res = performance.getEntriesByType('resource');
let bytes = 0;
for (const e of nav.concat(res)) bytes += e.transferSize || 0;
return [bytes, nav.length + res.length];
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(url)


class Gunicorn:
    """The dashboard under `gunicorn -c gunicorn.conf.py` on a free port, in temporary folders."""

    def __init__(self, workers: int, extra_env: dict[str, str] | None = None):
        self.workers = workers
        self.extra_env = extra_env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-gunicorn-"))
        self.log_path = self.tmp / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Gunicorn":
        data_dir, metrics_dir = self.tmp / "data", self.tmp / "metrics"
        data_dir.mkdir()
        metrics_dir.mkdir()
        env = {
            **os.environ,
            "WEB_CONCURRENCY": str(self.workers),
            "PORT": str(self.port),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "DASHBOARD_DATA_DIR": str(data_dir),
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            "GUNICORN_CONTROL_SOCKET": str(self.tmp / "gunicorn.ctl"),
            **self.extra_env,
        }
        env.pop("REDIS_URL", None)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "dashboard.wsgi:server"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        try:
            wait_http(self.base + "/healthz")
        except TimeoutError:
            tail = self.log_path.read_text(errors="replace")[-2000:]
            self.stop()
            raise SystemExit(f"gunicorn did not answer /healthz; log tail:\n{tail}")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def new_chrome(profile_dir: str, extra_flags: tuple[str, ...] = (), performance_log: bool = True):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS + extra_flags:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_kpi(driver, element_id: str, timeout: float = 60) -> str:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        text = driver.execute_script(KPI_SCRIPT, element_id)
        if text:
            return text
        time.sleep(0.02)
    raise TimeoutError(f"#{element_id} still empty after {timeout} s")


def network_bytes(driver) -> tuple[int, int, str]:
    """(bytes, requests, source): DevTools events until 0.5 s quiet (max 5 s), else Resource Timing."""
    try:
        total, count = 0, 0
        deadline = time.monotonic() + 5
        last_event = time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - last_event < 0.5:
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message.get("method") == "Network.loadingFinished":
                    total += int(message["params"].get("encodedDataLength", 0))
                    count += 1
                    last_event = time.monotonic()
            time.sleep(0.1)
        if count:
            return total, count, "devtools"
    except Exception:  # noqa: BLE001 - the log type may be unavailable; fall back below
        pass
    time.sleep(0.5)
    total, count = driver.execute_script(RESOURCE_SCRIPT)
    return int(total), int(count), "resource-timing"


def one_visit(base: str, path: str, element_id: str) -> dict:
    profile = tempfile.mkdtemp(prefix="bench-chrome-")
    driver = None
    try:
        driver = new_chrome(profile)
        started = time.perf_counter()
        driver.get(base + path)
        text = wait_kpi(driver, element_id)
        seconds = time.perf_counter() - started
        total, count, source = network_bytes(driver)
        return {"seconds": seconds, "bytes": total, "requests": count, "bytes_source": source, "kpi": text}
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold visits per page (default 5)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()

    server = Gunicorn(workers=2)
    results = []
    try:
        server.start()
        # One throwaway request per page so the figures are the browser's cold cache, not the
        # server's first-request setup (Dash's, per worker).
        for path, _ in PAGES:
            wait_http(server.base + path)
        for path, element_id in PAGES:
            visits = [one_visit(server.base, path, element_id) for _ in range(args.runs)]
            seconds = [v["seconds"] for v in visits]
            results.append({
                "page": path,
                "kpi_element": element_id,
                "median_s": statistics.median(seconds),
                "min_s": min(seconds),
                "max_s": max(seconds),
                "median_mb": statistics.median(v["bytes"] for v in visits) / 1e6,
                "requests": int(statistics.median(v["requests"] for v in visits)),
                "bytes_source": visits[0]["bytes_source"],
                "visits": visits,
            })
    finally:
        server.stop()

    print(f"page load (gunicorn 2 workers, new Chromium + empty profile per visit, {args.runs} runs)")
    print(f"  {'page':<14} {'median s':>9} {'min':>6} {'max':>6} {'median MB':>10} {'requests':>9}")
    for r in results:
        print(f"  {r['page']:<14} {r['median_s']:>9.2f} {r['min_s']:>6.2f} {r['max_s']:>6.2f}"
              f" {r['median_mb']:>10.2f} {r['requests']:>9}")
    print(f"  targets: median <= {TARGET_SECONDS:.1f} s, <= {TARGET_MB:.0f} MB transferred"
          f"  (bytes from {results[0]['bytes_source'] if results else '-'})")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "runs": args.runs, "target_seconds": TARGET_SECONDS, "target_mb": TARGET_MB, "pages": results,
        }, indent=2))
        print(f"  wrote {args.json}")


if __name__ == "__main__":
    main()
