"""`make bench`: every benchmark in one go, their tables printed, a summary against the targets of
issues 8 and 18 (issue 18's rows also show the seed's figure and the figure before its changes,
bench/issue18.py), and all figures in one JSON file.

    .venv/bin/python bench/run.py            # the full set (about 20 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke run of each (a few minutes)
    .venv/bin/python bench/run.py --only page_load grid_scale

Figures only: nothing here fails on a number. Results: bench/results/latest.json (with the
machine: CPU, cores, RAM, OS, and the load average around each benchmark, since other work on
the machine moves the timings).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import issue18  # noqa: E402

PYTHON = sys.executable

# name -> (issue group, command). Every script takes --json PATH.
FULL = {
    "screens": (
        "1+2 fan-in, latency",
        ["bench/screens.py", "--screens", "1", "10", "50", "200", "--seconds", "20", "--compare"],
    ),
    "embeds": ("1 fan-in (embeds)", ["bench/fanin.py", "--embeds", "--screens", "50"]),
    "page_load": ("3 page load", ["bench/page_load.py", "--runs", "5", "--warmup", "2"]),
    "grid_scale": (
        "4 grid at scale",
        ["bench/grid_scale.py", "--rows", "10000", "--runs", "7", "--cold-runs", "3", "--compare"],
    ),
    "long_run": ("5 long run", ["bench/long_run.py", "--cycles", "5000", "--browser", "--browser-minutes", "2"]),
    "cold_start": ("6 cold start", ["bench/cold_start.py", "--runs", "5", "--how", "module"]),
    "cold_start_redis": ("6 cold start", ["bench/cold_start.py", "--runs", "5", "--how", "module", "--redis"]),
    "json_encoding": ("profile: JSON", ["bench/json_encoding.py", "--runs", "100"]),
    "figures": ("profile: refresh work", ["bench/figures.py", "--rows", "2000", "--runs", "30"]),
    "business_value": ("12 money reader", ["bench/business_value.py"]),
    "page_shell": ("18 page shell", ["bench/page_shell.py", "--runs", "50"]),
    "live": ("16 live push", ["bench/live.py"]),
    "serving": ("18 memory, start-up", ["bench/serving.py", "--runs", "3", "--visits", "10"]),
    "idle_page": ("18 idle page", ["bench/idle_page.py", "--seconds", "180"]),
    "callback_cost": ("18 callback cost", ["bench/callback_cost.py", "--screens", "50", "--seconds", "20"]),
}
QUICK = {
    "screens": (
        "1+2 fan-in, latency",
        ["bench/screens.py", "--screens", "1", "10", "--seconds", "6", "--ttl", "3", "--interval", "3"],
    ),
    "page_load": ("3 page load", ["bench/page_load.py", "--runs", "1", "--warmup", "0"]),
    "grid_scale": ("4 grid at scale", ["bench/grid_scale.py", "--rows", "2000", "--runs", "3", "--cold-runs", "1"]),
    "long_run": ("5 long run", ["bench/long_run.py", "--cycles", "300"]),
    "cold_start": ("6 cold start", ["bench/cold_start.py", "--runs", "1", "--how", "module"]),
    "cold_start_redis": ("6 cold start", ["bench/cold_start.py", "--runs", "1", "--how", "module", "--redis"]),
    "business_value": ("12 money reader", ["bench/business_value.py", "--texts", "2000", "--runs", "1"]),
    "page_shell": ("18 page shell", ["bench/page_shell.py", "--runs", "5"]),
    "live": ("16 live push", ["bench/live.py", "--quick"]),
    "serving": ("18 memory, start-up", ["bench/serving.py", "--runs", "1", "--visits", "2"]),
    "idle_page": ("18 idle page", ["bench/idle_page.py", "--seconds", "15"]),
    "callback_cost": ("18 callback cost", ["bench/callback_cost.py", "--screens", "50", "--seconds", "5"]),
}
NO_JSON = {"embeds"}  # fanin.py prints its table only


def machine() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gb"] = round(int(line.split()[1]) / 2**20, 1)
        pretty = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        info["distribution"] = pretty.get("PRETTY_NAME", "").strip('"')
    except OSError:
        pass
    return info


def _get(figures, *path, default=None):
    for key in path:
        if figures is None:
            return default
        try:
            figures = figures[key]
        except (KeyError, IndexError, TypeError):
            return default
    return figures


def summary(results: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(measure, figure, target) rows from the scripts' JSON."""
    rows: list[tuple[str, str, str]] = []
    screens = _get(results, "screens", "figures") or []
    on = {r["screens"]: r for r in screens if r.get("cache")}
    off = {r["screens"]: r for r in screens if not r.get("cache")}
    if on:
        fetches = ", ".join(f"{c}: {r['list_fetches_per_window']:.2f}" for c, r in sorted(on.items()))
        rows.append(("1 list fetches per TTL window, cache on (screens: n)", fetches, "1 per window"))
        metrics = ", ".join(f"{c}: {r['metrics_per_window']:.2f}" for c, r in sorted(on.items()))
        rows.append(("1 metrics calls per TTL window, cache on", metrics, "1 per window"))
    if off:
        fetches = ", ".join(f"{c}: {r['list_fetches_per_window']:.0f}" for c, r in sorted(off.items()))
        rows.append(("1 list fetches per TTL window, cache OFF", fetches, "(what the cache saves)"))
    for c, r in sorted(on.items()):
        line = f"p50 {r['p50_ms']:.1f} / p95 {r['p95_ms']:.1f} / p99 {r['p99_ms']:.1f} ms, {r['rps']:.1f} req/s"
        if c in off and r["p95_ms"]:
            line += f"; cache off p95 {off[c]['p95_ms']:.0f} ms (x{off[c]['p95_ms'] / r['p95_ms']:.1f})"
        rows.append((f"2 callback latency, {c} screens", line, "p95 <= 50 ms at 50 screens" if c == 50 else ""))
    for page in _get(results, "page_load", "figures", "pages", default=[]):
        rows.append(
            (
                f"3 page load {page['page']}",
                f"{page['median_s']:.2f} s in page ({page.get('median_wall_s', page['median_s']):.2f} s wall),"
                f" {page['median_mb']:.2f} MB; repeat visit {page.get('repeat_median_kb', float('nan')):.0f} KB",
                "<= 1.0 s, <= 3 MB",
            )
        )
    grid = _get(results, "grid_scale", "figures", "results") or {}
    for name, figure in grid.items():
        if "pickled" in name:
            continue
        extra = f", {figure['gzip_bytes'] / 1000:.1f} KB gzip" if "gzip_bytes" in figure else ""
        before = grid.get(name + ", pickled models")
        if before:
            extra += f" (pickled models: {before['ms']:.0f} ms, x{before['ms'] / figure['ms']:.2f})"
        rows.append(
            (
                f"4 grid {grid and _get(results, 'grid_scale', 'figures', 'rows'):,} rows: {name}",
                f"{figure['ms']:.1f} ms{extra}",
                "<= 300 ms, <= 300 KB" if name == "first block (warm)" else "",
            )
        )
    long_run = _get(results, "long_run", "figures")
    if long_run:
        rows.append(
            (
                f"5 long run, {long_run['cycles']} refreshes: worker RSS",
                f"{long_run['start_rss_mb']:.1f} -> {long_run['end_rss_mb']:.1f} MB"
                f" ({long_run['growth_pct']:+.1f} %), p50 {long_run['p50_ms']:.1f} ms",
                "<= 5 %",
            )
        )
        heap = long_run.get("browser")
        if heap and heap.get("start_mb"):
            rows.append(
                (
                    f"5 long run: browser JS heap ({heap['ticks']} refresh ticks)",
                    f"{heap['start_mb']:.1f} -> {heap['end_mb']:.1f} MB ({heap.get('growth_pct') or 0:+.1f} %)"
                    f" after {heap.get('warmup_ticks', 0)} warm-up ticks; {heap.get('loaded_mb') or 0:.1f} MB"
                    " after load",
                    "<= 5 %",
                )
            )
    for name, label in (("cold_start", "embedded, in-process cache"), ("cold_start_redis", "embedded, Redis")):
        cold = _get(results, name, "figures")
        if cold:
            rows.append(
                (
                    f"6 cold start ({label}), python -m dashboard",
                    f"first page {cold['median_first_page_s']:.2f} s, first data {cold['median_first_data_s']:.2f} s",
                    "(no target)",
                )
            )
    for name, figure in (_get(results, "figures", "figures", "results") or {}).items():
        rows.append((f"refresh work, 2,000 achievements: {name}", f"{figure['now_ms']:.2f} ms", ""))
    for name, figure in (_get(results, "json_encoding", "figures") or {}).items():
        rows.append(
            (
                f"JSON encoding: {name}",
                f"json {figure['json_ms']:.2f} ms -> orjson {figure['orjson_ms']:.2f} ms"
                f" (x{figure['orjson_ms'] / figure['json_ms']:.2f})",
                "",
            )
        )
    return rows + issue18.rows(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(
        f"machine: {info.get('cpu', '?')}, {info['cores']} cores, {info.get('ram_gb', '?')} GB RAM, "
        f"{info.get('distribution') or info['os']}, Python {info['python']}\n",
        flush=True,
    )
    results: dict[str, dict] = {}
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for name, (group, command) in plan.items():
            if args.only and name not in args.only:
                continue
            json_path = Path(tmp) / f"{name}.json"
            extra = [] if name in NO_JSON else ["--json", str(json_path)]
            load_before = os.getloadavg()[0]
            print(f"== {name} [{group}]: {' '.join(command)}  (load {load_before:.2f})", flush=True)
            started = time.monotonic()
            done = subprocess.run([PYTHON, *command, *extra], cwd=ROOT, capture_output=True, text=True)
            elapsed = time.monotonic() - started
            table = [line for line in done.stdout.splitlines() if not line.startswith("[")]
            print("\n".join(table))
            if done.returncode != 0:
                print(f"   failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
            print(f"   ({elapsed:.0f} s, load average {os.getloadavg()[0]:.2f})\n", flush=True)
            results[name] = {
                "group": group,
                "command": command,
                "seconds": round(elapsed, 1),
                "exit": done.returncode,
                "load_before": load_before,
                "load_after": os.getloadavg()[0],
                "output": table,
                "figures": json.loads(json_path.read_text()) if json_path.exists() else None,
            }
    rows = summary(results)
    width = max((len(r[0]) for r in rows), default=10)
    print(f"summary ({'quick' if args.quick else 'full'} run, {time.monotonic() - began:.0f} s)")
    for measure, figure, target in rows:
        print(f"  {measure:<{width}}  {figure}" + (f"   [target {target}]" if target else ""))
    (out_dir / "latest.json").write_text(
        json.dumps(
            {
                "machine": info,
                "quick": args.quick,
                "seconds": round(time.monotonic() - began, 1),
                "summary": rows,
                "benchmarks": results,
            },
            indent=2,
        )
    )
    print(f"\nfigures written to {out_dir / 'latest.json'}")


if __name__ == "__main__":
    main()
