"""Backend fan-in and callback latency: C screens refreshing Overview and System on their interval.

Starts a redis-server, the fake Threads-Agent services (tests/fakes/, real HTTP, each
answer taking --backend-delay) and the dashboard under gunicorn (2 workers), then runs C simulated
screens for --seconds. Each screen sends the browser's own requests (built from
/_dash-dependencies): the Overview refresh every --interval seconds and the System refresh every
5 s, its start staggered over the first interval. Reports backend requests per endpoint per cache
TTL window (target: 1 fetch per endpoint per window), callback latency p50/p95/p99 and requests/s;
--compare also runs the same load with the cache disabled.

    .venv/bin/python bench/screens.py [--screens 1 10 50 200] [--seconds 30] [--compare] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import free_port, percentile, wait_http  # noqa: E402
from bench.dash_payloads import dependencies, find_callback, request_for  # noqa: E402
from tests.fakes import FakeBackends  # noqa: E402

LIST_PAGES = 3  # 250 achievements at per_page=100: one fetch of the list is 3 page requests


class Dashboard:
    """gunicorn + redis-server around the fake backends, for one configuration."""

    def __init__(self, fake: FakeBackends, *, ttl: float, cache: bool, workers: int):
        self.workdir = Path(tempfile.mkdtemp(prefix="screens-"))
        self.redis_port, self.port = free_port(), free_port()
        self.processes = [
            subprocess.Popen(
                [shutil.which("redis-server"), "--port", str(self.redis_port), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        ]
        env = {
            **os.environ,
            "ACHIEVEMENT_API_URL": fake.achievement_url,
            "ORCHESTRATOR_URL": fake.orchestrator_url,
            "TECH_DOC_API_URL": fake.tech_doc_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DASHBOARD_CACHE_TTL_SECONDS": str(ttl),
            "DASHBOARD_CACHE_ENABLED": "true" if cache else "false",
            "DASHBOARD_DATA_DIR": str(self.workdir / "data"),
            "WEB_CONCURRENCY": str(workers),
            "PORT": str(self.port),
            "PROMETHEUS_MULTIPROC_DIR": str(self.workdir / "metrics"),
            "DASHBOARD_LOG_LEVEL": "warning",
        }
        self.processes.append(
            subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "dashboard.wsgi:server"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        self.base = f"http://127.0.0.1:{self.port}"
        wait_http(self.base + "/healthz")

    def close(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            process.wait(timeout=40)
        shutil.rmtree(self.workdir, ignore_errors=True)


def bodies(base: str) -> dict[str, object]:
    """Request builders; the Overview one takes what the screen last drew, as a browser sends it."""
    deps = dependencies(base)
    overview = find_callback(deps, "overview-value-value.children")
    system = find_callback(deps, "system-achievements-card.className")
    return {
        "overview": lambda drawn: json.dumps(
            request_for(
                overview,
                {
                    "refresh-interval.n_intervals": 1,
                    "overview-range.data": "30d",
                    "theme-store.data": "dark",
                    "overview-drawn.data": drawn,
                },
                triggered="refresh-interval.n_intervals",
            )
        ).encode(),
        "system": lambda _drawn: json.dumps(
            request_for(
                system,
                {
                    "system-interval.n_intervals": 1,
                    "system-refresh.data": 5,
                },
                triggered="system-interval.n_intervals",
            )
        ).encode(),
    }


def run_screens(base: str, screens: int, seconds: float, interval: float) -> dict:
    url = base + "/_dash-update-component"
    payloads = bodies(base)
    latencies: dict[str, list[float]] = {"overview": [], "system": []}
    errors = Counter()
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    sizes: list[int] = []

    def send(kind: str, drawn=None):
        request = urllib.request.Request(url, data=payloads[kind](drawn), headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except OSError as exc:
            with lock:
                errors[type(exc).__name__] += 1
            return drawn
        with lock:
            latencies[kind].append((time.perf_counter() - started) * 1000)
            sizes.append(len(raw))
        if kind == "overview":
            return json.loads(raw)["response"].get("overview-drawn", {}).get("data", drawn)
        return drawn

    def screen(offset: float) -> None:
        time.sleep(offset)
        next_overview = next_system = time.monotonic()
        drawn = None
        while time.monotonic() < stop:
            now = time.monotonic()
            if now >= next_overview:
                drawn = send("overview", drawn)
                next_overview += interval
            if now >= next_system:
                send("system")
                next_system += 5.0
            time.sleep(max(0.0, min(next_overview, next_system) - time.monotonic()))

    threads = [threading.Thread(target=screen, args=(i * interval / screens,), daemon=True) for i in range(screens)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    every = latencies["overview"] + latencies["system"]
    return {
        "requests": len(every),
        "rps": len(every) / elapsed,
        "errors": dict(errors),
        "p50_ms": percentile(every, 50),
        "p95_ms": percentile(every, 95),
        "p99_ms": percentile(every, 99),
        "overview_p95_ms": percentile(latencies["overview"], 95),
        "system_p95_ms": percentile(latencies["system"], 95),
        "mean_response_bytes": statistics.mean(sizes) if sizes else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, nargs="+", default=[1, 10, 50, 200])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=10.0, help="Overview refresh interval of a screen")
    parser.add_argument("--ttl", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend-delay", type=float, default=0.05)
    parser.add_argument("--compare", action="store_true", help="also run with the cache disabled")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    results = []
    with FakeBackends() as fake:
        fake.add_achievements(250 - len(fake.achievements))
        for service in ("achievement-collector", "orchestrator"):
            fake.set_fault(service, "slow", delay=args.backend_delay)
        for cache in [True, False] if args.compare else [True]:
            dashboard = Dashboard(fake, ttl=args.ttl, cache=cache, workers=args.workers)
            try:
                for screens in args.screens:
                    fake.reset_calls()
                    figures = run_screens(dashboard.base, screens, args.seconds, args.interval)
                    windows = args.seconds / args.ttl
                    calls = {key: count for key, count in fake.calls.items()}
                    figures.update(
                        {
                            "cache": cache,
                            "screens": screens,
                            "windows": windows,
                            "list_fetches_per_window": calls.get("GET /achievements/", 0) / LIST_PAGES / windows,
                            "stats_per_window": calls.get("GET /content/stats", 0) / windows,
                            "metrics_per_window": calls.get("GET /metrics/summary", 0) / windows,
                            "health_calls": {k: v for k, v in calls.items() if k.endswith("/health")},
                        }
                    )
                    results.append(figures)
                    print(f"  done: {screens} screens, cache {'on' if cache else 'off'}", file=sys.stderr, flush=True)
            finally:
                dashboard.close()

    print(
        f"screens: Overview every {args.interval:g} s + System every 5 s per screen, {args.seconds:g} s runs, "
        f"gunicorn {args.workers}x4, Redis, TTL {args.ttl:g} s, backends answering in "
        f"{args.backend_delay * 1000:.0f} ms"
    )
    print(
        f"{'cache':<6}{'screens':>8}{'list fetches/TTL':>18}{'stats/TTL':>10}{'metrics/TTL':>12}"
        f"{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'KB/resp':>8}{'errors':>8}"
    )
    for r in results:
        print(
            f"{'on' if r['cache'] else 'off':<6}{r['screens']:>8}{r['list_fetches_per_window']:>18.2f}"
            f"{r['stats_per_window']:>10.2f}{r['metrics_per_window']:>12.2f}{r['rps']:>8.1f}{r['p50_ms']:>8.1f}"
            f"{r['p95_ms']:>8.1f}{r['p99_ms']:>8.1f}{r['mean_response_bytes'] / 1000:>8.1f}"
            f"{sum(r['errors'].values()):>8}"
        )
    print("targets: 1 fetch per endpoint per TTL window with the cache on; p95 <= 50 ms at 50 screens (warm)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
