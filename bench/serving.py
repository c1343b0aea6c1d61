"""Serving at the default configuration: start -> first page, start-up CPU, memory after 10 visits.

Runs `gunicorn -c gunicorn.conf.py dashboard.wsgi:server` as shipped: no WEB_CONCURRENCY or
GUNICORN_* tuning set (only PORT, an empty DASHBOARD_DATA_DIR, and a control socket and metrics
folder of its own so two servers never share a path), the embedded store, no Redis unless --redis.
Per run:
- seconds from the Popen to the first 200 of GET `/`, then of the Overview refresh callback (as
  the browser sends it, bench/dash_payloads.py), then of the plotly bundle with Accept-Encoding: br;
  how long that first bundle request took (a worker compressing it on its first request shows here)
  and a second one (which may land on another worker that has not compressed it yet);
- CPU seconds of the whole process tree (utime + stime of master and workers, reaped children
  included, /proc/PID/stat) at the first page, and once the tree is quiet (start-up finished);
- memory after --visits browser visits: each a NEW headless Chromium loading `/` until every chart
  is drawn (20 s at most), then quitting; the sum of RSS and of PSS (/proc/PID/smaps_rollup) of the
  master and every worker, and the number of processes. PSS divides a page shared after the fork
  among the processes sharing it; RSS counts it in each.

    .venv/bin/python bench/serving.py [--runs 3] [--visits 10] [--checkout LABEL=PATH ...]
        [--env KEY=VALUE ...] [--redis] [--json PATH]

--checkout (repeatable; default this tree, "this") serves that tree with its own .venv/bin/gunicorn
from its folder; runs alternate A, B, A, B so both see the same machine. --env tries a setting
(e.g. WEB_CONCURRENCY=3) on every checkout. Figures are medians over the runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Checkout,
    Gunicorn,
    RedisServer,
    chrome,
    cpu_seconds,
    memory_mb,
    parse_checkouts,
    parse_env,
    wait_charts_drawn,
    write_json,
)
from bench.dash_payloads import overview_refresh_request  # noqa: E402

PLOTLY_BUNDLE = "/_dash-component-suites/plotly/package_data/plotly.min.js"
SEED = {"memory_mb": 215.0, "first_page_s": 1.37}
TARGET = {"memory_mb": 160.0, "first_page_s": 1.0}
START_TIMEOUT_S = 90


def fetch(url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read(), dict(response.headers)


def first_200(url: str, deadline: float, **kwargs) -> tuple[float, float, dict, int]:
    """(monotonic time of the first 200, that request's own seconds, its headers, body bytes)."""
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, raw, headers = fetch(url, **kwargs)
        except OSError:
            time.sleep(0.02)
            continue
        if status == 200:
            now = time.monotonic()
            return now, now - started, headers, len(raw)
    raise TimeoutError(url)


def settled_cpu(server: Gunicorn, quiet_s: float = 1.0, timeout: float = 30) -> float:
    """The tree's CPU seconds once it used under 2 % of a core over `quiet_s` (start-up done)."""
    deadline = time.monotonic() + timeout
    last = cpu_seconds(server.pids())
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        now = cpu_seconds(server.pids())
        if now - last < 0.02 * quiet_s:
            return now
        last = now
    return last


def browser_visits(base: str, visits: int) -> list[float | None]:
    """Seconds until everything was drawn, per visit in a new Chromium (None: not within 20 s)."""
    drawn = []
    for _ in range(visits):
        with chrome(performance_log=False) as driver:
            driver.get(base + "/")
            drawn.append(wait_charts_drawn(driver, "/"))
    return drawn


def one_run(checkout: Checkout, env: dict[str, str], visits: int) -> dict:
    server = Gunicorn(workers=None, extra_env=env, checkout=checkout)
    server.launch()
    try:
        began, deadline = server.launched_at, server.launched_at + START_TIMEOUT_S
        page_at, _, _, _ = first_200(server.base + "/", deadline)
        cpu_first_page = cpu_seconds(server.pids())
        body = json.dumps(overview_refresh_request(server.base)).encode()
        data_at, _, _, _ = first_200(server.base + "/_dash-update-component", deadline, body=body)
        br = {"Accept-Encoding": "br"}
        bundle_at, bundle_first_s, headers, size = first_200(server.base + PLOTLY_BUNDLE, deadline, headers=br)
        second_started = time.monotonic()
        fetch(server.base + PLOTLY_BUNDLE, headers=br)
        bundle_second_s = time.monotonic() - second_started
        cpu_settled = settled_cpu(server)
        drawn = browser_visits(server.base, visits)
        pids = server.pids()
        rss, pss = memory_mb(pids)
    except (TimeoutError, OSError) as exc:
        tail = server.log_path.read_text(errors="replace")[-1500:]
        raise SystemExit(f"{checkout.label}: {exc}; gunicorn log tail:\n{tail}") from None
    finally:
        server.stop()
    return {
        "first_page_s": page_at - began,
        "first_data_s": data_at - began,
        "first_bundle_s": bundle_at - began,
        "bundle_first_request_s": bundle_first_s,
        "bundle_second_request_s": bundle_second_s,
        "bundle_encoding": headers.get("Content-Encoding", "identity"),
        "bundle_bytes": size,
        "cpu_first_page_s": cpu_first_page,
        "cpu_settled_s": cpu_settled,
        "visits_drawn_s": drawn,
        "rss_mb": rss,
        "pss_mb": pss,
        "processes": len(pids),
    }


def summarise(runs: list[dict]) -> dict:
    keys = [k for k, v in runs[0].items() if isinstance(v, (int, float))]
    medians = {k: statistics.median(r[k] for r in runs) for k in keys}
    drawn = [s for r in runs for s in r["visits_drawn_s"] if s is not None]
    medians["visit_drawn_median_s"] = statistics.median(drawn) if drawn else None
    medians["visits_not_drawn"] = sum(s is None for r in runs for s in r["visits_drawn_s"])
    medians["bundle_encoding"] = runs[0]["bundle_encoding"]
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--visits", type=int, default=10, help="browser visits before the memory reading")
    parser.add_argument("--checkout", action="append", metavar="LABEL=PATH")
    parser.add_argument("--env", action="append", metavar="KEY=VALUE", help="extra environment for gunicorn")
    parser.add_argument("--redis", action="store_true", help="an empty redis-server of its own as the cache")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    checkouts = parse_checkouts(args.checkout)
    env = parse_env(args.env)
    runs: dict[str, list[dict]] = {c.label: [] for c in checkouts}
    redis = RedisServer() if args.redis else None
    try:
        for i in range(args.runs):
            for checkout in checkouts:  # alternated: A, B, A, B
                run_env = {**env, **({"REDIS_URL": redis.url} if redis else {})}
                runs[checkout.label].append(one_run(checkout, run_env, args.visits))
                print(f"  done: run {i + 1} {checkout.label}", file=sys.stderr, flush=True)
    finally:
        if redis is not None:
            redis.stop()
    results = {label: summarise(r) for label, r in runs.items()}

    settings = " ".join(args.env or []) or "no WEB_CONCURRENCY/GUNICORN_* set"
    print(
        f"serving (gunicorn -c gunicorn.conf.py, {settings}, {'Redis' if redis else 'no Redis'},"
        f" empty data dir; medians of {args.runs} runs, {args.visits} browser visits each)"
    )
    print(
        f"  {'tree':<10}{'page s':>7}{'data s':>7}{'bundle s':>9}{'1st req':>8}{'2nd req':>8}{'CPU@page':>9}"
        f"{'CPU done':>9}{'RSS MB':>8}{'PSS MB':>8}{'procs':>6}{'drawn s':>8}"
    )
    for label, r in results.items():
        drawn = r["visit_drawn_median_s"]
        print(
            f"  {label:<10}{r['first_page_s']:>7.2f}{r['first_data_s']:>7.2f}{r['first_bundle_s']:>9.2f}"
            f"{r['bundle_first_request_s']:>8.2f}{r['bundle_second_request_s']:>8.2f}{r['cpu_first_page_s']:>9.2f}"
            f"{r['cpu_settled_s']:>9.2f}{r['rss_mb']:>8.0f}{r['pss_mb']:>8.0f}{r['processes']:>6.0f}"
            f"{'-' if drawn is None else f'{drawn:.2f}':>8}"
            + (f"  ({r['visits_not_drawn']} visits not drawn in 20 s)" if r["visits_not_drawn"] else "")
        )
    print(
        f"  targets (issue 18): start -> first page <= {TARGET['first_page_s']} s (seed {SEED['first_page_s']} s);"
        f" memory after 10 visits <= {TARGET['memory_mb']:.0f} MB (seed {SEED['memory_mb']:.0f} MB)."
        f" Bundle: {PLOTLY_BUNDLE} with Accept-Encoding br ({results[checkouts[0].label]['bundle_encoding']})"
    )
    write_json(
        args.json,
        {
            "env": env,
            "redis": bool(redis),
            "visits": args.visits,
            "checkouts": {c.label: str(c.path) for c in checkouts},
            "seed": SEED,
            "target": TARGET,
            "results": results,
            "runs": runs,
        },
    )


if __name__ == "__main__":
    main()
