"""Property tests of the grid's server-side query (issue 6).

Any filterModel / sortModel / getRowsRequest / search text gives rows or a GridQueryError naming
the problem, never another exception; a filter never adds rows, a sort is a permutation, a page
is a slice of at most max_rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from dashboard.services.achievements import grid_query
from dashboard.services.achievements.grid_query import (
    ColumnKinds,
    GridQueryError,
    filter_rows,
    page,
    query,
    search_rows,
    sort_rows,
)
from tests.unit.test_properties_common import anything, covers, examples, json_values

QUERY = "dashboard.services.achievements.grid_query.query"
FILTER = "dashboard.services.achievements.grid_query.filter_rows"
SORT = "dashboard.services.achievements.grid_query.sort_rows"
SEARCH = "dashboard.services.achievements.grid_query.search_rows"
PAGE = "dashboard.services.achievements.grid_query.page"

KINDS = ColumnKinds(
    text=frozenset({"title", "source"}),
    number=frozenset({"impact_score", "value_amount"}),
    date=frozenset({"completed_at"}),
    boolean=frozenset({"portfolio_ready"}),
    tags=frozenset({"tags"}),
)
COLUMNS = KINDS.columns()

iso_texts = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.none() | st.timezones()
    ).map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.sampled_from(
        [
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "2026-02-30",
            "",
            " ",
            "Z",
            "2026-01-01Z",
            "2026-01-01 00:00:00",
        ]
    ),
)
cell_values = {
    "title": st.one_of(st.none(), st.text(max_size=12), st.integers(), st.booleans()),
    "source": st.one_of(st.none(), st.text(max_size=12), st.floats()),
    "impact_score": st.one_of(
        st.none(), st.floats(), st.integers(), st.text(max_size=5), st.booleans(), st.just(10**400)
    ),
    "value_amount": st.one_of(st.none(), st.floats(allow_nan=False), st.integers(-10, 10)),
    "completed_at": st.one_of(
        st.none(), iso_texts, st.datetimes(), st.dates(), st.integers(), st.datetimes(timezones=st.timezones())
    ),
    "portfolio_ready": st.one_of(st.none(), st.booleans(), st.sampled_from(["yes", "no", "maybe", "TRUE"])),
    "tags": st.one_of(st.none(), st.lists(st.one_of(st.text(max_size=6), st.none(), st.integers()), max_size=3)),
}
rows = st.lists(st.fixed_dictionaries({}, optional=cell_values), max_size=12).map(
    lambda rs: [{**r, "id": i} for i, r in enumerate(rs)]
)

filter_types = st.sampled_from(
    [
        "equals",
        "notEqual",
        "contains",
        "notContains",
        "startsWith",
        "endsWith",
        "blank",
        "notBlank",
        "greaterThan",
        "greaterThanOrEqual",
        "lessThan",
        "lessThanOrEqual",
        "inRange",
        "bogus",
    ]
)
conditions = st.fixed_dictionaries(
    {},
    optional={
        "filterType": st.one_of(st.sampled_from(["text", "number", "date", "set"]), anything),
        "type": st.one_of(filter_types, anything),
        "filter": st.one_of(st.text(max_size=6), st.floats(), st.integers(), st.just(10**400), anything),
        "filterTo": st.one_of(st.floats(), st.integers(), st.text(max_size=4)),
        "dateFrom": st.one_of(iso_texts, anything),
        "dateTo": st.one_of(iso_texts, st.none()),
    },
)
column_models = st.one_of(
    conditions,
    st.fixed_dictionaries(
        {"operator": st.one_of(st.sampled_from(["AND", "OR", "XOR", ""]), anything)},
        optional={
            "filterType": st.sampled_from(["text", "number", "date"]),
            "conditions": st.one_of(st.lists(conditions, max_size=3), anything),
            "condition1": conditions,
            "condition2": conditions,
        },
    ),
    anything,
)
column_names = st.one_of(st.sampled_from(COLUMNS), st.text(max_size=6))
filter_models = st.one_of(st.none(), st.dictionaries(column_names, column_models, max_size=3), json_values)
sort_models = st.one_of(
    st.none(),
    st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {
                    "colId": st.one_of(column_names, anything),
                    "sort": st.one_of(st.sampled_from(["asc", "desc"]), anything),
                }
            ),
            anything,
        ),
        max_size=3,
    ),
    json_values,
)
requests = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "startRow": st.one_of(st.integers(-5, 20), st.floats(), st.just(10**400), anything),
            "endRow": st.one_of(st.integers(-5, 40), st.floats(), st.text(max_size=3)),
            "filterModel": filter_models,
            "sortModel": sort_models,
        },
    ),
    json_values,
)


def ids(result) -> list:
    return [row["id"] for row in result]


@given(rows, requests, st.one_of(st.none(), st.text(max_size=12), anything), st.integers(1, 10))
@examples(500)
@covers(QUERY, FILTER, SORT, SEARCH, PAGE)
def test_any_request_gives_a_page_or_a_named_error(table, request, search, max_rows):
    try:
        result, total = query(table, request, KINDS, search=search, max_rows=max_rows)
    except GridQueryError as exc:
        assert str(exc).strip()
        return
    assert isinstance(total, int) and 0 <= total <= len(table)
    assert len(result) <= max_rows and len(result) <= total
    assert len(set(ids(result))) == len(result) and set(ids(result)) <= set(ids(table))


@given(rows, filter_models)
@examples(400)
@covers(FILTER)
def test_a_filter_never_adds_rows(table, model):
    try:
        kept = filter_rows(table, model, KINDS)
    except GridQueryError as exc:
        assert str(exc).strip()
        return
    order = ids(table)
    assert ids(kept) == [i for i in order if i in set(ids(kept))]  # a subsequence, in order


@given(rows, sort_models)
@examples(400)
@covers(SORT)
def test_a_sort_is_a_permutation(table, model):
    try:
        ordered = sort_rows(table, model, KINDS)
    except GridQueryError as exc:
        assert str(exc).strip()
        return
    assert Counter(ids(ordered)) == Counter(ids(table))


@given(rows, st.sampled_from(COLUMNS), st.sampled_from(["asc", "desc"]))
@examples(200)
@covers(SORT)
def test_sorting_twice_in_opposite_directions_keeps_every_row(table, column, direction):
    first = sort_rows(table, [{"colId": column, "sort": direction}], KINDS)
    again = sort_rows(first, [{"colId": column, "sort": "asc" if direction == "desc" else "desc"}], KINDS)
    assert sorted(ids(again)) == sorted(ids(table))
    assert sort_rows(first, [{"colId": column, "sort": direction}], KINDS) == first  # stable: idempotent


@given(rows, st.text(max_size=10))
@examples(200)
@covers(SEARCH)
def test_search_never_adds_rows_and_more_words_never_find_more(table, text):
    found = search_rows(table, text, COLUMNS)
    assert set(ids(found)) <= set(ids(table))
    narrower = search_rows(table, text + " x", COLUMNS)
    assert set(ids(narrower)) <= set(ids(found)) or not text.split()


@given(rows, st.sampled_from(["title", "tags", "source"]), st.text(max_size=4))
@examples(200)
@covers(FILTER)
def test_contains_and_not_contains_split_the_rows(table, column, needle):
    def run(kind):
        return set(ids(filter_rows(table, {column: {"filterType": "text", "type": kind, "filter": needle}}, KINDS)))

    assert run("contains") | run("notContains") == set(ids(table))
    assert not run("contains") & run("notContains")


@given(
    st.lists(st.integers(), max_size=30),
    st.one_of(st.integers(), anything),
    st.one_of(st.integers(), anything),
    st.integers(1, 10),
)
@examples(200)
@covers(PAGE)
def test_page_is_a_slice_of_at_most_max_rows(items, start, end, max_rows):
    table = [{"id": i} for i in items]
    result = page(table, start, end, max_rows=max_rows)
    assert len(result) <= max_rows
    if result:
        first = table.index(result[0])
        assert table[first : first + len(result)] == result


# Limits (issue 13, item 6): every part of a request is bounded; past a limit the request is
# refused naming the part and the limit, at or under it the request is answered.


def _or_conditions(n: int) -> dict:
    return {
        "filterType": "text",
        "operator": "OR",
        "conditions": [{"filterType": "text", "type": "contains", "filter": f"w{i}"} for i in range(n)],
    }


part_sizes = st.one_of(
    st.tuples(st.just("conditions per column"), st.integers(1, grid_query.MAX_CONDITIONS_PER_COLUMN + 5)),
    st.tuples(st.just("sort keys"), st.integers(1, len(COLUMNS) + 5)),
    st.tuples(st.just("search words"), st.integers(0, grid_query.MAX_SEARCH_WORDS + 5)),
    st.tuples(st.just("search length"), st.integers(0, grid_query.MAX_SEARCH_LENGTH + 50)),
    st.tuples(st.just("filter text"), st.integers(0, grid_query.MAX_FILTER_TEXT + 50)),
    st.tuples(st.just("block rows"), st.integers(0, grid_query.MAX_BLOCK_ROWS + 50)),
    st.tuples(st.just("start row"), st.integers(-3, grid_query.MAX_START_ROW + 3)),
)
LIMITS = {
    "conditions per column": grid_query.MAX_CONDITIONS_PER_COLUMN,
    "sort keys": len(COLUMNS),
    "search words": grid_query.MAX_SEARCH_WORDS,
    "search length": grid_query.MAX_SEARCH_LENGTH,
    "filter text": grid_query.MAX_FILTER_TEXT,
    "block rows": grid_query.MAX_BLOCK_ROWS,
    "start row": grid_query.MAX_START_ROW,
}


def _request_of(part: str, n: int) -> tuple[dict, str]:
    if part == "conditions per column":
        return {"filterModel": {"title": _or_conditions(n)}}, ""
    if part == "sort keys":  # distinct columns up to their number, then repeats
        return {"sortModel": [{"colId": COLUMNS[i % len(COLUMNS)], "sort": "asc"} for i in range(n)]}, ""
    if part == "search words":
        return {}, " ".join(["x"] * n)
    if part == "search length":
        return {}, "y" * n
    if part == "filter text":
        return {"filterModel": {"title": {"filterType": "text", "type": "contains", "filter": "z" * n}}}, ""
    if part == "block rows":
        return {"startRow": 7, "endRow": 7 + n}, ""
    return {"startRow": n, "endRow": n + 1}, ""


@given(rows, part_sizes)
@examples(150)
@covers(
    QUERY, "dashboard.services.achievements.grid_query limits (conditions, nesting, sort keys, words, rows per block)"
)
def test_a_part_past_its_limit_is_refused_naming_the_limit_and_one_within_is_answered(table, sized):
    part, n = sized
    request, search = _request_of(part, n)
    limit = LIMITS[part]
    within = 0 <= n <= limit
    try:
        result, total = query(table, request, KINDS, search=search)
    except GridQueryError as exc:
        assert not within, f"{part} of {n} (limit {limit}) refused: {exc}"
        assert f"{limit:,}" in str(exc) or str(limit) in str(exc), str(exc)
        return
    assert within, f"{part} of {n} answered, past its limit {limit}"
    assert len(result) <= grid_query.MAX_BLOCK_ROWS
