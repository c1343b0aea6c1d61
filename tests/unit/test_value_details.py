"""The Details panel says how a business value was read, and from what text (issue 12, item 2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from dashboard.domain.models import Achievement
from dashboard.ui.pages.achievements.view import value_details
from tests.components import text_of

DAY = datetime(2027, 1, 15, 12, 0)


def details_text(business_value) -> str:
    achievement = Achievement(
        id=1,
        title="Cache",
        category="feature",
        started_at=DAY - timedelta(hours=5),
        completed_at=DAY,
        business_value=business_value,
    )
    return text_of(value_details(achievement, "USD"), sep="")


def test_a_read_amount_says_how_and_from_which_text():
    text = details_text("Cut latency 35%, about $102,500/yr in compute")
    assert text.startswith("$102,500 — read as $102,500 from “Cut latency 35%, about $102,500/yr in compute”"), text
    assert text.endswith("Stored text: Cut latency 35%, about $102,500/yr in compute"), text


def test_a_range_says_it_counts_its_lower_bound():
    assert "lower bound of $10,000–$15,000" in details_text("$10-15K")


def test_an_unreadable_text_is_a_dash_with_its_reason_never_zero():
    text = details_text("Saved 120 hours")
    assert text.startswith("— (no amount marked as money"), text
    assert "$0" not in text and "Stored text: Saved 120 hours" in text


def test_no_text_at_all_says_null():
    text = details_text(None)
    assert text.startswith("— (") and text.endswith("Stored text: null"), text
