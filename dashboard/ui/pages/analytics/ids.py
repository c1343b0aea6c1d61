"""Every component id of the Analytics page, each prefixed `analytics-`."""

PAGE = "analytics"
OUTAGES = f"{PAGE}-outages"  # components.outages.outage_slot(PAGE)

# The header and the filter bar
SUMMARY = "analytics-summary"
SUMMARY_COUNT = "analytics-summary-count"
RANGE = "analytics-range"
"""The store of the navbar's range as this page shows it (a drag across a time chart reads it)."""
CATEGORY = "analytics-category"
PUBLISHED = "analytics-published"
RESET = "analytics-reset"
FILTER_PROBLEMS = "analytics-filter-problems"

# Stores, the page's own location and the download
LOCATION = "analytics-location"
FILTERS = "analytics-filters"
"""The filters the page was built from (Filters.query()), as the URL gave them."""
DOWNLOAD = "analytics-download"
EXPORT = "analytics-export"
"""The type of the charts' pattern-matching CSV buttons: `{"type": EXPORT, "chart": <key>}`."""

# The platform tile's own parts
PLATFORM_NOTES = "analytics-platform-notes"
PLATFORM_FRESHNESS = "analytics-platform-freshness"
PLATFORM_STATUS = "analytics-platform-status"
PLATFORM_REASON = "analytics-platform-reason"
PLATFORM_FACTS = "analytics-platform-facts"


def tile_id(key: str) -> str:
    """The tile of chart `key` (a key of view.FIGURES): `<tile>-card`, `-graph` and a freshness line."""
    return f"{PAGE}-{key}"


def export_button(key: object) -> dict:
    """The CSV button of chart `key` (or a wildcard: `dash.ALL`)."""
    return {"type": EXPORT, "chart": key}
