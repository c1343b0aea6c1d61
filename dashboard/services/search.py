"""The command palette's search (Ctrl+K): pages, achievements, posts and wallboards by title.

A pure function of what it is given (the page list, the cached achievements and posts, the
wallboard profiles), so it runs on what every screen already reads, never a backend call of
its own. Bounded whatever is typed: the query is cut to `MAX_QUERY` characters and
`MAX_WORDS` words, control and formatting characters are dropped, and every group gives at
most `limit` hits (with how many matched in all).

Ranking, best first: the whole title equals the query; the title starts with it; a word of the
title starts with it; the title contains it; every word of the query is in the title (any
order). Ties go to the shorter title, then to the title in alphabetical order, so the same
query always lists the same hits in the same order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence
from urllib.parse import quote, urlencode

from dashboard.domain.models import Achievement, Post
from dashboard.services.wallboard import Playlist

MAX_QUERY = 100
"""Characters of a query that count (a title is at most 255; nobody types more to find one)."""
MAX_WORDS = 8
MAX_SCAN = 20_000
"""Characters of what was sent that are read at all (the request's size limit is larger)."""
LIMIT = 8
"""Hits per group, as in VS Code's and GitHub's palettes: the rest is said as a count."""
POST_TITLE_CHARS = 120

GROUPS = ("Pages", "Wallboards", "Achievements", "Posts")
"""The groups, in the order the palette shows them."""


@dataclass(frozen=True)
class Target:
    """Something the palette can open: its title, where it goes and a line of detail."""

    title: str
    href: str
    detail: str = ""
    aliases: tuple[str, ...] = ()
    """Other names it is found by, after the titles that match ("ops" for the Operations board)."""


@dataclass(frozen=True)
class Hit:
    target: Target
    parts: tuple[tuple[str, bool], ...]
    """The title cut where the query matched: (text, matched) pieces, to highlight."""


@dataclass(frozen=True)
class Group:
    name: str
    hits: tuple[Hit, ...]
    total: int
    """How many matched, of which `hits` are the best `limit`."""
    note: str = ""
    """Why the group may be incomplete ("posts are unavailable: …"), said under its heading."""


@dataclass(frozen=True)
class Results:
    query: str
    """The query as it was searched (cleaned and cut), to say back ("No matches for …")."""
    groups: tuple[Group, ...]
    cut: bool = False
    """True when the query was longer than `MAX_QUERY` characters or `MAX_WORDS` words."""

    @property
    def empty(self) -> bool:
        return not any(group.hits for group in self.groups)


def clean_query(text: object) -> tuple[str, bool]:
    """(the query to search, whether it was cut): any value in, a short plain string out."""
    if not isinstance(text, str):
        return "", False
    raw = text[:MAX_SCAN]
    # Control, formatting (zero-width, bidi), surrogate and unassigned characters match nothing;
    # they go before the query is cut, so a run of them cannot hide what follows.
    kept = "".join(" " if ch.isspace() else ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch.isspace())
    words = unicodedata.normalize("NFC", kept).split()
    joined = " ".join(words[:MAX_WORDS])
    cut = len(raw) < len(text) or len(words) > MAX_WORDS or len(joined) > MAX_QUERY
    joined = joined[:MAX_QUERY].rstrip()
    return joined, cut and bool(joined)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _rank(title: str, query: str, words: Sequence[str]) -> Optional[int]:
    """0 (best) to 4, or None when the title does not match."""
    folded = _fold(title)
    if folded == query:
        return 0
    if folded.startswith(query):
        return 1
    at = folded.find(query)
    if at > 0 and not folded[at - 1].isalnum():
        return 2
    if at > 0:
        return 3
    if len(words) > 1 and all(word in folded for word in words):
        return 4
    return None


def _parts(title: str, words: Sequence[str]) -> tuple[tuple[str, bool], ...]:
    """`title` in pieces, the place where each of `words` matched marked (case ignored): its first
    occurrence at the start of a word, else its first; one mark a word, as the ranking read it."""
    spans = []
    for word in words:
        found = [m.span() for m in re.finditer(re.escape(word), title, flags=re.IGNORECASE) if m.end() > m.start()]
        starts = [span for span in found if span[0] == 0 or not title[span[0] - 1].isalnum()]
        if found:
            spans.append((starts or found)[0])
    pieces: list[tuple[str, bool]] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue  # overlaps a mark already made
        if start > last:
            pieces.append((title[last:start], False))
        pieces.append((title[start:end], True))
        last = end
    if last < len(title):
        pieces.append((title[last:], False))
    return tuple(pieces) or ((title, False),)


def _group(name: str, targets: Iterable[Target], query: str, limit: int, note: str = "") -> Group:
    if not query:
        every = list(targets)
        return Group(name, tuple(Hit(t, ((t.title, False),)) for t in every[:limit]), len(every), note)
    folded = _fold(query)
    words = folded.split()
    ranked = []
    for target in targets:
        rank = _rank(target.title, folded, words)
        if rank is None and any(_rank(alias, folded, words) is not None for alias in target.aliases):
            rank = 5
        if rank is not None:
            ranked.append((rank, len(target.title), _fold(target.title), target))
    ranked.sort(key=lambda entry: entry[:3])
    # The query is marked where the title holds it whole, else each of its words.
    hits = tuple(
        Hit(target, _parts(target.title, [query] if rank < 4 else query.split()))
        for rank, _, _, target in ranked[:limit]
    )
    return Group(name, hits, len(ranked), note)


def post_title(post: Post) -> str:
    """What a post is called: its hook, else its body's first line, else its number."""
    for text in (post.hook, post.body):
        line = next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")
        if line:
            return line if len(line) <= POST_TITLE_CHARS else line[: POST_TITLE_CHARS - 1].rstrip() + "…"
    return f"Post #{post.id}"


def grid_search_link(title: str, link: str) -> str:
    """The grid (`link`, its path) searching `title`: how an achievement is opened from elsewhere."""
    return f"{link}?{urlencode({'q': title[:MAX_QUERY]})}"


def achievement_target(achievement: Achievement, link: str) -> Target:
    """An achievement opens the grid searching its title (`link` is the grid's path)."""
    return Target(
        achievement.title,
        grid_search_link(achievement.title, link),
        f"{achievement.category} · completed {achievement.completed_at:%Y-%m-%d}",
    )


def post_target(post: Post, link: str) -> Target:
    platforms = ", ".join(post.platforms) if post.platforms else "no platform"
    return Target(post_title(post), f"{link}?post={post.id}", f"{post.status} · {platforms}")


def wallboard_targets(profiles: Mapping[str, Playlist], link: str = "/wallboard") -> list[Target]:
    """The default playlist (`link`) and each named profile (`link/<name>`), by title."""
    targets = [Target("Wallboard", link, "the default playlist", ("tv", "kiosk"))]
    for name, playlist in profiles.items():
        views = len(playlist.views)
        targets.append(
            Target(
                f"{playlist.title} wallboard",
                f"{link}/{quote(name, safe='')}",
                f"{name} · {views} view" + ("s" if views != 1 else ""),
                (name,),
            )
        )
    return targets


def search(
    text: object,
    *,
    pages: Sequence[Target] = (),
    wallboards: Sequence[Target] = (),
    achievements: Optional[Sequence[Achievement]] = None,
    posts: Optional[Sequence[Post]] = None,
    achievements_note: str = "",
    posts_note: str = "",
    achievements_link: str = "/achievements",
    content_link: str = "/content",
    limit: int = LIMIT,
) -> Results:
    """Every group's best hits for `text` (any value; see `clean_query`). With an empty query
    the pages and wallboards are listed as they are (a menu), and no record is.

    `achievements` / `posts` of None mean the data set could not be read: its group is empty and
    carries the note given (the palette says it, never "no matches" where it could not look)."""
    query, cut = clean_query(text)
    limit = max(1, min(int(limit), 50))
    groups = [
        _group("Pages", pages, query, limit),
        _group("Wallboards", wallboards, query, limit),
    ]
    if query:
        records: tuple[tuple[str, Optional[Sequence[Any]], str, Callable[[Any], Target]], ...] = (
            ("Achievements", achievements, achievements_note, lambda a: achievement_target(a, achievements_link)),
            ("Posts", posts, posts_note, lambda p: post_target(p, content_link)),
        )
        for name, items, note, target_of in records:
            targets = (target_of(item) for item in items or ())
            groups.append(_group(name, targets, query, limit, note if items is None else ""))
    return Results(query, tuple(groups), cut)
