"""The fake backends (tests/fakes/) checked against the recorded real responses.

If the fake drifts from the recordings, every client test built on it proves nothing; these
tests pin it to what a running achievement-collector really answered, and to CONTRACT.md.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import httpx
import pytest

from dashboard.domain.models import Achievement
from tests.fakes import FakeBackends, load_recording

NOW = datetime(2026, 11, 25, 12, 0, 0)
MISSING_FIELDS_BODY = {"title": "x"}
RECORDED_POST_BODY = {
    "title": "Dashboard contract recording",
    "description": "Created while recording the contract",
    "category": "testing",
    "started_at": "2026-10-01T09:00:00",
    "completed_at": "2026-10-02T17:30:00",
    "source_type": "manual",
    "tags": ["contract"],
    "impact_score": 42.0,
    "business_value": "$1,200 annual value",
}


@pytest.fixture
def fake():
    with FakeBackends(now=NOW) as backends:
        yield backends
    assert backends.errors == [], "the fake itself crashed:\n" + "\n".join(backends.errors)


@pytest.fixture
def http(fake):
    """A plain httpx client per service, to look at raw responses."""
    clients = {
        name: httpx.Client(base_url=url, timeout=5, follow_redirects=True)
        for name, url in (("ach", fake.achievement_url), ("orch", fake.orchestrator_url), ("doc", fake.tech_doc_url))
    }
    yield clients
    for client in clients.values():
        client.close()


def page(http, **params):
    return http["ach"].get("/achievements/", params=params)


def without(body: dict, *keys: str) -> dict:
    """A body without the keys that differ on every run (timestamps)."""
    return {key: value for key, value in body.items() if key not in keys}


# achievement-collector: reads -------------------------------------------------------------


def test_health_is_the_recorded_body(http):
    response = http["ach"].get("/health")
    assert response.status_code == 200
    assert response.json() == load_recording("health.json")


@pytest.mark.parametrize("number", [1, 3])
def test_pages_of_five_equal_the_recordings(http, number):
    response = page(http, page=number, per_page=5)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == load_recording(f"achievements_page{number}_per5.json")


def test_page_past_the_end_equals_the_recording(http):
    response = page(http, page=9, per_page=5)
    assert response.status_code == 200
    assert response.json() == load_recording("achievements_page9_per5_past_end.json")


def test_the_seed_matches_the_recorded_analytics_order(http):
    """The derived items sit where the recorded analytics put them (by completed_at)."""
    body = page(http, page=1, per_page=100).json()
    progression = load_recording("analytics_dashboard_metrics.json")["impact_progression"]
    assert body["total"] == 12 and body["pages"] == 1
    assert [item["title"] for item in body["items"]] == [p["label"] for p in reversed(progression)]
    assert sorted(item["id"] for item in body["items"]) == list(range(1, 13))


def test_every_seed_item_is_a_valid_achievement(http):
    items = page(http, per_page=100).json()["items"]
    parsed = [Achievement.model_validate(item) for item in items]
    assert len({a.title for a in parsed}) == 12
    assert all("+" not in item["completed_at"] and not item["completed_at"].endswith("Z") for item in items)


def test_get_one_equals_the_recording(http):
    response = http["ach"].get("/achievements/1")
    assert response.status_code == 200
    assert response.json() == load_recording("achievement_1.json")


def test_unknown_id_is_the_recorded_404(http):
    response = http["ach"].get("/achievements/999")
    assert response.status_code == 404
    assert response.json() == load_recording("achievement_404_error.json")


def test_non_integer_id_is_a_path_422(http):
    detail = http["ach"].get("/achievements/abc").json()["detail"]
    assert [(e["type"], e["loc"]) for e in detail] == [("int_parsing", ["path", "achievement_id"])]


def test_per_page_101_is_the_recorded_422(http):
    response = page(http, per_page=101)
    assert response.status_code == 422
    assert response.json() == load_recording("achievements_per_page_101_error.json")


def test_bad_sort_is_the_recorded_422(http):
    response = page(http, sort_by="title")
    assert response.status_code == 422
    assert response.json() == load_recording("achievements_bad_sort_error.json")


@pytest.mark.parametrize(
    "params, kind, field",
    [
        ({"page": 0}, "greater_than_equal", "page"),
        ({"per_page": 0}, "greater_than_equal", "per_page"),
        ({"page": "two"}, "int_parsing", "page"),
        ({"order": "sideways"}, "string_pattern_mismatch", "order"),
        ({"portfolio_ready": "maybe"}, "bool_parsing", "portfolio_ready"),
        ({"min_impact_score": "high"}, "float_parsing", "min_impact_score"),
    ],
)
def test_invalid_query_parameters_are_fastapi_422s(http, params, kind, field):
    response = page(http, **params)
    assert response.status_code == 422
    assert [(e["type"], e["loc"]) for e in response.json()["detail"]] == [(kind, ["query", field])]


def test_filters(http):
    def ids(**params):
        return {item["id"] for item in page(http, per_page=100, **params).json()["items"]}

    assert ids(category="feature") == {2, 5, 8}
    assert ids(category="infrastructure") == {3, 6, 10}
    assert ids(portfolio_ready="true") == {1, 3, 5, 8, 10}
    assert ids(min_impact_score=85) == {1, 5, 9, 10}
    assert ids(search="WEBHOOK") == {8, 11}  # case-insensitive, title or description
    assert ids(category="feature", portfolio_ready="false") == {2}


def test_filtered_total_and_pages_count_the_filtered_items(http):
    body = page(http, category="infrastructure", per_page=2, page=2).json()
    assert (body["total"], body["pages"], len(body["items"])) == (3, 2, 1)


def test_sort_by_impact_ascending(http):
    items = page(http, per_page=100, sort_by="impact_score", order="asc").json()["items"]
    scores = [item["impact_score"] for item in items]
    assert scores == sorted(scores) and scores[0] == 35.3 and scores[-1] == 97.3


def test_sort_by_business_value_puts_nulls_first_when_descending(http):
    items = page(http, per_page=100, sort_by="business_value").json()["items"]
    values = [item["business_value"] for item in items]
    assert values[:3] == [None, None, None]
    assert values[3:] == sorted(values[3:], reverse=True)


def test_stats_summary_of_the_seed_equals_the_recording(http):
    body = http["ach"].get("/achievements/stats/summary").json()
    recorded = load_recording("stats_summary.json")
    assert body.keys() == recorded.keys()
    sums = ("total_value_generated", "total_time_saved_hours", "average_impact_score", "average_complexity_score")
    for key in sums:
        assert body[key] == pytest.approx(recorded[key]), key
    assert body["total_achievements"] == recorded["total_achievements"]
    assert body["by_category"] == recorded["by_category"]


# achievement-collector: writes ------------------------------------------------------------


def test_patch_is_the_recorded_405(http):
    response = http["ach"].patch("/achievements/2", json={"title": "x"})
    assert response.status_code == 405
    assert response.json() == load_recording("patch_405_error.json")


def test_post_missing_fields_is_the_recorded_422(http):
    response = http["ach"].post("/achievements/", json=MISSING_FIELDS_BODY)
    assert response.status_code == 422
    assert response.json() == load_recording("post_achievement_missing_fields_error.json")


def test_post_equals_the_recorded_creation(http, fake):
    response = http["ach"].post("/achievements/", json=RECORDED_POST_BODY)
    assert response.status_code == 200
    body, recorded = response.json(), load_recording("post_achievement.json")
    stamps = ("created_at", "updated_at")
    assert without(body, *stamps) == without(recorded, *stamps)
    assert body["created_at"] == NOW.isoformat()
    assert page(http, per_page=5).json()["total"] == 13


def test_post_business_value_number_is_422(http):
    response = http["ach"].post("/achievements/", json={**RECORDED_POST_BODY, "business_value": 1200})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_type"
    assert response.json()["detail"][0]["loc"] == ["body", "business_value"]


def test_put_impact_equals_the_recording(http, fake):
    before = fake.achievement(2)
    # Page 3 recorded item 2 unpublished; the recorded PUT answer has it published, so the
    # recorded request changed both fields.
    response = http["ach"].put("/achievements/2", json={"impact_score": 88.5, "portfolio_ready": True})
    assert response.status_code == 200
    body, recorded = response.json(), load_recording("put_achievement_2_impact.json")
    assert without(body, "updated_at") == without(recorded, "updated_at")
    assert body["updated_at"] != before["updated_at"]
    assert fake.achievement(2)["impact_score"] == 88.5


@pytest.mark.parametrize(
    "change, recording",
    [
        ({"impact_score": 250}, "put_achievement_2_bad_impact_error.json"),
        ({"business_value": 5000}, "put_achievement_2_bv_number_error.json"),
    ],
)
def test_put_validation_errors_equal_the_recordings(http, fake, change, recording):
    before = fake.achievement(2)
    response = http["ach"].put("/achievements/2", json=change)
    assert response.status_code == 422
    assert response.json() == load_recording(recording)
    assert fake.achievement(2) == before


def test_put_ignores_immutable_fields_and_changes_only_sent_ones(http, fake):
    before = fake.achievement(5)
    response = http["ach"].put(
        "/achievements/5",
        json={
            "title": "Renamed",
            "category": "bugfix",
            "started_at": "2020-01-01T00:00:00",
            "source_type": "manual",
            "created_at": "2020-01-01T00:00:00",
        },
    )
    after = response.json()
    assert response.status_code == 200
    assert after["title"] == "Renamed"
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"title", "updated_at"}


def test_put_display_priority_out_of_range_is_422(http):
    response = http["ach"].put("/achievements/5", json={"display_priority": 101})
    assert [e["type"] for e in response.json()["detail"]] == ["less_than_equal"]


def test_put_unknown_id_is_404(http):
    response = http["ach"].put("/achievements/999", json={"title": "x"})
    assert (response.status_code, response.json()) == (404, {"detail": "Achievement not found"})


def test_delete(http):
    response = http["ach"].delete("/achievements/7")
    assert (response.status_code, response.json()) == (200, {"status": "deleted", "id": 7})
    assert http["ach"].get("/achievements/7").status_code == 404
    assert page(http, per_page=5).json()["total"] == 11


def test_stats_follow_the_data(http):
    http["ach"].put("/achievements/2", json={"impact_score": 88.5})
    body = http["ach"].get("/achievements/stats/summary").json()
    assert body["average_impact_score"] == pytest.approx((66.35 * 12 - 35.3 + 88.5) / 12)


def test_stats_total_value_has_the_contracts_digit_bug(http):
    """A JSON business value adds its digits together: 162500 + confidence 0.79 → 1625000.79."""
    created = (
        http["ach"]
        .post(
            "/achievements/", json={**RECORDED_POST_BODY, "business_value": '{"total_value": 1000, "confidence": 0.5}'}
        )
        .json()
    )
    before = load_recording("stats_summary.json")["total_value_generated"]
    body = http["ach"].get("/achievements/stats/summary").json()
    assert created["id"] == 13
    assert body["total_value_generated"] == pytest.approx(before + 10000.5)


@pytest.mark.parametrize(
    "change",
    [{"category": "misc"}, {"source_type": "jira"}, {"completed_at": "2026-09-30T00:00:00"}],
)
def test_values_the_service_cannot_store_break_later_lists(http, change):
    response = http["ach"].post("/achievements/", json={**RECORDED_POST_BODY, **change})
    assert response.status_code == 500
    assert page(http).status_code == 500
    assert http["ach"].get("/achievements/1").status_code == 500
    assert http["ach"].delete("/achievements/13").status_code == 200
    assert page(http).status_code == 200


def test_ids_are_not_reused_after_a_delete(http):
    http["ach"].delete("/achievements/12")
    created = http["ach"].post("/achievements/", json=RECORDED_POST_BODY).json()
    assert created["id"] == 13


def test_add_achievements_beyond_one_hundred(http, fake):
    added = fake.add_achievements(238)
    body = page(http, per_page=100, page=3).json()
    assert (body["total"], body["pages"], len(body["items"])) == (250, 3, 50)
    assert len({a["id"] for a in fake.achievements}) == 250
    assert len({a["title"] for a in fake.achievements}) == 250
    assert len({a["completed_at"] for a in fake.achievements}) == 250
    assert {a["id"] for a in added} == set(range(13, 251))
    for item in added:
        Achievement.model_validate(item)


# orchestrator -------------------------------------------------------------------------------


def test_orchestrator_health(http):
    assert http["orch"].get("/health").json() == {"status": "ok"}


def test_posts_are_a_bare_list_newest_first(http, fake):
    posts = http["orch"].get("/content/posts", params={"limit": 100}).json()
    assert isinstance(posts, list) and len(posts) == 45
    created = [p["created_at"] for p in posts]
    assert created == sorted(created, reverse=True)
    assert posts[0]["id"] == 45


def test_posts_paging_and_limit(http):
    first = http["orch"].get("/content/posts", params={"limit": 10}).json()
    second = http["orch"].get("/content/posts", params={"limit": 10, "offset": 10}).json()
    assert [p["id"] for p in first] == list(range(45, 35, -1))
    assert [p["id"] for p in second] == list(range(35, 25, -1))
    response = http["orch"].get("/content/posts", params={"limit": 101})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_put_post_stores_only_hook_and_body(http):
    before = http["orch"].get("/content/posts/3").json()
    response = http["orch"].put(
        "/content/posts/3",
        json={"hook": "New hook", "body": "New body", "status": "published", "platforms": ["medium"]},
    )
    after = http["orch"].get("/content/posts/3").json()
    assert response.status_code == 200 and response.json() == after
    assert (after["hook"], after["body"]) == ("New hook", "New body")
    assert (after["status"], after["platforms"]) == (before["status"], before["platforms"])


def test_unknown_post_is_404(http):
    response = http["orch"].get("/content/posts/999")
    assert (response.status_code, response.json()) == (404, {"detail": "Post not found"})


def test_adapt_takes_a_bare_list_of_platforms(http):
    response = http["orch"].post("/content/posts/3/adapt", json=["linkedin", "dev.to"])
    assert response.status_code == 200
    adaptations = response.json()
    assert [a["platform"] for a in adaptations] == ["linkedin", "dev.to"]
    assert set(adaptations[0]) == {"platform", "title", "content", "hashtags", "call_to_action", "estimated_engagement"}
    assert http["orch"].post("/content/posts/3/adapt", json={"platforms": ["linkedin"]}).status_code == 422


def test_content_stats_are_computed_from_the_posts(http, fake):
    fake.posts[0]["status"] = "draft"
    stats = http["orch"].get("/content/stats").json()
    statuses = [p["status"] for p in fake.posts]
    assert stats["total_posts"] == 45
    assert stats["draft_count"] == statuses.count("draft")
    assert stats["published_count"] == statuses.count("published")
    assert stats["posts_this_week"] == 24  # one post every 7 h back from NOW - 30 min
    assert stats["active_personas"] == 3


def test_task_is_queued(http, fake):
    response = http["orch"].post("/task", json={"persona_id": "ai-jesus", "task_type": "create_content"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "queued" and len(body["task_id"]) == 36
    assert fake.tasks[0]["persona_id"] == "ai-jesus"
    missing = http["orch"].post("/task", json={"persona_id": "ai-jesus"}).json()["detail"]
    assert [e["loc"] for e in missing] == [["body", "task_type"]]


def test_task_rate_limit_is_429(http, fake):
    fake.task_rate_limit = 0
    response = http["orch"].post("/task", json={"persona_id": "p", "task_type": "t"})
    assert response.status_code == 429


# tech-doc-generator -------------------------------------------------------------------------


def test_techdoc_health_and_articles(http):
    assert http["doc"].get("/health").json() == {"status": "healthy", "service": "tech_doc_generator"}
    articles = http["doc"].get("/api/articles/").json()
    assert len(articles) == 6
    assert set(articles[0]) == {
        "id",
        "content",
        "insight_score",
        "status",
        "created_at",
        "published_urls",
        "performance_metrics",
    }


def test_techdoc_performance_is_fastapis_404_until_mounted(http, fake):
    response = http["doc"].get("/api/analytics/performance")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
    assert response.headers["content-type"] == "application/json"
    fake.techdoc_performance_mounted = True
    body = http["doc"].get("/api/analytics/performance").json()
    assert set(body) == {
        "total_generated",
        "avg_engagement_score",
        "avg_quality_score",
        "platform_breakdown",
        "insights",
        "recommendation",
    }
    assert body["platform_breakdown"]["dev.to"] == {"count": 2, "avg_engagement": 7.15}


def test_unknown_route_is_a_json_404_on_every_service(http):
    for client in http.values():
        response = client.get("/no/such/route")
        assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


# Faults, counters, lifecycle ----------------------------------------------------------------


def test_down_refuses_connections_and_comes_back_on_the_same_url(fake, http):
    url = fake.achievement_url
    assert http["ach"].get("/health").status_code == 200  # leaves a keep-alive connection open
    fake.set_fault("achievement-collector", "down")
    with pytest.raises(httpx.TransportError):
        http["ach"].get("/health")
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/health", timeout=2)
    fake.set_fault("achievement-collector", None)
    assert fake.achievement_url == url
    assert http["ach"].get("/health").status_code == 200


def test_faults_apply_to_one_service_only(fake, http):
    fake.set_fault("orchestrator", "500")
    response = http["orch"].get("/content/stats")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    assert response.headers["content-type"].startswith("text/plain")
    assert http["ach"].get("/health").status_code == 200
    assert http["doc"].get("/health").status_code == 200


def test_malformed_is_200_json_that_does_not_parse(fake, http):
    fake.set_fault("tech-doc-generator", "malformed")
    response = http["doc"].get("/health")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        response.json()


def test_wrong_shape_swaps_objects_and_lists(fake, http):
    fake.set_fault("orchestrator", "wrong_shape")
    assert isinstance(http["orch"].get("/content/posts").json(), dict)
    assert isinstance(http["orch"].get("/content/stats").json(), list)
    fake.set_fault("orchestrator", "wrong_shape", body={"surprise": True})
    assert http["orch"].get("/content/stats").json() == {"surprise": True}


def test_slow_answers_after_the_delay(fake, http):
    fake.set_fault("achievement-collector", "slow", delay=0.2)
    started = time.perf_counter()
    assert http["ach"].get("/health").status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_unknown_fault_or_service_is_refused(fake):
    with pytest.raises(ValueError):
        fake.set_fault("achievement-collector", "flaky")
    with pytest.raises(ValueError):
        fake.set_fault("billing", "500")


def test_calls_are_counted_by_route_template(fake, http):
    page(http, page=1, per_page=5)
    http["ach"].get("/achievements/3")
    http["ach"].get("/achievements/4")
    http["orch"].get("/health")
    assert fake.calls["GET /achievements/"] == 1
    assert fake.calls["GET /achievements/{achievement_id}"] == 2
    assert fake.service_calls["orchestrator"]["GET /health"] == 1
    assert fake.service_calls["achievement-collector"]["GET /health"] == 0
    assert [c.query for c in fake.requests_to("GET /achievements/")] == [{"page": "1", "per_page": "5"}]


def test_calls_counter_is_thread_safe(fake):
    def hammer():
        with httpx.Client(base_url=fake.achievement_url) as client:
            for _ in range(25):
                client.get("/health")

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.calls["GET /health"] == 100


def test_stop_closes_every_listener():
    backends = FakeBackends().start()
    urls = [backends.achievement_url, backends.orchestrator_url, backends.tech_doc_url]
    with httpx.Client(timeout=2) as client:
        assert all(client.get(url + "/health").status_code == 200 for url in urls)
        started = time.perf_counter()
        backends.stop()
        assert time.perf_counter() - started < 1.0
        for url in urls:
            with pytest.raises(httpx.TransportError):
                client.get(url + "/health")
    assert not [t for t in threading.enumerate() if t.name.startswith("fake-") and t.is_alive()]


def test_stop_wakes_a_sleeping_slow_request():
    backends = FakeBackends().start()
    backends.set_fault("orchestrator", "slow", delay=30)
    errors = []

    def call():
        try:
            httpx.get(backends.orchestrator_url + "/health", timeout=10)
        except httpx.HTTPError as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.1)
    started = time.perf_counter()
    backends.stop()
    caller.join(timeout=5)
    assert not caller.is_alive()
    assert time.perf_counter() - started < 2.0
