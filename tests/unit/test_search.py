"""The command palette's search (dashboard.services.search): ranking, limits, highlighting, and
any query at all answered in bounded time and size."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain.models import Achievement, Post
from dashboard.services.search import (
    LIMIT,
    MAX_QUERY,
    Target,
    clean_query,
    post_title,
    search,
    wallboard_targets,
)
from dashboard.services.wallboard import load_profiles, parse_views

DAY = datetime(2027, 1, 15, 12, 0)


def achievement(ident: int, title: str, category: str = "feature") -> Achievement:
    return Achievement(
        id=ident,
        title=title,
        category=category,
        started_at=DAY - timedelta(hours=5),
        completed_at=DAY,
    )


def titles(results, group: str) -> list[str]:
    return [hit.target.title for g in results.groups if g.name == group for hit in g.hits]


def group(results, name: str):
    return next(g for g in results.groups if g.name == name)


PAGES = [Target("Overview", "/", "page", ("",)), Target("Achievements", "/achievements", "page", ("achievements",))]


def test_ranking_exact_then_prefix_then_word_then_inside_then_all_words():
    items = [
        achievement(1, "Faster caching of prompts"),  # every word, not together
        achievement(2, "Precache warm-up"),  # inside a word
        achievement(3, "Redis cache for prompts"),  # a word starts with it
        achievement(4, "Cache prompts"),  # the title starts with it
        achievement(5, "cache prompts"[:5]),  # the whole title: "cache"
        achievement(6, "Unrelated"),
    ]
    assert titles(search("cache", achievements=items), "Achievements") == [
        "cache",
        "Cache prompts",
        "Redis cache for prompts",
        "Precache warm-up",
    ]
    assert titles(search("prompts caching", achievements=items), "Achievements") == ["Faster caching of prompts"]


def test_ties_go_to_the_shorter_title_then_the_alphabet_so_the_order_never_changes():
    items = [achievement(i, t) for i, t in enumerate(["Cache b", "Cache a", "Cache long title", "Cache"], start=1)]
    first = titles(search("cach", achievements=items), "Achievements")
    assert first == ["Cache", "Cache a", "Cache b", "Cache long title"]
    assert titles(search("cach", achievements=list(reversed(items))), "Achievements") == first


def test_each_group_gives_at_most_eight_and_says_how_many_matched():
    items = [achievement(i, f"Deploy step {i:02d}") for i in range(1, 31)]
    found = group(search("deploy", achievements=items), "Achievements")
    assert len(found.hits) == LIMIT == 8 and found.total == 30


def test_case_width_and_composed_forms_do_not_matter():
    items = [achievement(1, "Café latency down 40 %"), achievement(2, "ＦＡＳＴＡＰＩ upgrade")]
    assert titles(search("CAFE\u0301", achievements=items), "Achievements") == ["Café latency down 40 %"]
    assert titles(search("fastapi", achievements=items), "Achievements") == ["ＦＡＳＴＡＰＩ upgrade"]


def test_the_typed_query_is_marked_in_each_title_as_it_is_written_there():
    items = [achievement(1, "Redis Cache for prompts"), achievement(2, "Prompts in the cache, faster")]
    hits = group(search("cache", achievements=items), "Achievements").hits
    assert hits[0].parts == (("Redis ", False), ("Cache", True), (" for prompts", False))
    # Words found apart are each marked.
    apart = group(search("faster prompts", achievements=items), "Achievements").hits
    assert [p for p in apart[0].parts if p[1]] == [("Prompts", True), ("faster", True)]


def test_an_achievement_opens_the_grid_searching_its_title_and_a_post_opens_its_panel():
    found = search(
        "launch",
        achievements=[achievement(7, "Launch & learn: 50% faster")],
        posts=[Post(id=42, hook="Launch day notes", status="draft", platforms=["threads"])],
    )
    (hit,) = group(found, "Achievements").hits
    assert hit.target.href == "/achievements?q=Launch+%26+learn%3A+50%25+faster"
    assert hit.target.detail == "feature · completed 2027-01-15"
    (post,) = group(found, "Posts").hits
    assert (post.target.href, post.target.detail) == ("/content?post=42", "draft · threads")


def test_a_post_is_called_by_its_hook_else_its_first_line_else_its_number():
    assert post_title(Post(id=1, hook="  The hook  ", body="x")) == "The hook"
    assert post_title(Post(id=2, hook="", body="\n\n  First line\nsecond")) == "First line"
    assert post_title(Post(id=3)) == "Post #3"
    assert post_title(Post(id=4, hook="h" * 500)).endswith("…") and len(post_title(Post(id=4, hook="h" * 500))) == 120


def test_an_empty_query_lists_the_pages_and_wallboards_as_a_menu_and_no_records():
    boards = wallboard_targets({"ops": parse_views("system:20", title="Operations")})
    found = search("   ", pages=PAGES, wallboards=boards, achievements=[achievement(1, "x")])
    assert titles(found, "Pages") == ["Overview", "Achievements"]
    assert titles(found, "Wallboards") == ["Wallboard", "Operations wallboard"]
    assert [g.name for g in found.groups] == ["Pages", "Wallboards"] and not found.empty


def test_wallboards_are_found_by_title_or_by_their_name_and_addressed_by_name():
    boards = wallboard_targets(load_profiles())
    ops = next(t for t in boards if t.href == "/wallboard/ops")
    assert ops.title == "Operations wallboard" and ops.detail.startswith("ops · ")
    assert "Operations wallboard" in titles(search("operations", wallboards=boards), "Wallboards")
    assert titles(search("ops", wallboards=boards), "Wallboards") == ["Operations wallboard"]  # by its name


def test_a_data_set_that_could_not_be_read_says_so_instead_of_no_matches():
    found = search("cache", pages=PAGES, achievements=None, posts=[], achievements_note="Achievements: unreachable")
    assert group(found, "Achievements").note == "Achievements: unreachable"
    assert group(found, "Posts").note == "" and found.empty


@pytest.mark.parametrize(
    "hostile",
    [
        "x" * 10_000,
        "a " * 5_000,
        "\u202e\u200b\x00\x1b[31m cache",
        "\ud800cache",  # a lone surrogate, as a browser's JSON may carry
        "(.*)+[",
        "%" * 300,
        "🚀" * 1_000,
        12,
        None,
        ["cache"],
        {"q": "cache"},
    ],
)
def test_hostile_queries_are_cut_and_answered(hostile):
    items = [achievement(i, f"Cache step {i}") for i in range(1, 200)]
    started = time.perf_counter()
    found = search(hostile, pages=PAGES, achievements=items, posts=[])
    assert time.perf_counter() - started < 0.5
    assert len(found.query) <= MAX_QUERY
    assert all(len(g.hits) <= LIMIT for g in found.groups)


def test_a_long_query_is_said_to_be_cut():
    query, cut = clean_query("cache " * 50)
    assert cut and query == " ".join(["cache"] * 8)
    assert clean_query("\u200bcache\u202e") == ("cache", False)
    assert clean_query("\u200b" * 5_000 + "cache") == ("cache", False)  # a run of them hides nothing
    assert search("zz " * 20).cut


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_bounded_results(text):
    items = [achievement(1, "Redis cache"), achievement(2, "Cache ß Straße")]
    found = search(text, pages=PAGES, achievements=items, posts=[Post(id=1, hook="Cache")])
    assert len(found.query) <= MAX_QUERY
    for g in found.groups:
        for hit in g.hits:
            assert "".join(part for part, _ in hit.parts) == hit.target.title


def test_a_query_is_marked_once_where_a_word_starts_with_it_not_inside_every_word():
    hits = group(search("re", posts=[Post(id=1, hook="Postgres backups: retention and restore")]), "Posts").hits
    assert [part for part, marked in hits[0].parts if marked] == ["re"]
    assert hits[0].parts[1] == ("re", True) and hits[0].parts[2][0].startswith("tention")
