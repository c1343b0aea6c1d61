"""The Content page's view model: KPIs, board, table, generation panel, URL parsing, previews."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dashboard.domain.models import ContentStats, Fresh, Post, SystemMetrics
from dashboard.services.content import posts as content
from dashboard.sources.clients.orchestrator import Adaptation
from dashboard.ui.pages.content import ids
from dashboard.ui.pages.content.post_view import adaptation_cards, not_found_panel, status_view
from dashboard.ui.pages.content.view import build_content
from tests.components import in_request, load_page, text_of

NOW = datetime(2026, 11, 25, 12, 0, 0)
STATS = ContentStats(
    total_posts=40,
    posts_today=2,
    posts_this_week=9,
    avg_quality_score=0.784,
    active_personas=3,
    draft_count=10,
    ready_count=6,
    scheduled_count=4,
    published_count=18,
)
POSTS = [
    Post(
        id=i,
        hook=f"Hook <b>{i}</b>",
        body="B",
        status=("draft", "ready", "published")[i % 3],
        platforms=["linkedin"] if i % 2 else ["threads"],
        persona_id="ai-engineer",
        created_at=NOW - timedelta(hours=i),
    )
    for i in range(1, 10)
]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return load_page("content", tmp_path_factory.mktemp("data"))


def find_all(component, predicate) -> list:
    found = []
    if isinstance(component, (list, tuple)):
        for child in component:
            found += find_all(child, predicate)
        return found
    if component is None or isinstance(component, (str, int, float)):
        return found
    if predicate(component):
        found.append(component)
    return found + find_all(getattr(component, "children", None), predicate)


def build(stats=None, posts=None, view="board", platform=None, jobs=(), metrics=None, read_only=False):
    return build_content(
        stats or Fresh(value=STATS, fetched_at=NOW),
        posts or Fresh(value=POSTS, fetched_at=NOW),
        view,
        platform,
        jobs=list(jobs),
        metrics=metrics,
        read_only=read_only,
        source="embedded store",
        now=NOW,
    )


def test_kpis_come_from_the_content_stats():
    view = build()
    values = view["values"]
    assert values[ids.KPI_TOTAL] == str(STATS.total_posts)
    assert values[ids.KPI_DRAFTS] == str(STATS.draft_count)
    assert values[ids.KPI_PUBLISHED] == str(STATS.published_count)
    assert values[ids.KPI_QUALITY] == f"{STATS.avg_quality_score:.2f}"
    assert view["deltas"][ids.KPI_DRAFTS] == f"{STATS.draft_count / STATS.total_posts:.0%} of posts"
    assert set(view["classes"].values()) == {"tile kpi-card h-100 tile--ok"}
    assert view["freshness"][ids.KPI_TOTAL]["state"] == "ok"


def test_no_stats_shows_dashes_and_a_failed_tile_never_zeros():
    view = build(stats=Fresh(error="orchestrator: unreachable"))
    assert set(view["values"].values()) == {"—"}
    assert set(view["classes"].values()) == {"tile kpi-card h-100 tile--failed"}
    assert view["freshness"][ids.KPI_DRAFTS]["error"] == "orchestrator: unreachable"
    assert view["board_class"] == "tile tile--ok"  # the posts still came


def test_the_board_has_a_column_per_status_with_each_post_once():
    view = build()
    buttons = find_all(view["board"], lambda c: isinstance(getattr(c, "id", None), dict))
    assert sorted(b.id["post"] for b in buttons) == sorted(p.id for p in POSTS)
    columns = find_all(view["board"], lambda c: str(getattr(c, "id", "")).startswith(ids.column("")))
    assert [c.id for c in columns] == [ids.column(s) for s in content.STATUS_ORDER]
    drafts = find_all(columns[0], lambda c: isinstance(getattr(c, "id", None), dict))
    newest_drafts = [p.id for p in content.newest_first(p for p in POSTS if p.status == "draft")]
    assert [b.id["post"] for b in drafts] == newest_drafts
    # Backend text stays text: the markup arrives as characters.
    assert "Hook <b>3</b>" in text_of(columns[0])


def test_the_platform_filter_and_the_table_view():
    view = build(view="table", platform="threads")
    rows = find_all(view["board"], lambda c: isinstance(getattr(c, "id", None), dict))
    assert sorted(b.id["post"] for b in rows) == sorted(p.id for p in POSTS if "threads" in p.platforms)
    assert all(b.id["where"] == "table" for b in rows)


def test_board_version_changes_with_the_data_and_the_view():
    a = build()["board_version"]
    assert build()["board_version"] == a
    assert build(view="table")["board_version"] != a
    later = Fresh(value=POSTS, fetched_at=NOW + timedelta(seconds=5))
    assert build(posts=later)["board_version"] != a


def test_no_posts_is_said_quietly_and_marks_the_tile_failed():
    # Why is the page's outage notice's to say (once); the board says only that it has nothing.
    view = build(posts=Fresh(error="orchestrator: answered 500 to GET /content/posts: boom"))
    assert text_of(view["board"]) == "No posts to show."
    assert view["board_class"] == "tile tile--failed"
    assert view["freshness"][ids.BOARD]["error"] == "orchestrator: answered 500 to GET /content/posts: boom"


def test_the_source_note_says_status_is_read_only_against_the_orchestrator():
    assert "read-only" in build(read_only=True)["source"]
    assert "read-only" not in build()["source"]


def test_a_done_job_offers_its_post_and_a_queued_one_follows_the_orchestrator():
    done = {"submission": "a" * 32, "status": "done", "post_id": 9, "message": "Post #9 written as draft."}
    queued = {
        "submission": "b" * 32,
        "status": "queued",
        "task_id": "task-42",
        "task_state": "queued",
        "submitted_at": (NOW - timedelta(seconds=90)).isoformat(),
        "baseline_post_id": 7,
    }
    metrics = Fresh(value=SystemMetrics(queue_size=3, active_tasks=2, completed_today=17), fetched_at=NOW)
    panel = build(jobs=[done, queued], metrics=metrics)["jobs"]
    text = text_of(panel)
    assert "Task task-42" in text and "sent 11:58:30 UTC (1 min ago)" in text
    assert "Orchestrator now: 3 queued, 2 active, 17 completed today." in text
    new = [p.id for p in POSTS if p.id > 7]
    buttons = find_all(panel, lambda c: isinstance(getattr(c, "id", None), dict))
    assert sorted(b.id["post"] for b in buttons) == sorted(new + [9])
    assert "Post #9 written as draft." in text


def test_a_queued_job_with_no_new_post_says_the_orchestrator_reports_no_task_status():
    queued = {
        "submission": "b" * 32,
        "status": "queued",
        "task_id": "t",
        "baseline_post_id": 100,
        "submitted_at": NOW.isoformat(),
    }
    text = text_of(build(jobs=[queued], metrics=Fresh(error="orchestrator: unreachable"))["jobs"])
    assert "No new post yet" in text and "reports no per-task status" in text
    assert "Orchestrator queue unknown: orchestrator: unreachable" in text


@pytest.mark.parametrize(
    ("query", "expected", "problem"),
    [
        ({}, ("board", None, None), None),
        ({"view": "table", "platform": "dev.to", "post": "12"}, ("table", "dev.to", {"id": 12}), None),
        ({"view": "kanban"}, ("board", None, None), "Unknown view 'kanban'"),
        ({"platform": "myspace"}, ("board", None, None), "Unknown platform 'myspace'"),
        # A post that is no id is opened all the same: its panel says "not found", naming it.
        ({"post": "abc"}, ("board", None, {"unknown": "abc"}), None),
        ({"post": "-3"}, ("board", None, {"unknown": "-3"}), None),
        ({"post": "9" * 40}, ("board", None, {"unknown": "9" * 40}), None),
        ({"post": "١٢"}, ("board", None, {"unknown": "١٢"}), None),
        ({"post": "<b>" + "x" * 5000}, ("board", None, {"unknown": ("<b>" + "x" * 5000)[:60]}), None),
    ],
)
def test_the_url_sets_the_view_and_bad_values_are_explained(page, query, expected, problem):
    view, platform, post, problems = page.parse_query(query.get("view"), query.get("platform"), query.get("post"))
    assert (view, platform, post) == expected
    assert (problem is None and problems == []) or any(problem in p for p in problems)


@pytest.mark.parametrize(
    ("wanted", "words"),
    [
        (99_999, "No post has the id 99999. It may have been deleted, or the link that led here is mistyped."),
        ("abc", "“abc” is not a post id: a post id is a positive whole number."),
        ("x" * 60, "“" + "x" * 39 + "…” is not a post id: a post id is a positive whole number."),
        pytest.param(
            10**5000,
            "A number of more than 40 digits is not a post id: a post id is a positive whole number.",
            id="huge",
        ),
    ],
)
def test_the_not_found_panel_names_the_post_and_leads_back(wanted, words):
    panel = not_found_panel(wanted, "/content?view=table")
    assert text_of(panel) == words + " Back to the pipeline"
    (button,) = find_all(panel, lambda c: getattr(c, "href", None))
    assert button.href == "/content?view=table"


def test_adaptation_cards_show_every_field_and_say_when_there_is_no_estimate():
    result = content.AdaptResult(
        post_id=1,
        source="orchestrator",
        missing=["github"],
        adaptations=[
            Adaptation(
                platform="dev.to",
                title="T1",
                content="<script>x</script>",
                hashtags=["#a"],
                call_to_action="Follow",
                estimated_engagement=7.2,
            ),
            Adaptation(platform="threads", title="T2", content="C2", hashtags=[], call_to_action="Reply"),
        ],
    )
    text = text_of(adaptation_cards(result))
    for fragment in (
        "T1",
        "<script>x</script>",
        "#a",
        "Follow",
        "7.2",
        "T2",
        "Reply",
        "not estimated by the embedded templates",
        "returned no adaptation for: github",
    ):
        assert fragment in text
    error = text_of(adaptation_cards(content.AdaptResult(post_id=1, source="x", error="No preview: down")))
    assert error == "No preview: down"


def test_the_status_section_offers_the_allowed_moves_and_keeps_labels_while_read_only():
    draft = Post(id=1, status="draft")
    editable = status_view(draft, editable=True)
    assert editable["button_classes"] == {"draft": "d-none", "ready": "", "scheduled": "d-none", "published": "d-none"}
    assert editable["button_labels"]["ready"] == "Mark ready"
    read_only = status_view(draft, editable=False)
    assert set(read_only["button_classes"].values()) == {"d-none"} and "button_labels" not in read_only
    assert content.READ_ONLY_STATUS in text_of(read_only["status"])


def test_generate_and_the_preview_offer_the_same_platforms_in_the_same_order(page):
    tree = in_request(page.layout)
    options = {
        checklist: find_all(tree, lambda c, checklist=checklist: getattr(c, "id", None) == checklist)[0].options
        for checklist in (ids.GENERATE_PLATFORMS, ids.ADAPT_PLATFORMS)
    }
    assert options[ids.GENERATE_PLATFORMS] == options[ids.ADAPT_PLATFORMS]
    assert [o["value"] for o in options[ids.ADAPT_PLATFORMS]] == list(content.CONTENT_PLATFORMS)


def test_with_a_platform_the_kpis_are_its_posts_and_the_line_over_them_says_so():
    everything = build()
    assert everything["scope"] == "All platforms, as the orchestrator counts them."
    assert everything["values"][ids.KPI_TOTAL] == str(STATS.total_posts)
    linkedin = build(platform="linkedin")
    assert linkedin["scope"] == "LinkedIn only: counted from the posts list."
    mine = [p for p in POSTS if "linkedin" in p.platforms]
    assert linkedin["values"][ids.KPI_TOTAL] == str(len(mine))
    assert linkedin["values"][ids.KPI_DRAFTS] == str(sum(p.status == "draft" for p in mine))
    assert linkedin["values"][ids.KPI_QUALITY] == "—"  # none of its posts is scored: unknown, not 0
    assert linkedin["deltas"][ids.KPI_QUALITY] == "no post is scored"
    # The cards are as fresh as the posts they were counted from.
    failed = build(platform="linkedin", posts=Fresh(error="orchestrator: unreachable"))
    assert set(failed["values"].values()) == {"—"}
    assert set(failed["classes"].values()) == {"tile kpi-card h-100 tile--failed"}


def test_an_adaptation_over_its_limit_says_so_in_words_and_colour():
    result = content.AdaptResult(
        post_id=1,
        source="orchestrator",
        adaptations=[
            Adaptation(platform="threads", title="Hook", content="Hook\n\n" + "x" * 614),
            Adaptation(platform="linkedin", title="Hook", content="Hook\n\nShort"),
        ],
    )
    cards = adaptation_cards(result)
    counts = find_all(cards, lambda c: "content-adapt-count" in (getattr(c, "className", None) or ""))
    assert [text_of(c) for c in counts] == ["620 / 500 · 120 over the Threads limit", "11 / 3,000 · LinkedIn limit"]
    assert [c.className for c in counts] == ["content-adapt-count content-adapt-count--over", "content-adapt-count"]
    # The hook is the text's first line: it is not shown again as a title.
    assert find_all(cards, lambda c: "content-adapt-title" in (getattr(c, "className", None) or "")) == []
