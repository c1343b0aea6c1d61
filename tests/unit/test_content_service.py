"""Content operations against the embedded store: edits, status changes, previews, generation.

A real SQLite store and a real in-process cache (no Dash, no Flask): what the page does when
no orchestrator is configured.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from cachelib import SimpleCache

from dashboard.domain.errors import NotFound
from dashboard.infra.cache import FreshCache, LocalLocks
from dashboard.services import DashboardServices
from dashboard.services.content import posts as content
from dashboard.sources.embedded import templates
from dashboard.sources.embedded.store import EmbeddedStore
from tests.actors import EDITOR

NOW = datetime(2026, 11, 25, 12, 0, 0)


@pytest.fixture
def store(tmp_path):
    return EmbeddedStore.open(tmp_path, clock=lambda: NOW)


@pytest.fixture
def services(store):
    cache = FreshCache(SimpleCache(), LocalLocks(), ttl=60, backoff=1, lock_seconds=2)
    return DashboardServices(cache, store)


def form(**changes) -> dict:
    return {
        "persona_id": "ai-engineer",
        "platforms": ["linkedin"],
        "draft_only": True,
        "mode": "recent",
        "picked": [],
        "min_value": None,
        **changes,
    }


def newest_post(store, status=None):
    return next(p for p in store.list_posts() if status is None or p.status == status)


# The store's post methods ----------------------------------------------------------------------


def test_create_post_takes_the_next_id_and_builds_full_content(store):
    highest = max(p.id for p in store.list_posts())
    created = store.create_post({"persona_id": "p", "hook": "H", "body": "B", "platforms": ["threads"]})
    assert created.id == highest + 1
    assert created.status == "draft" and created.created_at == NOW and created.full_content == "H\n\nB"
    assert store.get_post(created.id) == created
    assert store.list_posts()[0].id == created.id  # newest first


def test_update_post_merges_and_keeps_full_content_in_step(store):
    target = newest_post(store)
    updated = store.update_post(target.id, {"hook": "New hook"})
    assert updated.hook == "New hook" and updated.body == target.body
    assert updated.full_content == f"New hook\n\n{target.body}"
    assert store.get_post(target.id) == updated
    with pytest.raises(NotFound):
        store.update_post(10_000, {"hook": "x"})
    assert store.get_post(10_000) is None


# Saving hook and body --------------------------------------------------------------------------


def test_saving_a_hook_writes_it_and_every_screen_sees_it(services, store):
    target = newest_post(store)
    assert any(p.hook == target.hook for p in services.posts().value)  # cached now
    result = content.save_post(
        services,
        target.id,
        "  A sharper hook  ",
        target.body,
        expected={"hook": target.hook, "body": target.body},
        actor=EDITOR,
    )
    assert result.status == "saved" and result.message == "Saved hook."
    assert store.get_post(target.id).hook == "A sharper hook"
    cached = {p.id: p for p in services.posts().value}
    assert cached[target.id].hook == "A sharper hook"


def test_saving_unchanged_text_writes_nothing(services, store):
    target = newest_post(store)
    result = content.save_post(services, target.id, target.hook, target.body, actor=EDITOR)
    assert result.ok and result.message == "No change."


def test_a_refused_edit_keeps_the_input_and_writes_nothing(services, store):
    target = newest_post(store)
    result = content.save_post(services, target.id, "", "x" * (content.BODY_MAX + 1), actor=EDITOR)
    assert result.status == "invalid"
    assert {e.field for e in result.errors} == {"hook", "body"}
    assert result.changes == {"hook": "", "body": "x" * (content.BODY_MAX + 1)}
    assert store.get_post(target.id) == target


def test_an_edit_of_text_changed_elsewhere_is_a_conflict_until_forced(services, store):
    target = newest_post(store)
    loaded = {"hook": target.hook, "body": target.body}
    store.update_post(target.id, {"hook": "Someone else's hook"})
    result = content.save_post(services, target.id, "My hook", target.body, expected=loaded, actor=EDITOR)
    assert result.status == "conflict" and "Changed elsewhere" in result.message
    assert store.get_post(target.id).hook == "Someone else's hook"
    forced = content.save_post(services, target.id, "My hook", target.body, expected=loaded, force=True, actor=EDITOR)
    assert forced.ok and store.get_post(target.id).hook == "My hook"


def test_editing_a_post_that_is_gone_says_so(services):
    result = content.save_post(services, 10_000, "hook", "body", actor=EDITOR)
    assert result.status == "not_found" and "10000" in result.message


# Status changes --------------------------------------------------------------------------------


def test_a_post_moves_through_the_pipeline_one_step_at_a_time(services, store):
    draft = newest_post(store, "draft")
    assert content.change_status(services, draft.id, "ready", now=NOW, actor=EDITOR).ok
    when = NOW + timedelta(days=1, hours=2)
    scheduled = content.change_status(
        services, draft.id, "scheduled", scheduled_at=when.isoformat(), now=NOW, actor=EDITOR
    )
    assert scheduled.ok and scheduled.post.scheduled_at == when
    assert f"for {when:%Y-%m-%d %H:%M} UTC" in scheduled.message
    published = content.change_status(services, draft.id, "published", now=NOW, actor=EDITOR)
    assert published.ok
    stored = store.get_post(draft.id)
    assert stored.status == "published" and stored.published_at == NOW
    final = content.change_status(services, draft.id, "draft", now=NOW, actor=EDITOR)
    assert final.status == "invalid" and "none: this status is final" in final.message
    assert {p.id: p.status for p in services.posts().value}[draft.id] == "published"


def test_skipping_a_step_is_refused_with_what_is_allowed(services, store):
    draft = newest_post(store, "draft")
    result = content.change_status(services, draft.id, "published", now=NOW, actor=EDITOR)
    assert result.status == "invalid"
    assert "cannot go from draft to published (accepted: ready)" in result.message
    assert store.get_post(draft.id).status == "draft"


@pytest.mark.parametrize(
    ("when", "fragment"),
    [
        (None, "is required"),
        ("next tuesday", "is not a date and time"),
        ((NOW - timedelta(minutes=1)).isoformat(), "is in the past"),
    ],
)
def test_scheduling_needs_a_future_time(services, store, when, fragment):
    ready = newest_post(store, "ready")
    result = content.change_status(services, ready.id, "scheduled", scheduled_at=when, now=NOW, actor=EDITOR)
    assert result.status == "invalid" and fragment in result.message
    assert store.get_post(ready.id).status == "ready"


def test_unscheduling_clears_the_schedule(services, store):
    scheduled = newest_post(store, "scheduled")
    assert scheduled.scheduled_at is not None
    result = content.change_status(services, scheduled.id, "ready", now=NOW, actor=EDITOR)
    assert result.ok and store.get_post(scheduled.id).scheduled_at is None


# Adaptation preview ----------------------------------------------------------------------------


def test_embedded_preview_is_our_templates_for_each_platform(services, store):
    target = newest_post(store)
    result = content.adapt_preview(services, target.id, ["threads", "dev.to"], actor=EDITOR)
    assert result.error is None and result.source == "embedded templates" and result.missing == []
    # Canonical platform order, whatever the order asked.
    assert result.adaptations == [templates.adapt(target, "dev.to"), templates.adapt(target, "threads")]


@pytest.mark.parametrize(("platforms", "fragment"), [([], "none chosen"), (["myspace"], "myspace")])
def test_preview_with_no_or_unknown_platforms_is_refused(services, store, platforms, fragment):
    result = content.adapt_preview(services, newest_post(store).id, platforms, actor=EDITOR)
    assert result.adaptations == [] and fragment in result.error and "accepted: one or more of" in result.error


# Generation ------------------------------------------------------------------------------------


def test_generate_writes_a_draft_from_the_recent_high_impact_achievements(services, store):
    before = len(store.list_posts())
    result = content.generate_content(
        services, form(platforms=["threads", "linkedin"]), content.new_submission_id(), now=NOW, actor=EDITOR
    )
    assert result.status == "done", result.message
    chosen = content.recent_high_impact(store.list_achievements(), NOW)
    assert result.achievement_ids == [a.id for a in chosen]
    hook, body = templates.draft_from_achievements(chosen)
    created = store.get_post(result.post.id)
    assert (created.hook, created.body, created.status) == (hook, body, "draft")
    assert created.platforms == ["linkedin", "threads"] and created.persona_id == "ai-engineer"
    assert created.quality_score is None and created.tokens_used is None  # nothing scored, no model used
    assert len(store.list_posts()) == before + 1
    assert services.posts().value[0].id == created.id  # the cache was invalidated
    assert result.as_job()["post_id"] == created.id and result.as_job()["status"] == "done"


def test_without_draft_only_the_post_is_marked_ready(services, store):
    result = content.generate_content(
        services, form(draft_only=False), content.new_submission_id(), now=NOW, actor=EDITOR
    )
    assert store.get_post(result.post.id).status == "ready"
    assert "publishing is not part of the embedded mode" in result.message


def test_picked_achievements_are_the_ones_written_about(services, store):
    picked = store.list_achievements()[-2:]  # the two oldest: never "recent"
    result = content.generate_content(
        services, form(mode="pick", picked=[a.id for a in picked]), content.new_submission_id(), now=NOW, actor=EDITOR
    )
    assert result.ok
    assert store.get_post(result.post.id).hook == templates.draft_from_achievements(picked)[0]


def test_the_same_submission_twice_writes_once(services, store):
    submission = content.new_submission_id()
    first = content.generate_content(services, form(), submission, now=NOW, actor=EDITOR)
    again = content.generate_content(services, form(), submission, now=NOW, actor=EDITOR)
    assert first.ok and again.duplicate and again.post.id == first.post.id
    assert sum(1 for p in store.list_posts() if p.hook == first.post.hook) == 1


def test_concurrent_submissions_of_one_form_write_once(services, store):
    before = len(store.list_posts())
    submission = content.new_submission_id()
    results = []
    start = threading.Barrier(4)

    def send():
        start.wait()
        results.append(content.generate_content(services, form(), submission, now=NOW, actor=EDITOR))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.list_posts()) == before + 1
    assert {r.post.id for r in results} == {store.list_posts()[0].id}
    assert sum(r.duplicate for r in results) == 3


def test_a_refused_submission_can_be_corrected_and_sent_with_the_same_id(services, store):
    submission = content.new_submission_id()
    refused = content.generate_content(services, form(platforms=[]), submission, now=NOW, actor=EDITOR)
    assert refused.status == "invalid" and "Platforms: none chosen" in refused.message
    sent = content.generate_content(services, form(), submission, now=NOW, actor=EDITOR)
    assert sent.status == "done" and not sent.duplicate


def test_a_form_without_a_valid_submission_id_is_not_sent(services, store):
    before = len(store.list_posts())
    result = content.generate_content(services, form(), "../../etc", now=NOW, actor=EDITOR)
    assert result.status == "invalid" and "Reload the page" in result.message
    assert len(store.list_posts()) == before


def test_nothing_recent_enough_is_explained(services, store):
    result = content.generate_content(
        services, form(min_value=1e11), content.new_submission_id(), now=NOW, actor=EDITOR
    )
    assert result.status == "invalid" and "is worth $100,000,000,000 or more" in result.message


# A post that is not there ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "post_id",
    [99_999, 0, -1, 2**63, pytest.param(10**5000, id="huge"), "abc", "١٢", "1; DROP TABLE x", None, 1.5, True, [1]],
)
def test_a_save_for_a_post_that_is_not_there_is_refused_and_writes_nothing(services, store, post_id):
    before = store.list_posts()
    result = content.save_post(services, post_id, "A hook", "A body", actor=EDITOR)
    assert result.status == "not_found" and not result.ok
    assert result.message.startswith("Not saved: ") and len(result.message) < 150
    assert store.list_posts() == before


@pytest.mark.parametrize("post_id", [99_999, "abc", 2**63])
def test_moving_or_previewing_a_post_that_is_not_there_is_said(services, post_id):
    assert content.change_status(services, post_id, "ready", actor=EDITOR).status == "not_found"
    preview = content.adapt_preview(services, post_id, ["threads"], actor=EDITOR)
    assert preview.adaptations == [] and ("No post has the id" in preview.error or "is not a post id" in preview.error)


def test_the_preview_offers_what_generate_offers_and_nothing_else(services, store):
    post = newest_post(store)
    refused = content.adapt_preview(services, post.id, ["github"], actor=EDITOR)
    assert refused.error == "Platforms: github (accepted: one or more of Dev.to, LinkedIn, Threads, Medium)"
    assert content.adapt_preview(services, post.id, "threads", actor=EDITOR).error.startswith("Platforms: none chosen")
    every = content.adapt_preview(services, post.id, list(content.CONTENT_PLATFORMS), actor=EDITOR)
    assert [a.platform for a in every.adaptations] == list(content.CONTENT_PLATFORMS)
    request, errors = content.parse_generate_form({**form(), "platforms": list(content.CONTENT_PLATFORMS)})
    assert errors == [] and request.platforms == content.CONTENT_PLATFORMS
