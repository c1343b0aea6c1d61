"""Property tests of what the browser can send (issue 13, item 7): any value in any callback input,
any callback envelope, any request to any route gives a clear 4xx or a handled answer, never a
5xx or a traceback.

The app is real (create_app on the embedded sample store) and driven through its WSGI app; every
answer goes through a StatusRecorder, so the closing "fault tests" line counts them, and each
class of value is counted as a fault once.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.dash_payloads import request_for
from dashboard import create_app
from dashboard.settings import Settings
from tests.conftest import StatusRecorder
from tests.unit.test_properties_common import covers, examples, json_values, url_text

DISPATCH = "dashboard.web.callback_input (callback envelope, input shapes)"
TARGET = "every server callback"

# Keys the pages' stores and grid events hold, so generated objects are near misses of their
# shapes (an id that is text, a stamp that is a number...), not only unrelated JSON.
SHAPED_KEYS = [
    "id",
    "changes",
    "stamp",
    "title",
    "stored",
    "rowId",
    "colId",
    "updated_at",
    "hook",
    "body",
    "nonce",
    "status",
    "message",
    "post_id",
    "submitted_at",
    "baseline_post_id",
    "view",
    "seconds",
    "range",
    "startRow",
    "endRow",
    "filterModel",
    "sortModel",
    "from",
    "to",
    "category",
    "published",
]
near_shapes = st.fixed_dictionaries({}, optional={key: json_values for key in SHAPED_KEYS})
browser_values = st.one_of(
    json_values,
    near_shapes,
    st.lists(near_shapes, max_size=3),
    st.sampled_from(
        [
            float("nan"),
            float("inf"),
            -float("inf"),
            10**30,
            2**53 + 1,
            -1,
            "",
            "\u202e\x00😀",
            "abc",
            [],
            {},
            [[[[[]]]]],
        ]
    ),
)


def value_class(value) -> str:
    """The class of a generated value, as counted in the fault tally."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer beyond 2^53" if abs(value) > 2**53 else "integer"
    if isinstance(value, float):
        return "NaN or Infinity" if not math.isfinite(value) else "number"
    if isinstance(value, str):
        return "text" if value.isascii() and value.isprintable() else "unicode or control characters"
    if isinstance(value, list):
        return "nested lists" if any(isinstance(v, (list, dict)) for v in value) else "list"
    return "object of the wrong shape"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory, fault_tally):
    """(test client, server callbacks, recorder): one app for the module, every answer recorded."""
    app = create_app(
        settings=Settings(
            _env_file=None,
            data_dir=tmp_path_factory.mktemp("data"),
            achievement_api_url=None,
            orchestrator_url=None,
            tech_doc_api_url=None,
            redis_url=None,
        )
    )
    recorder = StatusRecorder(fault_tally)
    recorder.watch(app)
    client = app.server.test_client()
    deps = [d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")]
    yield client, deps, recorder
    recorder.assert_clean()


def _wildcard(item: dict) -> bool:
    return item["id"].startswith("{") and '["' in item["id"]


def _as_sent(item: dict, value, concrete_value="x"):
    """An input as the renderer sends it; a pattern-matching one as one matching component."""
    if not _wildcard(item):
        return {"id": item["id"], "property": item["property"], "value": value}
    pattern = json.loads(item["id"])
    one = {
        "id": {k: (concrete_value if isinstance(v, list) else v) for k, v in pattern.items()},
        "property": item["property"],
        "value": value,
    }
    return one if '["MATCH"]' in item["id"] else [one]


def _body(dep: dict, values: dict, trigger_index: int = 0) -> dict:
    trigger = dep["inputs"][trigger_index]
    body = request_for(dep, {}, triggered=f"{trigger['id']}.{trigger['property']}")
    for part, declared in (("inputs", dep["inputs"]), ("state", dep.get("state", []))):
        body[part] = [_as_sent(item, values.get((part, index))) for index, item in enumerate(declared)]
    return body


def _post(client, body) -> None:
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body, allow_nan=True)
    response = client.post("/_dash-update-component", data=raw, content_type="application/json")
    _assert_answered(response)
    if response.status_code == 400:
        assert response.get_json()["error"].startswith("bad callback request: ")


def _assert_answered(response) -> None:
    """Below 500, no traceback, and a JSON refusal says why. The live channel never ends (it is
    a stream of events): its first event is read, then the connection closed."""
    if response.mimetype == "text/event-stream":
        assert response.status_code == 200
        first = next(iter(response.response), b"")
        response.close()
        if response.request.method != "HEAD":
            assert (first if isinstance(first, bytes) else first.encode()).startswith(b"retry: ")
        return
    text = response.get_data()
    assert response.status_code < 500, text[:300]
    assert b"Traceback (most recent call last)" not in text
    if response.status_code >= 400 and response.mimetype == "application/json" and text:  # HEAD: no body
        assert str(response.get_json()["error"]).strip(), text[:300]


@given(st.data())
@examples(250)
@covers(DISPATCH, "every server callback (its inputs and states from the browser)")
def test_any_value_in_one_input_of_any_callback_is_a_400_or_an_answer(dashboard, fault_tally, data):
    client, deps, _ = dashboard
    dep = data.draw(st.sampled_from(deps), label="callback")
    slots = [(part, i) for part in ("inputs", "state") for i in range(len(dep.get(part, [])))]
    slot = data.draw(st.sampled_from(slots), label="input")
    value = data.draw(browser_values, label="value")
    trigger = slot[1] if slot[0] == "inputs" else 0
    _post(client, _body(dep, {slot: value}, trigger))
    fault_tally.fault(f"{value_class(value)} as a callback input", TARGET)


@given(st.data())
@examples(120)
@covers(DISPATCH)
def test_any_values_in_every_input_at_once_are_a_400_or_an_answer(dashboard, fault_tally, data):
    client, deps, _ = dashboard
    dep = data.draw(st.sampled_from(deps), label="callback")
    values = {
        (part, i): data.draw(browser_values, label=f"{part}[{i}]")
        for part in ("inputs", "state")
        for i in range(len(dep.get(part, [])))
    }
    _post(client, _body(dep, values, data.draw(st.integers(0, len(dep["inputs"]) - 1), label="trigger")))
    fault_tally.fault("every input of a callback wrong at once", TARGET)


ENVELOPE_KEYS = ["output", "outputs", "inputs", "state", "changedPropIds"]


@given(st.data())
@examples(150)
@covers(DISPATCH)
def test_any_callback_envelope_is_a_400_or_an_answer(dashboard, fault_tally, data):
    client, deps, _ = dashboard
    dep = data.draw(st.sampled_from(deps), label="callback")
    body = _body(dep, {})
    how = data.draw(st.sampled_from(["replace a key", "drop a key", "replace an item", "pattern id value"]))
    if how == "replace a key":
        body[data.draw(st.sampled_from(ENVELOPE_KEYS))] = data.draw(json_values, label="new value")
    elif how == "drop a key":
        body.pop(data.draw(st.sampled_from(ENVELOPE_KEYS)))
    elif how == "replace an item" and body["inputs"]:
        part = data.draw(st.sampled_from(["inputs", "state", "outputs"]))
        items = body[part] if isinstance(body[part], list) else [body[part]]
        if items:
            items[data.draw(st.integers(0, len(items) - 1))] = data.draw(st.one_of(json_values, near_shapes))
            body[part] = items
    else:
        wild = [(i, item) for i, item in enumerate(dep["inputs"]) if _wildcard(item)]
        if wild:
            index, item = data.draw(st.sampled_from(wild))
            body["inputs"][index] = _as_sent(item, data.draw(json_values), data.draw(json_values, label="id value"))
    _post(client, body)
    fault_tally.fault(f"malformed callback envelope ({how})", TARGET)


bodies = st.one_of(
    st.none(),
    json_values.map(lambda v: json.dumps(v, allow_nan=True)),
    st.binary(max_size=40),
    url_text,
    st.just("[" * 3000),
    near_shapes.map(json.dumps),
)


@given(st.data())
@examples(30)
@covers("every Flask route (path variables, query strings, methods, bodies)")
def test_any_request_to_any_route_is_answered_without_a_5xx(dashboard, fault_tally, data):
    """Each example sends one request to every route: a drawn method, path variables, query, body."""
    client, _, _ = dashboard
    for rule in sorted(rule.rule for rule in client.application.url_map.iter_rules()):
        path = re.sub(
            r"<(?:[^:>]+:)?[^>]+>",
            lambda _: quote(
                data.draw(url_text.filter(lambda t: t.strip("./") and "/" not in t), label="path part"), safe=""
            ),
            rule,
        )
        query = data.draw(
            st.one_of(
                st.just(""),
                url_text,
                st.dictionaries(url_text, url_text, max_size=3).map(
                    lambda q: "&".join(f"{k}={v}" for k, v in q.items())
                ),
            ),
            label="query",
        )
        method = data.draw(st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"]), label="method")
        body = data.draw(bodies, label="body") if method in ("POST", "PUT") else None
        content_type = data.draw(
            st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"])
        )
        response = client.open(
            path,
            method=method,
            query_string=quote(query, safe="=&%+;?"),
            data=body,
            content_type=content_type if body is not None else None,
        )
        _assert_answered(response)
    fault_tally.fault("bad path, query, method or body", "every Flask route")


@given(
    st.one_of(
        browser_values,
        st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "view": st.one_of(st.sampled_from(["overview", "system", "content", "nope"]), json_values),
                    "seconds": st.one_of(st.integers(-5, 5000), json_values),
                    "range": st.one_of(st.none(), st.sampled_from(["7d", "all", "bogus"]), json_values),
                },
            ),
            max_size=4,
        ),
    )
)
@examples(200)
@covers("dashboard.services.wallboard.stored_views (the playlist a wallboard store sends back)")
def test_a_stored_playlist_always_plays_only_views_the_rules_of_views_accept(items):
    from dashboard.services import wallboard

    views = wallboard.stored_views(items)
    assert views, "an empty playlist would divide by zero"
    for view in views:
        assert view.view in wallboard.VIEWS and wallboard.MIN_SECONDS <= view.seconds <= wallboard.MAX_SECONDS
        assert view.range is None or view.range in wallboard.RANGES
