"""Callback cost at 50 screens: the Overview's refresh callback against a bare Dash callback.

Serves, under gunicorn (gunicorn.conf.py, 2 workers) with a redis-server of its own and the fake
Threads-Agent services (tests/fakes/, real HTTP, answers taking --backend-delay), the dashboard
plus one bare callback (bench/bare_callback_app.py: the app as dashboard/wsgi.py builds it, then
`app.callback(Output("bench-bare", "children"), Input("bench-bare-in", "value"))(lambda v: v)`).
The cache TTL (--ttl, default 600 s) outlasts the run and the cache is filled first, so every
Overview refresh is a warm one. Then --screens simulated screens (default 50) each send, in turn
and back to back, the Overview's own refresh request (built from /_dash-dependencies, with what the
screen last drew, as a browser sends it) and the bare one, for --seconds; --interval paces each
screen's pair instead. Reports p50/p95/p99 of each and the ratio p95(Overview) / p95(bare):
what the Overview costs beyond Dash's own dispatch on the same server, in the same run.

    .venv/bin/python bench/callback_cost.py [--screens 50] [--seconds 20] [--interval 0]
        [--checkout LABEL=PATH ...] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Checkout,
    Gunicorn,
    RedisServer,
    parse_checkouts,
    percentile,
    post_json,
    write_json,
)
from bench.dash_payloads import dependencies, find_callback, overview_refresh_body, request_for  # noqa: E402
from tests.fakes import FakeBackends  # noqa: E402

TARGET_RATIO, ISSUE_BEFORE_RATIO = 1.5, 2.6
# A top-level module name, so another checkout's gunicorn (whose bench/ may lack it) can load it.
BARE_MODULE = "bench_bare_callback"


def serve(checkout: Checkout, fake: FakeBackends, redis: RedisServer, ttl: float, module_dir: Path) -> Gunicorn:
    env = {
        "ACHIEVEMENT_API_URL": fake.achievement_url,
        "ORCHESTRATOR_URL": fake.orchestrator_url,
        "TECH_DOC_API_URL": fake.tech_doc_url,
        "REDIS_URL": redis.url,
        "DASHBOARD_CACHE_TTL_SECONDS": str(ttl),
    }
    return Gunicorn(
        workers=2, extra_env=env, app=f"{BARE_MODULE}:server", checkout=checkout, python_path=(str(module_dir),)
    ).start()


def server_durations(log_path: Path, offset: int) -> dict[str, list[float]]:
    """Callback durations (ms) the dashboard logged after `offset`: its time, without the queue."""
    found: dict[str, list[float]] = {"overview": [], "bare": []}
    with open(log_path, "rb") as log:
        log.seek(offset)
        for line in log:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            callback = entry.get("callback") if isinstance(entry, dict) else None
            if callback == "bench-bare.children":
                found["bare"].append(entry["duration_ms"])
            elif callback and callback.startswith("overview-value-value.children"):
                found["overview"].append(entry["duration_ms"])
    return found


def load(server: Gunicorn, screens: int, seconds: float, interval: float, apart: bool) -> dict:
    deps = dependencies(server.base)
    overview = find_callback(deps, "overview-value-value.children")
    bare = json.dumps(
        request_for(find_callback(deps, "bench-bare.children"), {"bench-bare-in.value": 1}, "bench-bare-in.value")
    ).encode()
    url = server.base + "/_dash-update-component"
    latencies: dict[str, list[float]] = {"overview": [], "bare": []}
    errors: Counter = Counter()
    lock = threading.Lock()

    def send(kind: str, body: bytes) -> bytes | None:
        try:
            ms, raw = post_json(url, body)
        except OSError as exc:
            with lock:
                errors[f"{kind}: {type(exc).__name__}"] += 1
            return None
        with lock:
            latencies[kind].append(ms)
        return raw

    def screen(stop: float, kinds: tuple[str, ...], offset: float = 0.0) -> None:
        time.sleep(offset)  # paced screens start staggered, not as one burst
        drawn = None
        while time.monotonic() < stop:
            began = time.monotonic()
            if "overview" in kinds:
                raw = send("overview", json.dumps(overview_refresh_body(overview, drawn)).encode())
                if raw is not None:
                    drawn = json.loads(raw)["response"].get("overview-drawn", {}).get("data", drawn)
            if "bare" in kinds:
                send("bare", bare)
            time.sleep(max(0.0, interval - (time.monotonic() - began)))

    # Warm-up: fills the cache and lets both workers run both callbacks before anything counts.
    screen(time.monotonic() + 3, ("overview", "bare"))
    for values in latencies.values():
        values.clear()
    errors.clear()
    log_offset = server.log_path.stat().st_size
    phases = [(seconds / 2, ("overview",)), (seconds / 2, ("bare",))] if apart else [(seconds, ("overview", "bare"))]
    for length, kinds in phases:
        stop = time.monotonic() + length
        threads = [
            threading.Thread(target=screen, args=(stop, kinds, i * interval / screens), daemon=True)
            for i in range(screens)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=length + 60)
    on_server = server_durations(server.log_path, log_offset)
    figures: dict = {"errors": dict(errors)}
    for kind, values in latencies.items():
        figures[kind] = {
            "requests": len(values),
            **{f"p{q}_ms": percentile(values, q) for q in (50, 95, 99)},
            "server_p50_ms": percentile(on_server[kind], 50),
            "server_p95_ms": percentile(on_server[kind], 95),
        }
    for name, key in (("p95_ratio", "p95_ms"), ("p50_ratio", "p50_ms"), ("server_p95_ratio", "server_p95_ms")):
        figures[name] = figures["overview"][key] / figures["bare"][key]
    figures["requests_per_s"] = sum(len(v) for v in latencies.values()) / seconds
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--interval", type=float, default=0.0, help="seconds between pairs (0: back to back)")
    parser.add_argument("--ttl", type=float, default=600.0, help="cache TTL; longer than the run keeps it warm")
    parser.add_argument("--backend-delay", type=float, default=0.05)
    parser.add_argument(
        "--apart", action="store_true", help="all screens send Overview only for half the time, then bare only"
    )
    parser.add_argument("--checkout", action="append", metavar="LABEL=PATH")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    checkouts = parse_checkouts(args.checkout)
    module_dir = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    (module_dir / f"{BARE_MODULE}.py").symlink_to(ROOT / "bench" / "bare_callback_app.py")
    results: dict[str, dict] = {}
    try:
        with FakeBackends() as fake:
            fake.add_achievements(250 - len(fake.achievements))
            for service in ("achievement-collector", "orchestrator"):
                fake.set_fault(service, "slow", delay=args.backend_delay)
            for checkout in checkouts:
                with RedisServer() as redis:
                    server = serve(checkout, fake, redis, args.ttl, module_dir)
                    try:
                        results[checkout.label] = load(server, args.screens, args.seconds, args.interval, args.apart)
                    finally:
                        server.stop()
    finally:
        shutil.rmtree(module_dir, ignore_errors=True)

    pacing = "back to back" if not args.interval else f"every {args.interval:g} s"
    order = "Overview only, then bare only" if args.apart else "each Overview refresh then bare callback"
    print(
        f"callback cost ({args.screens} screens, {order}, {pacing},"
        f" {args.seconds:g} s; gunicorn 2 workers, Redis, warm cache)"
    )
    print(
        f"  {'tree':<10}{'callback':<10}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'server p50':>11}{'server p95':>11}"
    )
    for label, r in results.items():
        for kind in ("overview", "bare"):
            f = r[kind]
            print(
                f"  {label:<10}{kind:<10}{f['requests']:>9}{f['p50_ms']:>9.1f}{f['p95_ms']:>9.1f}{f['p99_ms']:>9.1f}"
                f"{f['server_p50_ms']:>11.1f}{f['server_p95_ms']:>11.1f}"
            )
        print(
            f"  {label:<10}p95 overview / bare x{r['p95_ratio']:.2f} (p50 x{r['p50_ratio']:.2f}; in the server"
            f" p95 x{r['server_p95_ratio']:.2f}), {r['requests_per_s']:.0f} req/s, errors {sum(r['errors'].values())}"
        )
    print("  (server: duration_ms from the dashboard's request log, so without the wait for a worker)")
    print(f"  target (issue 18): p95 ratio <= {TARGET_RATIO} (issue's before: {ISSUE_BEFORE_RATIO})")
    write_json(
        args.json,
        {
            "screens": args.screens,
            "seconds": args.seconds,
            "interval": args.interval,
            "apart": args.apart,
            "checkouts": {c.label: str(c.path) for c in checkouts},
            "target_ratio": TARGET_RATIO,
            "results": results,
        },
    )


if __name__ == "__main__":
    main()
