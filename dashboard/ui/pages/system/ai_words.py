"""The orchestrator's free-form `ai_metrics` in words: labelled values with units, and one small
table per nested mapping (model usage: Model | Requests | Tokens | Cost).

The contract leaves `ai_metrics` open, so anything may arrive: known keys get their own label and
unit, an unknown key is humanised (its unit suffix read, never left in the label), and every
output is bounded (a few metrics, rows and columns, each text cut short) whatever the input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

MAX_METRICS, MAX_TABLES, MAX_ROWS, MAX_COLUMNS, MAX_TEXT = 8, 3, 8, 5, 60


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def _seconds(value: float) -> str:
    return f"{value:,.1f} s"


def _percent(value: float) -> str:
    return f"{value:,.1f} %"


def _plain(value: float) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


Formatter = Callable[[float], str]
KNOWN: dict[str, tuple[str, Formatter]] = {
    "avg_latency_ms": ("Average latency", _ms),
    "total_cost_24h": ("Cost (24 h)", _money),
    "cost_today_usd": ("Cost today", _money),
    "cost_usd": ("Cost", _money),
    "tokens_used_today": ("Tokens today", _plain),
    "avg_quality_score": ("Average quality", _plain),
    "confidence_trend": ("Confidence trend", _plain),
    "security_incidents_24h": ("Security incidents (24 h)", _plain),
    "active_alerts": ("Active alerts", _plain),
    "requests": ("Requests", _plain),
    "tokens": ("Tokens", _plain),
}
TABLE_NAMES = {"model_usage": ("Model usage", "Model")}
# A unit suffix of an unknown key: read as the value's unit, dropped from the label.
SUFFIXES: tuple[tuple[str, str, Formatter], ...] = (
    ("_ms", "", _ms),
    ("_seconds", "", _seconds),
    ("_s", "", _seconds),
    ("_usd", "", _money),
    ("_percent", "", _percent),
    ("_pct", "", _percent),
    ("_24h", " (24 h)", _plain),
    ("_1h", " (1 h)", _plain),
)
WORDS = {"avg": "average", "num": "number", "cnt": "count", "ai": "AI", "api": "API", "llm": "LLM"}


@dataclass(frozen=True)
class Metric:
    label: str
    value: str


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    more: int = 0
    """Rows left out beyond MAX_ROWS."""


@dataclass(frozen=True)
class AiWords:
    metrics: tuple[Metric, ...]
    tables: tuple[Table, ...]


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def humanise(key: object) -> str:
    """`avg_queue_depth` -> "Average queue depth"; any object, any length, never empty."""
    words = [WORDS.get(word.lower(), word) for word in str(key)[:MAX_TEXT].replace("-", "_").split("_") if word]
    text = " ".join(words)
    return _cut(text[:1].upper() + text[1:]) or "—"


def label_and_format(key: object) -> tuple[str, Formatter]:
    """The label and the value's formatter of a key: its own if known, else read from its suffix."""
    name = str(key)[:MAX_TEXT]
    if name in KNOWN:
        return KNOWN[name]
    lowered = name.lower()
    for suffix, label_tail, formatter in SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            inner_label, inner_format = label_and_format(name[: -len(suffix)])
            return _cut(inner_label + label_tail), formatter if formatter is not _plain else inner_format
    return humanise(name), _plain


def format_value(value: Any, formatter: Formatter = _plain) -> str:
    """A value as a person reads it: numbers through `formatter`, words as they are, cut short."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return "—"
        return _cut(formatter(value))
    if isinstance(value, dict):
        return f"{len(value):,} {'entry' if len(value) == 1 else 'entries'}"
    if isinstance(value, (list, tuple)):
        return _cut(", ".join(format_value(item) for item in value[:MAX_COLUMNS])) or "none"
    text = str(value)[: MAX_TEXT * 2]
    return _cut(text[:1].upper() + text[1:]) or "—"


def ai_words(ai: object) -> AiWords:
    """The metrics (plain values) and tables (nested mappings) of `ai_metrics`, bounded."""
    if not isinstance(ai, dict):
        return AiWords((), ())
    metrics: list[Metric] = []
    tables: list[Table] = []
    for key, value in ai.items():
        if isinstance(value, dict):
            if len(tables) < MAX_TABLES and value:
                tables.append(_table(key, value))
        elif len(metrics) < MAX_METRICS:
            label, formatter = label_and_format(key)
            metrics.append(Metric(label, format_value(value, formatter)))
    return AiWords(tuple(metrics), tuple(tables))


def _name(name: object) -> str:
    return _cut(str(name)[: MAX_TEXT * 2]) or "—"


def _table(key: object, entries: dict) -> Table:
    title, first = TABLE_NAMES.get(str(key), (humanise(key), "Name"))
    fields: list = []
    for inner in entries.values():
        if isinstance(inner, dict):
            for field, cell in inner.items():
                if field not in fields and not isinstance(cell, dict) and len(fields) < MAX_COLUMNS:
                    fields.append(field)
    shown = list(entries.items())[:MAX_ROWS]
    if not fields:  # name -> a plain value
        pairs = tuple((_name(name), format_value(inner)) for name, inner in shown)
        return Table(title, (first, "Value"), pairs, len(entries) - len(shown))
    formats = [label_and_format(field) for field in fields]
    rows = tuple(
        (
            _name(name),
            *(
                format_value(inner.get(field), formatter) if isinstance(inner, dict) else "—"
                for field, (_, formatter) in zip(fields, formats)
            ),
        )
        for name, inner in shown
    )
    return Table(title, (first, *(label for label, _ in formats)), rows, len(entries) - len(shown))
