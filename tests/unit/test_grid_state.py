"""The Achievements grid's state as a link (services/achievements/grid_state.py): read, written
back the same, hostile parameters ignored with a message, never an exception."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.services.achievements import grid_query
from dashboard.services.achievements.grid_state import (
    COLUMNS,
    DEFAULT_SORT,
    FILTER_KINDS,
    GridState,
    from_view,
    parse_state,
    server_filter_model,
)
from dashboard.services.facade import GRID_KINDS
from tests.unit.test_properties_common import covers, examples, url_text

LINK = {
    "sort": "-impact_score,title",
    "q": "redis cache",
    "category": "performance,security",
    "source_type": "github_pr",
    "published": "1",
    "value": "unreadable",
    "f.impact_score": "inRange:10..50",
    "f.title": ["contains:redis", "notContains:draft"],
    "f.title.join": "or",
    "f.completed_at": "greaterThan:2026-01-01",
    "f.tags": "blank",
    "cols": "title,impact_score,category",
}


def test_a_link_reads_into_the_grid_state_and_back():
    state, problems = parse_state(LINK)
    assert problems == []
    assert state.sort == (("impact_score", True), ("title", False))
    assert state.search == "redis cache" and state.published and state.unreadable
    assert state.set_values("category") == ["security", "performance"]  # the categories' own order
    assert state.columns == ("title", "category", "impact_score")  # the grid's order, Title kept
    assert parse_state(state.query()) == (state, [])
    assert state.filter_model() == {
        "title": {
            "filterType": "text",
            "operator": "OR",
            "conditions": [
                {"filterType": "text", "type": "contains", "filter": "redis"},
                {"filterType": "text", "type": "notContains", "filter": "draft"},
            ],
        },
        "completed_at": {
            "filterType": "date",
            "type": "greaterThan",
            "dateFrom": "2026-01-01 00:00:00",
            "dateTo": None,
        },
        "impact_score": {"filterType": "number", "type": "inRange", "filter": 10.0, "filterTo": 50.0},
        "tags": {"filterType": "text", "type": "blank"},
    }
    # What the grid then asks for reads back as the same state.
    again = from_view(
        {"sortModel": state.sort_model(), "filterModel": state.filter_model()},
        search=state.search,
        published=["yes"],
        unreadable=["yes"],
        sets={"category": ["performance", "security"], "source_type": ["github_pr"]},
        columns=list(state.columns),
    )
    assert again == state


def test_defaults_make_no_parameters_and_an_empty_sort_is_said():
    assert GridState().query() == {}
    assert parse_state({})[0] == GridState()
    unsorted = from_view({"sortModel": []})
    assert unsorted.sort == () and unsorted.query() == {"sort": "none"}
    assert parse_state({"sort": "none"})[0].sort == ()


def test_chips_say_every_filter_and_each_removes_its_own():
    state, _ = parse_state(LINK)
    texts = [chip.text for chip in state.chips()]
    assert texts == [
        "Search “redis cache”",
        "Category is security, performance",
        "Source type is github_pr",
        "Published only",
        "No readable amount",
        "Title contains “redis” or does not contain “draft”",
        "Completed after 2026-01-01",
        "Impact between 10 and 50",
        "Tags is blank",
    ]
    for chip in state.chips():
        rest = state.without(chip.key)
        assert chip.text not in [c.text for c in rest.chips()]
        assert len(rest.chips()) == len(texts) - 1
    cleared = state.cleared()
    assert cleared.chips() == [] and cleared.sort == state.sort and cleared.columns == state.columns


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"sort": "-nope"}, "sort by “nope” ignored: no such column."),
        ({"sort": "title,-title"}, "sort by title is given twice: the first is used."),
        ({"f.password": "contains:x"}, "“f.password” ignored: no filter on such a column."),
        ({"f.title": "regex:.*"}, "f.title=“regex:.*” ignored: “regex” is not one of contains"),
        ({"f.title": "contains:"}, "f.title=“contains:” ignored: nothing to compare with."),
        ({"f.impact_score": "greaterThan:NaN"}, "needs a number (greaterThan:VALUE)"),
        ({"f.impact_score": "greaterThan:1e999"}, "needs a number"),
        ({"f.impact_score": "inRange:5"}, "needs a number (inRange:A..B)"),
        ({"f.completed_at": "equals:2026-02-30"}, "needs a date YYYY-MM-DD"),
        ({"f.title": ["contains:a", "contains:b", "contains:c"]}, "at most 2 conditions"),
        ({"f.title": "contains:a", "f.title.join": "xor"}, "f.title.join=“XOR” ignored"),
        ({"category": "<script>alert(1)</script>"}, "category=“<script>alert(1)</script>” ignored: not a category."),
        ({"source_type": "ftp"}, "source_type=“ftp” ignored: not a source type."),
        ({"published": "maybe"}, "published=“maybe” ignored (use 1 or 0)."),
        ({"value": "all"}, "value=“all” ignored"),
        ({"cols": "title,password"}, "cols: “password” ignored: no such column."),
        ({"q": "x" * 501}, "q is too long (501 characters, at most 500): search ignored."),
        ({"f.title": "contains:" + "x" * 600}, "f.title is too long (609 characters, at most 500): ignored."),
        ({"q": ["a", "b"]}, "q is given 2 times: the first is used."),
    ],
)
def test_a_hostile_parameter_is_ignored_with_a_message(query, said):
    state, problems = parse_state(query)
    assert any(said in p for p in problems), problems
    assert grid_query.filter_rows([], server_filter_model(state.filter_model(), {}), GRID_KINDS) == []


def test_many_bad_parameters_are_said_in_a_few_lines_and_others_left_alone():
    query = {f"f.bad{i}": "x" for i in range(50)} | {"refresh": "60", "kiosk": "1", "from": "2026-01-01"}
    state, problems = parse_state(query)
    assert state == GridState()
    assert len(problems) == 6 and problems[-1] == "… and 45 more ignored."


def test_set_filters_join_the_grid_request_and_grid_query_applies_them():
    rows = [{"category": "security"}, {"category": "Performance"}, {"category": None}, {"category": "bugfix"}]
    model = server_filter_model({"title": {"filterType": "text", "type": "contains", "filter": "x"}}, {})
    assert set(model) == {"title"}
    model = server_filter_model(None, {"category": ["security", "performance"], "source_type": []})
    assert grid_query.filter_rows(rows, model, GRID_KINDS) == rows[:2]
    assert server_filter_model("not a model", {"category": ["security"]}) == "not a model"  # refused downstream


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ("security", "needs a list of strings"),
        ([1, 2], "needs a list of strings"),
        (["x"] * 51, "has 51 values (at most 50)"),
        (["x" * 300, "y" * 300], "is too long"),
    ],
)
def test_a_set_filter_the_page_never_sends_is_refused_in_words(values, said):
    with pytest.raises(grid_query.GridQueryError, match=re.escape(said)):
        grid_query.filter_rows([], {"category": {"filterType": "set", "values": values}}, GRID_KINDS)


def test_from_view_never_fails_on_what_a_browser_may_send():
    for request in (None, [], "x", {"sortModel": "x", "filterModel": []}, {"sortModel": [{"colId": []}]}):
        assert from_view(request, search=5, published="x", sets={"category": "x"}, columns=3).sort == DEFAULT_SORT


grid_keys = st.sampled_from(
    ["sort", "q", "category", "source_type", "published", "value", "cols", "other"]
    + [f"f.{c}" for c in FILTER_KINDS]
    + ["f.title.join", "f.nope"]
)
parts = st.one_of(
    url_text,
    st.lists(url_text, min_size=2, max_size=3),
    st.sampled_from(["contains:a", "inRange:1..2", "greaterThan:2026-01-01", "blank", "-title", "none"]),
)


@given(st.dictionaries(grid_keys, parts, max_size=6))
@examples(300)
@covers("dashboard.services.achievements.grid_state.parse_state")
def test_any_link_gives_a_state_that_reads_back_the_same_and_a_valid_grid_model(query):
    state, problems = parse_state(query)
    assert all(isinstance(p, str) and len(p) < 400 for p in problems)
    assert set(state.columns) <= set(COLUMNS) and "title" in state.columns
    # The canonical link, sent through a real query string, reads back as the same state.
    written = parse_qs(urlencode(state.query(), doseq=True), keep_blank_values=True)
    flat = {k: v[0] if len(v) == 1 else v for k, v in written.items()}
    assert parse_state(flat) == (state, [])
    sets = {column: state.set_values(column) for column in ("category", "source_type")}
    grid_query.filter_rows([], server_filter_model(state.filter_model(), sets), GRID_KINDS)
    grid_query.sort_rows([], state.sort_model(), GRID_KINDS)
