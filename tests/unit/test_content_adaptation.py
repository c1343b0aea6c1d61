"""The adaptation preview's parts (services/content/adaptation.py): each shown once, and counted."""

from __future__ import annotations

import pytest

from dashboard.domain.models import Post
from dashboard.domain.platforms import CHARACTER_LIMITS, CONTENT_PLATFORMS
from dashboard.services.content.adaptation import count_for, preview_parts
from dashboard.sources.clients.orchestrator import Adaptation
from dashboard.sources.embedded import templates


def test_the_limits_are_the_platforms_own():
    assert CHARACTER_LIMITS == {"threads": 500, "linkedin": 3000, "dev.to": None, "medium": None}
    assert set(CHARACTER_LIMITS) == set(CONTENT_PLATFORMS)


@pytest.mark.parametrize(
    ("platform", "length", "words", "over"),
    [
        ("threads", 320, "320 / 500 · Threads limit", False),
        ("threads", 500, "500 / 500 · Threads limit", False),
        ("threads", 501, "501 / 500 · 1 over the Threads limit", True),
        ("linkedin", 3_620, "3,620 / 3,000 · 620 over the LinkedIn limit", True),
        ("dev.to", 12_345, "12,345 characters · no limit on Dev.to", False),
        ("medium", 0, "0 characters · no limit on Medium", False),
    ],
)
def test_the_counter_says_the_length_against_the_limit_in_words(platform, length, words, over):
    count = count_for(platform, "x" * length)
    assert (count.words, count.over) == (words, over)


def test_characters_are_counted_not_bytes():
    # "é" is two bytes in UTF-8 and an emoji four: a person counts one character each.
    assert count_for("threads", "é🙂 x").length == 4


def test_the_hook_the_hashtags_and_the_call_to_action_in_the_text_are_not_shown_again():
    parts = preview_parts(
        Adaptation(
            platform="linkedin",
            title="Shipped the pipeline.",
            content="Shipped the pipeline.\n\nIt took a week.\n\nWhat would you measure first?\n\n#MLOps #python",
            hashtags=["#mlops", "#Python", "#data"],
            call_to_action="What would you measure first?",
        )
    )
    assert parts.title is None
    assert parts.hashtags == ("#data",)  # the others are in the text (case aside)
    assert parts.call_to_action is None
    assert parts.count.length == len(parts.text)


def test_parts_the_text_does_not_hold_are_shown_once():
    parts = preview_parts(
        Adaptation(
            platform="threads",
            title="A title of its own",
            content="[threads] Short hook\n\nBody",
            hashtags=["#engineering", "engineering", "#aijesus"],
            call_to_action="Follow for more",
            estimated_engagement=0.035,
        )
    )
    assert parts.title == "A title of its own"
    assert parts.hashtags == ("#engineering", "#aijesus")  # "engineering" is the same tag
    assert parts.call_to_action == "Follow for more"
    assert (parts.label, parts.estimated_engagement) == ("Threads", 0.035)


def test_a_markdown_heading_of_the_title_is_the_title():
    parts = preview_parts(Adaptation(platform="dev.to", title="Shipped it", content="# Shipped it.\n\nBody"))
    assert parts.title is None and parts.count.limit is None


@pytest.mark.parametrize("platform", CONTENT_PLATFORMS)
def test_our_templates_adaptations_show_each_part_once(platform):
    post = Post(
        id=1,
        hook="Cut p95 latency in half with one cache.",
        body="We measured first, then cached. " * 30 + "\n\n#redis",
    )
    adapted = templates.adapt(post, platform)
    parts = preview_parts(adapted)
    shown = "\n".join([parts.title or "", parts.text, parts.call_to_action or "", " ".join(parts.hashtags)])
    assert shown.lower().count(post.hook.lower().rstrip(".")) == 1
    for tag in adapted.hashtags:
        assert shown.lower().count(tag.lower()) == 1, tag
    assert not parts.count.over  # the templates fit their platform
