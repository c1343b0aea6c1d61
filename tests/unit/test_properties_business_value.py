"""Property tests of the business_value reader and writer (issues 6 and 12).

Any text reads to a finite amount or None, never an exception; only a number marked as money (or
a whole text that is a number, or a money-named JSON key) is money, so traps put around an amount
never change it; the span of a reading lies in the text and holds a digit; an amount written back
keeps the form it came in (JSON keeps its other keys, words stay) and reads back as itself.
"""

from __future__ import annotations

import json
import math
import re

from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.business_value import (
    MONEY_KEYS,
    format_money,
    parse_business_value,
    read_business_value,
    unreadable_reason,
    write_business_value,
)
from tests.unit.business_value_forms import FORMS
from tests.unit.test_properties_common import covers, examples, json_values

PARSE = "dashboard.domain.business_value.parse_business_value"
READ = "dashboard.domain.business_value.read_business_value"
WRITE = "dashboard.domain.business_value.write_business_value"

digits = st.text("0123456789", min_size=1, max_size=8)
unicode_digits = st.text("٠١٢٣٤٥٦٧٨٩०१२३४५६७८९０１２３４５６７８９", min_size=1, max_size=6)
markers = st.sampled_from(["$", "USD ", "€", "$ ", "US$", "£", "CHF ", "¥", "₹", "A$"])
suffixes = st.sampled_from([" USD", " EUR", "€", " dollars", " bucks", " GBP"])
words = st.sampled_from(["", "about ", "saved ", "~", "≈ ", "over ", "roughly "])
tails = st.sampled_from(["", " annual value", " per year", "/yr", " saved", " (est.)", "!", " a month", "+"])
amounts = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(float),
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False).map(float),
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 2)),
)
"""Amounts the edit validator lets through: 0 to 1e12, cents."""


@st.composite
def marked_amounts(draw) -> tuple[str, float, float | None]:
    """(a money expression, its amount, its upper bound) in the forms people write."""
    kind = draw(st.sampled_from(["grouped", "plain", "scaled", "range", "suffix", "locale", "word"]))
    number = int(draw(digits))
    if kind == "grouped":
        cents = draw(st.sampled_from(["", ".5", ".25"]))
        return draw(markers) + f"{number:,}" + cents, float(f"{number}{cents or ''}"), None
    if kind == "plain":
        return draw(markers) + str(number), float(number), None
    if kind == "scaled":
        magnitude, power = draw(
            st.sampled_from(
                [
                    ("k", 3),
                    ("K", 3),
                    ("M", 6),
                    ("m", 6),
                    ("bn", 9),
                    ("B", 9),
                    (" million", 6),
                    (" billion", 9),
                    ("MM", 6),
                ]
            )
        )
        base = draw(st.sampled_from(["1", "2.5", "12", "150", "7.25", "999"]))
        return draw(markers) + base + magnitude, float(f"{base}e{power}"), None
    if kind == "range":
        low = draw(st.integers(1, 99))
        high = draw(st.integers(low + 1, 999))
        dash = draw(st.sampled_from(["-", "–", "—"]))
        return f"${low}{dash}{high}K", float(low * 1000), float(high * 1000)
    if kind == "suffix":
        return f"{number:,}" + draw(suffixes), float(number), None
    if kind == "locale":
        grouped = f"{number:,}".replace(",", draw(st.sampled_from([".", " ", "\u00a0", "\u202f"])))
        return grouped + " €", float(number), None
    return f"{number} grand", float(number * 1000), None


@st.composite
def seen_forms(draw) -> str:
    """Every business_value form the collector stores, and the forms people type."""
    kind = draw(st.sampled_from(["bare", "money", "scaled", "range", "json", "unicode", "signed"]))
    number = draw(digits)
    if kind == "bare":
        return number
    if kind == "money":
        return draw(words) + draw(marked_amounts())[0] + draw(tails)
    if kind == "scaled":
        return number + draw(st.sampled_from(["k", "K", "m", "M", "b", " k", "B", "bn", " million"]))
    if kind == "range":
        return f"${number} - ${draw(digits)}" + draw(tails)
    if kind == "unicode":
        return draw(markers) + draw(unicode_digits) + draw(tails)
    if kind == "signed":
        return draw(st.sampled_from(["-", "+", "-$", "$-", "USD -"])) + number + draw(tails)
    key = draw(st.sampled_from(["total_value", "value", "amount", "savings", "other"]))
    value = draw(
        st.one_of(
            st.integers(),
            st.floats(),
            digits,
            st.none(),
            st.booleans(),
            json_values,
            marked_amounts().map(lambda m: m[0]),
        )
    )
    extra = draw(
        st.dictionaries(
            st.sampled_from(["currency", "period", "confidence", "method", "unit"]), json_values, max_size=3
        )
    )
    return json.dumps({key: value, **extra})


raw_values = st.one_of(
    st.none(),
    seen_forms(),
    st.text(max_size=60),
    st.text('0123456789,.$-+kmbKMB {}[]":etotal_value', max_size=40),
    st.text("0123456789,.'’ -–$€%kKMx#Q", max_size=40),
    st.integers(min_value=300, max_value=400).map(lambda n: "9" * n + "k"),
    st.integers(min_value=0, max_value=400).map(lambda n: "[" * n),
    st.just("[" * 5_000),
    st.just('{"total_value": 1' + "0" * 400 + "}"),
    st.just("$1" + "0" * 400),
    json_values.map(lambda v: json.dumps(v)),
    st.sampled_from([f.raw for f in FORMS]),
)


@given(raw_values)
@examples(400)
@covers(PARSE, READ)
def test_any_text_reads_to_a_finite_amount_or_none(raw):
    amount = parse_business_value(raw)
    assert amount is None or (type(amount) is float and math.isfinite(amount)), amount
    assert isinstance(format_money(amount), str)
    reading = read_business_value(raw)
    if reading is None:
        assert isinstance(unreadable_reason(raw), str) and unreadable_reason(raw)
    else:
        assert unreadable_reason(raw) is None
        assert reading.upper is None or (math.isfinite(reading.upper) and reading.upper > reading.amount)
        assert reading.how in ("marked", "bare", "json") and reading.amounts_seen >= 1
        assert isinstance(reading.describe(raw), str)


@given(st.one_of(raw_values, st.text(min_size=1, max_size=80)))
@examples(400)
@covers(READ)
def test_the_span_lies_in_the_text_and_holds_a_digit(raw):
    reading = read_business_value(raw)
    if reading is not None:
        assert 0 <= reading.start < reading.end <= len(raw)
        assert any(c.isdigit() for c in raw[reading.start : reading.end]), (raw, reading)


# (1) No marker, no money ---------------------------------------------------------------------

plain_words = st.sampled_from(
    [
        "saved",
        "latency",
        "engineers",
        "hours",
        "tickets",
        "the",
        "roadmap",
        "faster",
        "per",
        "week",
        "users",
        "team",
        "cut",
        "by",
        "in",
        "to",
        "and",
        "from",
        "between",
        "about",
        "over",
        "up",
        "on",
        "releases",
        "Q3",
        "H1",
        "FY26",
        "v1.2",
        "v2.3.1",
        "PR-42",
        "#1234",
        "JIRA-123",
        "ABC-99",
        "2026-03-01",
        "10:30",
        "03/01/2026",
        "x86",
        "k8s",
        "3rd",
        "24h",
        "2x",
        "10×",
        "35%",
        "120",
        "1,200",
        "1.5",
        "45.000",
        "12,34,567",
        "5k",
        "1.5M",
        "3 engineers",
        "2h/week",
        "-5",
        "~40",
        "+1 555 123 4567",
        "(555)",
        "1 000",
        "150ms",
        "3 days",
        "40 min",
        "Q3 2026",
        "1e6",
        "12.5%",
        "100k requests",
        "10-15",
        "4-6k",
        "between 4 and 6k",
        "2025-2026",
        "million",
        "thousand",
        "k",
    ]
).filter(bool)
separators = st.sampled_from([" ", ", ", "; ", " - ", " (", ") ", "/", " — ", ": ", ". "])


@st.composite
def unmarked_texts(draw) -> str:
    parts = draw(st.lists(plain_words, min_size=1, max_size=8))
    text = ""
    for part in parts:
        text += (draw(separators) if text else "") + part
    word = draw(st.sampled_from(["saved", "roadmap", "engineers", "faster", "Q3", "latency"]))
    return text + " " + word if draw(st.booleans()) else word + " " + text


@given(unmarked_texts())
@examples(400)
@covers(READ)
def test_no_amount_is_read_from_text_without_a_currency_marker(raw):
    assert read_business_value(raw) is None, (raw, read_business_value(raw))


@given(st.one_of(digits, st.sampled_from(["75,000", "1.5M", "150k", "1,234.56", "1.5 million", "10-15k", "45.000"])))
@examples(100)
@covers(READ)
def test_a_whole_text_that_is_a_number_is_money(raw):
    reading = read_business_value(raw)
    assert reading is not None and reading.how == "bare" and reading.currency == "USD", raw


# (2) Traps around an amount never change it ---------------------------------------------------

traps = st.sampled_from(
    [
        "35%",
        "cut latency 40%",
        "2h/week",
        "120 hours",
        "3 days",
        "40 min",
        "150ms",
        "3 engineers",
        "120 tickets",
        "2x faster",
        "10× fewer pages",
        "Q3",
        "Q3 2026",
        "H1",
        "FY26",
        "in 2026",
        "v2.3",
        "1.2.3",
        "PR #1234",
        "PR-42",
        "JIRA-123",
        "ABC-99",
        "on 2026-03-01",
        "at 10:30",
        "03/01/2026",
        "call +1 555 123 4567",
        "3rd",
        "24h",
        "12 regions",
        "4 sprints",
        "99.9% uptime",
    ]
)
around = st.sampled_from([" ", ", ", "; ", " (", ") ", " — ", ": ", " and ", ". "])


@given(marked_amounts(), st.lists(st.tuples(st.booleans(), traps, around), max_size=4), words, tails)
@examples(400)
@covers(READ)
def test_traps_put_around_a_marked_amount_never_change_it(amount, inserted, word, tail):
    expression, value, upper = amount
    text = word + expression + tail
    for before, trap, glue in inserted:
        text = trap + glue + text if before else text + glue + trap
    reading = read_business_value(text)
    assert reading is not None, text
    assert (reading.amount, reading.upper) == (value, upper), (text, reading)
    assert text[reading.start : reading.end].strip(" ~≈+") == expression.strip(), (text, reading)


# (3) Write, then read: the same amount ----------------------------------------------------------


@given(st.sampled_from(FORMS), amounts)
@examples(400)
@covers(WRITE)
def test_every_form_in_the_table_round_trips(form, amount):
    before = read_business_value(form.raw)
    written = write_business_value(form.raw, amount)
    after = read_business_value(written)
    assert after is not None and after.amount == amount, (form.raw, amount, written)
    if before is not None:
        assert after.currency == before.currency, (form.raw, written)
        if before.amounts_seen == 1:
            assert after.upper is None, (form.raw, written)  # a range becomes the single amount
    if form.kind == "json":
        old, new = json.loads(form.raw), json.loads(written)
        assert not isinstance(old, dict) or set(old) <= set(new), (form.raw, written)  # JSON keeps its keys
        return
    outside = form.raw if before is None else form.raw[: before.start] + " " + form.raw[before.end :]
    for word in re.findall(r"[^\W\d_]{4,}", outside):
        if word.lower() not in ("between", "from"):  # a range becomes one amount: "between" goes
            assert word in written, (form.raw, written, word)  # the words stay


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
    changed = {
        k
        for k in after
        if k not in before or after[k] != before[k] and not (isinstance(before[k], float) and math.isnan(before[k]))
    }
    read_from = {k for k, v in before.items() if read_business_value(json.dumps(v)) is not None}
    assert changed <= set(MONEY_KEYS) | read_from, (before, after)
    assert set(before) <= set(after)


@given(
    st.sampled_from(
        [
            "$162,500 annual value",
            "75000",
            "about $5,000 saved",
            "USD 12.5 per year",
            "Cut latency 35%, about $102,500/yr in compute",
            "45.000 EUR",
            "€ 1.234,56 pro Jahr",
        ]
    ),
    amounts,
)
@examples(100)
@covers(WRITE)
def test_text_keeps_its_words(raw, amount):
    written = write_business_value(raw, amount)
    first_digit = next(i for i, c in enumerate(raw) if c.isdigit())
    assert written.startswith(raw[:first_digit])  # the words and the marker before the amount
    reading = read_business_value(raw)
    assert written.endswith(raw[reading.end :])  # and the words after it
    grouping = raw[reading.start : reading.end]
    if "," in grouping and amount >= 1000 and "EUR" not in raw and "€" not in raw:
        assert "," in written  # "$162,500" groups thousands: "$1,700,000" does too


@given(
    st.one_of(st.none(), seen_forms()),
    st.one_of(st.floats(max_value=-0.01), st.just(math.nan), st.just(math.inf), st.just(-math.inf)),
)
@examples(100)
@covers(WRITE)
def test_writing_a_negative_or_non_finite_amount_is_refused_clearly(raw, amount):
    try:
        write_business_value(raw, amount)
    except ValueError as exc:
        assert str(exc) == "business value must be a non-negative amount"
    else:
        raise AssertionError(f"wrote {amount!r}")


@given(st.one_of(st.none(), st.floats(allow_nan=False), st.integers(min_value=-(10**15), max_value=10**15)))
@examples(150)
@covers("dashboard.domain.business_value.format_money")
def test_format_money_is_a_short_dollar_text(amount):
    text = format_money(amount)
    assert text == "—" if amount is None else "$" in text and len(text) < 40 or abs(amount) >= 1e12


@given(
    st.one_of(
        st.none(),
        st.just("75000"),
        st.just('{"total_value": 1, "currency": "USD"}'),
        st.just('"75000"'),
        st.just('{"value": "5000"}'),
    ),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
)
@examples(200)
@covers(WRITE)
def test_any_finite_amount_in_a_bare_or_json_form_reads_back_exactly(raw, amount):
    # repr(1e16) is "1e+16": written that way it would read back as 1.
    assert parse_business_value(write_business_value(raw, amount)) == amount


@given(
    st.sampled_from(["Unblocked the Q3 roadmap", "Saved 120 hours", "priceless", "2x faster", "x" * 4_100]),
    amounts,
    st.sampled_from(["USD", "EUR", "GBP", "CAD", "CHF", "JPY", "INR", "SEK"]),
)
@examples(100)
@covers(WRITE)
def test_text_with_no_amount_keeps_its_words_and_gets_one(raw, amount, currency):
    written = write_business_value(raw, amount, currency)
    assert raw in written
    reading = read_business_value(written, currency)
    assert reading is not None, written
    assert (reading.amount, reading.currency) == (amount, currency), written
