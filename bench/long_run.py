"""Long run: worker memory (RSS) over thousands of Overview refreshes, and optionally the JS heap.

Starts the dashboard under gunicorn (gunicorn.conf.py, ONE worker so the RSS is one process,
worker recycling off so a leak cannot hide), sends 50 warm-up cycles, then `--cycles` Overview
refresh callbacks sequentially from one client, exactly as the browser sends them (built by
bench/dash_payloads.py), with a growing tick number. Prints the worker RSS at start and end (and a
trace every 10 %), growth, cycles/s and callback latency. With `--browser`, also opens
`/?refresh=5` in headless Chromium for `--browser-minutes`, alongside the cycles, advances its
refresh interval every `--browser-tick-ms` (so it runs hundreds of refreshes, not one per 5 s)
and prints `performance.memory`'s usedJSHeapSize after the page loaded, after 200 warm-up ticks
(the start of the growth figure, as the server's RSS starts after 50 warm-up cycles), every 15 s
and at the end, each after a forced GC. The browser has a gunicorn server of its own, so its
requests do not move the RSS measured for the cycles.

    .venv/bin/python bench/long_run.py [--cycles 5000 | --quick] [--browser [--browser-tick-ms 250]] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Gunicorn, chrome  # noqa: E402
from bench.dash_payloads import overview_refresh_request  # noqa: E402
from bench.page_load import wait_kpi  # noqa: E402

WARMUP = 50
HEAP_WARMUP_TICKS = 200
TARGET_GROWTH_PCT = 5.0

try:
    import psutil
except ImportError:  # pragma: no cover - psutil is in the venv, /proc is the fallback
    psutil = None


def worker_pids(master_pid: int) -> list[int]:
    if psutil is not None:
        return [child.pid for child in psutil.Process(master_pid).children()]
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            pids.append(int(status.parent.name))
    return pids


def rss_mb(pid: int) -> float:
    if psutil is not None:
        return psutil.Process(pid).memory_info().rss / 2**20
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024  # kB
    raise LookupError(pid)


def workers_rss_mb(master_pid: int) -> tuple[float, list[int]]:
    pids = worker_pids(master_pid)
    return sum(rss_mb(pid) for pid in pids), pids


def refresh_cycles(
    base: str, cycles: int, first_tick: int, master_pid: int | None = None
) -> tuple[list[float], list[dict]]:
    """Send `cycles` refreshes; latencies (ms) and, when master_pid is given, an RSS trace every 10 %."""
    body = overview_refresh_request(base, tick=first_tick)
    tick_input = next(
        item for item in body["inputs"] if item["id"] == "refresh-interval" and item["property"] == "n_intervals"
    )
    url = base + "/_dash-update-component"
    latencies: list[float] = []
    trace: list[dict] = []
    step = max(1, cycles // 10)
    for i in range(cycles):
        tick_input["value"] = first_tick + i
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"cycle {i}: HTTP {response.status}")
        latencies.append((time.perf_counter() - started) * 1000)
        if master_pid is not None and (i + 1) % step == 0:
            rss, pids = workers_rss_mb(master_pid)
            trace.append({"cycle": i + 1, "rss_mb": round(rss, 1), "pids": pids})
    return latencies, trace


TICK_SCRIPT = """
window.__benchTicks = 0;
window.__benchTimer = setInterval(function () {
  window.__benchTicks += 1;
  window.dash_clientside.set_props('refresh-interval', {n_intervals: 100000 + window.__benchTicks});
}, arguments[0]);
"""


def js_heap(base: str, minutes: float, tick_ms: int = 0, stop: threading.Event | None = None) -> dict:
    """usedJSHeapSize (MB) of `/?refresh=5` at start and at the end, each after a forced GC.

    With `tick_ms`, the page's refresh interval is also advanced every `tick_ms` ms from the page
    (dash_clientside.set_props, as the Interval would), so the browser runs many refresh cycles
    in a few minutes. Ends after `minutes` or when `stop` is set.
    """
    read = "if (window.gc) window.gc();return performance.memory ? performance.memory.usedJSHeapSize : null;"
    with chrome(("--enable-precise-memory-info", "--js-flags=--expose-gc"), performance_log=False) as driver:
        driver.get(base + "/?refresh=5")
        wait_kpi(driver, "overview-completed-value")
        time.sleep(2)
        loaded = driver.execute_script(read)
        if tick_ms:
            driver.execute_script(TICK_SCRIPT, tick_ms)
            # Warm-up, as for the server: the first ticks fill caches and JIT code, not a leak.
            while driver.execute_script("return window.__benchTicks || 0;") < HEAP_WARMUP_TICKS:
                time.sleep(0.5)
        start = driver.execute_script(read)
        began = time.monotonic()
        trace = [
            {
                "minute": 0.0,
                "ticks": driver.execute_script("return window.__benchTicks || 0;"),
                "used_mb": None if start is None else start / 2**20,
            }
        ]
        ends = began + minutes * 60
        while time.monotonic() < ends and not (stop is not None and stop.is_set()):
            time.sleep(min(15.0, max(0.0, ends - time.monotonic())))
            used = driver.execute_script(read)
            trace.append(
                {
                    "minute": round((time.monotonic() - began) / 60, 2),
                    "ticks": driver.execute_script("return window.__benchTicks || 0;"),
                    "used_mb": None if used is None else used / 2**20,
                }
            )
        ticks = driver.execute_script("clearInterval(window.__benchTimer); return window.__benchTicks || 0;")
        time.sleep(1)
        end = driver.execute_script(read)
        trace.append(
            {"minute": round((time.monotonic() - began) / 60, 2), "used_mb": None if end is None else end / 2**20}
        )
        return {
            "minutes": round((time.monotonic() - began) / 60, 2),
            "tick_ms": tick_ms,
            "ticks": ticks,
            "warmup_ticks": HEAP_WARMUP_TICKS if tick_ms else 0,
            "loaded_mb": None if loaded is None else loaded / 2**20,
            "start_mb": trace[0]["used_mb"],
            "end_mb": trace[-1]["used_mb"],
            "trace": trace,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=5000, help="Overview refreshes to send (default 5000)")
    parser.add_argument("--quick", action="store_true", help="500 cycles instead")
    parser.add_argument("--browser", action="store_true", help="also measure Chromium's JS heap on /?refresh=5")
    parser.add_argument(
        "--browser-minutes",
        type=float,
        default=2.0,
        help="how long the browser refreshes, alongside the cycles (default 2)",
    )
    parser.add_argument(
        "--browser-tick-ms",
        type=int,
        default=250,
        help="advance the page's refresh interval every N ms (0: only its own 5 s)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the measured server, e.g. MALLOC_MMAP_THRESHOLD_=131072",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    cycles = 500 if args.quick else args.cycles

    # Worker recycling off (GUNICORN_MAX_REQUESTS=0): a restart would reset the RSS we measure.
    # As deployed: the Docker image and `make serve` set glibc's mmap threshold (see Dockerfile).
    extra_env = {"MALLOC_MMAP_THRESHOLD_": "131072", **dict(item.split("=", 1) for item in args.env)}
    server = Gunicorn(workers=1, extra_env={"GUNICORN_MAX_REQUESTS": "0", **extra_env})
    heap: dict | None = None
    browser_thread = None
    stop_browser = threading.Event()
    # The browser gets a server of its own: its requests must not move the RSS measured here.
    browser_server = Gunicorn(workers=1) if args.browser else None
    try:
        server.start()
        master = server.process.pid
        refresh_cycles(server.base, WARMUP, first_tick=1)
        if browser_server is not None:  # alongside the cycles
            browser_server.start()

            def run_browser():
                nonlocal heap
                heap = js_heap(browser_server.base, args.browser_minutes, args.browser_tick_ms, stop_browser)

            browser_thread = threading.Thread(target=run_browser, daemon=True)
            browser_thread.start()
            time.sleep(5)  # the page loaded and its start heap read before the cycles begin
        start_rss, start_pids = workers_rss_mb(master)
        began = time.perf_counter()
        latencies, trace = refresh_cycles(server.base, cycles, first_tick=WARMUP + 1, master_pid=master)
        elapsed = time.perf_counter() - began
        end_rss, end_pids = workers_rss_mb(master)
        if browser_thread is not None:  # the browser runs its whole --browser-minutes
            browser_thread.join(timeout=args.browser_minutes * 60 + 120)
    finally:
        stop_browser.set()
        server.stop()
        if browser_server is not None:
            browser_server.stop()

    growth = (end_rss - start_rss) / start_rss * 100
    ordered = sorted(latencies)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    print(
        f"long run (gunicorn 1 worker, {cycles} Overview refreshes after {WARMUP} warm-up, one client"
        + (f", env {' '.join(args.env)}" if args.env else "")
        + ")"
    )
    print(f"  worker RSS start:  {start_rss:8.1f} MB")
    print(f"  worker RSS end:    {end_rss:8.1f} MB")
    print(f"  growth:            {growth:8.1f} %   (target <= {TARGET_GROWTH_PCT:.0f} %)")
    print(f"  throughput:        {cycles / elapsed:8.1f} cycles/s")
    print(f"  latency p50 / p95: {p50:8.1f} / {p95:.1f} ms")
    print("  RSS trace (cycle: MB): " + ", ".join(f"{t['cycle']}: {t['rss_mb']:.1f}" for t in trace))
    if start_pids != end_pids:
        print(f"  warning: worker pid changed ({start_pids} -> {end_pids}); the growth figure is not one process")
    if heap is not None:

        def fmt(value):
            return "n/a" if value is None else f"{value:.1f} MB"

        growth_heap = (
            None
            if not (heap["start_mb"] and heap["end_mb"])
            else (heap["end_mb"] - heap["start_mb"]) / heap["start_mb"] * 100
        )
        print(
            f"  browser JS heap (/?refresh=5, {heap['ticks']} refresh ticks every {heap['tick_ms']} ms"
            f" over {heap['minutes']:g} min): after load {fmt(heap['loaded_mb'])}, after"
            f" {heap['warmup_ticks']} warm-up ticks {fmt(heap['start_mb'])}, end {fmt(heap['end_mb'])}"
            + ("" if growth_heap is None else f", growth {growth_heap:.1f} %  (target <= {TARGET_GROWTH_PCT:.0f} %)")
        )
        heap["growth_pct"] = growth_heap
        print(
            "  JS heap trace (ticks: MB): "
            + ", ".join(f"{t.get('ticks', 0)}: {t['used_mb']:.1f}" for t in heap["trace"] if t["used_mb"] is not None)
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "cycles": cycles,
                    "warmup": WARMUP,
                    "start_rss_mb": start_rss,
                    "end_rss_mb": end_rss,
                    "growth_pct": growth,
                    "target_growth_pct": TARGET_GROWTH_PCT,
                    "cycles_per_s": cycles / elapsed,
                    "p50_ms": p50,
                    "p95_ms": p95,
                    "rss_trace": trace,
                    "worker_pids": {"start": start_pids, "end": end_pids},
                    "browser": heap,
                },
                indent=2,
            )
        )
        print(f"  wrote {args.json}")


if __name__ == "__main__":
    main()
