"""Cold start: seconds from process start to the first page and the first Overview data served.

Runs the real entry point (`python -m dashboard`, or gunicorn with --gunicorn) on a free port with
an empty data folder, so the figure includes creating and seeding the embedded store.

    .venv/bin/python bench/cold_start.py [--runs 5] [--gunicorn] [--redis-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
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


def one_run(use_gunicorn: bool, redis_url: str | None) -> tuple[float, float]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "DASHBOARD_DATA_DIR": data_dir}
        env.pop("REDIS_URL", None)
        if redis_url:
            env["REDIS_URL"] = redis_url
        if use_gunicorn:
            command = [str(ROOT / ".venv/bin/gunicorn"), "--workers", "2", "--threads", "4",
                       "--bind", f"127.0.0.1:{port}", "dashboard.wsgi:server"]
        else:
            command = [sys.executable, "-m", "dashboard"]
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            page = wait_for(base + "/", started + 60)
            payload = overview_refresh_request(base)
            data = wait_for(base + "/_dash-update-component", started + 60, json.dumps(payload).encode())
        finally:
            process.terminate()
            process.wait(timeout=30)
    return page - started, data - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--gunicorn", action="store_true")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    pages, datas = zip(*(one_run(args.gunicorn, args.redis_url) for _ in range(args.runs)))
    server = "gunicorn 2x4" if args.gunicorn else "python -m dashboard"
    cache = "redis" if args.redis_url else "in-process"
    print(f"cold start ({server}, {cache} cache, empty data dir, {args.runs} runs)")
    print(f"  first page served:    median {statistics.median(pages):.2f} s  (min {min(pages):.2f}, max {max(pages):.2f})")
    print(f"  first Overview data:  median {statistics.median(datas):.2f} s  (min {min(datas):.2f}, max {max(datas):.2f})")


if __name__ == "__main__":
    main()
