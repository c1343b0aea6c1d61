"""Our own deterministic writing templates, for the embedded mode (no orchestrator configured).

With no orchestrator there is no language model behind the dashboard: a draft is written from
the chosen achievements by fixed templates, and a post is adapted per platform by fixed rules.
The same input always gives the same text, so tests can derive what to expect. Nothing here
invents a number: every figure in a draft comes from an achievement, and an adaptation carries
no engagement estimate (there is nothing to estimate it from).

Standard library and the domain models only: no Dash, no Flask, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence, TypeVar

from dashboard.domain.business_value import format_money, format_reading, total_of
from dashboard.domain.models import Achievement, Post
from dashboard.domain.platforms import LINKEDIN_LIMIT, THREADS_LIMIT
from dashboard.sources.clients.orchestrator import Adaptation

Item = TypeVar("Item")

HOOK_LIMIT = THREADS_LIMIT
"""A hook must fit in one Threads post."""

_CALLS_TO_ACTION = {
    "threads": "What would you measure first?",
    "linkedin": "How does your team decide what to build next? Tell me in the comments.",
    "dev.to": "Have you solved this differently? Share it in the comments.",
    "medium": "Follow for more notes from building the threads-agent stack.",
    "github": "Issues and pull requests are welcome.",
}
_PLATFORM_TAGS = {
    "threads": ("#buildinpublic",),
    "linkedin": ("#engineering", "#softwaredevelopment"),
    "dev.to": ("#programming", "#devops"),
    "medium": ("#software-engineering",),
    "github": (),
}
_STOPWORDS = frozenset(
    "about after again against their there these those which while where would could should "
    "being other every first since until under above below between through during before from "
    "with into that this what when your ours them then than have were will just only also more "
    "most some such very over each same both once here because the and for our you its per".split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_HASHTAG = re.compile(r"(?<![\w#])#[A-Za-z][\w-]*")
_HASHTAG_LINE = re.compile(r"\n*^(?:#[\w-]+[ \t]*)+$", re.MULTILINE)
"""A line holding nothing but hashtags (a draft's last line): adaptations place their own."""


def draft_from_achievements(achievements: Sequence[Achievement]) -> tuple[str, str]:
    """(hook, body) of a draft post about `achievements` (at least one), in the given order."""
    if not achievements:
        raise ValueError("a draft needs at least one achievement")
    first = achievements[0]
    if len(achievements) == 1:
        hook = f"Shipped: {first.title}"
        if first.value_amount:
            hook += f" ({_money(first)} of business value)"
    else:
        hook = f"{len(achievements)} things we shipped recently"
        total = total_of(a.value_reading() for a in achievements)
        if total.amount and not total.other:  # a sum across currencies would be invented
            hook += f", worth {format_money(total.amount)} together"
    hook = _clip(hook + ".", HOOK_LIMIT)

    paragraphs = []
    for achievement in achievements:
        paragraphs.append(_paragraph(achievement))
    skills = _unique(skill for a in achievements for skill in a.skills_demonstrated)
    if skills:
        paragraphs.append("Skills it took: " + ", ".join(skills[:8]) + ".")
    paragraphs.append("What would you have measured first?")
    tags = _unique(_tag(tag) for a in achievements for tag in a.tags)
    tags = [tag for tag in tags if len(tag) > 1]
    if tags:
        paragraphs.append(" ".join(tags[:6]))
    return hook, "\n\n".join(paragraphs)


def _money(achievement: Achievement) -> str:
    """The amount as read, in its own currency ("$102.5k", "€45k")."""
    return format_reading(achievement.value_reading(), compact=True)


def _paragraph(achievement: Achievement) -> str:
    facts = [achievement.category]
    if achievement.impact_score is not None:
        facts.append(f"impact {achievement.impact_score:.0f}/100")
    if achievement.value_amount:
        facts.append(f"{_money(achievement)} of business value")
    if achievement.time_saved_hours:
        facts.append(f"{achievement.time_saved_hours:,.0f} hours saved")
    facts.append(f"completed {achievement.completed_at:%b %d, %Y}")
    lines = [f"• {achievement.title} ({', '.join(facts)})."]
    # The description says why; the AI summary, when there is one, mostly restates the title.
    for text in (achievement.description, achievement.ai_summary):
        summary = _first_new_sentence(text or "", achievement.title)
        if summary:
            lines.append(summary)
            break
    return "\n".join(lines)


def adapt(post: Post, platform: str) -> Adaptation:
    """`post` rewritten for `platform` by fixed rules; no engagement estimate."""
    hook, body = post.hook.strip(), _HASHTAG_LINE.sub("", post.body.strip()).strip()
    hashtags = _unique(list(_PLATFORM_TAGS.get(platform, ())) + hashtags_for(f"{hook}\n{post.body}"))[:5]
    cta = _CALLS_TO_ACTION.get(platform, "")
    if platform == "threads":
        tail = "\n".join(part for part in (cta, " ".join(hashtags[:2])) if part)
        room = THREADS_LIMIT - len(hook) - len(tail) - 4  # two blank-line separators
        parts = [hook, _clip(body, room) if room >= 40 else "", tail]
        content = _clip("\n\n".join(part for part in parts if part), THREADS_LIMIT)
        title = _clip(hook, 100)
    elif platform == "linkedin":
        paragraphs = body.split("\n\n")
        short = "\n\n".join(paragraphs[:3]) + ("\n\n…" if len(paragraphs) > 3 else "")
        content = _clip(f"{hook}\n\n{short}\n\n{cta}\n\n{' '.join(hashtags)}", LINKEDIN_LIMIT)
        title = hook
    elif platform in ("dev.to", "medium"):
        content = f"# {hook}\n\n{body}\n\n---\n\n{cta}"
        title = _clip(hook.rstrip("."), 120)
    else:
        content = f"## {hook}\n\n{body}"
        title = _clip(hook.rstrip("."), 120)
    return Adaptation(
        platform=platform,
        title=title,
        content=content,
        hashtags=hashtags,
        call_to_action=cta,
        estimated_engagement=None,
    )


def hashtags_for(text: str, count: int = 3) -> list[str]:
    """Hashtags for `text`: the ones it already has, else its words that come back most often.

    A word must appear at least twice to count, so a one-off word never becomes a tag.
    """
    present = _unique(tag.lower() for tag in _HASHTAG.findall(text))
    if present:
        return present[:count]
    words = [w.lower() for w in _WORD.findall(text)]
    counts = Counter(w for w in words if len(w) >= 4 and w not in _STOPWORDS)
    first_seen = {w: i for i, w in reversed(list(enumerate(words)))}
    ranked = sorted((w for w in counts if counts[w] >= 2), key=lambda w: (-counts[w], first_seen[w]))
    return ["#" + w for w in ranked[:count]]


def _first_new_sentence(text: str, title: str) -> str:
    """The first sentence of `text` that does not just repeat the title."""
    text = " ".join((text or "").split())
    for sentence in re.findall(r".+?(?:[.!?](?=\s|$)|$)", text):
        sentence = sentence.strip()
        if sentence and sentence.rstrip(".!?").strip().lower() != title.rstrip(".!?").strip().lower():
            return _clip(sentence, 280)
    return ""


def _tag(text: str) -> str:
    return "#" + re.sub(r"[^a-z0-9]", "", text.lower())


def _clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[: max(limit, 0)]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def _unique(items: Iterable[Item]) -> list[Item]:
    seen: list[Item] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
