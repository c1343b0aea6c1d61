"""Validation of achievement edits and new achievements, mirroring ../shared/CONTRACT.md.

The server decides: whatever the grid, a paste or a form sends, only values the contract allows
reach a backend. The achievement-collector accepts some values it then crashes on (unknown
categories, completion before start); those never leave here. Each refusal names the field,
what was wrong, and what is accepted.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Callable, Literal, Optional, get_args

from dashboard.domain.business_value import parse_business_value, write_business_value
from dashboard.domain.clock import to_naive_utc
from dashboard.domain.models import CATEGORIES, SOURCE_TYPES, Achievement
from dashboard.domain.outcomes import EditResult as EditResult  # the pages import it from here
from dashboard.domain.outcomes import FieldProblem, refusals

EDITABLE_FIELDS = (
    "title",
    "description",
    "business_value",
    "impact_score",
    "complexity_score",
    "portfolio_ready",
    "tags",
    "time_saved_hours",
)
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_DESCRIPTION = 10_000

# The names on screen (the grid's column headers, the Add form's labels): every message says
# "Impact: 150 is out of range", never "impact_score".
FIELD_LABELS = {
    "title": "Title",
    "description": "Description",
    "business_value": "Business value",
    "impact_score": "Impact",
    "complexity_score": "Complexity",
    "portfolio_ready": "Published",
    "tags": "Tags",
    "time_saved_hours": "Time saved (h)",
    "category": "Category",
    "source_type": "Source type",
    "started_at": "Started",
    "completed_at": "Completed",
    "source_url": "Source URL",
}


"""An achievement field refused (the one shape of domain/outcomes.py)."""
_refuse = refusals(FIELD_LABELS)


class _Invalid(Exception):
    def __init__(self, message: str, accepted: str):
        self.message, self.accepted = message, accepted


def _text(value: Any, *, minimum: int, maximum: int, what: str) -> str:
    text = ("" if value is None else str(value)).strip()
    if len(text) < minimum:
        raise _Invalid("must not be empty", f"{what} of {minimum}–{maximum} characters")
    if len(text) > maximum:
        raise _Invalid(f"is {len(text)} characters long", f"{what} of {minimum}–{maximum} characters")
    return text


def _float(value: Any) -> float:
    """`value` as a float, unrounded; "12,500" reads as 12500. Raises TypeError/ValueError."""
    if isinstance(value, str):
        return float(value.replace(",", "").strip())
    try:
        return float(value)
    except OverflowError:  # an integer beyond any float
        raise ValueError("too large") from None


def _number(value: Any, *, low: float, high: Optional[float], accepted: str) -> float:
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise _Invalid("is missing", accepted)
    try:
        number = _float(value)
    except (TypeError, ValueError):
        raise _Invalid(f"{str(value)[:40]!r} is not a number", accepted) from None
    if not math.isfinite(number):
        raise _Invalid("is not a finite number", accepted)
    if number < low or (high is not None and number > high):
        raise _Invalid(f"{number:g} is out of range", accepted)
    return round(number, 2)


def _score(value: Any) -> float:
    return _number(value, low=0, high=100, accepted="a number from 0 to 100")


def _amount(value: Any) -> float:
    accepted = "a non-negative amount, e.g. 12500 or $12,500"
    if isinstance(value, str):
        if value.strip().startswith("-"):
            raise _Invalid("must not be negative", accepted)
        parsed = parse_business_value(value)
        if parsed is None:
            raise _Invalid(f"{value[:40]!r} holds no amount", accepted)
        value = parsed
    return _number(value, low=0, high=1e12, accepted=accepted)


def _typed_amount(value: Any) -> str:
    """A new achievement's business value as typed ("$12,500", "45.000 EUR"), once it reads as a
    valid amount: its currency and form are the user's; a bare number stays bare."""
    amount = _amount(value)
    if isinstance(value, str) and parse_business_value(value.strip()) == amount:
        return value.strip()
    return write_business_value(None, amount)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "y", "published"):
        return True
    if text in ("false", "no", "0", "n", ""):
        return False
    raise _Invalid(f"{str(value)[:40]!r} is not yes or no", "true/false (yes/no)")


def _tags(value: Any) -> list[str]:
    accepted = f"up to {MAX_TAGS} comma-separated tags of at most {MAX_TAG_LENGTH} characters"
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise _Invalid("is not a list of tags", accepted)
    tags: list[str] = []
    for item in items:
        tag = str(item).strip()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise _Invalid(f"tag {tag[:20]!r}… is {len(tag)} characters long", accepted)
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise _Invalid(f"has {len(tags)} tags", accepted)
    return tags


def _datetime(value: Any) -> datetime:
    """Naive UTC, as the collector stores it: a time with an offset is converted, not just stripped."""
    accepted = "a date like 2026-11-25 or 2026-11-25T14:30"
    try:
        moment = (
            value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        )
        return to_naive_utc(moment)
    except ValueError:
        raise _Invalid(f"{str(value)[:40]!r} is not a date", accepted) from None
    except OverflowError:  # 0001-01-01T00:00+05:00 is before the first representable moment in UTC
        raise _Invalid(f"{str(value)[:40]!r} is out of range", accepted) from None


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    text = str(value or "").strip().lower()
    if text not in choices:
        raise _Invalid(f"{str(value)[:40]!r} is not known", ", ".join(choices))
    return text


def _source_url(value: Any) -> Optional[str]:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.startswith(("http://", "https://")) or len(text) > 2000:
        raise _Invalid("is not a web address", "an http:// or https:// URL")
    return text


def label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


EditAction = Literal["update", "undo", "redo"]
"""What an edit is: a person's own, or a step of the page's history undone or redone."""
EDIT_ACTIONS: tuple[EditAction, ...] = get_args(EditAction)


def saved_message(body: dict[str, Any], *, action: EditAction = "update") -> str:
    """'Saved Impact, Tags.' / 'Undid: Impact back to 42.' / 'Redid: Impact to 50.' in the names on screen."""
    names = [name for name in EDITABLE_FIELDS if name in body]
    if action == "update":
        return "Saved " + ", ".join(label(name) for name in names) + "."
    word, to = ("Undid", "back to") if action == "undo" else ("Redid", "to")
    values = [f"{label(name)} {to} {_shown(_editor_value_of(body, name))}" for name in names]
    return f"{word}: " + "; ".join(values) + "."


def _editor_value_of(body: dict[str, Any], name: str) -> Any:
    """A PUT body's value as the grid shows it (a business value as its amount, tags as text)."""
    value = body[name]
    if name == "business_value":
        return parse_business_value(value)
    if name == "tags":
        return ", ".join(value)
    return value


def show_value(value: Any) -> str:
    """A field's value as a message or a table shows it: "—", yes/no, 12,500.5, the text."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _shown(value: Any) -> str:
    """show_value, with text quoted and kept short for a one-line message."""
    text = show_value(value)
    if not isinstance(value, str) or text == "—":
        return text
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def to_editor_value(achievement: Achievement, name: str) -> Any:
    """A stored field in the form the grid edits it (business value as an amount)."""
    if name == "business_value":
        return achievement.value_amount
    return getattr(achievement, name)


def validate_changes(current: Achievement, changes: dict[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """(the partial PUT body, the refusals) for editing `current` with `changes`.

    Only fields whose value really changes are kept; a business value is written back in the
    form it came in. With any refusal, nothing should be written.
    """
    body: dict[str, Any] = {}
    errors: list[FieldProblem] = []
    if not isinstance(changes, dict):
        return body, [_refuse("changes", "are not a set of field values", ", ".join(EDITABLE_FIELDS))]
    for name, raw in changes.items():
        if name not in EDITABLE_FIELDS:
            errors.append(_refuse(_field_name(name), "cannot be edited here", ", ".join(EDITABLE_FIELDS)))
            continue
        try:
            value = _convert(name, raw)
        except _Invalid as problem:
            errors.append(_refuse(name, problem.message, problem.accepted))
            continue
        stored = current.value_amount if name == "business_value" else getattr(current, name)
        if value == stored or (name in _NUMBER_FIELDS and _same_number(raw, stored)):
            # Unchanged; also the stored value sent back (undo, retry) when it has more than
            # two decimals, which the rounding above would otherwise turn into a silent change.
            continue
        if name == "business_value":
            body[name] = write_business_value(current.business_value, value)
        else:
            body[name] = value
    return body, errors


_NUMBER_FIELDS = ("business_value", "impact_score", "complexity_score", "time_saved_hours")


def _same_number(raw: Any, stored: Optional[float]) -> bool:
    if stored is None or isinstance(raw, bool):
        return False
    if isinstance(raw, str) and parse_business_value(raw) == stored:
        return True
    try:
        return _float(raw) == stored
    except (TypeError, ValueError):
        return False


def _field_name(name: Any) -> str:
    """A field name fit for a message, whatever key was sent."""
    return str(name).strip()[:60] or "(unnamed field)"


def _convert(name: str, raw: Any) -> Any:
    if name == "title":
        return _text(raw, minimum=1, maximum=255, what="text")
    if name == "description":
        return _text(raw, minimum=1, maximum=MAX_DESCRIPTION, what="text")
    if name == "business_value":
        return _amount(raw)
    if name in ("impact_score", "complexity_score"):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            # A score never given is None; once given it cannot be emptied again (the
            # achievement-collector answers 500 to a null score): said, not written.
            raise _Invalid("cannot be emptied once given", "a number from 0 to 100")
        return _score(raw)
    if name == "portfolio_ready":
        return _boolean(raw)
    if name == "tags":
        return _tags(raw)
    if name == "time_saved_hours":
        return _number(raw, low=0, high=1e6, accepted="a number of hours, 0 or more")
    raise _Invalid("cannot be edited here", ", ".join(EDITABLE_FIELDS))


def group_cell_changes(events: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any], Optional[str]]]:
    """AG Grid's cellValueChanged events as one batch per row: (id, {column: value}, stamp).

    A paste or fill over several cells arrives as several events; grouping them by row makes
    one validated write per row, with one result each. The stamp is the row's `updated_at` as
    the grid loaded it; the last value wins when a cell changed twice.
    """
    grouped: dict[int, tuple[dict[str, Any], Optional[str]]] = {}
    if not isinstance(events, (list, tuple)):
        return []  # not a batch of events: nothing the grid sends
    for event in events:
        if not isinstance(event, dict):
            continue
        data = event.get("data")
        data = data if isinstance(data, dict) else {}
        key = _row_id(data.get("id", event.get("rowId")))
        column = event.get("colId")
        if key is None or not isinstance(column, str) or not column:
            continue
        stamp = data.get("updated_at")
        changes, _ = grouped.setdefault(key, ({}, stamp if isinstance(stamp, str) else None))
        changes[column] = event.get("value", event.get("newValue"))
    return [(row_id, changes, stamp) for row_id, (changes, stamp) in grouped.items()]


def _row_id(raw: Any) -> Optional[int]:
    """An achievement id from the grid: a whole number (or its text); anything else is no row."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str) and raw.strip().isdecimal() and len(raw.strip()) <= 18:
        return int(raw.strip())
    return None


def validate_new(form: dict[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """(the POST body, the refusals) for a new achievement from the Add form."""
    body: dict[str, Any] = {}
    errors: list[FieldProblem] = []
    if not isinstance(form, dict):
        return body, [_refuse("form", "is not a set of field values", "the Add form's fields")]

    def take(name: str, convert: Callable[[Any], Any], *, required: bool = True, default: Any = None) -> None:
        raw = form.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
            if required:
                errors.append(_refuse(name, "is required", _ACCEPTED_NEW.get(name, "a value")))
            elif default is not None:
                body[name] = default
            return
        try:
            body[name] = convert(raw)
        except _Invalid as problem:
            errors.append(_refuse(name, problem.message, problem.accepted))

    take("title", lambda v: _text(v, minimum=1, maximum=255, what="text"))
    take("description", lambda v: _text(v, minimum=1, maximum=MAX_DESCRIPTION, what="text"))
    take("category", lambda v: _choice(v, CATEGORIES))
    take("source_type", lambda v: _choice(v, SOURCE_TYPES), required=False, default="manual")
    take("started_at", _datetime)
    take("completed_at", _datetime)
    take("business_value", _typed_amount, required=False)
    take("impact_score", _score, required=False)
    take("complexity_score", _score, required=False)
    take(
        "time_saved_hours",
        lambda v: _number(v, low=0, high=1e6, accepted="a number of hours, 0 or more"),
        required=False,
    )
    take("tags", _tags, required=False)
    take("portfolio_ready", _boolean, required=False)
    take("source_url", _source_url, required=False)
    started, completed = body.get("started_at"), body.get("completed_at")
    if isinstance(started, datetime) and isinstance(completed, datetime) and completed < started:
        errors.append(_refuse("completed_at", "is before the start", "a completion on or after the start"))
    for name in ("started_at", "completed_at"):
        if isinstance(body.get(name), datetime):
            body[name] = body[name].isoformat()
    return body, errors


_ACCEPTED_NEW = {
    "title": "text of 1–255 characters",
    "description": f"text of 1–{MAX_DESCRIPTION} characters",
    "category": ", ".join(CATEGORIES),
    "started_at": "a date like 2026-11-25",
    "completed_at": "a date like 2026-11-25",
}
