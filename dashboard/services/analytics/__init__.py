"""Data of the Analytics page: its URL filters, and the rows each chart draws and exports.

Pure functions of achievements (and of tech-doc-generator's platform performance), no I/O and
no Dash: filters.py reads and applies the URL's filters, series.py holds the rows of each chart,
charts.py the charts' table, their CSV and the export.
"""

from dashboard.services.analytics.charts import CHARTS, ChartData, chart_rows, export_csv
from dashboard.services.analytics.filters import (
    DEFAULT_RANGE,
    FILTER_KEYS,
    Filters,
    QueryValue,
    apply_filters,
    controls_query,
    merge_search,
    parse_filters,
    previous_period,
    query_from_search,
)
from dashboard.services.analytics.series import (
    PR_SOURCE_TYPE,
    TOP_LIMIT,
    Summary,
    categories_by_month,
    impact_complexity,
    month_of,
    platform_rows,
    pr_timeline,
    summarise,
    time_saved_by_month,
    top_skills_and_tags,
    value_by_month,
)

__all__ = [
    "CHARTS",
    "DEFAULT_RANGE",
    "FILTER_KEYS",
    "PR_SOURCE_TYPE",
    "TOP_LIMIT",
    "ChartData",
    "Filters",
    "QueryValue",
    "Summary",
    "apply_filters",
    "categories_by_month",
    "chart_rows",
    "controls_query",
    "export_csv",
    "impact_complexity",
    "merge_search",
    "month_of",
    "parse_filters",
    "previous_period",
    "platform_rows",
    "pr_timeline",
    "query_from_search",
    "summarise",
    "time_saved_by_month",
    "top_skills_and_tags",
    "value_by_month",
]
