"""The content pipeline against the orchestrator's contract (the fake, over real HTTP)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bench.dash_payloads import find_callback, request_for
from dashboard import create_app
from dashboard.services.content import posts as content
from dashboard.ui.components.callbacks import REFRESH_INTERVAL
from dashboard.ui.pages.content import ids
from tests.actors import EDITOR
from tests.fakes import FakeBackends, adaptation, parse_dt

PUT_POST = "PUT /content/posts/{post_id}"
ADAPT = "POST /content/posts/{post_id}/adapt"
TASK = "POST /task"


@pytest.fixture
def backends():
    with FakeBackends() as fake:
        yield fake
    assert fake.errors == [], "the fake itself crashed:\n" + "\n".join(fake.errors)


@pytest.fixture
def app(backends, make_settings):
    return create_app(
        settings=make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
        )
    )


@pytest.fixture
def services(app):
    return app.server.extensions["threads_dashboard"].services


def newest(backends) -> dict:
    return max(backends.posts, key=lambda p: parse_dt(p["created_at"]))


def stored(backends, post_id) -> dict:
    return next(p for p in backends.posts if p["id"] == post_id)


def form(**changes) -> dict:
    return {
        "persona_id": "ai-engineer",
        "platforms": ["linkedin", "dev.to"],
        "draft_only": True,
        "mode": "recent",
        "picked": [],
        "min_value": None,
        **changes,
    }


def after_newest_achievement(backends):
    return max(parse_dt(a["completed_at"]) for a in backends.achievements) + timedelta(days=1)


# Editing ---------------------------------------------------------------------------------------


def test_saving_a_hook_is_a_put_of_only_the_hook(services, backends):
    post = newest(backends)
    assert {p.id: p.hook for p in services.posts().value}[post["id"]] == post["hook"]  # now cached
    result = content.save_post(
        services,
        post["id"],
        "A hook the fake must store",
        post["body"],
        expected={"hook": post["hook"], "body": post["body"]},
        actor=EDITOR,
    )
    assert result.ok, result.message
    puts = backends.requests_to(PUT_POST)
    assert [c.body for c in puts] == [{"hook": "A hook the fake must store"}]
    assert puts[0].path == f"/content/posts/{post['id']}"
    assert stored(backends, post["id"])["hook"] == "A hook the fake must store"
    # The cached list was dropped: the next read shows the new hook.
    assert {p.id: p.hook for p in services.posts().value}[post["id"]] == "A hook the fake must store"


def test_saving_hook_and_body_sends_nothing_else(services, backends):
    post = newest(backends)
    result = content.save_post(services, post["id"], "New hook", "New body", actor=EDITOR)
    assert result.ok
    assert backends.requests_to(PUT_POST)[0].body == {"hook": "New hook", "body": "New body"}


def test_a_post_changed_on_the_orchestrator_meanwhile_is_a_conflict(services, backends):
    post = newest(backends)
    loaded = {"hook": post["hook"], "body": post["body"]}
    with backends.lock:
        stored(backends, post["id"])["hook"] = "Edited by someone else"
    result = content.save_post(services, post["id"], "Mine", post["body"], expected=loaded, actor=EDITOR)
    assert result.status == "conflict"
    assert backends.requests_to(PUT_POST) == []
    assert content.save_post(services, post["id"], "Mine", post["body"], expected=loaded, force=True, actor=EDITOR).ok
    assert stored(backends, post["id"])["hook"] == "Mine"


def test_an_orchestrator_that_is_down_keeps_the_text_for_a_retry(services, backends):
    post = newest(backends)
    backends.set_fault("orchestrator", "down")
    result = content.save_post(services, post["id"], "Typed while it was down", post["body"], actor=EDITOR)
    assert result.status == "failed" and "Your text is kept" in result.message and "unreachable" in result.message
    assert result.changes["hook"] == "Typed while it was down"
    backends.set_fault("orchestrator", None)
    assert content.save_post(services, post["id"], result.changes["hook"], result.changes["body"], actor=EDITOR).ok


def test_a_missing_post_is_reported_not_raised(services):
    assert content.save_post(services, 99_999, "h", "b", actor=EDITOR).status == "not_found"
    assert content.get_post(services, 99_999) is None


def test_status_is_read_only_against_the_orchestrator(services, backends):
    post = newest(backends)
    result = content.change_status(services, post["id"], "ready", actor=EDITOR)
    assert result.status == "read_only"
    assert "stores only a post's hook and body" in result.message
    assert backends.requests_to(PUT_POST) == []
    assert not content.status_is_editable(services)


# Adaptation preview ----------------------------------------------------------------------------


def test_adapt_sends_a_bare_array_and_shows_the_orchestrators_answer(services, backends):
    post = newest(backends)
    result = content.adapt_preview(services, post["id"], ["threads", "linkedin"], actor=EDITOR)
    assert result.error is None and result.source == "orchestrator" and result.missing == []
    assert [c.body for c in backends.requests_to(ADAPT)] == [["linkedin", "threads"]]
    expected = [adaptation(post, p) for p in ("linkedin", "threads")]
    assert [a.model_dump() for a in result.adaptations] == expected


def test_adapt_failure_is_a_message(services, backends):
    backends.set_fault("orchestrator", "500")
    result = content.adapt_preview(services, newest(backends)["id"], ["linkedin"], actor=EDITOR)
    assert result.adaptations == [] and result.error.startswith("No preview: orchestrator: answered 500")


# Generation ------------------------------------------------------------------------------------


def test_generate_queues_one_task_and_shows_its_id(services, backends):
    now = after_newest_achievement(backends)
    submission = content.new_submission_id()
    result = content.generate_content(services, form(), submission, now=now, actor=EDITOR)
    assert result.status == "queued", result.message
    calls = backends.requests_to(TASK)
    assert len(calls) == 1
    chosen = [a for a in services.achievements().value if a.id in result.achievement_ids]
    assert calls[0].body == {
        "persona_id": "ai-engineer",
        "task_type": "create_post",
        "pain_statement": content.pain_statement(sorted(chosen, key=lambda a: result.achievement_ids.index(a.id))),
    }
    assert result.task_id == backends.tasks[0]["task_id"] and result.task_state == "queued"
    assert result.task_id in result.message and "platforms and draft-only are not sent" in result.message
    assert result.baseline_post_id == max(p["id"] for p in backends.posts)

    again = content.generate_content(services, form(), submission, now=now, actor=EDITOR)
    assert again.duplicate and again.task_id == result.task_id
    assert len(backends.requests_to(TASK)) == 1


def test_a_rate_limited_task_is_explained_and_can_be_sent_again(services, backends):
    now = after_newest_achievement(backends)
    backends.task_rate_limit = 0
    submission = content.new_submission_id()
    refused = content.generate_content(services, form(), submission, now=now, actor=EDITOR)
    assert refused.status == "failed"
    assert "rate-limited, try again in a moment" in refused.message
    backends.task_rate_limit = None
    sent = content.generate_content(services, form(), submission, now=now, actor=EDITOR)
    assert sent.status == "queued" and len(backends.tasks) == 1


# Through the page's callbacks ------------------------------------------------------------------


def call(client, output, values, triggered):
    """Run the callback that has `output` among its outputs and `triggered` among its inputs."""
    deps = [
        d
        for d in client.get("/_dash-dependencies").get_json()
        if any(f"{i['id']}.{i['property']}" == triggered for i in d["inputs"])
    ]
    dep = find_callback(deps, output)
    response = client.post("/_dash-update-component", json=request_for(dep, values, triggered=triggered))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def test_the_page_shows_the_orchestrators_posts_and_says_status_is_read_only(app, backends):
    total, drafts_value = ids.kpi_value(ids.KPI_TOTAL), ids.kpi_value(ids.KPI_DRAFTS)
    tick = f"{REFRESH_INTERVAL}.n_intervals"
    result = call(
        app.server.test_client(),
        f"{total}.children",
        {tick: 1, f"{ids.VIEW}.value": "board", f"{ids.PLATFORM}.value": "all"},
        tick,
    )
    assert result[total]["children"] == str(len(backends.posts))
    drafts = sum(p["status"] == "draft" for p in backends.posts)
    assert result[drafts_value]["children"] == str(drafts)
    assert "read-only" in result[ids.BOARD_SOURCE]["children"]
    board = json.dumps(result[ids.BOARD]["children"])
    assert all(f'"post": {p["id"]}' in board for p in backends.posts)


def test_the_editors_save_button_puts_the_hook_to_the_orchestrator(app, backends):
    post = newest(backends)
    loaded = {"id": post["id"], "hook": post["hook"], "body": post["body"]}
    result = call(
        app.server.test_client(),
        f"{ids.DETAIL_MESSAGE}.children",
        {
            f"{ids.SAVE}.n_clicks": 1,
            f"{ids.HOOK}.value": "Saved from the editor",
            f"{ids.BODY}.value": post["body"],
            f"{ids.DETAIL_LOADED}.data": loaded,
            f"{ids.RELOAD}.data": 0,
        },
        f"{ids.SAVE}.n_clicks",
    )
    assert [c.body for c in backends.requests_to(PUT_POST)] == [{"hook": "Saved from the editor"}]
    assert result[ids.DETAIL_LOADED]["data"]["hook"] == "Saved from the editor"
    assert "Saved hook." in json.dumps(result[ids.DETAIL_MESSAGE]["children"])


def test_two_workers_sharing_redis_queue_one_task_per_submission(backends, make_settings, redis_url):
    from concurrent.futures import ThreadPoolExecutor

    settings = make_settings(
        achievement_api_url=backends.achievement_url, orchestrator_url=backends.orchestrator_url, redis_url=redis_url
    )
    workers = [create_app(settings=settings).server.extensions["threads_dashboard"].services for _ in range(2)]
    backends.set_fault("orchestrator", "slow", delay=0.3)  # both requests arrive while the first is sending
    now = after_newest_achievement(backends)
    submission = content.new_submission_id()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(
            pool.map(lambda s: content.generate_content(s, form(), submission, now=now, actor=EDITOR), workers * 2)
        )
    assert len(backends.requests_to(TASK)) == 1
    assert {r.task_id for r in results} == {backends.tasks[0]["task_id"]}
    assert sum(r.duplicate for r in results) == 3


# A post that is not there ----------------------------------------------------------------------

HOSTILE_POSTS = ["99999", "abc", "-3", "0", "9" * 40, "١٢", "<script>alert(1)</script>", "1e3", "x" * 100_000]


def selected_by_the_url(app, post) -> dict:
    """What the page opens for `?post=<post>`: the data its layout puts in the selected-post store."""
    from dashboard.ui.pages.content import page

    with app.server.test_request_context("/content"):
        tree = page.layout(post=post)
    (store,) = [c for c in tree.children if getattr(c, "id", None) == ids.SELECTED_POST]
    return store.data


@pytest.mark.parametrize("post", HOSTILE_POSTS, ids=lambda p: p[:12])
def test_a_post_that_is_not_there_opens_a_not_found_panel_with_no_form(app, backends, post):
    client = app.server.test_client()
    result = call(
        client,
        f"{ids.DETAIL_NOT_FOUND}.children",
        {
            f"{ids.SELECTED_POST}.data": selected_by_the_url(app, post),
            f"{ids.VIEW}.value": "table",
            f"{ids.PLATFORM}.value": "threads",
        },
        f"{ids.SELECTED_POST}.data",
    )
    assert result[ids.DETAIL]["is_open"] is True and result[ids.DETAIL]["title"] == "Post not found"
    assert result[ids.DETAIL_FORM]["className"] == "d-none"  # no hook, no body, no Save
    assert result[ids.DETAIL_LOADED]["data"] is None
    words = json.dumps(result[ids.DETAIL_NOT_FOUND]["children"], ensure_ascii=False)
    assert ("No post has the id 99999." if post == "99999" else "is not a post id") in words
    assert post[:39] in words and len(words) < 1_000  # named, and cut short when long
    assert '"href": "/content?view=table&platform=threads"' in words and "Back to the pipeline" in words
    assert backends.requests_to(PUT_POST) == []


def test_a_save_of_a_post_that_is_not_there_is_refused_on_the_server(app, backends):
    client = app.server.test_client()
    values = {
        f"{ids.SAVE}.n_clicks": 1,
        f"{ids.HOOK}.value": "Typed into a form the page never showed",
        f"{ids.BODY}.value": "Body",
        f"{ids.RELOAD}.data": 0,
    }
    missing = {"id": max(p["id"] for p in backends.posts) + 1, "hook": "h", "body": "b"}
    result = call(
        client,
        f"{ids.DETAIL_MESSAGE}.children",
        {**values, f"{ids.DETAIL_LOADED}.data": missing},
        f"{ids.SAVE}.n_clicks",
    )
    assert f"Not saved: No post has the id {missing['id']}." in json.dumps(result[ids.DETAIL_MESSAGE]["children"])
    nothing_open = call(
        client, f"{ids.DETAIL_MESSAGE}.children", {**values, f"{ids.DETAIL_LOADED}.data": None}, f"{ids.SAVE}.n_clicks"
    )
    assert "Not saved: no post is open." in json.dumps(nothing_open[ids.DETAIL_MESSAGE]["children"])
    assert backends.requests_to(PUT_POST) == []
    assert all(p["hook"] != values[f"{ids.HOOK}.value"] for p in backends.posts)


@pytest.mark.parametrize(
    "data",
    [{"unknown": "x" * 61}, {"unknown": 12}, {"id": "abc"}, {"id": 2**63}, {"id": -1}, ["unknown"], "abc"],
    ids=repr,
)
def test_a_selected_post_the_page_never_sends_is_refused_with_a_reason(app, data):
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    dep = find_callback(deps, f"{ids.DETAIL_NOT_FOUND}.children")
    body = request_for(dep, {f"{ids.SELECTED_POST}.data": data}, triggered=f"{ids.SELECTED_POST}.data")
    response = app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 400 and ids.SELECTED_POST in response.get_json()["error"]


def test_with_a_platform_the_kpis_count_its_posts(app, backends):
    tick = f"{REFRESH_INTERVAL}.n_intervals"
    total, drafts = ids.kpi_value(ids.KPI_TOTAL), ids.kpi_value(ids.KPI_DRAFTS)
    result = call(
        app.server.test_client(),
        f"{total}.children",
        {tick: 1, f"{ids.VIEW}.value": "board", f"{ids.PLATFORM}.value": "linkedin"},
        tick,
    )
    mine = [p for p in backends.posts if "linkedin" in p["platforms"]]
    assert 0 < len(mine) < len(backends.posts)
    assert result[total]["children"] == str(len(mine))
    assert result[drafts]["children"] == str(sum(p["status"] == "draft" for p in mine))
    assert result[ids.KPI_SCOPE]["children"] == "LinkedIn only: counted from the posts list."
