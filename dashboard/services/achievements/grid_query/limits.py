"""The bounds of a getRowsRequest, and the one error of a request the grid would never send."""

from __future__ import annotations

from typing import Any

# What the Achievements grid (dash-ag-grid, infinite row model, AG Grid Community's column
# filters) ever sends, with room to spare. Past them a request is not the grid's: it is refused
# with a GridQueryError saying what is too large and the limit, before any row is read (measured
# before these limits: 20,000 OR conditions took 3.4 s of a worker, 20,000 sort entries 3.6 s and
# 200,000 search words 2.7 s, on 180 rows; bench/grid_hostile.py).

MAX_BLOCK_ROWS = 500
"""endRow - startRow: the grid asks for cacheBlockSize rows at a time (100 on the Achievements
page); `query(max_rows=)` lowers it."""
MAX_START_ROW = 10_000_000
"""startRow is a row the grid scrolled to, below the row count: the page is built for 10,000
achievements, and ten million is far past any list it will hold."""
MAX_CONDITIONS_PER_COLUMN = 10
"""A column filter sends at most its maxNumConditions conditions: 2 by default, which the grid's
columns keep; 10 leaves room to raise it."""
MAX_CONDITIONS = 40
"""In the whole filterModel: the grid's 9 filterable columns with 2 conditions each are 18."""
MAX_NESTING = 1
"""A column filter's conditions are combined one level deep ({operator, conditions: [...]});
a combined condition inside another is the Enterprise advanced filter's, which the grid lacks."""
MAX_FILTER_TEXT = 500
"""Characters of a text filter value: typed into a filter box; a title is at most 255."""
MAX_DATE_TEXT = 40
"""Characters of a date filter value: the grid sends 'YYYY-MM-DD hh:mm:ss' (19), an ISO time
with fractions and offset is 32. (Parsed dates are memoised: unbounded texts would fill it.)"""
MAX_NUMBER_TEXT = 40
"""Characters of a number filter value sent as text (the grid sends numbers)."""
MAX_SET_VALUES = 50
"""Values of a set filter (category, source type: a dozen each), the page's checklists send."""
MAX_SEARCH_LENGTH = 500
"""Characters of the quick search, which a person types: twice the longest title."""
MAX_SEARCH_WORDS = 20
"""Words of the quick search, each of which a row must contain: a long sentence."""
# Sort keys: at most one per column (AG Grid's multi-sort sorts each column once), so at most
# the number of columns of the ColumnKinds; a column sorted twice is refused.


class GridQueryError(ValueError):
    """A request the grid should never send (unknown column, filter type or operator).

    The message says what; callers answer it with a 400, never a 500.
    """


def short(value: Any) -> str:
    """A value from the request for an error message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
