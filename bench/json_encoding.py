"""JSON encoding of callback responses: Dash's encoder (plotly's to_json_plotly) with orjson vs json.

Dash serialises every callback response with plotly.io.json.to_json_plotly, whose "auto" engine
uses orjson when it is installed and the standard json module otherwise. This sends the browser's
own requests (built from /_dash-dependencies) through the WSGI app with each engine in turn,
alternating, and prints the median server time of the whole request and of the encoding alone.

    .venv/bin/python bench/json_encoding.py [--runs 200] [--rows 2000] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import plotly.io.json as plotly_json  # noqa: E402

from bench.dash_payloads import find_callback, request_for  # noqa: E402
from bench.grid_scale import app_with_achievements  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="requests per engine and case (default 200)")
    parser.add_argument("--rows", type=int, default=2000, help="achievements in the store (default 2,000)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    try:
        import orjson  # noqa: F401
    except ImportError:
        print("json encoding: orjson is not installed (pip install orjson); nothing to compare")
        return

    with app_with_achievements(args.rows, ttl=3600) as app:
        client = app.server.test_client()
        deps = client.get("/_dash-dependencies").get_json()
        overview = request_for(
            find_callback(deps, "overview-value-value.children"),
            {"refresh-interval.n_intervals": 1, "overview-range.data": "all", "theme-store.data": "light"},
            triggered="refresh-interval.n_intervals",
        )
        grid = request_for(
            find_callback(deps, "achievements-grid.getRowsResponse"),
            {
                "achievements-grid.getRowsRequest": {"startRow": 0, "endRow": 500, "sortModel": [], "filterModel": {}},
                "achievements-search.value": "",
                "achievements-published-only.value": [],
            },
            triggered="achievements-grid.getRowsRequest",
        )
        cases = {"Overview refresh (2 figures, all time)": overview, "grid block of 500 rows": grid}
        results = {}
        print(
            f"json encoding of callback responses ({args.rows:,} achievements, median of {args.runs}"
            f" requests per engine, engines alternated)"
        )
        print(
            f"  {'response':<40} {'KB':>6} {'json ms':>8} {'orjson ms':>10} {'ratio':>6}"
            f" {'encode json':>12} {'encode orjson':>14}"
        )
        for name, body in cases.items():
            times = {"json": [], "orjson": []}
            for i in range(args.runs * 2 + 10):
                engine = ("json", "orjson")[i % 2]
                plotly_json.config.default_engine = engine
                started = time.perf_counter()
                response = client.post("/_dash-update-component", json=body)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.status_code
                if i >= 10:
                    times[engine].append(elapsed)
            payload = json.loads(response.get_data())["response"]
            encode = {}
            for engine in ("json", "orjson"):
                runs = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    plotly_json.to_json_plotly(payload, engine=engine)
                    runs.append((time.perf_counter() - started) * 1000)
                encode[engine] = statistics.median(runs)
            plotly_json.config.default_engine = "auto"
            j, o = statistics.median(times["json"]), statistics.median(times["orjson"])
            size = len(response.get_data()) / 1000
            print(
                f"  {name:<40} {size:>6.1f} {j:>8.2f} {o:>10.2f} {o / j:>6.2f} {encode['json']:>12.2f}"
                f" {encode['orjson']:>14.2f}"
            )
            results[name] = {
                "kb": size,
                "json_ms": j,
                "orjson_ms": o,
                "encode_json_ms": encode["json"],
                "encode_orjson_ms": encode["orjson"],
            }
        print("  (orjson is used by Dash whenever it is installed; pyproject.toml declares it)")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
