"""Saved grid views, per person, in real Redis and in the embedded SQLite file: names checked,
bounded, never an exception when the storage is gone."""

from __future__ import annotations

import threading

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from dashboard.services.achievements.saved_views import MAX_NAME, MAX_VIEWS, SavedViews


@pytest.fixture(params=["redis", "sqlite"])
def views(request, tmp_path):
    if request.param == "redis":
        client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
        return SavedViews.open(client, tmp_path, clock=lambda: 1000.0)
    return SavedViews.open(None, tmp_path, clock=lambda: 1000.0)


def test_a_view_is_saved_read_back_per_person_and_deleted(views):
    saved = views.save("password:ana", "  Security   quokkas ✓ ", "?category=security&q=quokka&refresh=60&junk=1")
    assert saved.ok and saved.message == "Saved “Security quokkas ✓”."
    (view,) = saved.views
    # Kept as the grid's canonical link: other pages' parameters and junk are not part of a view.
    assert (view.name, view.query) == ("Security quokkas ✓", "q=quokka&category=security")
    assert views.views("password:bo").views == []  # another person's menu is their own
    again = views.save("password:ana", "Security quokkas ✓", "?published=1")
    assert [v.query for v in again.views] == ["published=1"]  # the same name replaces
    assert views.delete("password:ana", "Security quokkas ✓").views == []


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("", "Name the view first"),
        (None, "Name the view first"),
        (["x"], "Name the view first"),
        ("x" * (MAX_NAME + 1), f"at most {MAX_NAME} characters (this one has 61)"),
        ("bell\x07", "control or invisible characters"),
        ("zero\u200bwidth", "control or invisible characters"),
    ],
)
def test_a_bad_name_is_refused_in_words(views, name, said):
    outcome = views.save("local:local", name, "?q=x")
    assert not outcome.ok and said in outcome.message
    assert views.views("local:local").views == []


def test_a_person_keeps_at_most_max_views_even_when_saving_at_once(views):
    results = []
    threads = [
        threading.Thread(target=lambda i=i: results.append(views.save("local:local", f"view {i}", "?q=x")))
        for i in range(MAX_VIEWS + 10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.ok for r in results) == MAX_VIEWS
    assert len(views.views("local:local").views) == MAX_VIEWS
    refused = next(r for r in results if not r.ok)
    assert f"You have {MAX_VIEWS} saved views, the most kept" in refused.message
    kept = views.views("local:local").views[0].name  # which twenty won the race is not fixed
    assert views.save("local:local", kept, "?q=y").ok  # replacing one is still allowed


def test_a_link_too_long_is_refused_and_storage_that_is_gone_is_said(tmp_path):
    gone = redis.Redis(port=1, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))  # nothing listens there
    dead = SavedViews.open(gone, tmp_path, clock=lambda: 0.0)
    assert not dead.views("local:local").ok and "cannot be read now" in dead.views("local:local").message
    assert "was not saved" in dead.save("local:local", "a", "?q=x").message
    ok = SavedViews.open(None, tmp_path, clock=lambda: 0.0)
    assert "too long" in ok.save("local:local", "a", "?q=" + "x" * 5000).message
