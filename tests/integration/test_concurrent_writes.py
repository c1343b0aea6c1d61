"""Concurrent writes to one achievement, and repeated adds: no edit lost, no row added twice.

Two app instances share one real redis-server and the contract server over real HTTP, as two
gunicorn workers (or replicas) do. The achievement-collector has no If-Match and no idempotency
key, so the dashboard itself must serialise writes per achievement and remember uncertain
creates where every worker sees them. A slow fault on the service stretches each write, so the
editors really overlap.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from dashboard import create_app
from tests.actors import EDITOR
from tests.fakes import ACHIEVEMENTS, FakeBackends

PUT_SECONDS = 2.0


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        yield fake


def services_of(app):
    return app.server.extensions["threads_dashboard"].services


@pytest.fixture
def two_apps(backends, make_settings, redis_url, statuses):
    """Two app instances over the same collector and the same Redis."""
    apps = [
        create_app(
            settings=make_settings(
                achievement_api_url=backends.achievement_url,
                redis_url=redis_url,
                http_timeout_seconds=PUT_SECONDS + 2.0,
            )
        )
        for _ in range(2)
    ]
    for app in apps:
        statuses.watch(app)
    yield apps
    for app in apps:
        services_of(app).close()


@pytest.fixture
def two_workers(two_apps):
    return [services_of(app) for app in two_apps]


def stamp_of(services, achievement_id: int) -> str:
    return services.get_achievement(achievement_id).updated_at.isoformat()


def edit_concurrently(workers, achievement_id: int, values: list[float], stamp: str):
    """Each editor (spread over the workers) saves its own value, all at the same moment."""
    start = threading.Barrier(len(values))

    def edit(index: int):
        start.wait()
        services = workers[index % len(workers)]
        return services.edit_achievement(
            achievement_id, {"impact_score": values[index]}, expected_updated_at=stamp, actor=EDITOR
        )

    with ThreadPoolExecutor(len(values)) as pool:
        return list(pool.map(edit, range(len(values))))


def tally(fault_tally, kind: str, results, stored: dict) -> None:
    """The fault tally: every editor's write attempted; one told "saved" whose value is not stored is lost."""
    fault_tally.fault(kind, ACHIEVEMENTS)
    fault_tally.edits_attempted += len(results)
    for r in results:
        if r.ok and any(stored.get(k) != v for k, v in r.changes.items()):
            fault_tally.edits_lost.append(f"{kind}: told saved {r.changes}, stored {stored.get('impact_score')}")


def test_two_editors_with_a_slow_put_one_is_saved_the_other_told(two_workers, backends, fault_tally):
    stamp = stamp_of(two_workers[0], 4)
    backends.set_fault(ACHIEVEMENTS, "slow", delay=PUT_SECONDS, method="PUT")
    results = edit_concurrently(two_workers, 4, [11.0, 22.0], stamp)
    tally(fault_tally, "slow@PUT under 2 concurrent editors on two workers", results, backends.achievement(4))

    saved = [r for r in results if r.ok]
    assert len(saved) == 1, [(r.status, r.message) for r in results]
    other = next(r for r in results if not r.ok)
    assert other.status in ("conflict", "busy"), other.message
    assert other.changes and other.changes != saved[0].changes  # the typed value is kept for a retry
    assert backends.achievement(4)["impact_score"] == saved[0].changes["impact_score"]  # nothing lost
    assert len(backends.requests_to("PUT /achievements/{achievement_id}")) == 1


def test_twenty_editors_exactly_one_is_saved_and_every_other_is_told(two_workers, backends, fault_tally):
    stamp = stamp_of(two_workers[0], 6)
    backends.set_fault(ACHIEVEMENTS, "slow", delay=PUT_SECONDS, method="PUT")
    values = [float(10 + i) for i in range(20)]
    results = edit_concurrently(two_workers, 6, values, stamp)
    tally(fault_tally, "slow@PUT under 20 concurrent editors on two workers", results, backends.achievement(6))

    saved = [r for r in results if r.ok]
    assert len(saved) == 1, f"{len(saved)} of 20 editors were told 'saved'"
    told = [r for r in results if not r.ok]
    assert all(r.status in ("conflict", "busy") for r in told), {(r.status, r.message) for r in told}
    busy = [r for r in told if r.status == "busy"]
    assert all("someone else is saving this achievement" in r.message and "try again" in r.message for r in busy)
    assert all(r.changes == {"impact_score": v} for r, v in zip(results, values))  # every typed value kept
    assert backends.achievement(6)["impact_score"] == saved[0].changes["impact_score"]


def test_an_edit_without_a_version_is_refused_and_not_written(two_workers, backends, fault_tally):
    before = backends.achievement(3)
    result = two_workers[0].edit_achievement(3, {"title": "Blind overwrite"}, actor=EDITOR)
    assert result.status == "invalid", result.message
    assert "Not saved" in result.message and "reload" in result.message.lower()
    assert result.changes == {"title": "Blind overwrite"}
    assert backends.requests_to("PUT /achievements/{achievement_id}") == []
    assert backends.achievement(3) == before
    fault_tally.fault("an edit without a version", "achievement-collector")


def test_a_write_landing_right_after_ours_is_said_not_reported_as_saved(two_workers, backends):
    """Another client writes straight to the collector (past the dashboard and its lock) just
    after our PUT: the read after the write sees it, and the editor is told."""
    services = two_workers[0]
    stamp = stamp_of(services, 7)
    backends.set_fault(ACHIEVEMENTS, "slow", delay=1.0)  # every call takes 1 s: the writes interleave
    puts = len(backends.requests_to("PUT /achievements/{achievement_id}"))

    def direct_writer():
        wait_for_put(backends, puts)
        # Our PUT is on its way (applied in 1 s); this one is applied just after it.
        httpx.put(f"{backends.achievement_url}/achievements/7", json={"impact_score": 3.0}, timeout=10)

    writer = threading.Thread(target=direct_writer)
    writer.start()
    result = services.edit_achievement(7, {"impact_score": 99.0}, expected_updated_at=stamp, actor=EDITOR)
    writer.join()
    assert backends.achievement(7)["impact_score"] == 3.0
    assert result.status == "conflict", result.message
    assert "changed elsewhere right after your save" in result.message.lower()
    assert "Impact" in result.message and "Your input is kept" in result.message
    assert result.achievement.impact_score == 3.0  # what is stored now, for the dialog
    assert result.changes == {"impact_score": 99.0}


def wait_for_put(backends, already: int) -> None:
    deadline = time.monotonic() + 10
    while len(backends.requests_to("PUT /achievements/{achievement_id}")) == already:
        assert time.monotonic() < deadline, "the PUT was never sent"
        time.sleep(0.01)


def _dep(deps: list[dict], output: str, input_prop: str) -> dict:
    return next(
        d
        for d in deps
        if output in d["output"] and any(f"{i['id']}.{i['property']}" == input_prop for i in d["inputs"])
    )


def test_the_page_keeps_an_edit_met_by_another_workers_save_for_retry_then_shows_the_conflict(two_apps, backends):
    """Through the Achievements page's callbacks on one worker while the other worker saves the
    same row: the editor is told, keeps the typed value, and the retry is checked, not blind."""
    from bench.dash_payloads import request_for

    first, second = two_apps
    client = second.server.test_client()
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
    row = next(r for r in rows if r["id"] == 8)
    backends.set_fault(ACHIEVEMENTS, "slow", delay=PUT_SECONDS, method="PUT")
    puts = len(backends.requests_to("PUT /achievements/{achievement_id}"))
    with ThreadPoolExecutor(1) as pool:
        colleague = pool.submit(
            services_of(first).edit_achievement,
            8,
            {"impact_score": 1.0},
            expected_updated_at=row["updated_at"],
            actor=EDITOR,
        )
        wait_for_put(backends, puts)  # the colleague's save holds the lock now
        typed = "Typed while a colleague saved"
        event = [
            {"rowId": "8", "colId": "title", "value": typed, "oldValue": row["title"], "data": {**row, "title": typed}}
        ]
        answer = call(
            _dep(deps, "achievements-messages.children", "achievements-grid.cellValueChanged"),
            {"achievements-grid.cellValueChanged": event},
            "achievements-grid.cellValueChanged",
        )
        assert colleague.result().ok
    told = json.dumps(answer["achievements-messages"]["children"])
    assert "edit-result--busy" in told and "someone else is saving this achievement" in told, told
    pending = answer["achievements-pending-store"]["data"]
    assert pending == [{"id": 8, "changes": {"title": typed}, "stamp": row["updated_at"]}]

    backends.set_fault(ACHIEVEMENTS, None)
    retried = call(
        _dep(deps, "achievements-messages.children", "achievements-retry.n_clicks"),
        {"achievements-retry.n_clicks": 1, "achievements-pending-store.data": pending},
        "achievements-retry.n_clicks",
    )
    conflict = retried["achievements-conflict-store"]["data"]
    assert [c["changes"] for c in conflict] == [{"title": typed}]  # the dialog: stored vs mine
    assert backends.achievement(8)["title"] == row["title"] and backends.achievement(8)["impact_score"] == 1.0


@pytest.fixture
def two_embedded_workers(make_settings, redis_url):
    """Two app instances over the same embedded store (one data folder) and the same Redis."""
    return [services_of(create_app(settings=make_settings(redis_url=redis_url))) for _ in range(2)]


def test_twenty_editors_on_the_embedded_store_exactly_one_is_saved(two_embedded_workers):
    """The SQLite path checks the version inside its write transaction (BEGIN IMMEDIATE): this
    held before the write lock too, and must keep holding."""
    first = two_embedded_workers[0]
    stamp = stamp_of(first, 12)
    values = [float(30 + i) for i in range(20)]
    results = edit_concurrently(two_embedded_workers, 12, values, stamp)
    saved = [r for r in results if r.ok]
    assert len(saved) == 1, f"{len(saved)} of 20 editors were told 'saved'"
    assert all(r.status in ("conflict", "busy") for r in results if not r.ok)
    assert first.get_achievement(12).impact_score == saved[0].changes["impact_score"]


# Adds ----------------------------------------------------------------------------------------------

FORM = {
    "title": "Added once across workers",
    "description": "Sent again by a retry on another worker.",
    "category": "testing",
    "started_at": "2026-11-01",
    "completed_at": "2026-11-02",
    "business_value": 4200,
}


def copies(backends) -> int:
    return sum(1 for a in backends.achievements if a["title"] == FORM["title"])


def test_a_retry_on_the_other_worker_of_an_add_whose_answer_was_lost_adds_it_once(
    backends, make_settings, redis_url, statuses, fault_tally
):
    """The service saved, but only after worker A gave up waiting; the user's retry lands on
    worker B, which must know A's create is uncertain and look for its row first."""
    apps = [
        create_app(
            settings=make_settings(
                achievement_api_url=backends.achievement_url,
                redis_url=redis_url,
                http_timeout_seconds=1.0,
                http_connect_timeout_seconds=1.0,
            )
        )
        for _ in range(2)
    ]
    for app in apps:
        statuses.watch(app)
    first_worker, second_worker = (services_of(app) for app in apps)
    backends.set_fault(ACHIEVEMENTS, "slow", delay=2.0, method="POST")
    first = first_worker.create_achievement(dict(FORM), actor=EDITOR)
    assert first.status == "failed" and "timed out" in first.message and first.changes == FORM
    backends.set_fault(ACHIEVEMENTS, None)
    deadline = time.monotonic() + 5
    while copies(backends) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # the slow request lands late on the service
    assert copies(backends) == 1

    retried = second_worker.create_achievement(first.changes, actor=EDITOR)
    assert retried.status == "saved", retried.message
    assert copies(backends) == 1, "the retry on the other worker added the achievement a second time"
    assert len(backends.requests_to("POST /achievements/")) == 1
    assert backends.achievement(retried.achievement_id)["title"] == FORM["title"]
    fault_tally.edits_attempted += 1
    fault_tally.fault("slow@POST (saved after the timeout), retried on another worker", ACHIEVEMENTS)
    for app in apps:
        services_of(app).close()


def test_the_same_add_sent_twice_at_once_on_two_workers_adds_it_once(two_workers, backends, fault_tally):
    """A double submission (two tabs, a resent request) reaching both workers during a slow create."""
    backends.set_fault(ACHIEVEMENTS, "slow", delay=PUT_SECONDS, method="POST")
    start = threading.Barrier(2)

    def add(services):
        start.wait()
        return services.create_achievement(dict(FORM), actor=EDITOR)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(add, two_workers))
    assert copies(backends) == 1 and len(backends.requests_to("POST /achievements/")) == 1
    assert [r.status for r in results].count("saved") == 1, [r.message for r in results]
    other = next(r for r in results if not r.ok)
    assert other.status == "busy" and "being added" in other.message and other.changes == FORM

    # Sent again once the first has finished: the same achievement, not a second one.
    again = two_workers[1].create_achievement(dict(FORM), actor=EDITOR)
    assert again.ok and again.achievement_id == next(r for r in results if r.ok).achievement_id
    assert "already added" in again.message.lower()
    assert copies(backends) == 1
    fault_tally.fault("the same add sent twice at once, two workers", "achievement-collector")


def test_two_editors_saving_one_post_at_once_are_never_both_told_saved(
    backends, make_settings, redis_url, statuses, fault_tally
):
    """The orchestrator has no If-Match either: the post editor's read-compare-write is one at a
    time per post across workers, so of two overlapping saves exactly one lands."""
    from dashboard.services.content import posts as content

    apps = [
        create_app(
            settings=make_settings(
                orchestrator_url=backends.orchestrator_url, redis_url=redis_url, http_timeout_seconds=PUT_SECONDS + 2.0
            )
        )
        for _ in range(2)
    ]
    for app in apps:
        statuses.watch(app)
    workers = [services_of(app) for app in apps]
    post = content.get_post(workers[0], backends.posts[0]["id"])
    expected = {"hook": post.hook, "body": post.body}
    backends.set_fault("orchestrator", "slow", delay=PUT_SECONDS, method="PUT")
    start = threading.Barrier(2)

    def save(index: int):
        start.wait()
        return content.save_post(
            workers[index], post.id, post.hook, f"Body written by editor {index}.", actor=EDITOR, expected=expected
        )

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(save, range(2)))
    backends.set_fault("orchestrator", None)
    for services in workers:
        services.close()
    stored = next(p for p in backends.posts if p["id"] == post.id)
    statuses_seen = sorted(r.status for r in results)
    assert statuses_seen in (["busy", "saved"], ["conflict", "saved"]), [(r.status, r.message) for r in results]
    saved = next(r for r in results if r.ok)
    assert stored["body"] == saved.changes["body"]
    assert backends.calls["PUT /content/posts/{post_id}"] == 1
    fault_tally.fault("two editors of one post at once", "orchestrator")
    fault_tally.edits_attempted += 2
    if stored["body"] != saved.changes["body"]:
        fault_tally.edits_lost.append("post edit told saved but not stored")
