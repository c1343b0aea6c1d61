"""Idle page: the browser main-thread time an open, drawn page costs per second, and its requests.

Serves the dashboard under gunicorn (gunicorn.conf.py, 2 workers, empty data folder, as
bench/page_load.py does). For each page (`/`, `/wallboard`, `/achievements`) a headless Chromium
of its own opens it, waits until it is drawn (its KPI shows a value and every `.dash-graph` holds
a `.main-svg`; 20 s at most) and 2 s more, then reads Chrome's CDP `Performance.getMetrics` at the
start and the end of a --seconds window: TaskDuration (all main-thread work), ScriptDuration,
LayoutDuration and RecalcStyleDuration, each as milliseconds per second of the window. It also
counts the requests the page sent the server in the window (DevTools Network.requestWillBeSent),
by path and, for callbacks, by their first output, so a callback firing every second shows.

The pages are watched one after another, each in a browser of its own (pages first, trees
alternating: /, A then B, /wallboard, A then B, ...). --parallel watches them all at once, each in
a separate browser, so the run takes --seconds instead of pages x trees x --seconds; but on 2 cores
the browsers slow one another: in a trial, 30 s windows read 1.4-1.9x the one-after-another figures.

    .venv/bin/python bench/idle_page.py [--seconds 180] [--pages / /wallboard] [--parallel]
        [--checkout LABEL=PATH ...] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    KPI_ELEMENTS,
    Gunicorn,
    chrome,
    main_thread_metrics,
    parse_checkouts,
    wait_charts_drawn,
    wait_http,
    write_json,
)

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
TARGET_MS_PER_S, SEED_MS_PER_S, ISSUE_BEFORE_MS_PER_S = 5.0, 6.0, 39.0
SETTLE_S = 2.0


def _requests(driver, base: str, seen: Counter) -> None:
    """Count the page's requests to `base` from the DevTools log gathered since the last call."""
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        request = message["params"].get("request", {})
        if not request.get("url", "").startswith(base):
            continue
        key = urlsplit(request["url"]).path
        if key.endswith("_dash-update-component"):
            try:
                key = "callback " + json.loads(request.get("postData") or "{}").get("output", "?").strip(".")[:70]
            except ValueError:
                key = "callback ?"
        seen[key] += 1


def watch(base: str, path: str, seconds: float) -> dict:
    with chrome() as driver:
        driver.get(base + path)
        drawn = wait_charts_drawn(driver, path)
        time.sleep(SETTLE_S)
        driver.get_log("performance")  # the load's own requests are not the idle page's
        start = main_thread_metrics(driver)
        began = time.monotonic()
        requests: Counter = Counter()
        while time.monotonic() - began < seconds:
            time.sleep(min(10.0, seconds - (time.monotonic() - began)))
            _requests(driver, base, requests)
        end = main_thread_metrics(driver)
        window = time.monotonic() - began
        _requests(driver, base, requests)
        return {
            "page": path,
            "drawn_s": drawn,
            "window_s": window,
            **{f"{name}_ms_per_s": (end[name] - start[name]) * 1000 / window for name in METRICS},
            "requests": sum(requests.values()),
            "requests_per_s": sum(requests.values()) / window,
            "requests_by_kind": dict(requests.most_common()),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--pages", nargs="+", default=["/", "/wallboard", "/achievements"], choices=list(KPI_ELEMENTS))
    parser.add_argument("--parallel", action="store_true", help="all pages at once (faster, inflated figures)")
    parser.add_argument("--checkout", action="append", metavar="LABEL=PATH")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    checkouts = parse_checkouts(args.checkout)
    servers = {c.label: Gunicorn(workers=2, checkout=c) for c in checkouts}
    results: list[dict] = []
    lock = threading.Lock()

    def run(label: str, path: str) -> None:
        figures = {"tree": label, **watch(servers[label].base, path, args.seconds)}
        with lock:
            results.append(figures)

    jobs = [(label, path) for path in args.pages for label in servers]
    try:
        for server in servers.values():
            server.start()
            for path in args.pages:
                wait_http(server.base + path)
        if not args.parallel:
            for job in jobs:
                run(*job)
        else:
            threads = [threading.Thread(target=run, args=job, daemon=True) for job in jobs]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.seconds + 120)
    finally:
        for server in servers.values():
            server.stop()
    results.sort(key=lambda r: (args.pages.index(r["page"]), r["tree"]))

    how = f"{len(jobs)} browsers at once" if args.parallel else "one after another"
    print(f"idle page (gunicorn 2 workers; each page drawn, then {args.seconds:g} s open; {how})")
    print(f"  {'page':<14}{'tree':<8}{'task ms/s':>10}{'script':>8}{'layout':>8}{'style':>8}{'req/s':>7}  requests")
    for r in results:
        kinds = ", ".join(f"{k} x{n}" for k, n in list(r["requests_by_kind"].items())[:4]) or "none"
        print(
            f"  {r['page']:<14}{r['tree']:<8}{r['TaskDuration_ms_per_s']:>10.1f}{r['ScriptDuration_ms_per_s']:>8.1f}"
            f"{r['LayoutDuration_ms_per_s']:>8.1f}{r['RecalcStyleDuration_ms_per_s']:>8.1f}"
            f"{r['requests_per_s']:>7.2f}  {kinds}" + ("" if r["drawn_s"] is not None else "  (not drawn within 20 s)")
        )
    print(
        f"  target (issue 18): <= {TARGET_MS_PER_S:g} ms/s main-thread time (seed {SEED_MS_PER_S:g} ms/s,"
        f" issue's before {ISSUE_BEFORE_MS_PER_S:g} ms/s); task = Performance.getMetrics TaskDuration"
    )
    write_json(
        args.json,
        {
            "seconds": args.seconds,
            "parallel": args.parallel,
            "checkouts": {c.label: str(c.path) for c in checkouts},
            "target_ms_per_s": TARGET_MS_PER_S,
            "seed_ms_per_s": SEED_MS_PER_S,
            "pages": results,
        },
    )


if __name__ == "__main__":
    main()
