"""The callback door (dashboard/web/callback_input.py): the envelope, the declared shapes, the messages."""

from __future__ import annotations

import json
from typing import Optional

import flask
import pytest

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.web import callback_input
from dashboard.web.callback_input import BadInput, Count, check_request, readable


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.settings import Settings

    return create_app(
        settings=Settings(
            _env_file=None,
            data_dir=tmp_path_factory.mktemp("data"),
            redis_url=None,
            achievement_api_url=None,
            orchestrator_url=None,
            tech_doc_api_url=None,
        )
    )


@pytest.fixture(scope="module")
def deps(app):
    return app.server.test_client().get("/_dash-dependencies").get_json()


def body(deps, output: str, values: dict, trigger: str) -> dict:
    """The request of the callback with `output` among its outputs and `trigger` among its inputs."""
    dep = next(
        d for d in deps if output in d["output"] and trigger in (f"{i['id']}.{i['property']}" for i in d["inputs"])
    )
    return request_for(dep, values, triggered=trigger)


def test_every_declared_shape_is_an_input_or_state_of_a_server_callback(app):
    """A typo in expect() would check nothing: every declared component property is read by a callback."""
    read = {
        (item["id"], item["property"])
        for spec in app.callback_map.values()
        if "callback" in spec
        for item in spec["inputs"] + spec.get("state", [])
    }
    assert set(callback_input._shapes) <= read, set(callback_input._shapes) - read


def test_a_well_formed_request_passes(app, deps):
    check_request(
        body(
            deps,
            "achievements-messages.children@",
            {
                "achievements-undo.n_clicks": 1,
                "achievements-undo-store.data": {
                    "undo": [
                        {
                            "label": "Title of #3",
                            "rows": [
                                {"id": 3, "before": {"title": "x"}, "after": {"title": "y"}, "stamp": "s", "title": "y"}
                            ],
                        }
                    ],
                    "redo": [],
                },
            },
            "achievements-undo.n_clicks",
        ),
        app.callback_map,
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"output": "nope.children"}, "no server callback has the output 'nope.children'"),
        ({"inputs": "abc"}, "inputs must be a list of the 1 the callback declares, got 'abc'"),
        ({"inputs": []}, "inputs must be a list of the 1 the callback declares, got []"),
        (
            {"inputs": [{"id": "other", "property": "data", "value": 1}]},
            "inputs: expected wallboard-index.data, got 'other'.data",
        ),
        (
            {"inputs": [{"id": "wallboard-index", "property": "data", "value": -1}]},
            "wallboard-index.data: Input should be greater than or equal to 0",
        ),
        (
            {"state": [{"id": "wallboard-playlist", "property": "data", "value": []}, {"a": 1}]},
            "state must be a list of the 1 the callback declares",
        ),
        ({"outputs": "x"}, "outputs must be the 2 the callback declares, got 'x'"),
        ({"outputs": [{"id": "a"}, 5]}, "outputs: expected wallboard-view.children, got {'id': 'a'}"),
        (
            {"outputs": [[], {"id": "wallboard-caption", "property": "children"}]},
            "outputs: expected wallboard-view.children, got []",
        ),
        (
            {"outputs": [{"id": "wallboard-view", "property": "children"}, {"id": "x", "property": "children"}]},
            "outputs: expected wallboard-caption.children, got {'id': 'x', 'property': 'children'}",
        ),
        ({"changedPropIds": [["x"]]}, "changedPropIds must be a list of strings, got [['x']]"),
    ],
)
def test_a_malformed_envelope_is_refused_saying_what_is_wrong(app, deps, change, message):
    good = body(deps, "wallboard-view.children", {"wallboard-index.data": 1}, "wallboard-index.data")
    with pytest.raises(BadInput) as refused:
        check_request({**good, **change}, app.callback_map)
    assert str(refused.value).startswith(message), str(refused.value)


def test_a_client_side_callback_is_not_a_server_callback(app, deps):
    clientside = next(d for d in deps if d.get("clientside_function"))
    with pytest.raises(BadInput, match="no server callback has the output"):
        check_request(request_for(clientside, {}), app.callback_map)


@pytest.mark.parametrize(
    "concrete, message",
    [
        ({"chart": ["ALL"], "type": "analytics-export"}, "the 'chart' of an id matching"),
        ({"chart": {"a": 1}, "type": "analytics-export"}, "the 'chart' of an id matching"),
        ({"chart": float("nan"), "type": "analytics-export"}, "the 'chart' of an id matching"),
        # Too large for a float: once an OverflowError, a 500 (found by the property tests).
        ({"chart": 10**400, "type": "analytics-export"}, "the 'chart' of an id matching"),
        ({"chart": "value", "type": "nope"}, "expected an id matching"),
        ({"chart": "value"}, "expected an id matching"),
    ],
)
def test_a_pattern_matching_input_needs_a_concrete_id_of_its_pattern(app, deps, concrete, message):
    request = body(deps, "analytics-download.data", {}, '{"chart":["ALL"],"type":"analytics-export"}.n_clicks')
    request["inputs"] = [[{"id": concrete, "property": "n_clicks", "value": 1}]]
    with pytest.raises(BadInput, match=message):
        check_request(request, app.callback_map)
    request["inputs"] = [[{"id": {"chart": "value", "type": "analytics-export"}, "property": "n_clicks", "value": 1}]]
    check_request(request, app.callback_map)
    request["inputs"] = [{"id": {"chart": "value", "type": "analytics-export"}, "property": "n_clicks"}]
    with pytest.raises(BadInput, match="is a list of the matching components"):
        check_request(request, app.callback_map)


@pytest.mark.parametrize("clicks", [True, -1, 1.0, "1", float("inf"), 2**60, [1]])
def test_the_properties_components_fix_are_checked_for_every_callback(app, deps, clicks):
    opened = "achievements-add-open.n_clicks"
    request = body(deps, "achievements-add-modal.is_open", {opened: clicks}, opened)
    with pytest.raises(BadInput, match=r"^achievements-add-open.n_clicks: "):
        check_request(request, app.callback_map)


def test_shapes_are_strict_so_the_callback_gets_the_value_that_was_checked(app, deps):
    for stamp, ok in ((None, True), ("2026-01-01T00:00:00", True), (5, False)):
        request = body(
            deps,
            "achievements-detail-message.children@",
            {"achievements-detail-save.n_clicks": 1, "achievements-detail-row.data": {"id": 3, "stamp": stamp}},
            "achievements-detail-save.n_clicks",
        )
        if ok:
            check_request(request, app.callback_map)
        else:
            with pytest.raises(BadInput, match=r"^achievements-detail-row.data: stamp: Input should be a valid string"):
                check_request(request, app.callback_map)
    request = body(
        deps,
        "achievements-detail-message.children@",
        {"achievements-detail-row.data": {"id": "3", "stamp": None}},
        "achievements-detail-save.n_clicks",
    )
    assert request["state"][1]["id"] == "achievements-detail-row"
    with pytest.raises(BadInput, match=r"^achievements-detail-row.data: id: Input should be a valid integer"):
        check_request(request, app.callback_map)


def test_a_refusal_is_a_400_with_the_reason_in_json(app, deps):
    client = app.server.test_client()
    request = body(
        deps,
        "achievements-detail-panel.is_open",
        {"achievements-grid.cellClicked": {"rowId": "abc"}},
        "achievements-grid.cellClicked",
    )
    response = client.post("/_dash-update-component", json=request)
    assert response.status_code == 400
    assert response.get_json() == {
        "error": "bad callback request: achievements-grid.cellClicked: rowId: "
        "Input should be a valid integer, or String should match pattern "
        "'^[1-9][0-9]{0,17}$'"
    }


def test_the_page_router_takes_only_paths_of_this_dashboard(tmp_path):
    from dashboard.settings import Settings

    host = flask.Flask("host")
    app = create_app(
        host, url_base_pathname="/dash/", settings=Settings(_env_file=None, data_dir=tmp_path, redis_url=None)
    )
    client = host.test_client()
    router = find_callback(client.get("/dash/_dash-dependencies").get_json(), "_pages_content.children")
    for pathname, status in (
        ("/dash/content", 200),
        ("/dash/", 200),
        ("/content", 400),
        ("content", 400),
        (None, 400),
        (5, 400),
    ):
        request = request_for(
            router,
            {"_pages_location.pathname": pathname, "_pages_location.search": "?view=table"},
            triggered="_pages_location.pathname",
        )
        response = client.post(
            "/dash/_dash-update-component", data=json.dumps(request), content_type="application/json"
        )
        assert response.status_code == status, (pathname, response.get_data()[:200])
    assert app.config.requests_pathname_prefix == "/dash/"


def test_readable_keeps_the_entries_of_the_shape_and_drops_the_rest():
    from typing_extensions import TypedDict

    class Job(TypedDict, total=False):
        status: str
        post_id: Optional[Count]

    kept = [{"status": "done", "post_id": 3}, {}, {"status": "queued", "extra": [1]}]
    dropped = [{"status": 5}, {"post_id": "3"}, "job", None, [1], {"post_id": float("nan")}]
    assert readable(kept + dropped, Job) == kept
    for value in (None, "x", 5, {"status": "done"}):
        assert readable(value, Job) == []
