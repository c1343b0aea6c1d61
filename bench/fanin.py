"""Backend fan-in: how many backend calls N screens refreshing the Overview at once cause.

Starts a redis-server, the fake Threads-Agent services (tests/fakes/, real HTTP) and
the dashboard under gunicorn (2 workers x 4 threads), then sends N concurrent Overview refreshes
(the browser's own `/_dash-update-component` request, built from `/_dash-dependencies`) in three
situations: a cold cache, a warm cache, and just after the TTL expired. Prints backend calls per
endpoint and callback latency.

    .venv/bin/python bench/fanin.py [--screens 20] [--workers 2] [--ttl 5] [--no-redis]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import free_port, percentile, wait_http  # noqa: E402
from bench.dash_payloads import overview_refresh_request  # noqa: E402
from tests.fakes import FakeBackends  # noqa: E402

ENDPOINTS = ("GET /achievements/", "GET /content/stats")


def post(url: str, body: bytes | None) -> float:
    """POST `body` (a callback), or GET when body is None (an embedded chart's figure)."""
    started = time.perf_counter()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        assert response.status == 200
    return (time.perf_counter() - started) * 1000


def burst(url: str, body: bytes, screens: int) -> list[float]:
    latencies: list[float] = []
    failures: list[str] = []
    barrier = threading.Barrier(screens)

    def screen():
        barrier.wait()
        try:
            latencies.append(post(url, body))
        except OSError as exc:
            failures.append(str(exc))

    threads = [threading.Thread(target=screen) for _ in range(screens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"{len(failures)} of {screens} refreshes failed: {failures[0]}")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ttl", type=float, default=5.0)
    parser.add_argument(
        "--backend-delay",
        type=float,
        default=0.05,
        help="seconds each backend answer takes (a real service is not instant)",
    )
    parser.add_argument("--no-redis", action="store_true", help="in-process cache per worker")
    parser.add_argument(
        "--embeds",
        action="store_true",
        help="N embedded charts (GET /api/charts/value-trend) instead of N Overview screens",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fanin-"))
    processes: list[subprocess.Popen] = []
    fake = FakeBackends().start()
    try:
        fake.add_achievements(250 - len(fake.achievements))
        if args.backend_delay:
            fake.set_fault("achievement-collector", "slow", delay=args.backend_delay)
            fake.set_fault("orchestrator", "slow", delay=args.backend_delay)
        env = {
            **os.environ,
            "ACHIEVEMENT_API_URL": fake.achievement_url,
            "ORCHESTRATOR_URL": fake.orchestrator_url,
            "DASHBOARD_CACHE_TTL_SECONDS": str(args.ttl),
            "DASHBOARD_DATA_DIR": str(workdir / "data"),
        }
        env.pop("REDIS_URL", None)
        if not args.no_redis:
            redis_port = free_port()
            processes.append(
                subprocess.Popen(
                    [shutil.which("redis-server"), "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/gunicorn"),
                    "--workers",
                    str(args.workers),
                    "--threads",
                    "4",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "dashboard.wsgi:server",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(workdir / "gunicorn.log", "w"),
            )
        )
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/healthz")
        if args.embeds:
            body, url = None, base + "/api/charts/value-trend?range=all"
        else:
            body = json.dumps(overview_refresh_request(base, range_key="all")).encode()
            url = base + "/_dash-update-component"

        cache = "in-process per worker" if args.no_redis else "Redis"
        what = "embedded value-trend charts" if args.embeds else "Overview refreshes"
        print(
            f"fan-in: {args.screens} concurrent {what}, gunicorn {args.workers}x4, "
            f"{cache} cache, TTL {args.ttl:g} s, 250 achievements (3 pages), backend answers in "
            f"{args.backend_delay * 1000:.0f} ms"
        )
        print(
            f"{'situation':<16} {'GET /achievements/ pages':>25} {'GET /content/stats':>19} "
            f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        )
        for situation in ("cold", "warm", "after expiry"):
            if situation == "after expiry":
                time.sleep(args.ttl + 0.2)
            fake.reset_calls()
            latencies = burst(url, body, args.screens)
            calls = [fake.calls[e] for e in ENDPOINTS]
            print(
                f"{situation:<16} {calls[0]:>25} {calls[1]:>19} {statistics.median(latencies):>8.1f} "
                f"{percentile(latencies, 95):>8.1f} {max(latencies):>8.1f}"
            )
        print("(one fetch of the achievement list is 3 page requests: 250 items at per_page=100)")
    except Exception:
        print((workdir / "gunicorn.log").read_text()[-4000:], file=sys.stderr)
        raise
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        fake.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
