"""What the adaptation preview shows of one platform's version of a post: each part once, counted.

An adaptation (the orchestrator's or our templates') has a title, a text, hashtags and a call to
action, and the text often holds the others already: the hook is its first line, the hashtags and
the call to action its last ones. The preview shows each part once: the title only where the text
does not start with it, the hashtags and the call to action only where the text does not hold
them. Its character counter counts the text, the one part the platform limits, against the
platform's limit (dashboard/domain/platforms.py).

Pure: no Dash, no Flask, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from dashboard.domain.platforms import CHARACTER_LIMITS, CONTENT_PLATFORMS, PLATFORM_LABELS
from dashboard.sources.clients.orchestrator import Adaptation

__all__ = ["CHARACTER_LIMITS", "CONTENT_PLATFORMS", "CharacterCount", "PreviewParts", "count_for", "preview_parts"]

_HASHTAG = re.compile(r"(?<![\w#])#[^\W_][\w-]*")
_MARKUP = re.compile(r"^[\s#>*_\-\[\]()]+|[\s.!?:…*_]+$")


def label(platform: str) -> str:
    return PLATFORM_LABELS.get(platform, platform)


@dataclass(frozen=True)
class CharacterCount:
    """How long a platform's text is against its limit (None: the platform sets none)."""

    platform: str
    length: int
    limit: Optional[int]

    @property
    def over(self) -> bool:
        return self.limit is not None and self.length > self.limit

    @property
    def words(self) -> str:
        """'320 / 500 · Threads limit', '620 / 500 · 120 over the Threads limit', '1,204 · no limit'."""
        name = label(self.platform)
        if self.limit is None:
            return f"{self.length:,} characters · no limit on {name}"
        if self.over:
            return f"{self.length:,} / {self.limit:,} · {self.length - self.limit:,} over the {name} limit"
        return f"{self.length:,} / {self.limit:,} · {name} limit"


def count_for(platform: str, text: str) -> CharacterCount:
    """`text` counted as the platform counts a post: characters (code points), spaces included."""
    return CharacterCount(platform=platform, length=len(text), limit=CHARACTER_LIMITS.get(platform))


@dataclass(frozen=True)
class PreviewParts:
    """One platform's adaptation as the preview shows it: every part once."""

    platform: str
    label: str
    title: Optional[str]
    """Shown only when the text does not already start with it."""
    text: str
    hashtags: tuple[str, ...]
    """The hashtags the text does not already hold."""
    call_to_action: Optional[str]
    """Shown only when the text does not already hold it."""
    count: CharacterCount
    estimated_engagement: Optional[float]


def _plain(text: str) -> str:
    """Text without markup, case or end punctuation: '# Shipped it.' and 'shipped it' compare equal."""
    return _MARKUP.sub("", " ".join(text.split())).casefold()


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def preview_parts(adaptation: Adaptation) -> PreviewParts:
    """What the preview shows of `adaptation`, nothing twice."""
    text = adaptation.content.strip()
    title = adaptation.title.strip()
    if title and _plain(title) in _plain(_first_line(text)):
        title = ""
    in_text = {tag.casefold() for tag in _HASHTAG.findall(text)}
    hashtags: list[str] = []
    for raw in adaptation.hashtags:
        tag = raw.strip()
        if tag and not tag.startswith("#"):
            tag = "#" + tag
        if tag and tag.casefold() not in in_text and tag not in hashtags:
            hashtags.append(tag)
    cta = adaptation.call_to_action.strip()
    if cta and _plain(cta) in _plain(text):
        cta = ""
    return PreviewParts(
        platform=adaptation.platform,
        label=label(adaptation.platform),
        title=title or None,
        text=text,
        hashtags=tuple(hashtags),
        call_to_action=cta or None,
        count=count_for(adaptation.platform, text),
        estimated_engagement=adaptation.estimated_engagement,
    )
