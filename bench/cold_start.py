"""Cold start: seconds from process start to the first page and the first Overview data served.

Runs a real entry point (`make run` with the virtual environment already set up, `python -m
dashboard`, or gunicorn) on a free port with an empty data folder, so the figure includes
creating and seeding the embedded store.

    .venv/bin/python bench/cold_start.py [--runs 5] [--how make|module|gunicorn] [--redis | --redis-url URL]

--redis starts a redis-server of its own (empty, on a free port) and points REDIS_URL at it.
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

from bench.dash_payloads import overview_refresh_request  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"redis-server on port {port}")


def wait_for(url: str, deadline: float, body: bytes | None = None) -> float:
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    response.read()
                    return time.monotonic()
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(url)


def one_run(how: str, redis_url: str | None) -> tuple[float, float]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "DASHBOARD_DATA_DIR": data_dir}
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        command = {
            "gunicorn": [
                str(ROOT / ".venv/bin/gunicorn"),
                "--workers",
                "2",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "dashboard.wsgi:server",
            ],
            "make": ["make", "--no-print-directory", "run", f"PORT={port}"],
            "module": [str(ROOT / ".venv/bin/python"), "-m", "dashboard"],
        }[how]
        started = time.monotonic()
        # A process group, so `make run`'s child server stops with it.
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            base = f"http://127.0.0.1:{port}"
            page = wait_for(base + "/", started + 60)
            payload = overview_refresh_request(base)
            data = wait_for(base + "/_dash-update-component", started + 60, json.dumps(payload).encode())
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    return page - started, data - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--how",
        choices=("make", "module", "gunicorn"),
        default="make",
        help="make run (default, venv already set up), python -m dashboard, or gunicorn 2x4",
    )
    parser.add_argument("--redis-url")
    parser.add_argument("--redis", action="store_true", help="start an empty redis-server for the runs")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    redis_process = None
    if args.redis and not args.redis_url:
        redis_port = free_port()
        redis_process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        args.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        _wait_port(redis_port)
    try:
        pages, datas = zip(*(one_run(args.how, args.redis_url) for _ in range(args.runs)))
    finally:
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
    server = {"make": "make run", "module": "python -m dashboard", "gunicorn": "gunicorn 2x4"}[args.how]
    cache = "redis" if args.redis_url else "in-process"
    print(f"cold start ({server}, {cache} cache, empty data dir, {args.runs} runs)")
    for label, times in (("first page served:  ", pages), ("first Overview data:", datas)):
        print(f"  {label}  median {statistics.median(times):.2f} s  (min {min(times):.2f}, max {max(times):.2f})")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "how": args.how,
                    "cache": cache,
                    "first_page_s": list(pages),
                    "first_data_s": list(datas),
                    "median_first_page_s": statistics.median(pages),
                    "median_first_data_s": statistics.median(datas),
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
