"""`make bench`: every benchmark in one go, their tables printed and their figures in one JSON file.

    .venv/bin/python bench/run.py            # the full set (under 10 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a smoke run of each (about a minute)

Figures only: nothing here fails on a number. Results: bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

FULL = {
    "screens": ["bench/screens.py", "--screens", "1", "10", "50", "200", "--seconds", "30", "--compare"],
    "fanin_burst": ["bench/fanin.py", "--screens", "20"],
    "embeds": ["bench/fanin.py", "--embeds", "--screens", "50"],
    "page_load": ["bench/page_load.py", "--runs", "5"],
    "grid_scale": ["bench/grid_scale.py", "--rows", "10000"],
    "long_run": ["bench/long_run.py", "--cycles", "5000"],
    "cold_start": ["bench/cold_start.py", "--runs", "5", "--how", "module"],
}
QUICK = {
    "screens": ["bench/screens.py", "--screens", "1", "10", "--seconds", "8", "--ttl", "4"],
    "page_load": ["bench/page_load.py", "--runs", "1"],
    "grid_scale": ["bench/grid_scale.py", "--rows", "2000", "--runs", "3"],
    "long_run": ["bench/long_run.py", "--quick"],
    "cold_start": ["bench/cold_start.py", "--runs", "1", "--how", "module"],
}
TAKES_JSON = {"screens", "page_load", "grid_scale", "long_run", "cold_start"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    summary: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in plan.items():
            if args.only and name not in args.only:
                continue
            script = ROOT / command[0]
            if not script.exists():
                print(f"== {name}: {command[0]} is missing, skipped\n", flush=True)
                continue
            json_path = Path(tmp) / f"{name}.json"
            extra = ["--json", str(json_path)] if name in TAKES_JSON else []
            print(f"== {name}: {' '.join(command)}", flush=True)
            started = time.monotonic()
            done = subprocess.run([PYTHON, *command, *extra], cwd=ROOT, capture_output=True, text=True)
            elapsed = time.monotonic() - started
            table = [line for line in done.stdout.splitlines() if not line.startswith("[")]
            print("\n".join(table))
            if done.returncode != 0:
                print(f"   failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
            print(f"   ({elapsed:.0f} s)\n", flush=True)
            summary[name] = {
                "command": command, "seconds": round(elapsed, 1), "exit": done.returncode, "output": table,
                "figures": json.loads(json_path.read_text()) if json_path.exists() else None,
            }
    (out_dir / "latest.json").write_text(json.dumps(summary, indent=2))
    print(f"figures written to {out_dir / 'latest.json'}")


if __name__ == "__main__":
    main()
