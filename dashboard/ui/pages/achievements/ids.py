"""Every component id of the Achievements page, each prefixed `achievements-`.

The page's modules and its tests use these names, never the strings.
"""

PAGE = "achievements"
RANGE = "achievements-range"
"""The store of the navbar's range: the grid shows the achievements completed in it."""
RANGE_NOTE = "achievements-range-note"
BACK = "achievements-back"
OUTAGES = f"{PAGE}-outages"  # components.outages.outage_slot(PAGE)

# Header controls
SEARCH = "achievements-search"
PUBLISHED_ONLY = "achievements-published-only"
UNREADABLE_ONLY = "achievements-unreadable-only"
ADD_OPEN = "achievements-add-open"
ADD_WRAP = "achievements-add-wrap"  # a disabled button shows no tooltip, its wrapper does
READ_ONLY = "achievements-read-only"

# KPI strip
KPI_COUNT = "achievements-kpi-count"
KPI_VALUE = "achievements-kpi-value"
KPI_VALUE_NOTE = "achievements-kpi-value-note"
KPI_PUBLISHED = "achievements-kpi-published"
KPI_AVERAGE = "achievements-kpi-average"

# Actions above the grid
PUBLISH = "achievements-publish"
UNPUBLISH = "achievements-unpublish"
EXPORT = "achievements-export"
EXPORT_WRAP = "achievements-export-wrap"
UNDO = "achievements-undo"
REDO = "achievements-redo"
RETRY = "achievements-retry"
MESSAGES = "achievements-messages"

# The grid
GRID = "achievements-grid"
GRID_OVERLAY = "achievements-grid-overlay"
GRID_SYNC = "achievements-grid-sync"
GRID_FIT = "achievements-grid-fit"
"""Written once the grid's Title is sized for the screen (assets/achievements.js, fitTitle)."""

# Stores and the download
UNDO_STORE = "achievements-undo-store"
"""The tab's undo/redo history (history.py)."""
PENDING_STORE = "achievements-pending-store"
CONFLICT_STORE = "achievements-conflict-store"
RELOAD = "achievements-reload"
DOWNLOAD = "achievements-download"

# The conflict dialog
CONFLICT_MODAL = "achievements-conflict-modal"
CONFLICT_BODY = "achievements-conflict-body"
CONFLICT_KEEP = "achievements-conflict-keep"
CONFLICT_APPLY = "achievements-conflict-apply"

# The add dialog
ADD_MODAL = "achievements-add-modal"
ADD_TITLE = "achievements-add-title"
ADD_CATEGORY = "achievements-add-category"
ADD_DESCRIPTION = "achievements-add-description"
ADD_STARTED = "achievements-add-started"
ADD_COMPLETED = "achievements-add-completed"
ADD_VALUE = "achievements-add-value"
ADD_IMPACT = "achievements-add-impact"
ADD_SOURCE_TYPE = "achievements-add-source-type"
ADD_SOURCE_URL = "achievements-add-source-url"
ADD_TAGS = "achievements-add-tags"
ADD_PUBLISHED = "achievements-add-published"
ADD_ERRORS = "achievements-add-errors"
ADD_CANCEL = "achievements-add-cancel"
ADD_SUBMIT = "achievements-add-submit"


def feedback(field: str) -> str:
    """The message under an Add form field saying why it was refused (`{field}-feedback`)."""
    return f"{field}-feedback"


# The detail panel
DETAIL_PANEL = "achievements-detail-panel"
DETAIL_META = "achievements-detail-meta"
DETAIL_DESCRIPTION = "achievements-detail-description"
DETAIL_MESSAGE = "achievements-detail-message"
DETAIL_SAVE = "achievements-detail-save"
DETAIL_ROW = "achievements-detail-row"

AUDIT = "achievements-audit"

# The grid's view as a link (gridstate.py)
CATEGORY_FILTER = "achievements-category-filter"
SOURCE_TYPE_FILTER = "achievements-source-type-filter"
COLUMN_CHOOSER = "achievements-columns"
CHIPS = "achievements-chips"
CHIP = "achievements-chip"
"""Pattern-matching type of a chip's remove button: {"type": CHIP, "key": <GridState chip key>}."""
CLEAR_ALL = "achievements-clear-all"
"""Pattern-matching type of the "Clear all" links: {"type": CLEAR_ALL, "where": "chips" | "overlay"}."""
URL_STATE = "achievements-url-state"
URL_WRITTEN = "achievements-url-written"
LINK_PROBLEMS = "achievements-link-problems"
FOOTER = "achievements-footer"
FOOTER_SET = "achievements-footer-set"
COLUMNS_SET = "achievements-columns-set"

# Saved views (saved.py)
VIEWS_LIST = "achievements-views-list"
VIEW_NAME = "achievements-view-name"
VIEW_SAVE = "achievements-view-save"
VIEW_MESSAGE = "achievements-view-message"
VIEW_DELETE = "achievements-view-delete"
"""Pattern-matching type of a saved view's delete button: {"type": VIEW_DELETE, "name": <name>}."""
