"""All topics, the measures they use, and the picker that turns them into unique titles."""

from __future__ import annotations

import random
from typing import Any, Iterator

from dashboard.domain.models import CATEGORIES
from dashboard.sources.embedded.sample_data.measures import _draw, _lower, _Topic
from dashboard.sources.embedded.sample_data.topics_outreach import _OUTREACH_TOPICS
from dashboard.sources.embedded.sample_data.topics_quality import _QUALITY_TOPICS
from dashboard.sources.embedded.sample_data.topics_shipping import _SHIPPING_TOPICS

_TOPICS: tuple[_Topic, ...] = _SHIPPING_TOPICS + _QUALITY_TOPICS + _OUTREACH_TOPICS
_MEASURES = {topic.measure.key: topic.measure for topic in _TOPICS}
_SERVICE_CATEGORIES = ("feature", "bugfix", "infrastructure", "architecture", "security", "optimization", "performance")
_ERROR_RATE = _lower("error_rate_pct", "error rate", "{}%", 0.4, 3.0, (0.4, 0.95), 0.01)
_MEASURES[_ERROR_RATE.key] = _ERROR_RATE


class _TitlePicker:
    """Hands out topics per category in a shuffled rotation, with numbers giving unique titles."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._used: set[str] = set()
        self._cycles = {c: self._cycle([t for t in _TOPICS if t.category == c]) for c in CATEGORIES}

    def _cycle(self, topics: list[_Topic]) -> Iterator[_Topic]:
        while True:
            order = topics[:]
            self._rng.shuffle(order)
            yield from order

    def next(self, category: str, progress: float) -> tuple[_Topic, str, dict[str, Any], dict[str, Any], float]:
        cycle = self._cycles[category]
        # Milestones are running totals: later ones must carry bigger numbers.
        grow = progress if category == "milestone" else None
        topic = next(cycle)
        for attempt in range(200):
            if attempt and attempt % 20 == 0:
                topic = next(cycle)  # this topic's number range is worn out
            fields, before, after, pct = _draw(self._rng, topic.measure, grow)
            title = topic.title.format(**fields)
            if title not in self._used:
                self._used.add(title)
                return topic, title, before, after, pct
        raise RuntimeError(f"cannot find a fresh title for {category}")  # pragma: no cover
