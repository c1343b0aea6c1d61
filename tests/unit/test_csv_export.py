"""The one CSV writer: one rule for numbers, dates and empty cells, and the formula guard."""

import csv
import io
from datetime import date, datetime

from dashboard.infra.csv_export import csv_cell, to_csv
from dashboard.services.achievements.rows import CSV_COLUMNS


def test_one_rule_for_every_cell():
    assert [csv_cell(v) for v in (12500.0, 2.5, -3.0, 7, True)] == [12500, 2.5, -3, 7, True]
    assert [csv_cell(v) for v in (None, float("nan"), float("inf"))] == ["", "", ""]
    assert csv_cell(datetime(2026, 1, 31, 9, 30, 0, 123)) == "2026-01-31T09:30:00"
    assert csv_cell(date(2026, 1, 31)) == "2026-01-31"
    assert [csv_cell(t) for t in ("=1+1", "-2", "@x", "\tx", "plain")] == ["'=1+1", "'-2", "'@x", "'\tx", "plain"]


def test_the_grid_and_a_chart_write_the_same_value_alike():
    grid = to_csv([{"id": 1, "business_value": 12500.0, "business_value_upper": None}], CSV_COLUMNS)
    row = next(csv.DictReader(io.StringIO(grid)))
    assert (row["business_value"], row["business_value_upper"], row["title"]) == ("12500", "", "")
    chart = to_csv([{"month": "2026-01", "value": 12500.0}], ("month", "value"))
    assert chart.splitlines() == ["month,value", "2026-01,12500"]
