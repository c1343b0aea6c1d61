"""Malformed input (issue 13, item 7): each bad input a red-team pass answered with a 500 is now
a clear 4xx or a handled state on screen.

Callbacks are driven over the app's real dispatch (bodies built from its own /_dash-dependencies,
sent as raw JSON so NaN and Infinity travel as Python's json reads them); every answer is
recorded by the `statuses` fixture (none may be a 5xx) and each case is counted as a fault in
the closing "fault tests" line.
"""

from __future__ import annotations

import json
import threading

import pytest

from bench.dash_payloads import request_for
from dashboard import create_app
from tests.integration.test_faults import strings

ROWS = "achievements-grid.getRowsRequest"
BLOCK = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


class Page:
    """The app's callbacks, posted as the browser posts them."""

    def __init__(self, app, statuses):
        statuses.watch(app)
        self.client = app.server.test_client()
        self.deps = self.client.get("/_dash-dependencies").get_json()

    def post(self, output: str, values: dict, trigger: str):
        """The callback with `output` among its outputs and `trigger` among its inputs."""
        dep = next(
            d
            for d in self.deps
            if output in d["output"] and trigger in (f"{i['id']}.{i['property']}" for i in d["inputs"])
        )
        body = request_for(dep, values, triggered=trigger)
        return self.client.post(
            "/_dash-update-component", data=json.dumps(body, allow_nan=True), content_type="application/json"
        )

    def answer(self, output: str, values: dict, trigger: str) -> dict:
        response = self.post(output, values, trigger)
        assert response.status_code == 200, (response.status_code, response.get_data()[:300])
        return response.get_json()["response"]

    def refusal(self, output: str, values: dict, trigger: str) -> str:
        response = self.post(output, values, trigger)
        assert response.status_code == 400, (response.status_code, response.get_data()[:300])
        return response.get_json()["error"]


@pytest.fixture
def page(make_settings, statuses):
    return Page(create_app(settings=make_settings()), statuses)


def grid_refusal(page: Page, request, search=None) -> str:
    """What the grid says over its rows for a request it refused (the KPIs read unknown)."""
    answer = page.answer(
        "achievements-grid.getRowsResponse", {ROWS: request, "achievements-search.value": search}, ROWS
    )
    assert answer["achievements-grid"]["getRowsResponse"] == {"rowData": [], "rowCount": 0}
    assert answer["achievements-grid-overlay"]["className"] == "grid-overlay"
    assert answer["achievements-kpi-count"]["children"] == "—"
    return " ".join(strings(answer["achievements-grid-overlay"]["children"]))


def test_start_row_infinity_is_refused_on_the_grid(page, fault_tally):
    said = grid_refusal(page, {**BLOCK, "startRow": float("inf")})  # JSON Infinity, which Python's json reads
    assert "This view cannot be shown" in said and "startRow must be an integer, got inf" in said
    assert "endRow must be an integer, got nan" in grid_refusal(page, {**BLOCK, "endRow": float("nan")})
    fault_tally.fault("startRow Infinity / endRow NaN", "achievements grid")


def test_a_get_rows_request_that_is_a_list_is_refused_on_the_grid(page, fault_tally):
    assert "getRowsRequest must be an object, got [" in grid_refusal(page, [BLOCK])
    assert "getRowsRequest must be an object, got 'abc'" in grid_refusal(page, "abc")
    fault_tally.fault("getRowsRequest a list", "achievements grid")


@pytest.mark.parametrize("search", [5, ["a"], {"a": 1}, True, float("nan")])
def test_a_quick_search_that_is_not_text_is_refused_on_the_grid(page, fault_tally, search):
    assert "search must be a string" in grid_refusal(page, BLOCK, search)
    fault_tally.fault("quick search not text", "achievements grid")


def test_an_export_of_a_view_the_grid_refuses_says_why_and_downloads_nothing(page, fault_tally):
    answer = page.answer(
        "achievements-download.data",
        {"achievements-export.n_clicks": 1, ROWS: {"filterModel": {"nope": {"type": "x"}}}},
        "achievements-export.n_clicks",
    )
    assert "achievements-download" not in answer  # no_update: no file
    said = " ".join(strings(answer["achievements-messages"]["children"]))
    assert said == "Not exported: unknown column 'nope'."
    fine = page.answer(
        "achievements-download.data", {"achievements-export.n_clicks": 2, ROWS: BLOCK}, "achievements-export.n_clicks"
    )
    assert fine["achievements-download"]["data"]["content"].startswith("id,title,category")
    fault_tally.fault("export with a bad filter model", "achievements export")


@pytest.mark.parametrize("row_id", ["abc", "1.5", "0", "-3", "١٢", 1.5, float("inf"), True, ["1"], "9" * 40])
def test_a_row_id_that_is_not_an_id_is_a_400_naming_the_input(page, fault_tally, row_id):
    clicked = "achievements-grid.cellClicked"
    said = page.refusal("achievements-detail-panel.is_open", {clicked: {"rowId": row_id, "colId": "details"}}, clicked)
    assert said.startswith("bad callback request: achievements-grid.cellClicked: rowId:")
    opened = page.answer("achievements-detail-panel.is_open", {clicked: {"rowId": "3", "colId": "details"}}, clicked)
    assert (
        opened["achievements-detail-panel"]["is_open"] is True and opened["achievements-detail-row"]["data"]["id"] == 3
    )
    fault_tally.fault("row id not a number (int('abc'))", "achievements detail panel")


@pytest.mark.parametrize("post_id", ["abc", "", 0, -1, 2.5, float("nan"), 2**70, [3], {"id": 3}])
def test_a_post_id_that_is_not_an_id_is_a_400_naming_the_input(page, fault_tally, post_id):
    said = page.refusal(
        "content-detail.is_open", {"content-selected-post.data": {"id": post_id}}, "content-selected-post.data"
    )
    assert said.startswith("bad callback request: content-selected-post.data: id:")
    for loaded in ({"id": post_id, "hook": "h", "body": "b"}, [post_id]):
        said = page.refusal(
            "content-detail-message.children",
            {"content-detail-save.n_clicks": 1, "content-detail-loaded.data": loaded},
            "content-detail-save.n_clicks",
        )
        assert said.startswith("bad callback request: content-detail-loaded.data:")
    opened = page.answer(
        "content-detail.is_open", {"content-selected-post.data": {"id": 1}}, "content-selected-post.data"
    )
    assert opened["content-detail"]["is_open"] is True
    fault_tally.fault("post id not a number (int('abc'))", "content post editor")


@pytest.mark.parametrize("playlist", [[], None, "overview:30", [{"view": "nope", "seconds": 5}], [[1]], {"a": 1}])
def test_an_empty_or_unplayable_wallboard_playlist_plays_the_default(page, fault_tally, playlist):
    answer = page.answer(
        "wallboard-view.children",
        {"wallboard-index.data": 1, "wallboard-playlist.data": playlist},
        "wallboard-index.data",
    )
    assert answer["wallboard-caption"]["children"] == "highlights · all · 2/3"  # the default's second view
    fault_tally.fault("empty wallboard playlist (ZeroDivisionError)", "wallboard")


def test_a_stored_playlist_is_read_again_by_the_rules_of_views(page):
    """The server never trusts a view back from the browser: a bad range or duration drops it."""
    playlist = [
        {"view": "system", "seconds": 15, "range": None},
        {"view": "overview", "seconds": 10**9, "range": "7d"},
        {"view": "overview", "seconds": 20, "range": "<script>"},
    ]
    answer = page.answer(
        "wallboard-view.children",
        {"wallboard-index.data": 0, "wallboard-playlist.data": playlist},
        "wallboard-index.data",
    )
    assert answer["wallboard-caption"]["children"] == "system · 1/1"
    assert page.refusal(
        "wallboard-view.children",
        {"wallboard-index.data": float("inf"), "wallboard-playlist.data": playlist},
        "wallboard-index.data",
    ).startswith("bad callback request: wallboard-index.data:")


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash_ag_grid/../x.js",
        "/_dash-component-suites/plotly/package_data/nope.v1m1.js",
    ],
)
def test_an_unknown_component_suite_path_is_a_404(page, fault_tally, path):
    for method in ("GET", "HEAD"):
        response = page.client.open(path, method=method)
        assert response.status_code == 404
    assert page.client.get("/_dash-component-suites/dash_ag_grid/dash_ag_grid.min.js").status_code == 200
    fault_tally.fault("unknown /_dash-component-suites/ path", "static delivery")


@pytest.fixture
def nginx_502():
    """A loopback 'service' answering every request with nginx's 502 page (CR/LF and all)."""
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Response

    def app(environ, start_response):
        return Response(NGINX_502, status=502, mimetype="text/html")(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_an_upstream_error_with_a_newline_is_one_clean_header_line(make_settings, nginx_502, statuses, fault_tally):
    app = create_app(settings=make_settings(achievement_api_url=nginx_502))
    statuses.watch(app)
    response = app.server.test_client().get("/api/charts/value-trend?range=all")
    assert response.status_code == 200 and "data" in response.get_json()
    error = response.headers["X-Data-Error"]
    assert "502" in error and "502 Bad Gateway" in error and "nginx" in error
    assert not any(ord(c) < 32 or ord(c) > 126 for c in error) and len(error) <= 300
    assert response.headers["X-Data-Stale"] == "true"
    fault_tally.fault("upstream error text with CR/LF (X-Data-Error)", "chart JSON endpoint")


HIGHLIGHTS = "highlights-value-value.children"


@pytest.mark.parametrize("range_key", [5, ["30d"], {"a": {"b": {"c": [1] * 50}}}, True, float("nan")])
def test_a_highlights_range_that_is_not_text_is_a_400_naming_it(page, fault_tally, range_key):
    said = page.refusal(HIGHLIGHTS, {"highlights-range.data": range_key}, "highlights-range.data")
    assert said.startswith("bad callback request: highlights-range.data:")
    fault_tally.fault("highlights range not text", "highlights")


@pytest.mark.parametrize("range_key", ["", "x" * 100_000, "🙂🙂", "30D ", "all\x00"])
def test_any_highlights_range_text_shows_a_period_never_a_failure(page, range_key):
    answer = page.answer(HIGHLIGHTS, {"highlights-range.data": range_key}, "highlights-range.data")
    # The default (or the named) period, read: a figure or "—", on a tile that did not fail.
    assert isinstance(answer["highlights-value-value"]["children"], str)
    assert "tile--ok" in answer["highlights-value-card"]["className"]
    assert len(json.dumps(answer)) < 60_000  # bounded whatever came in


def test_highlights_asked_by_many_screens_at_once_all_answer(page):
    answers, errors = [], []

    def ask():
        try:
            answers.append(page.answer(HIGHLIGHTS, {"highlights-range.data": "90d"}, "highlights-range.data"))
        except AssertionError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors and len(answers) == 12
    assert len({a["highlights-value-value"]["children"] for a in answers}) == 1  # one answer for one data set


@pytest.mark.parametrize("screen", ["yes", 1, [True], {"on": True}])
def test_a_content_screen_flag_that_is_not_a_boolean_is_a_400(page, fault_tally, screen):
    said = page.refusal(
        "content-board.children", {"content-screen.data": screen, "content-view.value": "board"}, "content-view.value"
    )
    assert said.startswith("bad callback request: content-screen.data:")
    fault_tally.fault("content screen flag not a boolean", "content board")


CHOSEN = "time-range-message.children"
TYPED = {"url.pathname": "/", "url.search": "?range=30d", "time-range-zone.value": "UTC"}


def picked(page: Page, values: dict, expect: int = 200):
    """The picker's callback as the browser posts it: the quick ranges as one entry a range."""
    dep = next(
        d for d in page.deps if CHOSEN in d["output"] and any(i["id"] == "time-range-apply" for i in d["inputs"])
    )
    body = request_for(dep, values, triggered="time-range-apply.n_clicks")
    body["inputs"] = [
        [
            {"id": {"type": "time-range-quick", "key": key}, "property": "n_clicks", "value": 0}
            for key in ("7d", "30d", "90d", "365d", "mtd", "qtd", "ytd", "all")
        ]
        if "time-range-quick" in str(item["id"])
        else item
        for item in body["inputs"]
    ]
    response = page.client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code == expect, (response.status_code, response.get_data()[:300])
    return response.get_json()


@pytest.mark.parametrize(
    "typed",
    ["x" * 100_000, "🙂" * 50, "now-99999999999d", "2026-02-30", "\x00\x1f", "now/Q/Q", "-1", "1" * 400, "NaN"],
)
def test_any_typed_time_range_text_is_said_in_the_panel_never_a_failure(page, typed):
    answer = picked(page, {**TYPED, "time-range-from.value": typed, "time-range-to.value": "now"})["response"]
    said = answer["time-range-message"]["children"]
    assert "is-error" in answer["time-range-message"]["className"] and said.endswith(".") and len(said) < 300
    assert "time-range-url" not in answer  # nothing applied: the URL stays


@pytest.mark.parametrize(
    ("prop", "value"),
    [("time-range-from.value", 5), ("time-range-from.value", ["now"]), ("time-range-compare.value", "yes")],
)
def test_a_time_range_control_value_of_another_type_is_a_400_naming_it(page, fault_tally, prop, value):
    said = picked(page, {**TYPED, prop: value}, expect=400)["error"]
    assert said.startswith(f"bad callback request: {prop}:")
    fault_tally.fault("time range control of another type", "navbar")


def test_a_swapped_range_is_applied_and_said(page):
    answer = picked(page, {**TYPED, "time-range-from.value": "2026-03-31", "time-range-to.value": "2026-01-01"})
    answer = answer["response"]
    assert answer["time-range-url"]["search"] == "?from=2026-01-01&to=2026-03-31"
    assert answer["time-range-message"]["children"].startswith("from was after to: swapped")
    assert answer["time-range-from"]["value"] == "2026-01-01" and answer["time-range-to"]["value"] == "2026-03-31"
