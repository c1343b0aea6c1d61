"""Deterministic sample data for the embedded store: what a newcomer sees with no backend.

`generate_sample(now)` builds a year of achievements of the threads-agent stack, two months of
content posts and an orchestrator metrics summary, in the shapes of ../shared/CONTRACT.md and of
the recorded achievement-collector responses. The same `now` and `seed` always give the same
data, so tests, screenshots and several gunicorn workers seeding at once all agree.

Standard library only (plus the domain constants): no Dash, no Flask, no clock, no I/O.

Where each part lives
  generator.py       generate_sample and SampleData: one random stream per part, so changing how
                     posts are drawn leaves the achievements unchanged
  achievements.py    a year of achievements: completion times, sources, scores, portfolio marks
  texts.py           their words: context, approach, business value forms, AI analyses
  calculations.py    the collector's server calculations in metrics_after (ROI, savings)
  topics.py          every topic and the picker that makes unique titles from them; the topics
                     themselves in topics_shipping.py, topics_quality.py and topics_outreach.py
  measures.py        the number a title is built around, drawn before and after
  posts.py           two months of content posts about recent achievements
  system_metrics.py  the orchestrator's metrics summary
"""

from dashboard.sources.embedded.sample_data.achievements import (
    ACHIEVEMENT_COUNT,
    BUSINESS_VALUE_FORMS,
    CATEGORY_COUNTS,
    HISTORY_DAYS,
    PORTFOLIO_SHARE,
    REPO_URL,
)
from dashboard.sources.embedded.sample_data.generator import SampleData, generate_sample
from dashboard.sources.embedded.sample_data.posts import POST_COUNT, POST_HISTORY_DAYS

__all__ = [
    "ACHIEVEMENT_COUNT",
    "BUSINESS_VALUE_FORMS",
    "CATEGORY_COUNTS",
    "HISTORY_DAYS",
    "PORTFOLIO_SHARE",
    "POST_COUNT",
    "POST_HISTORY_DAYS",
    "REPO_URL",
    "SampleData",
    "generate_sample",
]
