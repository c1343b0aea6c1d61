"""The one CSV writer of the dashboard's exports (the Achievements grid, every Analytics chart).

One rule for every cell, whichever export writes it:

* a number as a spreadsheet reads it back: a whole float as an integer (12500.0 -> 12500),
  any other as Python writes it (2.5); NaN and infinities, which no spreadsheet reads, as empty
  cells. True and False stay words.
* a date as ISO 8601 (2026-01-31), a date and time to the second (2026-01-31T09:30:00).
* None as an empty cell.
* text that starts like a formula (= + - @, a tab or a carriage return) behind an apostrophe:
  a spreadsheet runs such a cell, and backend text (titles, tags) must stay text.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime
from typing import Any, Iterable, Mapping, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """`text` as a spreadsheet shows it, never runs it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_cell(value: Any) -> Any:
    """`value` as the CSV writer should write it, by the rule above."""
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return int(value) if value.is_integer() else value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A header of `columns`, then a line per row with its value in each (empty when missing)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return out.getvalue()
