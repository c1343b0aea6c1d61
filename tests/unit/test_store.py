"""The embedded store: seeded once, read back as the domain model, written safely."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from dashboard.domain.errors import NotFound, StoreError
from dashboard.domain.models import Achievement
from dashboard.sources.embedded.sample_data import generate_sample
from dashboard.sources.embedded.store import EmbeddedStore

NOW = datetime(2026, 11, 25, 12, 0, 0)  # a Wednesday


def open_store(path):
    return EmbeddedStore.open(path, clock=lambda: NOW)


def test_first_open_seeds_the_sample_and_reads_it_back(tmp_path):
    store = open_store(tmp_path)
    sample = generate_sample(NOW)
    achievements = store.list_achievements()
    assert len(achievements) == len(sample.achievements) >= 150
    assert [a.completed_at for a in achievements] == sorted((a.completed_at for a in achievements), reverse=True)
    by_id = {a.id: a for a in achievements}
    for item in sample.achievements[:20]:
        assert by_id[item["id"]].business_value == item["business_value"]
        assert by_id[item["id"]].title == item["title"]
    posts = store.list_posts()
    assert len(posts) == len(sample.posts) >= 40
    assert store.metrics_summary().services_health.total > 0


def test_second_open_does_not_reseed(tmp_path):
    store = open_store(tmp_path)
    store.update_achievement(1, {"title": "Kept across restarts"})
    again = open_store(tmp_path)
    assert again.get_achievement(1).title == "Kept across restarts"
    assert len(again.list_achievements()) == len(store.list_achievements())


def test_workers_opening_at_once_seed_exactly_once(tmp_path):
    errors, stores = [], []

    def open_one():
        try:
            stores.append(open_store(tmp_path))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(stores[0].list_achievements()) == len(generate_sample(NOW).achievements)


def test_content_stats_are_computed_from_posts(tmp_path):
    store = open_store(tmp_path)
    posts = store.list_posts()
    stats = store.content_stats()
    assert stats.total_posts == len(posts)
    assert stats.draft_count == sum(p.status == "draft" for p in posts)
    assert stats.published_count == sum(p.status == "published" for p in posts)
    today = NOW.replace(hour=0, minute=0, second=0)
    assert stats.posts_today == sum(1 for p in posts if p.created_at >= today)
    monday = today - timedelta(days=2)
    assert stats.posts_this_week == sum(1 for p in posts if p.created_at >= monday)


def test_save_stamps_updated_at_and_appears_first(tmp_path):
    store = open_store(tmp_path)
    new = Achievement(
        id=5000,
        title="New",
        category="testing",
        started_at=NOW - timedelta(hours=2),
        completed_at=NOW,
        business_value="1200",
    )
    saved = store.save_achievement(new)
    assert saved.updated_at == NOW
    assert store.list_achievements()[0].id == 5000
    with pytest.raises(NotFound):
        store.update_achievement(123456, {"title": "x"})


def test_unwritable_data_dir_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="DASHBOARD_DATA_DIR"):
        EmbeddedStore.open(blocker / "data")
