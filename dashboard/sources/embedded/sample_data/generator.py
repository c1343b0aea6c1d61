"""The entry point: generate_sample(now, seed), one random stream per part of the data set."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from dashboard.sources.embedded.sample_data.achievements import _achievements
from dashboard.sources.embedded.sample_data.posts import _posts
from dashboard.sources.embedded.sample_data.system_metrics import _system_metrics


@dataclass(frozen=True)
class SampleData:
    """One sample data set: achievements (oldest id first), posts (newest first), metrics."""

    achievements: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    system_metrics: dict[str, Any]


def generate_sample(now: datetime, seed: int = 2026) -> SampleData:
    """The sample data set as of `now` (naive UTC); the same arguments give the same data."""
    now = _naive_utc(now)
    # One stream per part, so changing how posts are drawn leaves the achievements unchanged.
    achievements = _achievements(random.Random(f"{seed}/achievements"), now)
    posts = _posts(random.Random(f"{seed}/posts"), now, achievements)
    metrics = _system_metrics(random.Random(f"{seed}/metrics"), now)
    return SampleData(achievements=achievements, posts=posts, system_metrics=metrics)


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment
