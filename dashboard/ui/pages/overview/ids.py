"""Every component id of the Overview page, each prefixed `overview-`."""

PAGE = "overview"
OUTAGES = f"{PAGE}-outages"  # components.outages.outage_slot(PAGE)
RANGE = "overview-range"
RANGE_PROBLEM = "overview-range-problem"
RANGE_LABEL = "overview-range-label"
DRAWN = "overview-drawn"

VALUE = "overview-value"
COMPLETED = "overview-completed"
IMPACT = "overview-impact"
PUBLISHED = "overview-published"
PIPELINE = "overview-pipeline"
KPI_TILES = (VALUE, COMPLETED, IMPACT, PUBLISHED, PIPELINE)
"""KPI cards (components.tiles.kpi_card): `<tile>-value`, `-delta`, `-card`, and `-note` for VALUE."""
ACHIEVEMENT_KPIS = KPI_TILES[:4]
SPARK_TILES = ACHIEVEMENT_KPIS
"""Cards with a sparkline of the range (`<tile>-spark`)."""
TARGET_TILES = (VALUE, IMPACT)
"""Cards measured against a configured target (`<tile>-target`)."""

TREND = "overview-trend"
CATEGORIES = "overview-categories"
NEWEST = "overview-newest"
NEWEST_LIST = "overview-newest-list"
