"""Achievements as grid rows: the row shape, the filtered-view summary, and the CSV columns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from dashboard.domain.business_value import (
    DEFAULT_CURRENCY,
    MoneyTotal,
    ValueReading,
    format_money,
    unreadable_reason,
)
from dashboard.domain.models import Achievement
from dashboard.services.achievements.grid_query import Row

TEXT_COLUMNS = frozenset({"title", "category", "tags", "source", "source_type", "description"})
NUMBER_COLUMNS = frozenset({"id", "business_value", "impact_score", "complexity_score", "time_saved_hours"})
DATE_COLUMNS = frozenset({"completed_at", "updated_at"})
BOOLEAN_COLUMNS = frozenset({"portfolio_ready"})
SEARCH_FIELDS = ("title", "description", "category", "tags", "source")
CSV_COLUMNS = (
    "id",
    "title",
    "category",
    "completed_at",
    "business_value",
    "business_value_currency",
    "business_value_upper",
    "business_value_read_as",
    "business_value_raw",
    "impact_score",
    "complexity_score",
    "portfolio_ready",
    "tags",
    "time_saved_hours",
    "source",
    "source_url",
)


def grid_row(a: Achievement, currency: str = DEFAULT_CURRENCY) -> Row:
    """One row as the grid shows and edits it: the business value as an amount in its own
    currency (bare numbers in `currency`) with how it was read, tags as text."""
    reading = a.value_reading(currency)
    return {
        "id": a.id,
        "title": a.title,
        "category": a.category,
        "completed_at": a.completed_at.isoformat(timespec="seconds"),
        "business_value": None if reading is None else reading.amount,
        "business_value_currency": None if reading is None else reading.currency,
        "business_value_upper": None if reading is None else reading.upper,
        # What a person checks the number against: "read as $102,500 from “about $102,500/yr”".
        "business_value_read_as": _read_as(a.business_value, reading),
        "business_value_raw": a.business_value,
        "impact_score": a.impact_score,
        "complexity_score": a.complexity_score,
        "portfolio_ready": a.portfolio_ready,
        "tags": ", ".join(a.tags),
        "time_saved_hours": a.time_saved_hours,
        "source": a.source_id or a.source_type,
        "source_type": a.source_type,
        "source_url": a.source_url,
        "description": a.description,
        "updated_at": stamp(a),
    }


def _read_as(raw: Optional[str], reading: Optional[ValueReading]) -> Optional[str]:
    """How the amount was read from `raw`, or why none was (a reading always has text to quote)."""
    if reading is None or raw is None:
        return unreadable_reason(raw)
    return reading.describe(raw)


def stamp(a: Achievement) -> Optional[str]:
    """The version a row was read at; an edit sends it back so concurrent changes are detected."""
    return a.updated_at.isoformat() if a.updated_at else None


@dataclass(frozen=True)
class ViewSummary:
    count: int
    total_value: float
    """In `money.currency`; amounts in other currencies are in `money.other`, never added."""
    published: int
    average_value: Optional[float]
    """Of the rows whose amount is in the main currency."""
    money: MoneyTotal = MoneyTotal(0.0, DEFAULT_CURRENCY, 0)

    def total_text(self) -> str:
        # Rows none of which has a readable amount total to "unknown", not to $0.
        return format_money(self.total_value if self.money.known else None, currency=self.money.currency)

    def average_text(self) -> str:
        return format_money(self.average_value, currency=self.money.currency)


def summarise(rows: Iterable[Row], currency: str = DEFAULT_CURRENCY) -> ViewSummary:
    count, total, published, valued, unreadable, ranges = 0, 0.0, 0, 0, 0, 0
    other: dict[str, float] = {}
    for row in rows:
        count += 1
        published += bool(row["portfolio_ready"])
        amount, code = row["business_value"], row.get("business_value_currency") or currency
        if amount is None:
            unreadable += 1
        elif code == currency:
            total += amount
            valued += 1
            ranges += row.get("business_value_upper") is not None
        else:
            other[code] = other.get(code, 0.0) + amount
    money = MoneyTotal(total, currency, valued, other, unreadable, ranges)
    return ViewSummary(count, total, published, total / valued if valued else None, money)
