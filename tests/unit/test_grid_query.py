from datetime import date, datetime

import pytest

from dashboard.services.achievements.grid_query import (
    ColumnKinds,
    GridQueryError,
    filter_rows,
    page,
    query,
    search_rows,
    sort_rows,
)

KINDS = ColumnKinds(
    text=frozenset({"title"}),
    number=frozenset({"impact"}),
    date=frozenset({"completed_at"}),
    boolean=frozenset({"published"}),
    tags=frozenset({"tags"}),
)

ROWS = [
    {
        "id": 1,
        "title": "Cut latency",
        "impact": 80,
        "completed_at": "2026-01-10T09:30:00",
        "published": True,
        "tags": ["perf", "backend"],
    },
    {
        "id": 2,
        "title": "fix login bug",
        "impact": 50.0,
        "completed_at": "2026-01-12",
        "published": False,
        "tags": ["bugfix"],
    },
    {"id": 3, "title": "Latency dashboard", "impact": None, "completed_at": None, "published": None, "tags": []},
    {
        "id": 4,
        "title": "  ",
        "impact": 20,
        "completed_at": datetime(2026, 1, 10, 23, 0),
        "published": True,
        "tags": ["Perf"],
    },
    # 2026-01-14 22:00 in UTC: aware datetimes are compared in UTC.
    {
        "id": 5,
        "title": None,
        "impact": 50,
        "completed_at": "2026-01-15T00:00:00+02:00",
        "published": False,
        "tags": None,
    },
    {
        "id": 6,
        "title": "cache warmup",
        "impact": 95,
        "completed_at": date(2026, 1, 20),
        "published": True,
        "tags": ["perf", "cache"],
    },
]


def ids(rows):
    return [row["id"] for row in rows]


def filtered(column, model, rows=ROWS):
    return ids(filter_rows(rows, {column: model}, KINDS))


def text(type_, value=None):
    model = {"filterType": "text", "type": type_}
    if value is not None:
        model["filter"] = value
    return model


def number(type_, value=None, to=None):
    model = {"filterType": "number", "type": type_}
    if value is not None:
        model["filter"] = value
    if to is not None:
        model["filterTo"] = to
    return model


def day(type_, start=None, end=None):
    model = {"filterType": "date", "type": type_, "dateFrom": start, "dateTo": end}
    return model


# ----------------------------------------------------------------------------- text filters


@pytest.mark.parametrize(
    "type_, value, expected",
    [
        ("contains", "LATENCY", [1, 3]),
        ("notContains", "latency", [2, 4, 5, 6]),  # blank cells pass the negated types
        ("equals", "cut latency", [1]),
        ("equals", "cut", []),
        ("notEqual", "CUT LATENCY", [2, 3, 4, 5, 6]),
        ("startsWith", "Fix", [2]),
        ("startsWith", "login", []),
        ("endsWith", "BUG", [2]),
        ("endsWith", "fix", []),
        ("blank", None, [4, 5]),  # None and whitespace-only
        ("notBlank", None, [1, 2, 3, 6]),
    ],
)
def test_text_filter_types_are_case_insensitive_and_treat_blanks_like_ag_grid(type_, value, expected):
    assert filtered("title", text(type_, value)) == expected


@pytest.mark.parametrize(
    "type_, value, expected",
    [
        ("contains", "PERF", [1, 4, 6]),  # any tag, case-insensitive ("Perf" on row 4)
        ("equals", "cache", [6]),
        ("equals", "perf backend", []),  # tags are not matched as one joined string
        ("startsWith", "bug", [2]),
        ("endsWith", "end", [1]),
        ("notContains", "perf", [2, 3, 5]),  # no tag contains it; [] and None are blank
        ("notEqual", "perf", [2, 3, 5]),
        ("blank", None, [3, 5]),
        ("notBlank", None, [1, 2, 4, 6]),
    ],
)
def test_text_filter_on_tags_matches_any_tag(type_, value, expected):
    assert filtered("tags", text(type_, value)) == expected


@pytest.mark.parametrize(
    "type_, value, expected",
    [
        ("equals", "true", [1, 4, 6]),
        ("equals", "YES", [1, 4, 6]),
        ("equals", "false", [2, 5]),
        ("equals", "no", [2, 5]),
        ("contains", "fal", [2, 5]),  # partial input from the floating filter is fine
        ("notEqual", "true", [2, 3, 5]),  # the blank row 3 passes a negated text type
        ("blank", None, [3]),
    ],
)
def test_boolean_column_takes_a_text_filter_of_true_false_yes_no(type_, value, expected):
    assert filtered("published", text(type_, value)) == expected


def test_text_filter_on_a_number_column_sees_the_value_as_text():
    assert filtered("impact", text("startsWith", "9")) == [6]


# ----------------------------------------------------------------------------- number filters


@pytest.mark.parametrize(
    "model, expected",
    [
        (number("equals", 50), [2, 5]),  # 50.0 == 50
        (number("equals", "50"), [2, 5]),  # numbers may arrive as strings
        (number("notEqual", 50), [1, 4, 6]),  # blank row 3 fails: includeBlanksInNotEqual=false
        (number("greaterThan", 50), [1, 6]),
        (number("greaterThanOrEqual", 50), [1, 2, 5, 6]),
        (number("lessThan", 50), [4]),
        (number("lessThanOrEqual", "50.0"), [2, 4, 5]),
        (number("inRange", 20, 80), [2, 5]),  # exclusive: inRangeInclusive=false by default
        (number("inRange", 19.5, 80.5), [1, 2, 4, 5]),
        (number("inRange", 80, 20), []),
        (number("blank"), [3]),
        (number("notBlank"), [1, 2, 4, 5, 6]),
    ],
)
def test_number_filter_types(model, expected):
    assert filtered("impact", model) == expected


def test_number_cells_that_are_nan_or_garbage_count_as_blank_and_numeric_strings_count():
    rows = [{"id": 1, "impact": float("nan")}, {"id": 2, "impact": "12"}, {"id": 3, "impact": "n/a"}]
    assert filtered("impact", number("blank"), rows) == [1, 3]
    assert filtered("impact", number("greaterThan", 10), rows) == [2]


@pytest.mark.parametrize(
    "model, message",
    [
        (number("equals", "abc"), "number filter 'equals' on column 'impact' needs a numeric 'filter', got 'abc'"),
        (number("equals"), "needs a numeric 'filter', got None"),
        (number("equals", True), "needs a numeric 'filter', got True"),
        (number("equals", [5]), "needs a numeric 'filter', got [5]"),
        (number("inRange", 5), "number filter 'inRange' on column 'impact' needs a numeric 'filterTo', got None"),
        (number("lessThan", "nan"), "got a non-finite 'filter': 'nan'"),
        (number("between", 5), "unknown number filter type 'between' on column 'impact'"),
    ],
)
def test_bad_number_filters_raise_with_the_problem_in_the_message(model, message):
    with pytest.raises(GridQueryError, match=message.replace("[", r"\[").replace("]", r"\]")):
        filter_rows(ROWS, {"impact": model}, KINDS)


# ----------------------------------------------------------------------------- date filters


@pytest.mark.parametrize(
    "model, expected",
    [
        (day("equals", "2026-01-10 00:00:00"), [1, 4]),  # same day, whatever the time
        (day("equals", "2026-01-14 00:00:00"), [5]),  # 2026-01-15T00:00+02:00 is the 14th in UTC
        (day("equals", "2026-01-12"), [2]),  # a bare date is accepted too
        (day("notEqual", "2026-01-10 00:00:00"), [2, 5, 6]),  # blank row 3 fails, like numbers
        (day("greaterThan", "2026-01-12 00:00:00"), [5, 6]),
        (day("lessThan", "2026-01-12 00:00:00"), [1, 4]),
        (day("greaterThanOrEqual", "2026-01-12 00:00:00"), [2, 5, 6]),
        (day("inRange", "2026-01-10 00:00:00", "2026-01-20 00:00:00"), [2, 5]),  # exclusive ends
        (day("inRange", "2026-01-09 00:00:00", "2026-01-21 00:00:00"), [1, 2, 4, 5, 6]),
        (day("blank"), [3]),
        (day("notBlank"), [1, 2, 4, 5, 6]),
    ],
)
def test_date_filter_types_compare_by_day(model, expected):
    assert filtered("completed_at", model) == expected


def test_unparseable_date_cells_count_as_blank():
    rows = [{"id": 1, "completed_at": "soon"}, {"id": 2, "completed_at": "2026-02-01T10:00:00Z"}]
    assert filtered("completed_at", day("blank"), rows) == [1]
    assert filtered("completed_at", day("equals", "2026-02-01 00:00:00"), rows) == [2]


@pytest.mark.parametrize(
    "model, message",
    [
        (
            day("equals", "14/01/2026"),
            "date filter 'equals' on column 'completed_at' needs 'dateFrom' as 'YYYY-MM-DD hh:mm:ss', got '14/01/2026'",
        ),
        (day("equals"), "needs 'dateFrom' as 'YYYY-MM-DD hh:mm:ss', got None"),
        (day("inRange", "2026-01-01 00:00:00"), "needs 'dateTo' as 'YYYY-MM-DD hh:mm:ss', got None"),
        (day("today"), "unknown date filter type 'today' on column 'completed_at'"),
    ],
)
def test_bad_date_filters_raise_with_the_problem_in_the_message(model, message):
    with pytest.raises(GridQueryError, match=message):
        filter_rows(ROWS, {"completed_at": model}, KINDS)


# ----------------------------------------------------------------------------- combined conditions


def test_and_conditions_must_all_pass():
    model = {
        "filterType": "number",
        "operator": "AND",
        "conditions": [number("greaterThan", 20), number("lessThan", 90)],
    }
    assert filtered("impact", model) == [1, 2, 5]


def test_or_conditions_need_one_to_pass():
    model = {
        "filterType": "text",
        "operator": "OR",
        "conditions": [text("contains", "latency"), text("contains", "CACHE")],
    }
    assert filtered("title", model) == [1, 3, 6]


def test_legacy_condition1_condition2_form_is_understood():
    model = {
        "filterType": "number",
        "operator": "OR",
        "condition1": number("equals", 20),
        "condition2": number("equals", 95),
    }
    assert filtered("impact", model) == [4, 6]


def test_conditions_without_filter_type_inherit_the_combined_models():
    model = {
        "filterType": "date",
        "operator": "OR",
        "conditions": [{"type": "equals", "dateFrom": "2026-01-12 00:00:00"}, {"type": "blank"}],
    }
    assert filtered("completed_at", model) == [2, 3]


def test_filters_on_several_columns_all_apply():
    model = {"title": text("contains", "a"), "published": text("equals", "yes"), "impact": number("lessThan", 90)}
    assert ids(filter_rows(ROWS, model, KINDS)) == [1]


@pytest.mark.parametrize("model", [None, {}])
def test_no_filter_model_keeps_every_row_in_a_new_list(model):
    result = filter_rows(ROWS, model, KINDS)
    assert ids(result) == [1, 2, 3, 4, 5, 6] and result is not ROWS


@pytest.mark.parametrize(
    "column, model, message",
    [
        ("nope", text("contains", "x"), "unknown column 'nope'"),
        (
            "title",
            text("fuzzy", "x"),
            "unknown text filter type 'fuzzy' on column 'title' "
            r"\(expected one of: blank, contains, endsWith",
        ),
        ("title", text("contains"), "text filter 'contains' on column 'title' needs a 'filter' string, got None"),
        (
            "title",
            {"filterType": "multi", "filterModels": []},
            r"unsupported filterType 'multi' on column 'title' \(expected one of: date, number, set, text\)",
        ),
        ("title", {"type": "contains", "filter": "a"}, "unsupported filterType None on column 'title'"),
        ("title", number("equals", 1), "number filter on column 'title', which is a text column"),
        ("impact", day("equals", "2026-01-01"), "date filter on column 'impact', which is a number column"),
        ("title", "contains x", "filter model of column 'title' must be an object, got 'contains x'"),
        (
            "title",
            {"filterType": "text", "operator": "XOR", "conditions": [text("contains", "a")]},
            "unknown filter operator 'XOR' on column 'title' \\(expected AND or OR\\)",
        ),
        (
            "title",
            {"filterType": "text", "operator": "AND", "conditions": []},
            "combined filter on column 'title' has no conditions",
        ),
        (
            "title",
            {"filterType": "text", "operator": "OR", "conditions": ["x"]},
            "filter condition on column 'title' must be an object, got 'x'",
        ),
    ],
)
def test_malformed_filters_raise_grid_query_error_naming_the_problem(column, model, message):
    with pytest.raises(GridQueryError, match=message):
        filter_rows(ROWS, {column: model}, KINDS)


def test_a_bad_filter_fails_even_with_no_rows_and_is_a_value_error():
    with pytest.raises(ValueError, match="unknown column 'nope'"):
        filter_rows([], {"nope": text("contains", "x")}, KINDS)
    with pytest.raises(GridQueryError, match=r"filterModel must be an object, got \['title'\]"):
        filter_rows(ROWS, ["title"], KINDS)


# ----------------------------------------------------------------------------- quick search


def test_search_is_case_insensitive_and_needs_every_word():
    assert ids(search_rows(ROWS, "LATENCY", ("title",))) == [1, 3]
    assert ids(search_rows(ROWS, "latency  Dash", ("title",))) == [3]


def test_search_words_may_match_different_fields_and_any_tag():
    assert ids(search_rows(ROWS, "perf latency", ("title", "tags"))) == [1]
    assert ids(search_rows(ROWS, "backend perf", ("tags",))) == [1]
    assert ids(search_rows(ROWS, "cache", ("tags",))) == [6]


def test_a_search_word_never_spans_two_fields_or_two_tags():
    rows = [{"id": 1, "a": "foo", "b": "bar", "tags": ["ab", "cd"]}]
    assert search_rows(rows, "foobar", ("a", "b")) == []
    assert search_rows(rows, "abcd", ("tags",)) == []
    assert ids(search_rows(rows, "oo ar", ("a", "b"))) == [1]


@pytest.mark.parametrize("empty", [None, "", "   \t"])
def test_an_empty_search_keeps_every_row(empty):
    assert ids(search_rows(ROWS, empty, ("title",))) == [1, 2, 3, 4, 5, 6]


def test_search_without_fields_is_a_programming_error():
    with pytest.raises(ValueError, match="at least one field"):
        search_rows(ROWS, "x", ())


# ----------------------------------------------------------------------------- sorting


def sorted_ids(*model, rows=ROWS):
    return ids(sort_rows(rows, [{"colId": col, "sort": direction} for col, direction in model], KINDS))


@pytest.mark.parametrize(
    "column, asc, desc",
    [
        # blanks (None, whitespace, [] and unparseable) stay last, in input order, both ways
        ("title", [6, 1, 2, 3, 4, 5], [3, 2, 1, 6, 4, 5]),  # case-insensitive: "cache" < "Cut"
        ("impact", [4, 2, 5, 1, 6, 3], [6, 1, 2, 5, 4, 3]),  # equal 50.0 / 50 keep input order
        ("completed_at", [1, 4, 2, 5, 6, 3], [6, 5, 2, 4, 1, 3]),  # mixed str/datetime/date/aware
        ("published", [2, 5, 1, 4, 6, 3], [1, 4, 6, 2, 5, 3]),
        ("tags", [2, 4, 1, 6, 3, 5], [6, 1, 4, 2, 3, 5]),  # tag by tag: (perf,) < (perf, backend)
    ],
)
def test_sort_each_kind_with_blanks_last_in_both_directions(column, asc, desc):
    assert sorted_ids((column, "asc")) == asc
    assert sorted_ids((column, "desc")) == desc


def test_multi_column_sort_uses_later_columns_to_break_ties():
    rows = [
        {"id": 1, "title": "b", "impact": 1},
        {"id": 2, "title": "a", "impact": 2},
        {"id": 3, "title": "B", "impact": 3},
        {"id": 4, "title": None, "impact": 4},
        {"id": 5, "title": "a", "impact": None},
        {"id": 6, "title": "b", "impact": 2},
    ]
    assert sorted_ids(("title", "asc"), ("impact", "desc"), rows=rows) == [2, 5, 3, 6, 1, 4]
    assert sorted_ids(("title", "desc"), ("impact", "asc"), rows=rows) == [1, 6, 3, 2, 5, 4]
    assert sorted_ids(("impact", "asc"), ("title", "desc"), rows=rows) == [1, 6, 2, 3, 4, 5]


def test_sort_is_stable_for_equal_keys_in_both_directions():
    rows = [{"id": i, "title": "Same" if i % 2 else "same", "impact": 7} for i in range(1, 8)]
    assert sorted_ids(("title", "asc"), rows=rows) == [1, 2, 3, 4, 5, 6, 7]
    assert sorted_ids(("title", "desc"), ("impact", "desc"), rows=rows) == [1, 2, 3, 4, 5, 6, 7]


def test_sort_returns_a_new_list_and_leaves_the_input_alone():
    before = list(ROWS)
    result = sort_rows(ROWS, [{"colId": "impact", "sort": "desc"}], KINDS)
    assert ROWS == before and result is not ROWS
    assert ids(sort_rows(ROWS, None, KINDS)) == ids(sort_rows(ROWS, [], KINDS)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "model, message",
    [
        ([{"colId": "nope", "sort": "asc"}], "unknown column 'nope'"),
        ([{"colId": "title", "sort": "up"}], "sort direction of column 'title' must be 'asc' or 'desc', got 'up'"),
        ([{"colId": "title"}], "must be 'asc' or 'desc', got None"),
        (["title"], "sortModel entries must be objects, got 'title'"),
        ({"colId": "title", "sort": "asc"}, "sortModel must be a list"),
    ],
)
def test_malformed_sort_models_raise(model, message):
    with pytest.raises(GridQueryError, match=message):
        sort_rows(ROWS, model, KINDS)


# ----------------------------------------------------------------------------- paging

TEN = [{"id": i} for i in range(10)]


@pytest.mark.parametrize(
    "start, end, max_rows, expected",
    [
        (0, 3, 500, [0, 1, 2]),
        (8, 20, 500, [8, 9]),
        (-5, 2, 500, [0, 1]),  # negative start clamps to 0
        (0, -1, 500, []),
        (5, 3, 500, []),  # end before start
        (0, 10**12, 4, [0, 1, 2, 3]),  # capped at max_rows
        (3, 10**12, 4, [3, 4, 5, 6]),
        (10**12, 10**12 + 5, 500, []),
        ("abc", None, 3, [0, 1, 2]),  # invalid values take the defaults
        (True, 2, 500, [0, 1]),
        (float("inf"), float("nan"), 2, [0, 1]),
        ("2", "4", 500, [2, 3]),
        (2.9, 5, 500, [2, 3, 4]),
    ],
)
def test_page_clamps(start, end, max_rows, expected):
    assert ids(page(TEN, start, end, max_rows=max_rows)) == expected


def test_page_needs_a_positive_max_rows():
    with pytest.raises(ValueError, match="max_rows must be at least 1, got 0"):
        page(TEN, 0, 5, max_rows=0)


# ----------------------------------------------------------------------------- query


def test_query_filters_sorts_and_pages_and_counts_before_paging():
    request = {
        "startRow": 1,
        "endRow": 3,
        "sortModel": [{"colId": "impact", "sort": "desc"}],
        "filterModel": {"impact": number("notBlank")},
    }
    rows, total = query(ROWS, request, KINDS)
    assert ids(rows) == [1, 2] and total == 5


def test_query_counts_after_search_too():
    request = {"startRow": 0, "endRow": 100, "filterModel": {"published": text("equals", "yes")}}
    rows, total = query(ROWS, request, KINDS, search="perf", search_fields=("tags",))
    assert ids(rows) == [1, 4, 6] and total == 3
    rows, total = query(ROWS, request, KINDS, search="perf cache", search_fields=("tags",))
    assert ids(rows) == [6] and total == 1


def test_query_searches_every_known_column_when_no_fields_are_given():
    rows, total = query(ROWS, {}, KINDS, search="2026-01-12")
    assert ids(rows) == [2] and total == 1


def test_query_with_no_request_returns_the_first_page():
    rows, total = query(TEN, None, KINDS, max_rows=4)
    assert ids(rows) == [0, 1, 2, 3] and total == 10


def test_query_refuses_a_block_above_max_rows_and_accepts_integral_floats():
    many = [{"id": i, "impact": i} for i in range(10_000)]
    rows, total = query(many, {"startRow": 0, "endRow": 500}, KINDS)
    assert len(rows) == 500 and total == 10_000
    with pytest.raises(GridQueryError, match=r"too many rows in one block: 10,000 \(at most 500\)"):
        query(many, {"startRow": 0, "endRow": 10_000}, KINDS)
    with pytest.raises(GridQueryError, match=r"too many rows in one block: 5 \(at most 4\)"):
        query(many, {"startRow": 0, "endRow": 5}, KINDS, max_rows=4)
    rows, total = query(many, {"startRow": 100.0, "endRow": 102.0}, KINDS)
    assert ids(rows) == [100, 101]
    rows, total = query(many, {"startRow": 20_000, "endRow": 20_100}, KINDS)  # past the end: an empty block
    assert rows == [] and total == 10_000


@pytest.mark.parametrize(
    "request_, message",
    [
        ({"startRow": "abc", "endRow": 100}, "startRow must be an integer, got 'abc'"),
        ({"startRow": 0, "endRow": True}, "endRow must be an integer, got True"),
        ({"startRow": 1.5}, "startRow must be an integer, got 1.5"),
        ({"startRow": float("inf")}, "startRow must be an integer, got inf"),  # JSON Infinity
        ({"startRow": 0, "endRow": float("nan")}, "endRow must be an integer, got nan"),
        ({"startRow": -1}, "startRow must be between 0 and 10,000,000, got -1"),
        ({"startRow": 10**400}, "startRow must be between 0 and 10,000,000, got 1000"),
        ({"startRow": 50, "endRow": 10}, r"endRow \(10\) is before startRow \(50\)"),
        (["startRow", 0], r"getRowsRequest must be an object, got \['startRow', 0\]"),
        ({"sortModel": "impact"}, "sortModel must be a list, got 'impact'"),
        ({"filterModel": {"nope": text("contains", "x")}}, "unknown column 'nope'"),
    ],
)
def test_query_rejects_malformed_requests(request_, message):
    with pytest.raises(GridQueryError, match=message):
        query(ROWS, request_, KINDS)


def test_query_rejects_a_search_that_is_not_a_string():
    with pytest.raises(GridQueryError, match="search must be a string, got 5"):
        query(ROWS, {}, KINDS, search=5)


# ----------------------------------------------------------------------------- column kinds


def test_column_kinds_reject_a_column_of_two_kinds_and_a_bare_string():
    with pytest.raises(ValueError, match="column 'title' is both text and number"):
        ColumnKinds(text={"title"}, number={"title"}, date=set())
    with pytest.raises(TypeError, match="ColumnKinds.text must be a collection of names"):
        ColumnKinds(text="title", number=(), date=())


def test_column_kinds_store_frozensets():
    kinds = ColumnKinds(text=["title"], number={"impact"}, date=())
    assert kinds.text == frozenset({"title"}) and kinds.kind_of("impact") == "number"
    assert kinds.columns() == ("impact", "title")


# ----------------------------------------------------------------------------- limits (issue 13, item 6)

WIDE = ColumnKinds(
    text={"title", "category", "source", "description"},
    number={"impact"},
    date={"completed_at"},
    boolean={"published"},
    tags={"tags"},
)
"""Eight columns, four of them text: room for 41 conditions of at most 10 per column."""


def conditions(n, operator="OR"):
    return {"filterType": "text", "operator": operator, "conditions": [text("contains", f"w{i}") for i in range(n)]}


@pytest.mark.parametrize(
    "request_, search, message",
    [
        (
            {"filterModel": {"title": conditions(11)}},
            None,
            r"too many filter conditions on column 'title': 11 \(at most 10 per column\)",
        ),
        (
            {"filterModel": {"title": conditions(20_000)}},
            None,
            r"too many filter conditions on column 'title': 20,000 \(at most 10 per column\)",
        ),
        (
            {
                "filterModel": {
                    "title": conditions(10),
                    "tags": conditions(10),
                    "category": conditions(10),
                    "source": conditions(10),
                    "description": text("contains", "x"),
                }
            },
            None,
            r"too many filter conditions: 41 \(at most 40 in all\)",
        ),
        (
            {
                "filterModel": {
                    "title": {
                        "filterType": "text",
                        "operator": "OR",
                        "conditions": [conditions(2, "AND"), text("contains", "a")],
                    }
                }
            },
            None,
            r"filter on column 'title' nests combined conditions: at most 1 level",
        ),
        (
            {"sortModel": [{"colId": "title", "sort": "asc"}] * 20_000},
            None,
            r"sortModel has too many entries: 20,000 \(at most 8, one per column\)",
        ),
        (
            {"sortModel": [{"colId": "title", "sort": "asc"}, {"colId": "title", "sort": "desc"}]},
            None,
            r"sortModel sorts column 'title' twice \(each column at most once\)",
        ),
        ({}, " ".join(["a"] * 21), r"search has too many words: 21 \(at most 20\)"),
        ({}, " ".join(["e"] * 200_000), r"search is too long: 399,999 characters \(at most 500\)"),
        ({}, "x" * 501, r"search is too long: 501 characters \(at most 500\)"),
        (
            {"filterModel": {"title": text("contains", "x" * 501)}},
            None,
            r"text filter on column 'title' is too long: 501 characters \(at most 500\)",
        ),
        (
            {"filterModel": {"impact": number("equals", "1" * 41)}},
            None,
            r"number filter on column 'impact': 'filter' is too long, 41 characters \(at most 40\)",
        ),
        (
            {"filterModel": {"completed_at": day("equals", "2026-01-01" + " " * 100)}},
            None,
            r"date filter on column 'completed_at': 'dateFrom' is too long, 110 characters \(at most 40\)",
        ),
    ],
)
def test_oversized_requests_are_refused_saying_what_is_too_large_and_the_limit(request_, search, message, fault_tally):
    with pytest.raises(GridQueryError, match=message):
        query(ROWS, request_, WIDE, search=search)
    fault_tally.fault("an oversized grid request (conditions, sort keys, words, rows)", "achievements grid")


def test_requests_at_the_limits_are_answered():
    request = {
        "startRow": 0,
        "endRow": 500,
        "filterModel": {
            "title": conditions(10),
            "tags": conditions(10),
            "category": conditions(10),
            "source": conditions(10),
        },
        "sortModel": [{"colId": column, "sort": "asc"} for column in WIDE.columns()],
    }
    query(ROWS, request, WIDE, search=" ".join(["x"] * 20))
    query(
        ROWS,
        {
            "filterModel": {
                "title": text("contains", "x" * 500),
                "completed_at": day("equals", "2026-01-01T00:00:00.000000+00:00"),
            }
        },
        KINDS,
        search="y" * 500,
    )


def test_a_hostile_request_is_refused_before_a_row_is_read(fault_tally):
    import time

    many = [{"id": i, "title": f"achievement {i}", "impact": i, "tags": ["a"]} for i in range(10_000)]
    hostile = [
        ({"filterModel": {"title": conditions(20_000)}}, None),
        ({"sortModel": [{"colId": c, "sort": "asc"} for c in ("title", "impact") * 10_000]}, None),
        ({}, " ".join(["a"] * 200_000)),
    ]
    for request_, search in hostile:
        started = time.perf_counter()
        with pytest.raises(GridQueryError, match="too"):
            query(many, request_, KINDS, search=search)
        assert time.perf_counter() - started < 0.5
    fault_tally.fault("20,000 OR conditions / sort keys, 200,000 words", "achievements grid")
