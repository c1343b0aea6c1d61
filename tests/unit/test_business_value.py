import json

import pytest

from dashboard.business_value import format_money, parse_business_value, write_business_value

RECORDED_JSON = json.dumps({
    "total_value": 162500, "currency": "USD", "period": "yearly", "type": "cost_reduction",
    "confidence": 0.79, "method": "time_saved_hours * hourly_rate",
})


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        (RECORDED_JSON, 162500.0),
        ('{"total_value": "5000.50", "currency": "USD"}', 5000.5),
        ("$162,500 annual value", 162500.0),
        ("75000", 75000.0),
        ("  1,234.5 ", 1234.5),
        ("$1.2M per year", 1_200_000.0),
        ("about 40k saved", 40_000.0),
        (None, None),
        ("", None),
        ("priceless", None),
        ('{"currency": "USD"}', None),
        ("{not json", None),
        ('{"total_value": "NaN"}', None),
        ('{"total_value": true}', None),
    ],
)
def test_parse_every_seen_form(raw, amount):
    assert parse_business_value(raw) == amount


def test_write_keeps_json_keys():
    written = write_business_value(RECORDED_JSON, 170000)
    data = json.loads(written)
    assert data["total_value"] == 170000
    assert data["currency"] == "USD" and data["confidence"] == 0.79
    assert parse_business_value(written) == 170000


@pytest.mark.parametrize(
    ("raw", "amount", "expected"),
    [
        ("$162,500 annual value", 170000, "$170,000 annual value"),
        ("75000", 80000.5, "80000.5"),
        (None, 5, "5"),
        ("priceless", 10, "10"),
    ],
)
def test_write_keeps_text_form(raw, amount, expected):
    assert write_business_value(raw, amount) == expected
    assert parse_business_value(expected) == amount


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
def test_write_refuses_what_is_not_an_amount(bad):
    with pytest.raises(ValueError, match="non-negative"):
        write_business_value("1", bad)


@pytest.mark.parametrize(
    ("amount", "text"),
    [(None, "—"), (950, "$950"), (1000, "$1k"), (162500, "$162.5k"), (2_672_002.42, "$2.7M"), (3e9, "$3B")],
)
def test_format_money(amount, text):
    assert format_money(amount) == text
