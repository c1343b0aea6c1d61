"""Property tests of the business_value parser and writer (issue 6).

Any text parses to a finite amount or None ("unparsed"), never an exception; an amount written
back keeps the form it came in (JSON keeps its other keys, words stay) and reads back as itself.
"""

from __future__ import annotations

import json
import math

from hypothesis import given, strategies as st

from dashboard.business_value import format_money, parse_business_value, write_business_value
from tests.unit.test_properties_common import covers, examples, json_values

PARSE = "dashboard.business_value.parse_business_value"
WRITE = "dashboard.business_value.write_business_value"

digits = st.text("0123456789", min_size=1, max_size=8)
unicode_digits = st.text("٠١٢٣٤٥٦٧٨٩०१२३४५६७८९０１２３４５６７８９", min_size=1, max_size=6)
words = st.sampled_from(["", "$", "USD ", "about ", "saved ", "€", "~"])
tails = st.sampled_from(["", " annual value", " per year", "/yr", " saved", " (est.)", "!"])
amounts = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(float),
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False).map(float),
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2)),
)
"""Amounts the edit validator lets through: 0 to 1e12, cents."""


@st.composite
def seen_forms(draw) -> str:
    """Every business_value form the collector stores, and the forms people type."""
    kind = draw(st.sampled_from(["bare", "money", "scaled", "range", "json", "unicode", "signed"]))
    number = draw(digits)
    if kind == "bare":
        return number
    if kind == "money":
        grouped = f"{int(number):,}" + draw(st.sampled_from(["", ".5", ".25"]))
        return draw(words) + grouped + draw(tails)
    if kind == "scaled":
        return draw(words) + number + draw(st.sampled_from(["k", "K", "m", "M", "b", " k", "B"])) + draw(tails)
    if kind == "range":
        return f"${number} - ${draw(digits)}" + draw(tails)
    if kind == "unicode":
        return draw(words) + draw(unicode_digits) + draw(tails)
    if kind == "signed":
        return draw(st.sampled_from(["-", "+", "--", ".-", "+-"])) + number + draw(tails)
    key = draw(st.sampled_from(["total_value", "value", "amount", "other"]))
    value = draw(st.one_of(st.integers(), st.floats(), digits, st.none(), st.booleans(), json_values))
    extra = draw(st.dictionaries(st.sampled_from(["currency", "period", "confidence", "method"]), json_values,
                                 max_size=3))
    return json.dumps({key: value, **extra})


raw_values = st.one_of(
    st.none(), seen_forms(), st.text(max_size=60),
    st.text("0123456789,.$-+kmbKMB {}[]\":etotal_value", max_size=40),
    st.integers(min_value=300, max_value=400).map(lambda n: "9" * n + "k"),
    st.integers(min_value=0, max_value=400).map(lambda n: "[" * n),
    st.just("[" * 5_000), st.just('{"total_value": 1' + "0" * 400 + "}"),
    json_values.map(lambda v: json.dumps(v)),
)


@given(raw_values)
@examples(400)
@covers(PARSE)
def test_parse_gives_a_finite_amount_or_none(raw):
    amount = parse_business_value(raw)
    assert amount is None or (type(amount) is float and math.isfinite(amount)), amount
    assert isinstance(format_money(amount), str)


@given(seen_forms())
@examples(200)
@covers(PARSE)
def test_every_seen_form_with_digits_reads_as_a_number(raw):
    amount = parse_business_value(raw)
    if not raw.startswith("{"):  # JSON may hold no amount at all
        assert amount is not None, raw


@given(st.one_of(st.none(), seen_forms(), st.text(max_size=40)), amounts)
@examples(400)
@covers(PARSE, WRITE)
def test_written_amount_reads_back_as_itself(raw, amount):
    written = write_business_value(raw, amount)
    assert isinstance(written, str) and written.strip()
    assert parse_business_value(written) == amount, (raw, amount, written)


@given(seen_forms().filter(lambda raw: raw.startswith("{")), amounts)
@examples(150)
@covers(WRITE)
def test_json_keeps_its_other_keys(raw, amount):
    before = json.loads(raw)
    after = json.loads(write_business_value(raw, amount))
    changed = {k for k in after if k not in before or after[k] != before[k]
               and not (isinstance(before[k], float) and math.isnan(before[k]))}
    assert changed <= {"total_value", "value", "amount"}, (before, after)
    assert set(before) <= set(after)


@given(st.sampled_from(["$162,500 annual value", "75000", "about $5,000 saved", "USD 12.5 per year"]), amounts)
@examples(100)
@covers(WRITE)
def test_text_keeps_its_words(raw, amount):
    written = write_business_value(raw, amount)
    prefix = raw[: next(i for i, c in enumerate(raw) if c.isdigit())]
    assert written.startswith(prefix.rstrip("$ ").strip() or "") and written.endswith(raw.rstrip("0123456789.,")[-6:])
    assert ("," in raw) == ("," in written) or amount < 1000


@given(st.one_of(st.none(), seen_forms()),
       st.one_of(st.floats(max_value=-0.01), st.just(math.nan), st.just(math.inf), st.just(-math.inf)))
@examples(100)
@covers(WRITE)
def test_writing_a_negative_or_non_finite_amount_is_refused_clearly(raw, amount):
    try:
        write_business_value(raw, amount)
    except ValueError as exc:
        assert "non-negative" in str(exc)
    else:
        raise AssertionError(f"wrote {amount!r}")


@given(st.one_of(st.none(), st.floats(allow_nan=False), st.integers(min_value=-(10**15), max_value=10**15)))
@examples(150)
@covers("dashboard.business_value.format_money")
def test_format_money_is_a_short_dollar_text(amount):
    text = format_money(amount)
    assert text == "—" if amount is None else "$" in text and len(text) < 40 or abs(amount) >= 1e12


@given(st.one_of(st.none(), st.just("75000"), st.just('{"total_value": 1, "currency": "USD"}')),
       st.floats(min_value=0, allow_nan=False, allow_infinity=False))
@examples(200)
@covers(WRITE)
def test_any_finite_amount_in_a_bare_or_json_form_reads_back_exactly(raw, amount):
    # repr(1e16) is "1e+16": written that way it would read back as 1.
    assert parse_business_value(write_business_value(raw, amount)) == amount
