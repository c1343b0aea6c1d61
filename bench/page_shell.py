"""The page shell: bytes and server time of each page's HTML (what a browser asks for first).

In process, through Flask's test client (no network), on the embedded store: the HTML's size raw
and gzipped, and the median server time of N requests after a warm-up. Dash with
suppress_callback_exceptions=False put a "validation layout" of every page into every page's
HTML (226 KB of 230 KB before, 24.6 ms a request); the figure shows whether that comes back.

    .venv/bin/python bench/page_shell.py [--runs 50] [--json PATH]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import write_json  # noqa: E402

PATHS = ("/", "/achievements", "/analytics", "/wallboard")


def measure(runs: int) -> list[dict]:
    from dashboard import create_app
    from dashboard.settings import Settings

    app = create_app(settings=Settings(_env_file=None, data_dir=Path(tempfile.mkdtemp()) / "data"))
    client = app.server.test_client()
    results = []
    for path in PATHS:
        body = client.get(path, headers={"Accept": "text/html"}).get_data()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(path, headers={"Accept": "text/html"}).get_data()
            times.append(time.perf_counter() - started)
        results.append(
            {
                "path": path,
                "bytes": len(body),
                "gzip_bytes": len(gzip.compress(body)),
                "median_ms": statistics.median(times) * 1000,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = measure(args.runs)
    print(f"page shell (in process, {args.runs} requests a page)")
    for r in results:
        print(
            f"  {r['path']:<14} {r['bytes'] / 1000:7.1f} KB ({r['gzip_bytes'] / 1000:.1f} KB gzipped)"
            f"  median {r['median_ms']:.2f} ms"
        )
    write_json(args.json, {"figures": results})


if __name__ == "__main__":
    main()
