"""Page load: seconds and bytes from a cold browser to the first KPI value on screen, per page.

Starts the dashboard under gunicorn (gunicorn.conf.py, 2 workers, empty data folder), then visits
`/`, `/achievements` and `/wallboard` N times each, every visit in a NEW headless Chromium with an
empty profile (so an empty browser cache). Times per visit:
- in page: from the navigation start (performance.timeOrigin) to the KPI element first showing
  something other than "—", recorded by a MutationObserver injected before the page loads;
- drawn: the same observer's time when, the KPI shown, every `.dash-graph` holds a `.main-svg`
  ("everything drawn", issue 18), and the main-thread seconds the page took until then (Chrome's
  Performance.getMetrics TaskDuration, read just before `driver.get` and once drawn);
- wall: from `driver.get` to the poll (every 20 ms) seeing the KPI (adds WebDriver and tab overhead).
Bytes are the `encodedDataLength` of the DevTools `Network.loadingFinished` events of the
dashboard's own URLs (Chromium's internal chrome:// pages are not counted), collected until the
network is quiet for 0.5 s (at most 5 s after the KPI showed). Each visit then loads the page a
second time in the same browser (its cache now filled): the repeat-visit bytes and time.

The server is warmed first (two throwaway Chromium visits per page), so the figures are the
browser's cold cache, not the server's first-request work (Dash's setup, compressing a bundle).

    .venv/bin/python bench/page_load.py [--runs 5] [--compare MODULE:ATTR] [--checkout LABEL=PATH ...] [--json PATH]

--compare MODULE:ATTR also serves another WSGI app (e.g. one without a change under test) and
alternates visits between the two: the ratio of one run. --checkout LABEL=PATH (repeatable)
serves those trees, each with its own .venv, instead of this one, visits alternated.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    ALL_CHARTS_DRAWN_JS,
    KPI_ELEMENTS,
    Gunicorn,
    main_thread_metrics,
    new_chrome,
    parse_checkouts,
    wait_http,
)

# (page path, element whose text must not be "—")
PAGES = tuple(KPI_ELEMENTS.items())
DRAWN_TIMEOUT_S = 20
TARGET_SECONDS = 1.0
TARGET_MB = 3.0
TARGET_KPI_S, TARGET_DRAWN_S = 0.6, 1.5  # issue 18
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
# Injected before any page script: notes performance.now() when the KPI first shows a value, and
# when, the KPI shown, every chart on the page holds a drawn plot ("everything drawn").
OBSERVER_SCRIPT = """
(function () {
  const id = %s;
  const kpiShown = () => {
    const el = document.getElementById(id);
    const text = el ? (el.textContent || '').trim() : '';
    return !!text && text !== '\u2014' && el.offsetParent !== null;
  };
  const check = () => {
    if (window.__kpiShownAt === undefined && kpiShown()) window.__kpiShownAt = performance.now();
    if (window.__kpiShownAt !== undefined && %s) { window.__drawnAt = performance.now(); return true; }
    return false;
  };
  const start = () => {
    if (check()) return;
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(document.documentElement, {childList: true, subtree: true, characterData: true});
  };
  if (document.documentElement) start(); else document.addEventListener('readystatechange', start, {once: true});
})();
"""
APPS = {"app": "dashboard.wsgi:server"}


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


def _load(driver, url: str, element_id: str) -> dict:
    """One navigation: wall and in-page seconds until the KPI shows a value, in-page seconds until
    everything is drawn (None if not within DRAWN_TIMEOUT_S), and the main-thread seconds till then."""
    tasks_before = main_thread_metrics(driver).get("TaskDuration", 0.0)
    started = time.perf_counter()
    driver.get(url)
    wait_kpi(driver, element_id)
    wall = time.perf_counter() - started
    in_page = driver.execute_script("return window.__kpiShownAt || null")
    drawn = None
    while drawn is None and time.perf_counter() - started < DRAWN_TIMEOUT_S:
        drawn = driver.execute_script("return window.__drawnAt || null")
        time.sleep(0.02)
    tasks = main_thread_metrics(driver).get("TaskDuration", 0.0)
    return {
        "wall": wall,
        "in_page": in_page / 1000 if in_page is not None else wall,
        "drawn": drawn / 1000 if drawn is not None else None,
        # A navigation may move the page to a new renderer, whose count starts again at zero.
        "main_thread": tasks - tasks_before if tasks >= tasks_before else tasks,
    }


def one_visit(base: str, path: str, element_id: str, repeat: bool = True) -> dict:
    profile = tempfile.mkdtemp(prefix="bench-chrome-")
    driver = None
    try:
        driver = new_chrome(profile)
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": OBSERVER_SCRIPT % (json.dumps(element_id), ALL_CHARTS_DRAWN_JS)},
        )
        driver.get_log("performance")  # drop the new tab's own events
        first = _load(driver, base + path, element_id)
        total, count, source = network_bytes(driver, base)
        visit = {
            "seconds": first["in_page"],
            "wall_seconds": first["wall"],
            "drawn_seconds": first["drawn"],
            "main_thread_seconds": first["main_thread"],
            "bytes": total,
            "requests": count,
            "bytes_source": source,
        }
        if repeat:  # the same page again, the browser cache now filled
            driver.get("about:blank")
            driver.get_log("performance")
            again = _load(driver, base + path, element_id)
            total2, count2, _ = network_bytes(driver, base)
            visit.update(
                repeat_seconds=again["in_page"],
                repeat_drawn_seconds=again["drawn"],
                repeat_bytes=total2,
                repeat_requests=count2,
            )
        return visit
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _median(values) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


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
        "median_drawn_s": _median(v["drawn_seconds"] for v in visits),
        "not_drawn": sum(v["drawn_seconds"] is None for v in visits),
        "median_main_thread_s": _median(v["main_thread_seconds"] for v in visits),
        "median_mb": statistics.median(v["bytes"] for v in visits) / 1e6,
        "requests": int(statistics.median(v["requests"] for v in visits)),
        "repeat_median_s": statistics.median(v.get("repeat_seconds", float("nan")) for v in visits),
        "repeat_median_kb": statistics.median(v.get("repeat_bytes", 0) for v in visits) / 1e3,
        "bytes_source": visits[0]["bytes_source"],
        "visits": visits,
    }


def _fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold visits per page (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="throwaway visits per page first (default 2)")
    parser.add_argument(
        "--compare",
        metavar="MODULE:ATTR",
        help="also serve this WSGI app ('other'), visits alternated, ratios other/app",
    )
    parser.add_argument(
        "--checkout",
        action="append",
        metavar="LABEL=PATH",
        help="serve this tree (its .venv/bin/gunicorn) under LABEL instead of 'app'; repeat to alternate trees",
    )
    parser.add_argument("--pages", nargs="+", help="only these paths (default: all three)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()

    trees = {c.label: c for c in parse_checkouts(args.checkout)} if args.checkout else {"app": None}
    servers = {name: Gunicorn(workers=2, app=APPS["app"], checkout=tree) for name, tree in trees.items()}
    if args.compare:
        servers["other"] = Gunicorn(workers=2, app=args.compare)
    pages = [p for p in PAGES if not args.pages or p[0] in args.pages]
    variants = list(servers)
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
        f"  {'page':<14} {'server':<7} {'in page s':>9} {'min':>5} {'max':>5} {'wall s':>7} {'drawn s':>8}"
        f" {'main s':>7} {'MB':>5} {'reqs':>5} {'repeat s':>9} {'repeat KB':>10}"
    )
    for r in results:
        print(
            f"  {r['page']:<14} {r['variant']:<7} {r['median_s']:>9.2f} {r['min_s']:>5.2f} {r['max_s']:>5.2f}"
            f" {r['median_wall_s']:>7.2f} {_fmt(r['median_drawn_s']):>8} {_fmt(r['median_main_thread_s']):>7}"
            f" {r['median_mb']:>5.2f} {r['requests']:>5} {r['repeat_median_s']:>9.2f} {r['repeat_median_kb']:>10.1f}"
            + (f"  ({r['not_drawn']} visits not drawn in {DRAWN_TIMEOUT_S} s)" if r["not_drawn"] else "")
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
    print(
        f"  issue 18: KPIs <= {TARGET_KPI_S} s, everything drawn <= {TARGET_DRAWN_S} s (drawn: every .dash-graph"
        " holds a .main-svg; main: main-thread seconds till then, Performance.getMetrics TaskDuration)"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "runs": args.runs,
                    "target_seconds": TARGET_SECONDS,
                    "target_mb": TARGET_MB,
                    "target_kpi_s": TARGET_KPI_S,
                    "target_drawn_s": TARGET_DRAWN_S,
                    "pages": results,
                },
                indent=2,
            )
        )
        print(f"  wrote {args.json}")


if __name__ == "__main__":
    main()
