"""The grid's columns: what each shows, how it is formatted and which ones a person may edit."""

from __future__ import annotations

from dashboard.charts.palette import browser_colours
from dashboard.services.achievements.edits import FIELD_LABELS

BLOCK_SIZE = 100

# assets/dashAgGridFunctions.js: the amount in its own currency, a range with both bounds.
_MONEY = {"function": "moneyCell(params)"}

_DATE = {"function": "params.value ? params.value.slice(0, 10) : ''"}
_LINK = {"function": "params.value"}

# The editors hold no limits of their own (no min, max or maxLength): a value the browser refused
# or cut would be put back or saved without a word. Every value goes to the server, which saves
# it or says, in the column's own name, what is wrong and what is accepted.
EDITOR_MAX_TEXT = 100_000
"""Only a bound against a runaway paste; the server refuses a title over 255 characters."""
L = FIELD_LABELS
TITLE_WIDTH = 300
"""The Title column's width on a desk; a phone's is set in the browser."""
COLUMNS = [
    {
        "field": "title",
        "headerName": L["title"],
        "pinned": "left",
        "editable": True,
        # Long titles are cut with a tooltip. On a desk Title takes the room the other columns
        # leave, never under TITLE_WIDTH (assets/achievements.js, fillTitle: a pinned column
        # does not flex). On a phone the grid narrows it once its rows are drawn (fitTitle),
        # so that the business value (the next column) and the row's checkbox still show beside it.
        "width": TITLE_WIDTH,
        "minWidth": 150,
        "filter": "agTextColumnFilter",
        "cellEditor": "agLargeTextCellEditor",
        "cellEditorParams": {"maxLength": EDITOR_MAX_TEXT},
        "tooltipField": "title",
    },
    {
        "field": "business_value",
        "headerName": L["business_value"],
        "editable": True,
        "width": 150,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "valueFormatter": _MONEY,
        "tooltipField": "business_value_read_as",
        "cellEditor": "agNumberCellEditor",
    },
    {
        "field": "category",
        "headerName": "Category",
        # Filtered by the checklist above the grid (a set filter, gridstate.py), not here.
        "filter": False,
        "width": 150,
        # The charts' own colours, sent with the column: the browser keeps no copy of the map.
        "cellRenderer": "CategoryChip",
        "cellRendererParams": {"colours": browser_colours()},
    },
    {
        "field": "completed_at",
        "headerName": "Completed",
        "filter": "agDateColumnFilter",
        "width": 145,  # room for the word beside the sort and filter icons
        "valueFormatter": _DATE,
        "sort": "desc",
    },
    {
        "field": "impact_score",
        "headerName": L["impact_score"],
        "editable": True,
        # A score never given is unknown: "—", not an empty cell, never 0.
        "valueFormatter": {"function": "params.value == null ? '—' : String(params.value)"},
        "width": 125,  # room for the word beside the sort and filter icons
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "cellEditor": "agNumberCellEditor",
    },
    {
        "field": "complexity_score",
        "headerName": L["complexity_score"],
        "editable": True,
        "width": 120,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "cellEditor": "agNumberCellEditor",
    },
    {
        "field": "portfolio_ready",
        "headerName": L["portfolio_ready"],
        "editable": True,
        "width": 115,
        "cellDataType": "boolean",
        "cellRenderer": "agCheckboxCellRenderer",
        "cellEditor": "agCheckboxCellEditor",
    },
    {
        "field": "tags",
        "headerName": L["tags"],
        "editable": True,
        "filter": "agTextColumnFilter",
        "minWidth": 180,
        "tooltipField": "tags",
    },
    {
        "field": "time_saved_hours",
        "headerName": L["time_saved_hours"],
        "editable": True,
        "width": 135,
        "filter": "agNumberColumnFilter",
        "type": "rightAligned",
        "cellEditor": "agNumberCellEditor",
    },
    {
        "field": "source",
        "headerName": "Source",
        "width": 150,
        "filter": "agTextColumnFilter",
        "cellRenderer": "SourceLink",
    },
    {
        "colId": "details",
        "headerName": "",
        "width": 100,
        "pinned": "right",
        "sortable": False,
        "resizable": False,
        "cellRenderer": "DetailsButton",
    },
]
