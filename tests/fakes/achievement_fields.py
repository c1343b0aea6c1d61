"""An achievement's body fields, validated and coerced as the achievement-collector's pydantic models do."""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from tests.fakes.fastapi import check_bounds, validation_error
from tests.fakes.recordings import iso, parse_dt

# name -> (kind, bounds); the order is the service's field order (also the JSON output order).
ACHIEVEMENT_FIELDS: dict[str, tuple[str, dict]] = {
    "title": ("str", {"min_length": 1, "max_length": 255}),
    "description": ("str", {}),
    "category": ("str", {}),
    "started_at": ("datetime", {}),
    "completed_at": ("datetime", {}),
    "source_type": ("str", {}),
    "source_id": ("str?", {}),
    "source_url": ("str?", {}),
    "tags": ("list[str]", {}),
    "skills_demonstrated": ("list[str]", {}),
    "impact_score": ("float", {"ge": 0.0, "le": 100.0}),
    "complexity_score": ("float", {"ge": 0.0, "le": 100.0}),
    "business_value": ("str?", {}),
    "time_saved_hours": ("float", {}),
    "performance_improvement_pct": ("float", {}),
    "evidence": ("dict", {}),
    "metrics_before": ("dict", {}),
    "metrics_after": ("dict", {}),
    "ai_summary": ("str?", {}),
    "ai_impact_analysis": ("str?", {}),
    "ai_technical_analysis": ("str?", {}),
    "portfolio_ready": ("bool", {}),
    "portfolio_section": ("str?", {}),
    "display_priority": ("int", {"ge": 0, "le": 100}),
}
REQUIRED_ON_CREATE = ("title", "description", "category", "started_at", "completed_at", "source_type")
WRITABLE = (
    "title",
    "description",
    "impact_score",
    "complexity_score",
    "business_value",
    "time_saved_hours",
    "performance_improvement_pct",
    "tags",
    "skills_demonstrated",
    "portfolio_ready",
    "portfolio_section",
    "display_priority",
    "evidence",
    "metrics_before",
    "metrics_after",
    "ai_summary",
    "ai_impact_analysis",
    "ai_technical_analysis",
)
CREATE_DEFAULTS = {
    "source_id": None,
    "source_url": None,
    "tags": [],
    "skills_demonstrated": [],
    "impact_score": 0.0,
    "complexity_score": 0.0,
    "business_value": None,
    "time_saved_hours": 0.0,
    "performance_improvement_pct": 0.0,
    "evidence": {},
    "metrics_before": {},
    "metrics_after": {},
    "ai_summary": None,
    "ai_impact_analysis": None,
    "ai_technical_analysis": None,
    "portfolio_ready": False,
    "portfolio_section": None,
    "display_priority": 50,
}
OUTPUT_ORDER = (
    "title",
    "description",
    "category",
    "started_at",
    "completed_at",
    "duration_hours",
    "source_type",
    "source_id",
    "source_url",
    "tags",
    "skills_demonstrated",
    "id",
    "impact_score",
    "complexity_score",
    "business_value",
    "time_saved_hours",
    "performance_improvement_pct",
    "evidence",
    "metrics_before",
    "metrics_after",
    "ai_summary",
    "ai_impact_analysis",
    "ai_technical_analysis",
    "portfolio_ready",
    "portfolio_section",
    "display_priority",
    "created_at",
    "updated_at",
)


def coerce_field(name: str, value: Any, errors: list) -> Any:
    """One body field validated and coerced as pydantic (lax mode) would; errors are appended."""
    kind, bounds = ACHIEVEMENT_FIELDS[name]
    loc = ["body", name]
    if kind.endswith("?"):
        if value is None:
            return None
        kind = kind[:-1]
    checker = _COERCERS[kind]
    return checker(value, loc, bounds, errors)


def _coerce_str(value, loc, bounds, errors):
    if not isinstance(value, str):
        errors.append(validation_error("string_type", loc, "Input should be a valid string", value))
        return None
    if "min_length" in bounds and len(value) < bounds["min_length"]:
        errors.append(
            validation_error(
                "string_too_short",
                loc,
                f"String should have at least {bounds['min_length']} character",
                value,
                {"min_length": bounds["min_length"]},
            )
        )
    if "max_length" in bounds and len(value) > bounds["max_length"]:
        errors.append(
            validation_error(
                "string_too_long",
                loc,
                f"String should have at most {bounds['max_length']} characters",
                value,
                {"max_length": bounds["max_length"]},
            )
        )
    return value


def _coerce_float(value, loc, bounds, errors):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        errors.append(validation_error("float_type", loc, "Input should be a valid number", value))
        return None
    try:
        number = float(value)
    except ValueError:
        errors.append(
            validation_error(
                "float_parsing", loc, "Input should be a valid number, unable to parse string as a number", value
            )
        )
        return None
    if not math.isfinite(number):
        errors.append(validation_error("finite_number", loc, "Input should be a finite number", value))
        return None
    problem = check_bounds(number, loc, value, bounds.get("ge"), bounds.get("le"))
    if problem:
        errors.append(problem)
    return number


def _coerce_int(value, loc, bounds, errors):
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        number = int(value)
    if number is None:
        errors.append(validation_error("int_type", loc, "Input should be a valid integer", value))
        return None
    problem = check_bounds(number, loc, value, bounds.get("ge"), bounds.get("le"))
    if problem:
        errors.append(problem)
    return number


def _coerce_bool(value, loc, bounds, errors):
    if isinstance(value, bool):
        return value
    if value in (0, 1) and not isinstance(value, float):
        return bool(value)
    errors.append(validation_error("bool_type", loc, "Input should be a valid boolean", value))
    return None


def _coerce_str_list(value, loc, bounds, errors):
    if not isinstance(value, list):
        errors.append(validation_error("list_type", loc, "Input should be a valid list", value))
        return None
    for index, item in enumerate(value):
        if not isinstance(item, str):
            errors.append(validation_error("string_type", [*loc, index], "Input should be a valid string", item))
    return list(value)


def _coerce_dict(value, loc, bounds, errors):
    if not isinstance(value, dict):
        errors.append(validation_error("dict_type", loc, "Input should be a valid dictionary", value))
        return None
    return dict(value)


def _coerce_datetime(value, loc, bounds, errors):
    if isinstance(value, str):
        try:
            return iso(parse_dt(value))
        except ValueError:
            pass
    errors.append(validation_error("datetime_parsing", loc, "Input should be a valid datetime", value))
    return None


_COERCERS: dict[str, Callable] = {
    "str": _coerce_str,
    "float": _coerce_float,
    "int": _coerce_int,
    "bool": _coerce_bool,
    "list[str]": _coerce_str_list,
    "dict": _coerce_dict,
    "datetime": _coerce_datetime,
}


def duration_hours(started_at: str, completed_at: str) -> float:
    return (parse_dt(completed_at) - parse_dt(started_at)).total_seconds() / 3600


def ordered(item: dict) -> dict:
    """An achievement with its keys in the service's output order."""
    return {key: item[key] for key in OUTPUT_ORDER if key in item}
