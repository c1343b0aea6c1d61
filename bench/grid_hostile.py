"""Hostile grid requests: how long the server spends on a getRowsRequest of any size (issue 13, item 6).

Serves a dashboard on the embedded sample store (180 achievements; --rows for more) with
werkzeug's threaded server on loopback, and POSTs the Achievements grid's own callback body
(built from /_dash-dependencies) to /_dash-update-component with:

* 20,000 OR conditions on one column (about 1.2 MB),
* 20,000 sort entries,
* a quick search of 200,000 words,

each --runs times, one after the other; then --parallel of each at once while normal blocks
(the grid's first request) are timed, against the same block timed alone. Prints seconds per
request, the status, the bytes sent, and what the grid was answered (rows, or the refusal).

    .venv/bin/python bench/grid_hostile.py [--rows 180] [--runs 3] [--parallel 4]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import free_port, wait_http  # noqa: E402
from bench.dash_payloads import find_callback, request_for  # noqa: E402
from dashboard import create_app  # noqa: E402
from dashboard.settings import Settings  # noqa: E402

NORMAL = {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "completed_at", "sort": "desc"}], "filterModel": {}}


def hostile_cases(size: int = 20_000, words: int = 200_000) -> dict[str, tuple[dict, str]]:
    """(getRowsRequest, quick search text) of each hostile request."""
    conditions = [{"filterType": "text", "type": "contains", "filter": f"word{i}"} for i in range(size)]
    columns = ("title", "completed_at", "business_value", "impact_score", "category")
    return {
        f"{size:,} OR conditions": (
            {**NORMAL, "filterModel": {"title": {"filterType": "text", "operator": "OR", "conditions": conditions}}},
            "",
        ),
        f"{size:,} sort entries": (
            {
                **NORMAL,
                "sortModel": [
                    {"colId": columns[i % len(columns)], "sort": "asc" if i % 2 else "desc"} for i in range(size)
                ],
            },
            "",
        ),
        # Words found in (nearly) every row: a word no row holds ends the search at once.
        f"{words:,} search words": (NORMAL, " ".join(("e", "a", "o", "i")[i % 4] for i in range(words))),
    }


@contextlib.contextmanager
def serving(rows: int):
    """The dashboard on a throwaway embedded store, served on a free loopback port."""
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(
            settings=Settings(
                _env_file=None,
                data_dir=Path(data_dir),
                achievement_api_url=None,
                orchestrator_url=None,
                tech_doc_api_url=None,
                redis_url=None,
                cache_ttl_seconds=300,
            )
        )
        if rows != 180:
            from bench.grid_scale import fill

            services = app.server.extensions["threads_dashboard"].services
            fill(services.store, rows)
            services.invalidate_achievements()
        server = make_server("127.0.0.1", free_port(), app.server, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            wait_http(url + "/healthz")
            yield url
        finally:
            server.shutdown()
            thread.join(timeout=10)


class Grid:
    def __init__(self, url: str):
        self.url = url
        with urllib.request.urlopen(url + "/_dash-dependencies", timeout=30) as response:
            self.dep = find_callback(json.loads(response.read()), "achievements-grid.getRowsResponse")

    def body(self, request: dict, search: str) -> bytes:
        body = request_for(
            self.dep,
            {
                "achievements-grid.getRowsRequest": request,
                "achievements-search.value": search,
                "achievements-published-only.value": [],
                "achievements-unreadable-only.value": [],
            },
            triggered="achievements-grid.getRowsRequest",
        )
        return json.dumps(body).encode()

    def post(self, data: bytes) -> tuple[float, int, str]:
        """(seconds, status, what the grid was answered) for one callback request."""
        request = urllib.request.Request(
            self.url + "/_dash-update-component", data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                status, answer = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, answer = exc.code, exc.read()
        elapsed = time.perf_counter() - started
        return elapsed, status, _said(status, answer)


def _said(status: int, answer: bytes) -> str:
    if status != 200:
        return answer[:120].decode("utf-8", "replace").replace("\n", " ")
    response = json.loads(answer)["response"]
    rows = response["achievements-grid"]["getRowsResponse"]
    freshness = next((v["data"] for k, v in response.items() if "freshness-data" in k), {})
    error = freshness.get("achievements-grid", {}).get("error")
    overlay = " ".join(_strings(response.get("achievements-grid-overlay", {}).get("children")))
    said = f"{len(rows['rowData'])} rows of {rows['rowCount']}"
    if overlay or error:
        said += f"; the grid says: {(overlay or error)[:120]}"
    return said


def _strings(tree) -> list[str]:
    if isinstance(tree, str):
        return [tree]
    if isinstance(tree, dict):
        return _strings(tree.get("props", {}).get("children"))
    if isinstance(tree, list):
        return [text for item in tree for text in _strings(item)]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=180, help="achievements in the store (default: the sample, 180)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parallel", type=int, default=4, help="hostile requests at once (default 4)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict = {}
    with serving(args.rows) as url:
        grid = Grid(url)
        normal = grid.body(NORMAL, "")
        for _ in range(3):
            grid.post(normal)  # warm: the cache holds the rows, the first request's set-up is done
        alone = [grid.post(normal)[0] for _ in range(max(5, args.runs))]
        print(f"hostile grid requests: {args.rows:,} achievements, embedded store, werkzeug threaded on loopback")
        print(f"{'request':<24} {'bytes':>10} {'status':>6} {'median s':>9} {'max s':>7}  answer")
        print(f"{'normal block':<24} {len(normal):>10,} {200:>6} {statistics.median(alone):>9.3f} {max(alone):>7.3f}  ")
        results["normal block"] = {"median_s": statistics.median(alone)}
        for name, (request, search) in hostile_cases().items():
            data = grid.body(request, search)
            runs = [grid.post(data) for _ in range(args.runs)]
            times = [r[0] for r in runs]
            print(
                f"{name:<24} {len(data):>10,} {runs[0][1]:>6} {statistics.median(times):>9.3f} "
                f"{max(times):>7.3f}  {runs[0][2]}"
            )
            results[name] = {
                "bytes": len(data),
                "status": runs[0][1],
                "median_s": statistics.median(times),
                "answer": runs[0][2],
            }

            # --parallel of this request at once, and normal blocks timed one after another while they run.
            threads = [threading.Thread(target=grid.post, args=(data,)) for _ in range(args.parallel)]
            for thread in threads:
                thread.start()
            time.sleep(0.05)
            during_runs = [grid.post(normal)[0]]
            while any(thread.is_alive() for thread in threads):
                during_runs.append(grid.post(normal)[0])
            for thread in threads:
                thread.join()
            during = statistics.median(during_runs)
            print(
                f"{'  normal block, ' + str(args.parallel) + ' at once':<24} {'':>10} {'':>6} {during:>9.3f} "
                f"{max(during_runs):>7.3f}  x{during / statistics.median(alone):.1f} the block alone "
                f"({len(during_runs)} blocks)"
            )
            results[name]["normal_block_during_s"] = during
    if args.json:
        args.json.write_text(json.dumps({"rows": args.rows, "results": results}, indent=2))


if __name__ == "__main__":
    main()
