"""The content pipeline's pure parts: grouping, validation, choosing achievements, templates."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from dashboard.domain.business_value import format_money
from dashboard.domain.models import Achievement, Post
from dashboard.services.content import posts as content
from dashboard.sources.embedded import templates

NOW = datetime(2026, 11, 25, 12, 0, 0)


def post(post_id: int, status: str = "draft", *, hours_ago: float = 0, platforms=("linkedin",), **extra) -> Post:
    return Post(
        id=post_id,
        status=status,
        hook=f"Hook {post_id}",
        body=f"Body {post_id}",
        platforms=list(platforms),
        created_at=NOW - timedelta(hours=hours_ago),
        **extra,
    )


def achievement(achievement_id: int, *, days_ago: float, impact: float, value=None, **extra) -> Achievement:
    completed = NOW - timedelta(days=days_ago)
    fields = {"title": f"Achievement {achievement_id}", **extra}
    return Achievement(
        id=achievement_id,
        category="feature",
        started_at=completed - timedelta(hours=6),
        completed_at=completed,
        impact_score=impact,
        business_value=None if value is None else str(value),
        **fields,
    )


GOOD_FORM = {
    "persona_id": "ai-engineer",
    "platforms": ["linkedin", "dev.to"],
    "draft_only": True,
    "mode": "recent",
    "picked": [],
    "min_value": None,
}


# Grouping --------------------------------------------------------------------------------------


def test_posts_are_grouped_by_status_in_pipeline_order_newest_first():
    posts = [
        post(1, "draft", hours_ago=5),
        post(2, "published", hours_ago=1),
        post(3, "draft", hours_ago=1),
        post(4, "scheduled", hours_ago=3),
        post(5, "archived", hours_ago=2),
    ]
    groups = content.group_by_status(posts)
    assert list(groups)[:5] == list(content.STATUS_ORDER)
    assert [p.id for p in groups["draft"]] == [3, 1]
    assert groups["ready"] == [] and groups["failed"] == []
    # A status the dashboard does not know is still shown, after the known ones.
    assert list(groups)[-1] == "archived" and [p.id for p in groups["archived"]] == [5]
    assert sum(len(v) for v in groups.values()) == len(posts)


def test_platform_filter_keeps_only_posts_for_that_platform():
    posts = [post(1, platforms=["linkedin"]), post(2, platforms=["threads", "linkedin"]), post(3, platforms=[])]
    groups = content.group_by_status(posts, platform="threads")
    assert [p.id for p in groups["draft"]] == [2]


def test_ties_on_creation_time_put_the_higher_id_first_and_missing_times_last():
    same = [post(1), post(2), Post(id=3, hook="no time")]
    assert [p.id for p in content.newest_first(same)] == [2, 1, 3]


def test_known_personas_most_frequent_first():
    posts = [post(1, persona_id="b"), post(2, persona_id="a"), post(3, persona_id="b"), post(4)]
    assert content.known_personas(posts) == ["b", "a"]


def test_new_posts_since_a_baseline():
    posts = [post(i, hours_ago=10 - i) for i in range(1, 6)]
    assert [p.id for p in content.new_posts_since(posts, 3)] == [5, 4]
    assert content.new_posts_since(posts, None) == []


# Validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hook", "body", "field", "message"),
    [
        ("   ", "body", "hook", "must not be empty"),
        (None, "body", "hook", "must not be empty"),
        ("x" * (content.HOOK_MAX + 1), "body", "hook", f"is {content.HOOK_MAX + 1:,} characters long"),
        ("hook", "", "body", "must not be empty"),
        ("hook", "y" * (content.BODY_MAX + 1), "body", f"is {content.BODY_MAX + 1:,} characters long"),
    ],
)
def test_text_edits_are_refused_with_field_and_reason(hook, body, field, message):
    values, errors = content.validate_text(hook, body)
    assert [e.field for e in errors] == [field]
    assert errors[0].message == message
    assert str(errors[0]).startswith(content.LABELS[field] + ": ")
    assert "accepted: text of 1–" in str(errors[0])


def test_text_edits_are_trimmed():
    values, errors = content.validate_text("  A hook  ", "\nA body\n")
    assert errors == [] and values == {"hook": "A hook", "body": "A body"}


def test_a_good_generate_form_parses():
    request, errors = content.parse_generate_form({**GOOD_FORM, "min_value": "12,500"})
    assert errors == []
    # Platforms in canonical order whatever the order ticked.
    assert request.platforms == ("dev.to", "linkedin")
    assert request.min_value == 12500 and request.draft_only and request.mode == "recent"


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"persona_id": ""}, "persona_id", "is required"),
        ({"persona_id": "<script>"}, "persona_id", "is not a persona id"),
        ({"platforms": []}, "platforms", "none chosen"),
        ({"platforms": ["github"]}, "platforms", "github not offered"),
        ({"mode": "pick", "picked": []}, "picked", "none picked"),
        (
            {"mode": "pick", "picked": list(range(1, content.MAX_PICKED + 2))},
            "picked",
            f"{content.MAX_PICKED + 1} picked",
        ),
        ({"mode": "pick", "picked": ["seven"]}, "picked", "is not an achievement id"),
        ({"mode": "sometimes"}, "mode", "is not a choice"),
        ({"min_value": "lots"}, "min_value", "is not a number"),
        ({"min_value": -5}, "min_value", "out of range"),
    ],
)
def test_a_bad_generate_form_names_the_field(change, field, fragment):
    request, errors = content.parse_generate_form({**GOOD_FORM, **change})
    assert request is None
    assert field in {e.field for e in errors}
    assert any(fragment in str(e) for e in errors), [str(e) for e in errors]


# Choosing achievements -------------------------------------------------------------------------


ACHIEVEMENTS = [
    achievement(1, days_ago=2, impact=40, value=90_000),
    achievement(2, days_ago=5, impact=95, value=1_000),
    achievement(3, days_ago=10, impact=80, value=50_000),
    achievement(4, days_ago=20, impact=70, value=None),
    achievement(5, days_ago=45, impact=99, value=500_000),  # too old for "recent"
    achievement(6, days_ago=29, impact=60, value=20_000),
]


def expected_recent(items, minimum):
    recent = [
        a
        for a in items
        if NOW - a.completed_at <= timedelta(days=content.RECENT_DAYS) and (a.value_amount or 0) >= minimum
    ]
    return [a.id for a in sorted(recent, key=lambda a: -a.impact_score)[: content.RECENT_COUNT]]


@pytest.mark.parametrize("minimum", [0, 10_000, 60_000])
def test_recent_high_impact_takes_the_highest_impact_of_the_window_above_the_minimum(minimum):
    chosen = content.recent_high_impact(ACHIEVEMENTS, NOW, min_value=minimum)
    assert [a.id for a in chosen] == expected_recent(ACHIEVEMENTS, minimum)
    assert all(a.id != 5 for a in chosen)


def test_recent_mode_with_nothing_above_the_minimum_says_what_to_change():
    request, _ = content.parse_generate_form({**GOOD_FORM, "min_value": 10_000_000})
    chosen, errors = content.choose_achievements(ACHIEVEMENTS, request, NOW)
    assert chosen == []
    assert "is worth $10,000,000 or more" in str(errors[0])
    assert "a lower minimum value" in str(errors[0])


def test_picked_achievements_below_the_minimum_or_gone_are_refused_by_name():
    request, _ = content.parse_generate_form({**GOOD_FORM, "mode": "pick", "picked": [2, 99], "min_value": 5000})
    chosen, errors = content.choose_achievements(ACHIEVEMENTS, request, NOW)
    assert chosen == []
    messages = " | ".join(str(e) for e in errors)
    assert "“Achievement 2” is worth $1,000, below the minimum of $5,000" in messages
    assert "achievement 99 no longer exists" in messages


def test_picked_achievements_keep_the_order_picked():
    request, _ = content.parse_generate_form({**GOOD_FORM, "mode": "pick", "picked": ["6", 3, 3]})
    chosen, errors = content.choose_achievements(ACHIEVEMENTS, request, NOW)
    assert errors == [] and [a.id for a in chosen] == [6, 3]


def test_pain_statement_names_each_achievement_and_is_capped():
    text = content.pain_statement(ACHIEVEMENTS[:2])
    for a in ACHIEVEMENTS[:2]:
        assert a.title in text
        assert format_money(a.value_amount) in text
    many = [achievement(i, days_ago=1, impact=50, value=1000, title="T" * 200) for i in range(10)]
    assert len(content.pain_statement(many)) == content.PAIN_STATEMENT_MAX


# Templates -------------------------------------------------------------------------------------


def rich(achievement_id, **extra) -> Achievement:
    return achievement(
        achievement_id,
        days_ago=1,
        impact=70 + achievement_id,
        value=10_000 * achievement_id,
        description=f"Achievement {achievement_id}. It mattered because of reason {achievement_id}. More detail.",
        tags=["Redis", "persona-runtime"],
        skills_demonstrated=["Python", "Redis"],
        time_saved_hours=12.0 * achievement_id,
        **extra,
    )


def test_a_draft_names_every_achievement_and_only_their_numbers():
    chosen = [rich(1), rich(2)]
    hook, body = templates.draft_from_achievements(chosen)
    total = sum(a.value_amount for a in chosen)
    assert format_money(total) in hook and hook.startswith("2 things we shipped")
    for a in chosen:
        assert a.title in body
        assert format_money(a.value_amount) in body
        assert f"impact {a.impact_score:.0f}/100" in body
        # The first sentence of the description repeats the title: the next one is used.
        assert f"It mattered because of reason {a.id}." in body
    assert "#redis #personaruntime" in body
    # Every number in the draft comes from the achievements (or their dates).
    allowed = set()
    for a in chosen:
        allowed |= {
            f"{a.impact_score:.0f}",
            f"{a.time_saved_hours:,.0f}",
            str(a.id),
            f"{a.completed_at:%d}",
            f"{a.completed_at:%Y}",
            "100",
            str(len(chosen)),
        }
        allowed |= set(re.findall(r"\d+", format_money(a.value_amount)))
    allowed |= set(re.findall(r"\d+", format_money(total)))
    assert set(re.findall(r"\d+", hook + body)) <= allowed


def test_a_draft_is_deterministic_and_a_single_achievement_is_named_in_the_hook():
    one = rich(3)
    assert templates.draft_from_achievements([one]) == templates.draft_from_achievements([one])
    hook, _ = templates.draft_from_achievements([one])
    assert hook == f"Shipped: {one.title} ({format_money(one.value_amount)} of business value)."
    with pytest.raises(ValueError):
        templates.draft_from_achievements([])


@pytest.mark.parametrize("platform", ["threads", "linkedin", "dev.to", "medium", "github"])
def test_adaptations_carry_the_post_and_no_invented_engagement(platform):
    hook, body = templates.draft_from_achievements([rich(1), rich(2), rich(3)])
    adapted = templates.adapt(Post(id=7, hook=hook, body=body), platform)
    assert adapted.platform == platform
    assert adapted.estimated_engagement is None
    assert adapted.content.startswith(("# ", "## ", hook[:20]))
    assert "#redis" in adapted.hashtags and len(adapted.hashtags) <= 5
    assert adapted.title and adapted.call_to_action is not None
    if platform == "threads":
        assert len(adapted.content) <= templates.THREADS_LIMIT
        assert len(adapted.title) <= 100


def test_a_very_long_post_still_fits_a_threads_post():
    adapted = templates.adapt(Post(id=1, hook="H" * 480, body="word " * 2000), "threads")
    assert len(adapted.content) <= templates.THREADS_LIMIT


def test_hashtags_come_from_the_text_and_a_one_off_word_is_not_one():
    assert templates.hashtags_for("Redis caching. More redis caching, less waiting.") == ["#redis", "#caching"]
    assert templates.hashtags_for("Every word here appears once") == []
    assert templates.hashtags_for("Text with #Kubernetes and #helm tags") == ["#kubernetes", "#helm"]
