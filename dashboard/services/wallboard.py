"""Wallboard playlists: parsing `?views=` and the named profiles of wallboards.yaml.

A playlist is a list of views, each a page shown for some seconds with an optional time range.
Wrong entries are reported and dropped; the rest still play, so a typo never blanks a TV.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import yaml

from dashboard.domain.kpis import RANGES

VIEWS = ("overview", "achievements-kpis", "system", "content", "analytics", "activity")
MIN_SECONDS, MAX_SECONDS = 5, 3600
DEFAULT_PLAYLIST = "overview:30:30d,achievements-kpis:20:all,system:15"
PROFILES_FILE = Path(__file__).resolve().parent.parent / "wallboards.yaml"


@dataclass(frozen=True)
class View:
    view: str
    seconds: int
    range: Optional[str] = None

    def as_dict(self) -> dict[str, Any]:
        """The view as JSON for the browser's store: {"view", "seconds", "range"}."""
        return {"view": self.view, "seconds": self.seconds, "range": self.range}


@dataclass(frozen=True)
class Playlist:
    title: str
    views: tuple[View, ...]
    problems: tuple[str, ...] = ()


def _view(name: object, seconds: object, range_key: object) -> View:
    name = str(name).strip().lower()
    if name not in VIEWS:
        raise ValueError(f"unknown view {name[:30]!r} (accepted: {', '.join(VIEWS)})")
    try:
        duration = int(str(seconds).strip())
    except ValueError:
        raise ValueError(f"{name}: {str(seconds)[:20]!r} is not a number of seconds") from None
    if not MIN_SECONDS <= duration <= MAX_SECONDS:
        raise ValueError(f"{name}: {duration} s is outside {MIN_SECONDS}–{MAX_SECONDS} s")
    if range_key in (None, ""):
        return View(name, duration)
    key = str(range_key).strip().lower()
    if key not in RANGES:
        raise ValueError(f"{name}: range {key[:20]!r} is not one of {', '.join(RANGES)}")
    return View(name, duration, key)


def parse_views(text: Union[str, Sequence[str], None], *, title: str = "Wallboard") -> Playlist:
    """`overview:30:7d,system:15` -> a playlist; bad entries become problems, not failures.

    A repeated parameter (`?views=a&views=b`, which Dash passes as a list) reads as `a,b`.
    """
    views, problems = [], []
    if text is not None and not isinstance(text, str):
        text = ",".join(str(part) for part in text)
    for entry in (text or DEFAULT_PLAYLIST).split(","):
        if not entry.strip():
            continue
        parts = entry.strip().split(":")
        if len(parts) < 2 or len(parts) > 3:
            problems.append(f"{entry.strip()[:40]!r}: write view:seconds or view:seconds:range")
            continue
        try:
            views.append(_view(parts[0], parts[1], parts[2] if len(parts) == 3 else None))
        except ValueError as exc:
            problems.append(str(exc))
    if not views:
        problems.append(f"no playable view; showing the default playlist ({DEFAULT_PLAYLIST})")
        return Playlist(title, parse_views(DEFAULT_PLAYLIST).views, tuple(problems))
    return Playlist(title, tuple(views), tuple(problems))


def stored_views(items: object) -> tuple[View, ...]:
    """The views a wallboard page keeps in its store (`View.as_dict` each), read again by the
    rules of `?views=`: the server never trusts a playlist back from the browser. Entries it
    cannot play are dropped; with none left (an empty or tampered list) the default plays."""
    views = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            views.append(_view(item.get("view"), item.get("seconds"), item.get("range")))
        except ValueError:
            continue
    return tuple(views) or parse_views(DEFAULT_PLAYLIST).views


def load_profiles(path: Path = PROFILES_FILE) -> dict[str, Playlist]:
    """Every named profile of the YAML file; a broken entry is reported on that profile."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected profile names mapped to title and views, got {type(data).__name__}")
    profiles = {}
    for name, body in data.items():
        body = body or {}
        views, problems = [], []
        if not isinstance(body, dict):
            body, problems = {}, [f"profile {str(name)[:30]!r} is not a mapping of title and views"]
        items = body.get("views") or []
        if not isinstance(items, list):
            items, problems = [], problems + ["views must be a list of {view, seconds, range}"]
        for item in items:
            try:
                views.append(_view(item.get("view"), item.get("seconds"), item.get("range")))
            except (ValueError, AttributeError) as exc:
                problems.append(str(exc))
        if not views:  # the page plays the first view: an empty profile would fail to render
            problems.append(f"no playable view; showing the default playlist ({DEFAULT_PLAYLIST})")
            views = list(parse_views(DEFAULT_PLAYLIST).views)
        profiles[str(name)] = Playlist(str(body.get("title") or name), tuple(views), tuple(problems))
    return profiles


def profile(name: str, path: Path = PROFILES_FILE) -> Optional[Playlist]:
    return load_profiles(path).get(name)
