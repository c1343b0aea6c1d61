"""Page load: seconds and bytes from a cold browser to the first KPI value on screen, per page.

Starts the dashboard under gunicorn (gunicorn.conf.py, 2 workers, empty data folder), then visits
`/`, `/achievements` and `/wallboard` N times each, every visit in a NEW headless Chromium with an
empty profile (so an empty browser cache). Two times per visit:
- in page: from the navigation start (performance.timeOrigin) to the KPI element first showing
  something other than "—", recorded by a MutationObserver injected before the page loads;
- wall: from `driver.get` to the poll (every 20 ms) seeing it (adds WebDriver and tab overhead).
Bytes are the `encodedDataLength` of the DevTools `Network.loadingFinished` events of the
dashboard's own URLs (Chromium's internal chrome:// pages are not counted), collected until the
network is quiet for 0.5 s (at most 5 s after the KPI showed). Each visit then loads the page a
second time in the same browser (its cache now filled): the repeat-visit bytes and time.

The server is warmed first (two throwaway Chromium visits per page), so the figures are the
browser's cold cache, not the server's first-request work (Dash's setup, compressing a bundle).

    .venv/bin/python bench/page_load.py [--runs 5] [--compare MODULE:ATTR] [--json PATH]

--compare MODULE:ATTR also serves another WSGI app (e.g. one without a change under test) and
alternates visits between the two: the ratio of one run.
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
# Injected before any page script: notes performance.now() when the KPI first shows a value.
OBSERVER_SCRIPT = """
(function () {
  const id = %s;
  const seen = () => {
    const el = document.getElementById(id);
    const text = el ? (el.textContent || '').trim() : '';
    if (text && text !== '\u2014' && el.offsetParent !== null) { window.__kpiShownAt = performance.now(); return true; }
    return false;
  };
  const start = () => {
    if (seen()) return;
    const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
    observer.observe(document.documentElement, {childList: true, subtree: true, characterData: true});
  };
  if (document.documentElement) start(); else document.addEventListener('readystatechange', start, {once: true});
})();
"""
APPS = {"app": "dashboard.wsgi:server"}


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

    def __init__(self, workers: int, extra_env: dict[str, str] | None = None, app: str = "dashboard.wsgi:server"):
        self.workers = workers
        self.app = app
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
                [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", self.app],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
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


def network_bytes(driver, base: str) -> tuple[int, int, str]:
    """(bytes, requests, source) of `base`'s URLs: DevTools events until 0.5 s quiet (max 5 s)."""
    try:
        total, count, urls = 0, 0, {}
        deadline = time.monotonic() + 5
        last_event = time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - last_event < 0.5:
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                params = message.get("params", {})
                if message.get("method") in ("Network.requestWillBeSent", "Network.responseReceived"):
                    url = (params.get("request") or params.get("response") or {}).get("url", "")
                    urls.setdefault(params.get("requestId"), url)
                elif message.get("method") == "Network.loadingFinished":
                    if urls.get(params.get("requestId"), "").startswith(base):
                        total += int(params.get("encodedDataLength", 0))
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


def _load(driver, url: str, element_id: str) -> tuple[float, float]:
    """(wall seconds, in-page seconds) of one navigation until the KPI shows a value."""
    started = time.perf_counter()
    driver.get(url)
    wait_kpi(driver, element_id)
    wall = time.perf_counter() - started
    in_page = driver.execute_script("return window.__kpiShownAt || null")
    return wall, (in_page / 1000 if in_page is not None else wall)


def one_visit(base: str, path: str, element_id: str, repeat: bool = True) -> dict:
    profile = tempfile.mkdtemp(prefix="bench-chrome-")
    driver = None
    try:
        driver = new_chrome(profile)
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": OBSERVER_SCRIPT % json.dumps(element_id)}
        )
        driver.get_log("performance")  # drop the new tab's own events
        wall, in_page = _load(driver, base + path, element_id)
        total, count, source = network_bytes(driver, base)
        visit = {"seconds": in_page, "wall_seconds": wall, "bytes": total, "requests": count, "bytes_source": source}
        if repeat:  # the same page again, the browser cache now filled
            driver.get("about:blank")
            driver.get_log("performance")
            wall2, in_page2 = _load(driver, base + path, element_id)
            total2, count2, _ = network_bytes(driver, base)
            visit.update(repeat_seconds=in_page2, repeat_bytes=total2, repeat_requests=count2)
        return visit
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def summarise(path: str, element_id: str, variant: str, visits: list[dict]) -> dict:
    seconds = [v["seconds"] for v in visits]
    return {
        "page": path,
        "variant": variant,
        "kpi_element": element_id,
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "median_wall_s": statistics.median(v["wall_seconds"] for v in visits),
        "median_mb": statistics.median(v["bytes"] for v in visits) / 1e6,
        "requests": int(statistics.median(v["requests"] for v in visits)),
        "repeat_median_s": statistics.median(v.get("repeat_seconds", float("nan")) for v in visits),
        "repeat_median_kb": statistics.median(v.get("repeat_bytes", 0) for v in visits) / 1e3,
        "bytes_source": visits[0]["bytes_source"],
        "visits": visits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold visits per page (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="throwaway visits per page first (default 2)")
    parser.add_argument(
        "--compare",
        metavar="MODULE:ATTR",
        help="also serve this WSGI app ('other'), visits alternated, ratios other/app",
    )
    parser.add_argument("--pages", nargs="+", help="only these paths (default: all three)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()

    apps = {**APPS, **({"other": args.compare} if args.compare else {})}
    pages = [p for p in PAGES if not args.pages or p[0] in args.pages]
    variants = list(apps)
    servers = {name: Gunicorn(workers=2, app=apps[name]) for name in variants}
    visits: dict[tuple[str, str], list[dict]] = {(path, v): [] for path, _ in pages for v in variants}
    try:
        for server in servers.values():
            server.start()
            for path, element_id in pages:
                wait_http(server.base + path)
                for _ in range(args.warmup):  # the server's first-request work, per worker
                    one_visit(server.base, path, element_id, repeat=False)
        for _ in range(args.runs):
            for path, element_id in pages:
                for name, server in servers.items():  # alternated: same conditions for both
                    visits[(path, name)].append(one_visit(server.base, path, element_id))
    finally:
        for server in servers.values():
            server.stop()
    results = [
        summarise(path, element_id, name, visits[(path, name)]) for path, element_id in pages for name in variants
    ]

    print(f"page load (gunicorn 2 workers, new Chromium + empty profile per visit, median of {args.runs})")
    print(
        f"  {'page':<14} {'server':<7} {'in page s':>9} {'min':>5} {'max':>5} {'wall s':>7} {'MB':>5}"
        f" {'reqs':>5} {'repeat s':>9} {'repeat KB':>10}"
    )
    for r in results:
        print(
            f"  {r['page']:<14} {r['variant']:<7} {r['median_s']:>9.2f} {r['min_s']:>5.2f} {r['max_s']:>5.2f}"
            f" {r['median_wall_s']:>7.2f} {r['median_mb']:>5.2f} {r['requests']:>5} {r['repeat_median_s']:>9.2f}"
            f" {r['repeat_median_kb']:>10.1f}"
        )
    if args.compare:
        for path, _ in pages:
            b, a = (next(r for r in results if r["page"] == path and r["variant"] == v) for v in ("app", "other"))
            print(
                f"  {path:<14} other/app: time x{a['median_s'] / b['median_s']:.2f},"
                f" bytes x{a['median_mb'] / b['median_mb']:.2f},"
                f" repeat-visit bytes x{a['repeat_median_kb'] / max(b['repeat_median_kb'], 1e-9):.2f}"
            )
    print(
        f"  targets: median <= {TARGET_SECONDS:.1f} s (in page: navigation start -> KPI shown),"
        f" <= {TARGET_MB:.0f} MB transferred (bytes from {results[0]['bytes_source'] if results else '-'})"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "runs": args.runs,
                    "target_seconds": TARGET_SECONDS,
                    "target_mb": TARGET_MB,
                    "pages": results,
                },
                indent=2,
            )
        )
        print(f"  wrote {args.json}")


if __name__ == "__main__":
    main()
