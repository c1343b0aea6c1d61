"""Achievements as grid rows: the row shape, the filtered-view summary, and the CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Iterable, Optional

from dashboard.models import Achievement

TEXT_COLUMNS = frozenset({"title", "category", "tags", "source", "source_type", "description"})
NUMBER_COLUMNS = frozenset({"id", "business_value", "impact_score", "complexity_score", "time_saved_hours"})
DATE_COLUMNS = frozenset({"completed_at", "updated_at"})
BOOLEAN_COLUMNS = frozenset({"portfolio_ready"})
SEARCH_FIELDS = ("title", "description", "category", "tags", "source")
CSV_COLUMNS = (
    "id", "title", "category", "completed_at", "business_value", "business_value_raw", "impact_score",
    "complexity_score", "portfolio_ready", "tags", "time_saved_hours", "source", "source_url",
)


def grid_row(a: Achievement) -> dict:
    """One row as the grid shows and edits it: the business value as an amount, tags as text."""
    return {
        "id": a.id,
        "title": a.title,
        "category": a.category,
        "completed_at": a.completed_at.isoformat(timespec="seconds"),
        "business_value": a.value_amount,
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


def stamp(a: Achievement) -> Optional[str]:
    """The version a row was read at; an edit sends it back so concurrent changes are detected."""
    return a.updated_at.isoformat() if a.updated_at else None


@dataclass(frozen=True)
class ViewSummary:
    count: int
    total_value: float
    published: int
    average_value: Optional[float]


def summarise(rows: Iterable[dict]) -> ViewSummary:
    count, total, published, valued = 0, 0.0, 0, 0
    for row in rows:
        count += 1
        published += bool(row["portfolio_ready"])
        if row["business_value"] is not None:
            total += row["business_value"]
            valued += 1
    return ViewSummary(count, total, published, total / valued if valued else None)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> object:
    """A CSV cell a spreadsheet shows as written: it runs a cell that starts like a formula,
    and backend text (titles, tags) must stay text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(row.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()
