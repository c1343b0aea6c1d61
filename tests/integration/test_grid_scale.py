"""10,000 achievements: the browser gets one bounded block of rows, never the whole list."""

import json

from bench.dash_payloads import find_callback, request_for
from bench.grid_scale import fill
from dashboard import create_app


def test_first_block_of_ten_thousand_is_bounded(make_settings):
    # What is bounded here is size, not time: on a loaded machine reading 10,000 rows may take
    # longer than a screen's usual wait, and the answer would be "still loading".
    app = create_app(settings=make_settings(cache_ttl_seconds=300, wait_seconds=60))
    services = app.server.extensions["threads_dashboard"].services
    fill(services.store, 10_000)
    services.invalidate_achievements()
    client = app.server.test_client()
    dep = find_callback(client.get("/_dash-dependencies").get_json(), "achievements-grid.getRowsResponse")
    request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    body = request_for(
        dep,
        {
            "achievements-grid.getRowsRequest": request,
            "achievements-search.value": "",
            "achievements-published-only.value": [],
        },
        triggered="achievements-grid.getRowsRequest",
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    result = response.get_json()["response"]
    block = result["achievements-grid"]["getRowsResponse"]
    assert block["rowCount"] == 10_000
    assert len(block["rowData"]) == 100
    assert len(response.get_data()) < 150_000
    assert result["achievements-kpi-count"]["children"] == "10,000"

    greedy = {**request, "endRow": 10_000}  # a client asking for everything is refused, and told the limit
    body = request_for(
        dep,
        {
            "achievements-grid.getRowsRequest": greedy,
            "achievements-search.value": "",
            "achievements-published-only.value": [],
        },
        triggered="achievements-grid.getRowsRequest",
    )
    refused = client.post("/_dash-update-component", json=body)
    assert refused.status_code == 200
    answer = refused.get_json()["response"]
    assert answer["achievements-grid"]["getRowsResponse"] == {"rowData": [], "rowCount": 0}
    overlay = json.dumps(answer["achievements-grid-overlay"]["children"])
    assert "too many rows in one block: 10,000 (at most 500)" in overlay
    assert answer["achievements-grid-overlay"]["className"] == "grid-overlay"
