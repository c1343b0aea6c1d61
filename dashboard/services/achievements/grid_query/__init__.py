"""Server-side filtering, quick search, sorting and paging for AG Grid's infinite row model.

The Achievements grid asks for rows with a `getRowsRequest`
(``{"startRow", "endRow", "sortModel", "filterModel"}``); `query` answers it from a list of row
dicts with ``(slice, total after filter + search)``. Everything here mirrors what AG Grid
Community's own text / number / date filters and its sort do client-side with their default
parameters (filters.py and sort.py say how), so switching the grid between the client-side and
the infinite row model does not change results.

Anything the grid should never send (an unknown column, filter type, operator, a bad value)
raises `GridQueryError`, whose message names the problem; the caller shows it in place of the
rows. So does a request larger than the grid ever sends (limits.py): every part of a request is
bounded before any row is read, so no request costs more than a few milliseconds per thousand
rows, whoever sends it. Standard library only: no Dash or Flask here.

- limits.py: the bounds of a request and `GridQueryError`;
- cells.py: `ColumnKinds`, and each cell read as a comparable value;
- filters.py: the filterModel; search.py: the quick search; sort.py: the sortModel;
- request.py: a getRowsRequest checked and answered (`view`, `query`, `block_bounds`).
"""

from dashboard.services.achievements.grid_query.cells import KINDS, ColumnKinds, JsonObject, Row
from dashboard.services.achievements.grid_query.filters import Predicate, filter_rows
from dashboard.services.achievements.grid_query.limits import (
    MAX_BLOCK_ROWS,
    MAX_CONDITIONS,
    MAX_CONDITIONS_PER_COLUMN,
    MAX_DATE_TEXT,
    MAX_FILTER_TEXT,
    MAX_NESTING,
    MAX_NUMBER_TEXT,
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_WORDS,
    MAX_START_ROW,
    GridQueryError,
)
from dashboard.services.achievements.grid_query.request import block_bounds, check_request, page, query, view
from dashboard.services.achievements.grid_query.search import search_rows, search_words
from dashboard.services.achievements.grid_query.sort import sort_rows

__all__ = [
    "KINDS",
    "MAX_BLOCK_ROWS",
    "MAX_CONDITIONS",
    "MAX_CONDITIONS_PER_COLUMN",
    "MAX_DATE_TEXT",
    "MAX_FILTER_TEXT",
    "MAX_NESTING",
    "MAX_NUMBER_TEXT",
    "MAX_SEARCH_LENGTH",
    "MAX_SEARCH_WORDS",
    "MAX_START_ROW",
    "ColumnKinds",
    "GridQueryError",
    "JsonObject",
    "Predicate",
    "Row",
    "block_bounds",
    "check_request",
    "filter_rows",
    "page",
    "query",
    "search_rows",
    "search_words",
    "sort_rows",
    "view",
]
