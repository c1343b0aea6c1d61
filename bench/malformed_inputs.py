"""Malformed input: how many of a fixed battery of bad requests the dashboard answers with a 5xx.

Builds a dashboard on the embedded sample store and sends, through its WSGI app:

* every server callback (from /_dash-dependencies) with each of its inputs and states in turn
  set to a wrong value: null, a boolean, a negative, a huge and a fractional number, NaN,
  Infinity, text, unicode, 200,000 characters, a list, an object, a nested list, a list of
  objects of the wrong shape (the others left unset, as a fresh component sends them);
* malformed callback envelopes (no output, an unknown or client-side output, inputs that are
  not the callback's, bad pattern-matching ids, bad changedPropIds);
* bodies that are not an object (a list, a number, text, JSON nested 5,000 deep);
* every Flask route with bad paths, query strings, methods and bodies;
* the cases of issue 13, item 7, one by one.

Prints, per class, the requests sent and how many were answered 5xx (or with a traceback).

    .venv/bin/python bench/malformed_inputs.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dash_payloads import request_for  # noqa: E402
from dashboard import create_app  # noqa: E402
from dashboard.settings import Settings  # noqa: E402

WRONG_VALUES = {
    "null": None,
    "boolean": True,
    "negative": -1,
    "huge integer": 10**30,
    "fraction": 1.5,
    "NaN": float("nan"),
    "Infinity": float("inf"),
    "text": "abc",
    "unicode": "\u202e\ud7ff😀\x00",
    "200,000 characters": "x" * 200_000,
    "list": [1, "a"],
    "object": {"a": [1]},
    "nested": [[[[{"x": [1]}]]]],
    "objects of another shape": [{"id": "abc", "changes": 5, "view": None}],
}

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def _trigger(dep: dict, key: str) -> str:
    inputs = [f"{i['id']}.{i['property']}" for i in dep["inputs"]]
    return key if key in inputs else inputs[0]


def _wildcard(item: dict) -> bool:
    return item["id"].startswith("{") and '["' in item["id"]


def _concrete(item: dict, value) -> object:
    """A pattern-matching input as the renderer sends it: one matching component with `value`."""
    pattern = json.loads(item["id"])
    concrete = {k: ("x" if isinstance(v, list) else v) for k, v in pattern.items()}
    one = {"id": concrete, "property": item["property"], "value": value}
    return one if '["MATCH"]' in item["id"] else [one]


def body_for(dep: dict, values: dict, trigger: str) -> dict:
    body = request_for(dep, values, triggered=trigger)
    for part in ("inputs", "state"):
        for index, item in enumerate(dep.get("state" if part == "state" else "inputs", [])):
            if _wildcard(item):
                body[part][index] = _concrete(item, values.get(f"{item['id']}.{item['property']}"))
    return body


def callback_cases(deps: list[dict]):
    for dep in deps:
        if dep.get("clientside_function"):
            continue
        for item in dep["inputs"] + dep.get("state", []):
            key = f"{item['id']}.{item['property']}"
            for name, value in WRONG_VALUES.items():
                yield (
                    f"{name} as a callback input",
                    ("POST", "/_dash-update-component", body_for(dep, {key: value}, _trigger(dep, key))),
                )


def envelope_cases(deps: list[dict]):
    server = [d for d in deps if not d.get("clientside_function")]
    clientside = next(d for d in deps if d.get("clientside_function"))
    grid = next(d for d in server if "achievements-grid.getRowsResponse" in d["output"])
    export = next(d for d in server if d["output"] == "analytics-download.data")
    good = body_for(grid, {}, "achievements-grid.getRowsRequest")
    variants = {
        "no output": {k: v for k, v in good.items() if k != "output"},
        "output a number": {**good, "output": 5},
        "unknown output": {**good, "output": "nope.children"},
        "client-side output": {**good, "output": clientside["output"]},
        "inputs not a list": {**good, "inputs": "abc"},
        "inputs of another callback": {**good, "inputs": [{"id": "x", "property": "y", "value": 1}]},
        "one input too few": {**good, "inputs": good["inputs"][:-1] if good["inputs"] else []},
        "state not a list": {**good, "state": {"a": 1}},
        "an input that is text": {**good, "inputs": ["abc"]},
        "outputs missing": {k: v for k, v in good.items() if k != "outputs"},
        "outputs not a list": {**good, "outputs": "abc"},
        "changedPropIds of lists": {**good, "changedPropIds": [["a"]]},
        "changedPropIds a number": {**good, "changedPropIds": 5},
    }
    for name, body in variants.items():
        yield "malformed envelope: " + name, ("POST", "/_dash-update-component", body)
    pattern = body_for(export, {}, export["inputs"][0]["id"] + ".n_clicks")
    for name, concrete in {
        "a list in an id": {"chart": ["ALL"], "type": "analytics-export"},
        "an unknown chart": {"chart": "nope", "type": "analytics-export"},
        "another id type": {"chart": "value", "type": "nope"},
        "an object in an id": {"chart": {"a": 1}, "type": "analytics-export"},
    }.items():
        body = json.loads(json.dumps(pattern))
        body["inputs"][0] = [{"id": concrete, "property": "n_clicks", "value": 1}]
        body["changedPropIds"] = [json.dumps(concrete, sort_keys=True, separators=(",", ":")) + ".n_clicks"]
        yield "malformed envelope: pattern id with " + name, ("POST", "/_dash-update-component", body)


def body_cases():
    for name, raw in {
        "a list": b"[]",
        "a number": b"5",
        "NaN": b"NaN",
        "text": b'"x"',
        "null": b"null",
        "nested 5,000 deep": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    }.items():
        yield f"callback body that is {name}", ("POST", "/_dash-update-component", raw)


def route_cases():
    paths = [
        "/content?post=abc",
        "/content?post=1e400",
        "/wallboard?views=",
        "/wallboard/%00",
        "/wallboard?views=overview:1e400",
        "/analytics?from=9999-99-99&to=0&category=%00",
        "/system?refresh=inf",
        "/achievements?value=%FF",
        "/_dash-layout",
        "/_dash-dependencies",
        "/_reload-hash",
        "/_favicon.ico",
        "/healthz",
        "/readyz",
        "/metrics",
        "/login",
        "/logout",
        "/api/token/renew?token=abc",
        "/api/charts",
        "/api/charts/%0A",
        "/api/charts/value-trend?range=%0A",
        "/embed/x%0Ay",
        "/embed/value-trend?refresh=nan",
        "/embed-script.js",
        "/api/heartbeat",
        "/api/screens",
        "/assets/nope.js",
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash_ag_grid/../x.js",
        "/" + "x/" * 300,
        "/%F0%9F%98%80",
    ]
    bodies = [b"", b"{", b"[]", b'{"screen": [1]}', b"\xff\xfe", b'{"screen": "lobby", "page": 1e400}']
    for path in paths:
        for method in ("GET", "HEAD", "OPTIONS", "DELETE"):
            yield "bad route, path, query or method", (method, path, None)
        for body in bodies:
            yield "bad route, path, query or method", ("POST", path, body)


def known_cases(deps: list[dict]):
    grid = next(d for d in deps if "achievements-grid.getRowsResponse" in d["output"])
    export = next(
        d
        for d in deps
        if d["output"] == "achievements-download.data" or d["output"].startswith("..achievements-download.data")
    )
    detail = next(d for d in deps if "achievements-detail-panel.is_open" in d["output"])
    post = next(d for d in deps if "content-detail.is_open" in d["output"])
    wallboard = next(d for d in deps if "wallboard-view.children" in d["output"])
    request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    rows = "achievements-grid.getRowsRequest"
    yield (
        "known: startRow Infinity",
        ("POST", "/_dash-update-component", body_for(grid, {rows: {**request, "startRow": float("inf")}}, rows)),
    )
    yield "known: getRowsRequest a list", ("POST", "/_dash-update-component", body_for(grid, {rows: [request]}, rows))
    yield (
        "known: quick search not text",
        ("POST", "/_dash-update-component", body_for(grid, {rows: request, "achievements-search.value": 5}, rows)),
    )
    yield (
        "known: export with a bad filter model",
        (
            "POST",
            "/_dash-update-component",
            body_for(
                export,
                {"achievements-export.n_clicks": 1, rows: {"filterModel": {"nope": {"type": "x"}}}},
                "achievements-export.n_clicks",
            ),
        ),
    )
    yield (
        "known: row id 'abc'",
        (
            "POST",
            "/_dash-update-component",
            body_for(
                detail,
                {"achievements-grid.cellClicked": {"rowId": "abc", "colId": "details"}},
                "achievements-grid.cellClicked",
            ),
        ),
    )
    yield (
        "known: post id 'abc'",
        (
            "POST",
            "/_dash-update-component",
            body_for(post, {"content-selected-post.data": {"id": "abc"}}, "content-selected-post.data"),
        ),
    )
    yield (
        "known: empty wallboard playlist",
        (
            "POST",
            "/_dash-update-component",
            body_for(wallboard, {"wallboard-index.data": 1, "wallboard-playlist.data": []}, "wallboard-index.data"),
        ),
    )
    yield "known: unknown /_dash-component-suites/ path", ("GET", "/_dash-component-suites/nope/x.js", None)


def _serve_nginx_502() -> str:
    """A loopback 'backend' that answers everything with nginx's 502 page (CR/LF in it)."""
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Response

    def app(environ, start_response):
        return Response(NGINX_502, status=502, mimetype="text/html")(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every request answered 5xx")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the 500s' tracebacks
    sent, failed = Counter(), Counter()
    failures = defaultdict(list)

    def send(client, label: str, method: str, path: str, body) -> None:
        if isinstance(body, (dict, list)):
            data, content_type = json.dumps(body, allow_nan=True), "application/json"
        else:
            data, content_type = body, "application/json" if body is not None else None
        try:
            response = client.open(path, method=method, data=data, content_type=content_type)
            status, text = response.status_code, response.get_data()
        except Exception as exc:  # noqa: BLE001 - an exception out of the app is a 500 to a user
            status, text = 500, repr(exc).encode()
        key = label.split(" as a ")[0] + " as a callback input" if " as a callback input" in label else label
        key = "wrong value as a callback input" if " as a callback input" in label else key
        sent[key] += 1
        if status >= 500 or b"Traceback (most recent call last)" in text:
            failed[key] += 1
            failures[key].append(
                f"{label}: {method} {path[:60]} -> {status}"
                + (f" ({json.dumps(body)[:100]})" if isinstance(body, dict) else "")
            )

    with tempfile.TemporaryDirectory() as data_dir:
        # One Dash app per process at a time (its page registry is global): the second one,
        # on a backend that answers nginx's 502 page, is built after the first is done with.
        app = create_app(
            settings=Settings(
                _env_file=None,
                data_dir=Path(data_dir) / "a",
                achievement_api_url=None,
                orchestrator_url=None,
                tech_doc_api_url=None,
                redis_url=None,
            )
        )
        client = app.server.test_client()
        deps = client.get("/_dash-dependencies").get_json()
        for label, (method, path, body) in [
            *callback_cases(deps),
            *envelope_cases(deps),
            *body_cases(),
            *route_cases(),
            *known_cases(deps),
        ]:
            send(client, label, method, path, body)
        broken = create_app(
            settings=Settings(
                _env_file=None,
                data_dir=Path(data_dir) / "b",
                achievement_api_url=_serve_nginx_502(),
                orchestrator_url=None,
                tech_doc_api_url=None,
                redis_url=None,
                http_timeout_seconds=2,
            )
        )
        send(
            broken.server.test_client(),
            "known: upstream error with a newline (X-Data-Error)",
            "GET",
            "/api/charts/value-trend?range=all",
            None,
        )
    print(f"malformed input: {sum(sent.values()):,} bad requests, embedded sample store, WSGI test client")
    print(f"{'class':<62} {'sent':>6} {'5xx':>5}")
    for key in sent:
        print(f"{key:<62} {sent[key]:>6} {failed[key]:>5}")
        if args.verbose:
            for line in failures[key][:20]:
                print("    " + line)
    print(f"{'total':<62} {sum(sent.values()):>6} {sum(failed.values()):>5}")


if __name__ == "__main__":
    main()
