"""Writes during an outage: the user is told, the input is kept for retry, nothing is
half-written, and the retry after recovery writes exactly once.

Against the fake services over real HTTP: a grid edit (DashboardServices.edit_achievement), a
post's text (content.save_post) and a new achievement (create_achievement), under every fault a
write can meet: the service down, a read before the write timing out, the write answered 500,
the connection dropped before the service acted, and the answer lost after it acted.
"""

from __future__ import annotations

import copy
import json
import time

import pytest

from dashboard import create_app
from dashboard.domain.actors import Actor, Role
from dashboard.services.content import posts as content
from tests.fakes import ACHIEVEMENTS, ORCHESTRATOR, FakeBackends

EDITOR = Actor("fault-tester", Role.EDITOR, "password")
TIMEOUT = 1.0
SLOW = 2.0

# (fault, limited to this method, the write reached the service and was applied)
WRITE_FAULTS = [
    ("down", None, False),
    ("slow", "GET", False),  # the read before the write (conflict check) times out
    ("500", "PUT", False),
    ("drop", "PUT", False),  # connection closed before the service acted
    ("drop_mid_body", "PUT", True),  # the service saved; its answer was cut off
]
CREATE_FAULTS = [
    ("down", None, False),
    ("500", "POST", False),
    ("drop", "POST", False),
    ("drop_mid_body", "POST", True),
]


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        yield fake


@pytest.fixture
def services(backends, make_settings, statuses):
    app = create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            http_timeout_seconds=TIMEOUT,
            http_connect_timeout_seconds=TIMEOUT,
        )
    )
    statuses.watch(app)
    found = app.server.extensions["threads_dashboard"].services
    yield found
    found.close()


def fault(backends, service, kind, method):
    backends.set_fault(service, kind, delay=SLOW if kind == "slow" else 0, method=method)


def lost(fault_tally, what: str, intended: dict, stored: dict) -> None:
    """Count a write as lost unless the stored record holds every value the user meant."""
    fault_tally.edits_attempted += 1
    if any(stored.get(k) != v for k, v in intended.items()):
        fault_tally.edits_lost.append(f"{what}: wanted {intended}, stored { ({k: stored.get(k) for k in intended}) }")


@pytest.mark.parametrize("kind, method, applied", WRITE_FAULTS, ids=[f"{k}-{m or 'all'}" for k, m, _ in WRITE_FAULTS])
def test_grid_edit_during_an_outage(services, backends, fault_tally, kind, method, applied):
    loaded = services.get_achievement(5)
    stamp = loaded.updated_at.isoformat()
    before = backends.achievement(5)
    changes = {"title": "Renamed during an outage", "impact_score": 77.5}

    fault(backends, ACHIEVEMENTS, kind, method)
    puts_before = len(backends.requests_to("PUT /achievements/{achievement_id}"))
    result = services.edit_achievement(5, changes, expected_updated_at=stamp, actor=EDITOR)
    puts = backends.requests_to("PUT /achievements/{achievement_id}")[puts_before:]
    if applied:
        # The answer was lost but the write landed: the client read the row back and says so.
        assert result.status == "saved", result.message
        assert [c.body for c in puts] == [changes]
    else:
        assert result.status == "failed", result.message
        assert "Your input is kept" in result.message and "achievement-collector" in result.message
        assert result.changes == changes  # kept for the retry button
        # Nothing half-written: the stored row is exactly what it was.
        assert backends.achievement(5) == before
        assert all(c.body == changes for c in puts)  # a PUT, if one was sent, carried the whole edit

        backends.set_fault(ACHIEVEMENTS, None)
        retried = services.edit_achievement(5, result.changes, expected_updated_at=stamp, actor=EDITOR)
        assert retried.status == "saved", retried.message
        retry_puts = backends.requests_to("PUT /achievements/{achievement_id}")[puts_before + len(puts) :]
        assert [c.body for c in retry_puts] == [changes]  # exactly one write, with the whole edit
    stored = backends.achievement(5)
    assert stored["title"] == changes["title"] and stored["impact_score"] == changes["impact_score"]
    untouched = {k: v for k, v in before.items() if k not in ("title", "impact_score", "updated_at")}
    assert {k: stored[k] for k in untouched} == untouched
    lost(fault_tally, f"grid edit under {kind}", changes, stored)
    fault_tally.fault(f"{kind}{'@' + method if method else ''} during a grid edit", ACHIEVEMENTS)


@pytest.mark.parametrize("kind, method, applied", WRITE_FAULTS, ids=[f"{k}-{m or 'all'}" for k, m, _ in WRITE_FAULTS])
def test_post_save_during_an_outage(services, backends, fault_tally, kind, method, applied):
    post = content.get_post(services, 7)
    loaded = {"hook": post.hook, "body": post.body}
    before = copy.deepcopy(next(p for p in backends.posts if p["id"] == 7))
    hook, body = "A hook typed during an outage", "A body typed during an outage, kept for the retry."

    fault(backends, ORCHESTRATOR, kind, method)
    puts_before = len(backends.requests_to("PUT /content/posts/{post_id}"))
    result = content.save_post(services, 7, hook, body, expected=loaded, actor=EDITOR)
    puts = backends.requests_to("PUT /content/posts/{post_id}")[puts_before:]
    if applied:
        assert result.status == "saved", result.message
        assert [c.body for c in puts] == [{"hook": hook, "body": body}]
    else:
        assert result.status == "failed", result.message
        assert "Your text is kept" in result.message and "orchestrator" in result.message
        assert result.changes == {"hook": hook, "body": body}
        assert next(p for p in backends.posts if p["id"] == 7) == before  # nothing half-written

        backends.set_fault(ORCHESTRATOR, None)
        retried = content.save_post(
            services, 7, result.changes["hook"], result.changes["body"], expected=loaded, actor=EDITOR
        )
        assert retried.status == "saved", retried.message
        retry_puts = backends.requests_to("PUT /content/posts/{post_id}")[puts_before + len(puts) :]
        assert [c.body for c in retry_puts] == [{"hook": hook, "body": body}]
    stored = next(p for p in backends.posts if p["id"] == 7)
    assert {k: v for k, v in stored.items() if k not in ("hook", "body")} == {
        k: v for k, v in before.items() if k not in ("hook", "body")
    }
    lost(fault_tally, f"post save under {kind}", {"hook": hook, "body": body}, stored)
    fault_tally.fault(f"{kind}{'@' + method if method else ''} during a post save", ORCHESTRATOR)


FORM = {
    "title": "Added during an outage",
    "description": "Typed while the service was away.",
    "category": "testing",
    "started_at": "2026-11-01",
    "completed_at": "2026-11-02",
    "business_value": 4200,
    "impact_score": 61,
    "tags": "faults, retries",
}


@pytest.mark.parametrize("kind, method, applied", CREATE_FAULTS, ids=[f"{k}-{m or 'all'}" for k, m, _ in CREATE_FAULTS])
def test_add_achievement_during_an_outage(services, backends, fault_tally, kind, method, applied):
    count = len(backends.achievements)
    fault(backends, ACHIEVEMENTS, kind, method)
    result = services.create_achievement(dict(FORM), actor=EDITOR)
    if applied:
        assert result.status == "saved", result.message  # the client found the row its lost answer made
    else:
        assert result.status == "failed", result.message
        assert "The form keeps what you typed" in result.message
        assert result.changes == FORM
        assert len(backends.achievements) == count  # nothing written
        backends.set_fault(ACHIEVEMENTS, None)
        result = services.create_achievement(result.changes, actor=EDITOR)
        assert result.status == "saved", result.message
    titles = [a["title"] for a in backends.achievements]
    assert titles.count(FORM["title"]) == 1 and len(backends.achievements) == count + 1
    stored = backends.achievement(result.achievement_id)
    assert stored["category"] == "testing" and stored["business_value"] == "4200"
    lost(fault_tally, f"add under {kind}", {"title": FORM["title"]}, stored)
    fault_tally.fault(f"{kind}{'@' + method if method else ''} during an add", ACHIEVEMENTS)


def test_a_retry_of_an_add_whose_answer_timed_out_adds_it_once(services, backends, fault_tally):
    """The service saved, but only after the dashboard gave up waiting: the user's retry (or a
    second click) must find the saved row, not add it again."""
    count = len(backends.achievements)
    backends.set_fault(ACHIEVEMENTS, "slow", delay=SLOW, method="POST")
    first = services.create_achievement(dict(FORM), actor=EDITOR)
    assert first.status == "failed" and "timed out" in first.message and first.changes == FORM
    backends.set_fault(ACHIEVEMENTS, None)
    deadline = time.monotonic() + SLOW + 2
    while len(backends.achievements) < count + 1 and time.monotonic() < deadline:
        time.sleep(0.05)  # the slow request lands late on the service
    retried = services.create_achievement(first.changes, actor=EDITOR)
    assert retried.status == "saved", retried.message
    titles = [a["title"] for a in backends.achievements]
    assert titles.count(FORM["title"]) == 1, "the retry added the achievement a second time"
    assert len(backends.requests_to("POST /achievements/")) == 1
    lost(fault_tally, "add under a late answer", {"title": FORM["title"]}, backends.achievement(retried.achievement_id))
    fault_tally.fault("slow@POST (saved after the timeout) during an add", ACHIEVEMENTS)


def _dep(deps: list[dict], output: str, input_prop: str) -> dict:
    return next(
        d
        for d in deps
        if output in d["output"] and any(f"{i['id']}.{i['property']}" == input_prop for i in d["inputs"])
    )


def test_grid_edit_in_the_page_during_an_outage_keeps_it_for_the_retry_button(
    backends, make_settings, statuses, fault_tally
):
    """The same through the Achievements page's own callbacks, as the browser sends them."""
    from bench.dash_payloads import request_for

    app = create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            http_timeout_seconds=TIMEOUT,
            http_connect_timeout_seconds=TIMEOUT,
        )
    )
    statuses.watch(app)
    client = app.server.test_client()
    client.get("/achievements")
    deps = client.get("/_dash-dependencies").get_json()

    def call(dep, values, trigger):
        response = client.post("/_dash-update-component", json=request_for(dep, values, triggered=trigger))
        assert response.status_code == 200, response.data[:300]
        return response.get_json()["response"]

    rows = call(
        _dep(deps, "achievements-grid.getRowsResponse", "achievements-grid.getRowsRequest"),
        {"achievements-grid.getRowsRequest": {"startRow": 0, "endRow": 100}},
        "achievements-grid.getRowsRequest",
    )["achievements-grid"]["getRowsResponse"]["rowData"]
    row = next(r for r in rows if r["id"] == 5)
    before = backends.achievement(5)
    event = [
        {
            "rowId": "5",
            "colId": "title",
            "value": "Typed in the grid while it was down",
            "oldValue": row["title"],
            "data": {**row, "title": "Typed in the grid while it was down"},
        }
    ]

    backends.set_fault(ACHIEVEMENTS, "down")
    saved = call(
        _dep(deps, "achievements-messages.children", "achievements-grid.cellValueChanged"),
        {"achievements-grid.cellValueChanged": event},
        "achievements-grid.cellValueChanged",
    )
    told = json.dumps(saved["achievements-messages"]["children"])
    assert "Not saved" in told and "Your input is kept" in told and "edit-result--failed" in told
    pending = saved["achievements-pending-store"]["data"]
    assert pending == [
        {"id": 5, "changes": {"title": "Typed in the grid while it was down"}, "stamp": pending[0]["stamp"]}
    ]
    assert backends.achievement(5) == before
    buttons = call(
        _dep(deps, "achievements-retry.className", "achievements-pending-store.data"),
        {"achievements-pending-store.data": pending},
        "achievements-pending-store.data",
    )
    assert buttons["achievements-retry"] == {"className": "", "children": "Retry 1 unsaved edit(s)"}

    backends.set_fault(ACHIEVEMENTS, None)
    puts = len(backends.requests_to("PUT /achievements/{achievement_id}"))
    retried = call(
        _dep(deps, "achievements-messages.children", "achievements-retry.n_clicks"),
        {"achievements-retry.n_clicks": 1, "achievements-pending-store.data": pending},
        "achievements-retry.n_clicks",
    )
    assert "edit-result--saved" in json.dumps(retried["achievements-messages"]["children"])
    assert retried["achievements-pending-store"]["data"] is None  # nothing left to retry
    assert [c.body for c in backends.requests_to("PUT /achievements/{achievement_id}")[puts:]] == [
        {"title": "Typed in the grid while it was down"}
    ]
    assert backends.achievement(5)["title"] == "Typed in the grid while it was down"
    lost(
        fault_tally,
        "grid edit in the page under down",
        {"title": "Typed in the grid while it was down"},
        backends.achievement(5),
    )
    fault_tally.fault("down during a grid edit in the page (callbacks)", ACHIEVEMENTS)
    app.server.extensions["threads_dashboard"].services.close()
