"""Property tests of the achievement edit validators (issue 6).

Whatever the grid, a paste or the Add form sends (any keys, any values, any event batch), the
validators answer (body, errors): a body holding only contract-valid values, and errors that are
FieldProblems naming a field with a human message. Never an exception.
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.business_value import parse_business_value
from dashboard.domain.models import CATEGORIES, SOURCE_TYPES, Achievement
from dashboard.domain.outcomes import FieldProblem
from dashboard.services.achievements.edits import (
    EDITABLE_FIELDS,
    MAX_DESCRIPTION,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    group_cell_changes,
    validate_changes,
    validate_new,
)
from tests.unit.test_properties_common import anything, covers, examples, json_values, url_text

VALIDATE_CHANGES = "dashboard.services.achievements.edits.validate_changes"
VALIDATE_NEW = "dashboard.services.achievements.edits.validate_new"
GROUP = "dashboard.services.achievements.edits.group_cell_changes"

ALL_FIELDS = EDITABLE_FIELDS + (
    "category",
    "source_type",
    "started_at",
    "completed_at",
    "source_url",
    "id",
    "updated_at",
    "display_priority",
)

stored_values = st.one_of(
    st.none(),
    st.just("75000"),
    st.just("$162,500 annual value"),
    st.just('{"total_value": 5000, "currency": "USD"}'),
    st.text(max_size=20),
)


@st.composite
def achievements(draw) -> Achievement:
    return Achievement(
        id=draw(st.integers(1, 10**6)),
        title=draw(st.text(min_size=1, max_size=30)),
        category="feature",
        started_at=datetime(2025, 1, 1),
        completed_at=datetime(2025, 2, 1),
        business_value=draw(stored_values),
        impact_score=draw(st.floats(0, 100)),
        tags=draw(st.lists(st.text(max_size=8), max_size=3)),
        portfolio_ready=draw(st.booleans()),
    )


field_values = st.one_of(
    anything,
    url_text,
    st.sampled_from(
        [
            "",
            " ",
            "yes",
            "no",
            "true",
            "False",
            "1",
            "0",
            "-5",
            "$12,500",
            "15k",
            "1e400",
            "nan",
            "inf",
            "-inf",
            "١٢٣",
            "2026-11-25",
            "2026-11-25T14:30+05:00",
            "0001-01-01T00:00+05:00",
            "9999-12-31T23:59-05:00",
            "a,b,c",
            "http://x.example",
            "javascript:alert(1)",
        ]
    ),
    st.lists(st.text(max_size=60), max_size=30),
    st.integers(min_value=10**300, max_value=10**400),
)
changes = st.dictionaries(
    st.one_of(st.sampled_from(ALL_FIELDS), st.text(max_size=10), st.integers()), field_values, max_size=6
)


def assert_clear(errors, allowed_fields) -> None:
    assert isinstance(errors, list)
    for error in errors:
        assert isinstance(error, FieldProblem), error
        assert isinstance(error.field, str) and error.field, error
        assert error.field in allowed_fields or error.field not in EDITABLE_FIELDS
        assert isinstance(error.message, str) and error.message.strip(), error
        assert isinstance(error.accepted, str) and error.accepted.strip(), error
        assert str(error).strip()


def assert_contract_body(body: dict) -> None:
    for name, value in body.items():
        if name in ("title",):
            assert isinstance(value, str) and 1 <= len(value) <= 255 and value == value.strip()
        elif name == "description":
            assert isinstance(value, str) and 1 <= len(value) <= MAX_DESCRIPTION
        elif name in ("impact_score", "complexity_score"):
            assert type(value) is float and 0 <= value <= 100
        elif name == "time_saved_hours":
            assert type(value) is float and 0 <= value <= 1e6
        elif name == "business_value":
            assert isinstance(value, str)  # the collector refuses a number (422)
            amount = parse_business_value(value)
            assert amount is not None and 0 <= amount <= 1e12
        elif name == "portfolio_ready":
            assert isinstance(value, bool)
        elif name == "tags":
            assert isinstance(value, list) and len(value) <= MAX_TAGS and len(set(value)) == len(value)
            assert all(isinstance(t, str) and t and t == t.strip() and len(t) <= MAX_TAG_LENGTH for t in value)


@given(achievements(), changes)
@examples(400)
@covers(VALIDATE_CHANGES)
def test_validate_changes_gives_a_valid_body_or_named_errors(current, raw_changes):
    body, errors = validate_changes(current, raw_changes)
    assert isinstance(body, dict)
    assert set(body) <= set(EDITABLE_FIELDS)
    assert_contract_body(body)
    assert_clear(errors, raw_changes)
    # Every field that cannot be edited is refused by name; the rest is written, refused or unchanged.
    foreign = [name for name in raw_changes if name not in EDITABLE_FIELDS]
    assert len([e for e in errors if e.message == "cannot be edited here"]) == len(foreign)
    for name in raw_changes:
        if name in EDITABLE_FIELDS:
            assert (name in body) + any(e.field == name for e in errors) <= 1


@given(achievements(), st.sampled_from(["title", "impact_score", "portfolio_ready", "tags", "business_value"]))
@examples(100)
@covers(VALIDATE_CHANGES)
def test_sending_the_stored_value_back_writes_nothing(current, name):
    value = current.value_amount if name == "business_value" else getattr(current, name)
    if (
        value is None
        or (name == "title" and not current.title.strip())
        or (name == "tags" and current.tags != [t.strip() for t in current.tags if t.strip()])
    ):
        return
    if name == "title" and current.title != current.title.strip():
        return
    body, errors = validate_changes(current, {name: value})
    if not errors:
        assert body == {}


@given(achievements(), st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False).map(float))
@examples(150)
@covers(VALIDATE_CHANGES)
def test_an_edited_amount_is_written_in_the_stored_form_and_reads_back(current, amount):
    body, errors = validate_changes(current, {"business_value": amount})
    assert errors == []
    if amount == current.value_amount:
        assert body == {}
    else:
        assert parse_business_value(body["business_value"]) == amount
        stored = (current.business_value or "").strip()
        if stored.startswith("{"):
            assert body["business_value"].startswith("{") and "currency" in body["business_value"]


@given(st.dictionaries(st.sampled_from(ALL_FIELDS + ("unknown",)), field_values, max_size=14))
@examples(400)
@covers(VALIDATE_NEW)
def test_validate_new_gives_a_post_body_or_named_errors(form):
    body, errors = validate_new(form)
    assert isinstance(body, dict)
    assert_clear(errors, ALL_FIELDS)
    assert_contract_body(body)
    if not errors:
        for required in ("title", "description", "category", "started_at", "completed_at"):
            assert required in body
        assert body["category"] in CATEGORIES and body["source_type"] in SOURCE_TYPES
        started = datetime.fromisoformat(body["started_at"])
        completed = datetime.fromisoformat(body["completed_at"])
        assert started.tzinfo is None and completed.tzinfo is None and started <= completed
        if "source_url" in body:
            assert body["source_url"].startswith(("http://", "https://"))


@given(
    st.sampled_from(["started_at", "completed_at"]), st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
)
@examples(150)
@covers(VALIDATE_NEW)
def test_dates_with_an_offset_are_stored_in_utc(name, text):
    form = {
        "title": "t",
        "description": "d",
        "category": "feature",
        "started_at": "2000-01-01",
        "completed_at": "2000-01-01",
        name: text,
    }
    body, errors = validate_new(form)
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None or any(e.field == name for e in errors):
        return
    stored = datetime.fromisoformat(body[name]) if name in body else None
    if stored is not None:
        assert stored == (moment - moment.utcoffset()).replace(tzinfo=None)


events = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "colId": st.one_of(st.sampled_from(EDITABLE_FIELDS), st.none(), st.integers(), st.text(max_size=5)),
                "value": field_values,
            },
            optional={
                "data": st.one_of(
                    st.fixed_dictionaries(
                        {
                            "id": st.one_of(
                                st.integers(-5, 10),
                                st.text(max_size=4),
                                st.none(),
                                st.floats(),
                                st.lists(st.integers(), max_size=2),
                            )
                        },
                        optional={"updated_at": st.one_of(st.none(), st.text(max_size=20), st.integers())},
                    ),
                    json_values,
                ),
                "rowId": st.one_of(st.integers(0, 5), st.text(max_size=3)),
                "newValue": field_values,
            },
        ),
        json_values,
    ),
    max_size=8,
)


@given(st.one_of(events, json_values))
@examples(400)
@covers(GROUP)
def test_group_cell_changes_gives_one_batch_per_row(batch):
    grouped = group_cell_changes(batch)
    assert isinstance(grouped, list)
    ids = [row_id for row_id, _, _ in grouped]
    assert len(ids) == len(set(ids))
    for row_id, row_changes, stamp in grouped:
        assert type(row_id) is int
        assert isinstance(row_changes, dict) and row_changes
        assert all(isinstance(column, str) for column in row_changes)
        assert stamp is None or isinstance(stamp, str)


@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from(EDITABLE_FIELDS), st.integers()), max_size=12))
@examples(150)
@covers(GROUP)
def test_the_last_value_of_a_cell_wins(cells):
    batch = [
        {"data": {"id": row, "updated_at": "2025-01-01T00:00:00"}, "colId": column, "value": value}
        for row, column, value in cells
    ]
    grouped = {row_id: row_changes for row_id, row_changes, _ in group_cell_changes(batch)}
    expected: dict = {}
    for row, column, value in cells:
        expected.setdefault(row, {})[column] = value
    assert grouped == expected
