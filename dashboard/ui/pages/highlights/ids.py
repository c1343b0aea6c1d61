"""Every component id of the Highlights screen, each prefixed `highlights-`."""

PAGE = "highlights"
OUTAGES = f"{PAGE}-outages"  # components.outages.outage_slot(PAGE)
RANGE = "highlights-range"
PERIOD = "highlights-period"
VALUE = "highlights-value"
MONTH = "highlights-month"
COMPLETED = "highlights-completed"
FIGURES = (VALUE, MONTH, COMPLETED)
"""The headline figures: `<figure>-value`, `-delta`, `-card` (components.tiles.kpi_card)."""
CATEGORIES = "highlights-categories"
LATEST = "highlights-latest"
