"""The activity feed from real parts: edits through the app's own write path (audit trail in
SQLite), posts from the embedded store and from the orchestrator over HTTP, outages from the
7-day history, and a source that cannot be read said in words."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from dashboard import create_app
from dashboard.domain.history import service_history
from dashboard.domain.models import Post
from dashboard.services.activity import Links, activity_feed, post_entries
from dashboard.services.history import HistoryView, Sampler, watched
from tests.actors import EDITOR
from tests.fakes import ORCHESTRATOR, FakeBackends


def runtime_of(app):
    return app.server.extensions["threads_dashboard"]


def stamp_of(services, achievement_id: int) -> str:
    return services.get_achievement(achievement_id).updated_at.isoformat()


def test_each_write_is_one_entry_with_its_person_and_a_link(make_settings):
    app = create_app(settings=make_settings())
    current = runtime_of(app)
    services = current.services
    first = services.achievements().value[0]
    saved = services.edit_achievement(
        first.id,
        {"impact_score": 91, "tags": ["perf", "ünïcode"]},
        expected_updated_at=stamp_of(services, first.id),
        actor=EDITOR,
    )
    assert saved.status == "saved", saved.message
    added = services.create_achievement(
        {
            "title": "Feed test: an achievement",
            "description": "Written by the activity test.",
            "category": "feature",
            "started_at": "2026-01-01",
            "completed_at": "2026-01-02",
        },
        actor=EDITOR,
    )
    assert added.status == "saved", added.message
    now = current.clock.now()
    feed = activity_feed(services, None, now=now, links=Links(grid="/prefix/achievements"))
    mine = [entry for entry in feed.entries if entry.who == EDITOR.name]
    assert [entry.kind for entry in mine] == ["create", "update"]  # newest first, one per write
    add, edit = mine
    assert add.text == "Achievement “Feed test: an achievement” added"
    assert edit.text.startswith(f"Achievement “{first.title[:40]}") and edit.text.endswith("edited: Impact, Tags")
    assert edit.link.startswith("/prefix/achievements?q=")
    assert all(entry.at <= now + timedelta(seconds=1) for entry in feed.entries)
    assert [e.at for e in feed.entries] == sorted((e.at for e in feed.entries), reverse=True)
    assert feed.missing == ()
    # The embedded store's posts are in it too, each by its own time.
    assert any(entry.kind in ("generated", "scheduled", "published") for entry in feed.entries)


def test_posts_say_generated_scheduled_and_published_and_never_the_future():
    now = datetime(2026, 6, 1, 12, 0)
    posts = [
        Post(
            id=1,
            hook="Shipped it",
            status="published",
            platforms=["linkedin"],
            persona_id="ai-jesus",
            created_at=now - timedelta(hours=5),
            published_at=now - timedelta(hours=1),
        ),
        Post(
            id=2,
            hook="Soon",
            status="scheduled",
            created_at=now - timedelta(hours=2),
            scheduled_at=now + timedelta(days=1),
        ),
        Post(id=3, hook="From a clock ahead of ours", created_at=now + timedelta(hours=3)),
    ]
    entries = post_entries(posts, now=now, content="/content")
    assert [(e.kind, e.text) for e in entries] == [
        ("generated", "Post “Shipped it” generated"),
        ("published", "Post “Shipped it” published on linkedin"),
        ("scheduled", "Post “Soon” generated, scheduled for Jun 02 12:00 UTC"),
    ]
    assert entries[0].who == "persona ai-jesus" and entries[2].who == "orchestrator"
    assert entries[0].link == "/content?post=1"


def test_an_outage_comes_and_goes_in_the_feed_and_an_unreadable_source_is_said(make_settings):
    with FakeBackends() as backends:
        settings = make_settings(
            achievement_api_url=backends.achievement_url,
            orchestrator_url=backends.orchestrator_url,
            tech_doc_api_url=backends.tech_doc_url,
            cache_ttl_seconds=0.2,
            retry_backoff_seconds=0.1,
        )
        app = create_app(settings=settings)
        current = runtime_of(app)
        sampler = Sampler(current.services, current.history.store, interval=30)
        sampler.run_round()
        backends.set_fault(ORCHESTRATOR, "down")
        for _ in range(3):
            time.sleep(0.25)  # past the health check's cache entry (its TTL is the data's, 0.2 s)
            sampler.run_round()
        # The orchestrator is down: its posts are missing, and the feed says so, in words.
        view = current.history.view(watched(current.services))
        feed = activity_feed(current.services, view, now=current.clock.now())
        assert any("orchestrator" in part and part.startswith("posts:") for part in feed.missing), feed.missing
        down = [e for e in feed.entries if e.kind == "down"]
        assert down and down[0].text.startswith("orchestrator went down: ") and down[0].link == "/system"
        backends.set_fault(ORCHESTRATOR, None)
        time.sleep(0.3)
        sampler.run_round()
        current.history._memo = None  # the view is memoised for a few seconds; the test does not wait
        view = current.history.view(watched(current.services))
        feed = activity_feed(current.services, view, now=current.clock.now())
        kinds = [e.kind for e in feed.entries if e.who == "health check"]
        assert kinds[:2] == ["up", "down"], kinds
        assert feed.entries[0].text.startswith("orchestrator is back after")


def test_a_history_that_cannot_be_read_is_said_and_the_rest_still_shows(make_settings):
    app = create_app(settings=make_settings())
    current = runtime_of(app)
    broken = HistoryView((), {}, 30.0, "the history cannot be read now (ConnectionError)")
    feed = activity_feed(current.services, broken, now=current.clock.now())
    assert feed.missing == ("services: the history cannot be read now (ConnectionError)",)
    assert feed.entries  # the posts of the embedded store still show
    ok = HistoryView((service_history("orchestrator", [], now=0, interval=30),), {}, 30.0)
    assert activity_feed(current.services, ok, now=current.clock.now()).missing == ()
