"""The Achievements page built from a link (gridstate.py): its controls, columns and grid filters
take the link's state; a hostile link is ignored with a notice, never an error."""

from __future__ import annotations

import pytest

from dashboard.ui.pages.achievements import ids
from tests.components import in_request, load_page, text_of, walk


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return load_page("achievements", tmp_path_factory.mktemp("data"))


def by_id(layout, component_id):
    return next(c for c in walk(layout) if getattr(c, "id", None) == component_id)


def test_the_page_is_built_from_the_link(page):
    layout = in_request(
        page.layout,
        **{
            "sort": "-impact_score,title",
            "q": "redis",
            "published": "1",
            "category": "security",
            "f.impact_score": "greaterThan:50",
            "cols": "title,impact_score",
        },
    )
    grid = by_id(layout, ids.GRID)
    columns = {c.get("field", c.get("colId")): c for c in grid.columnDefs}
    assert (columns["impact_score"]["sort"], columns["impact_score"]["sortIndex"]) == ("desc", 0)
    assert (columns["title"]["sort"], columns["title"]["sortIndex"]) == ("asc", 1)
    assert columns["completed_at"]["sort"] is None  # the default sort gave way
    assert columns["tags"]["hide"] and not columns["impact_score"].get("hide")
    assert grid.filterModel == {"impact_score": {"filterType": "number", "type": "greaterThan", "filter": 50.0}}
    assert by_id(layout, ids.SEARCH).value == "redis"
    assert by_id(layout, ids.PUBLISHED_ONLY).value == ["yes"]
    assert by_id(layout, ids.CATEGORY_FILTER).value == ["security"]
    assert by_id(layout, ids.COLUMN_CHOOSER).value == ["title", "impact_score"]
    assert by_id(layout, ids.LINK_PROBLEMS).is_open is False


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"sort": "-nope"}, "sort by “nope” ignored: no such column."),
        ({"f.title": "bogus:1"}, "f.title=“bogus:1” ignored"),
        ({"f.impact_score": "greaterThan:NaN"}, "needs a number"),
        ({"category": "<script>"}, "category=“<script>” ignored: not a category."),
        ({"q": "é" * 10_000}, "q is too long (10,000 characters, at most 500): search ignored."),
        ({"cols": "title,%00"}, "cols: “%00” ignored: no such column."),
    ],
)
def test_a_hostile_link_opens_the_page_with_a_notice(page, query, said):
    layout = in_request(page.layout, **query)
    notice = by_id(layout, ids.LINK_PROBLEMS)
    assert notice.is_open and said in text_of(notice)
    assert by_id(layout, ids.GRID).columnDefs  # the grid is there, on its defaults


@pytest.mark.parametrize(
    ("categories", "search", "columns", "said"),
    [
        (["security"] * 1000, None, None, "set filter on column 'category' has 1,000 values (at most 50)"),
        ([1, {"a": 2}], None, None, "set filter on column 'category' needs a list of strings"),
        (None, "x" * 10_000, ["z" * 10_000], "search is too long"),
    ],
)
def test_hostile_controls_give_a_refusal_in_words_not_a_500(page, categories, search, columns, said):
    from dashboard.ui.pages.achievements import rows

    request = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    answer = in_request(rows.load_rows, request, search, None, None, categories, None, columns)
    assert answer["rows"] == {"rowData": [], "rowCount": 0}
    assert said in text_of(answer["overlay"])
    assert answer["url"]["query"].startswith("sort=none")  # what can be said of the view still is


def test_an_empty_view_names_the_filters_that_hide_its_rows(page):
    from dashboard.ui.pages.achievements import rows

    request = {
        "startRow": 0,
        "endRow": 100,
        "filterModel": {"impact_score": {"filterType": "number", "type": "greaterThan", "filter": 100}},
    }
    answer = in_request(rows.load_rows, request, "redis", ["yes"], None, ["security"], None, None)
    assert answer["rows"]["rowCount"] == 0
    assert text_of(answer["overlay"]) == (
        "No rows match:  search “redis”, category is security, published only, impact > 100. Clear all filters"
    )
    assert [c for c in text_of(answer["chips"], "|").split("|") if c.strip() not in ("", "×")][:2] == [
        "Filters:",
        "Search “redis”",
    ]
