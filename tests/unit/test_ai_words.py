"""The System page's AI metrics in words: known keys, unknown keys, and whatever else may arrive."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.ui.pages.system.ai_words import (
    MAX_COLUMNS,
    MAX_METRICS,
    MAX_ROWS,
    MAX_TABLES,
    MAX_TEXT,
    ai_words,
    format_value,
    humanise,
    label_and_format,
)

UNIT_SUFFIXES = ("_ms", "usd", "_24h", "_pct", "_s")


@pytest.mark.parametrize(
    ("key", "value", "label", "text"),
    [
        ("avg_latency_ms", 1049.4, "Average latency", "1,049 ms"),
        ("total_cost_24h", 1.164, "Cost (24 h)", "$1.16"),
        ("cost_today_usd", 1.82, "Cost today", "$1.82"),
        ("tokens_used_today", 48210, "Tokens today", "48,210"),
        ("security_incidents_24h", 0, "Security incidents (24 h)", "0"),
        ("confidence_trend", "improving", "Confidence trend", "Improving"),
        # unknown keys: humanised, the unit read from the suffix and gone from the label
        ("queue_wait_ms", 12.6, "Queue wait", "13 ms"),
        ("embedding_spend_usd", 3, "Embedding spend", "$3.00"),
        ("p95_api_latency_ms", 80, "P95 API latency", "80 ms"),
        ("errors_24h", 1234, "Errors (24 h)", "1,234"),
        ("cache_hit_pct", 97.26, "Cache hit", "97.3 %"),
        ("avg_wait_s", 2.25, "Average wait", "2.2 s"),
        ("retries_cost_usd_24h", 0.5, "Retries cost (24 h)", "$0.50"),
        ("flag", True, "Flag", "yes"),
        ("nothing", None, "Nothing", "—"),
        ("not_a_number", math.nan, "Not a number", "—"),
    ],
)
def test_a_metric_reads_as_label_and_value_with_its_unit(key, value, label, text):
    (metric,) = ai_words({key: value}).metrics
    assert (metric.label, metric.value) == (label, text)


def test_a_nested_mapping_is_a_table_with_a_column_per_field():
    words = ai_words(
        {
            "model_usage": {
                "gpt-4o": {"requests": 1200, "tokens": 187040, "cost_usd": 0.94},
                "mini": {"requests": 3, "latency_ms": 812.2},
                "odd": "not a mapping",
            },
            "per_region": {"eu": 3, "us": 4.5},
        }
    )
    usage, regions = words.tables
    assert usage.columns == ("Model", "Requests", "Tokens", "Cost", "Latency")
    assert usage.rows == (
        ("gpt-4o", "1,200", "187,040", "$0.94", "—"),
        ("mini", "3", "—", "—", "812 ms"),
        ("odd", "—", "—", "—", "—"),
    )
    assert (regions.title, regions.columns, regions.rows) == (
        "Per region",
        ("Name", "Value"),
        (("eu", "3"), ("us", "4.5")),
    )


def test_a_huge_input_gives_a_bounded_output():
    ai = {f"metric_{i}_ms": i for i in range(500)}
    ai.update({f"table_{i}": {f"row{j}": {f"col{k}": k for k in range(50)} for j in range(100)} for i in range(20)})
    ai["x" * 100_000] = "y" * 100_000
    words = ai_words(ai)
    assert len(words.metrics) == MAX_METRICS and len(words.tables) == MAX_TABLES
    for table in words.tables:
        assert len(table.rows) == MAX_ROWS and table.more == 100 - MAX_ROWS
        assert len(table.columns) == MAX_COLUMNS + 1


@pytest.mark.parametrize("ai", [None, [], "text", 3, {"": 1}, {"_": {"": {"": {}}}}, {"a": {"b": {"c": {"d": 1}}}}])
def test_odd_shapes_never_raise(ai):
    ai_words(ai)


def test_no_unit_suffix_is_left_in_a_label():
    for key in ("latency_ms", "spend_usd", "x_24h", "ratio_pct", "wait_s", "total_cost_24h", "avg_latency_ms"):
        label, _ = label_and_format(key)
        assert not label.lower().endswith(UNIT_SUFFIXES) and "_" not in label, label


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=200),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=30), inner, max_size=5),
    max_leaves=40,
)


@given(st.dictionaries(st.text(max_size=80), json_values, max_size=12))
def test_any_json_is_words_of_bounded_length(ai):
    words = ai_words(ai)
    texts = [t for m in words.metrics for t in (m.label, m.value)]
    texts += [cell for table in words.tables for cell in (table.title, *table.columns, *sum(table.rows, ()))]
    assert all(isinstance(text, str) and 0 < len(text) <= MAX_TEXT for text in texts)


@pytest.mark.parametrize(("key", "text"), [("", "—"), ("__", "—"), ("ünïcødé_größe", "Ünïcødé größe"), (7, "7")])
def test_humanise_any_key(key, text):
    assert humanise(key) == text


def test_format_value_of_containers_and_huge_numbers():
    assert format_value([1, 2, 3]) == "1, 2, 3"
    assert (format_value({"a": 1}), format_value({"a": 1, "b": 2})) == ("1 entry", "2 entries")
    assert len(format_value(10**200)) <= MAX_TEXT
