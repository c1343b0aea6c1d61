"""What a FastAPI service answers: 422 validation errors, 404s, query and body parsing, JSON."""

from __future__ import annotations

import json
import re
from typing import Any, Optional

from flask import Response, request


class Invalid(Exception):
    """A request FastAPI would refuse with 422 {detail: [errors]}."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


class NotFound(Exception):
    """A resource FastAPI would answer with 404 {detail: message}."""


def validation_error(kind: str, loc: list, msg: str, value: Any, ctx: Optional[dict] = None) -> dict:
    error = {"type": kind, "loc": loc, "msg": msg, "input": value}
    if ctx is not None:
        error["ctx"] = ctx
    return error


def _num(bound: float) -> str:
    """Pydantic prints 100.0 as 100 in its messages."""
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def check_bounds(number: float, loc: list, value: Any, ge=None, le=None) -> Optional[dict]:
    if ge is not None and number < ge:
        return validation_error(
            "greater_than_equal", loc, f"Input should be greater than or equal to {_num(ge)}", value, {"ge": ge}
        )
    if le is not None and number > le:
        return validation_error(
            "less_than_equal", loc, f"Input should be less than or equal to {_num(le)}", value, {"le": le}
        )
    return None


# Query parameters (always strings) -----------------------------------------------------------


def query_int(args, name: str, default: int, errors: list, *, ge=None, le=None) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    try:
        number = int(raw.strip())
    except ValueError:
        errors.append(
            validation_error(
                "int_parsing",
                ["query", name],
                "Input should be a valid integer, unable to parse string as an integer",
                raw,
            )
        )
        return default
    problem = check_bounds(number, ["query", name], raw, ge, le)
    if problem:
        errors.append(problem)
    return number


def query_float(args, name: str, errors: list) -> Optional[float]:
    raw = args.get(name)
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        errors.append(
            validation_error(
                "float_parsing",
                ["query", name],
                "Input should be a valid number, unable to parse string as a number",
                raw,
            )
        )
        return None


def query_bool(args, name: str, errors: list) -> Optional[bool]:
    raw = args.get(name)
    if raw is None:
        return None
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes", "on", "t", "y"):
        return True
    if lowered in ("false", "0", "no", "off", "f", "n"):
        return False
    errors.append(
        validation_error(
            "bool_parsing", ["query", name], "Input should be a valid boolean, unable to interpret input", raw
        )
    )
    return None


def query_pattern(args, name: str, default: str, pattern: str, errors: list) -> str:
    raw = args.get(name)
    if raw is None:
        return default
    if not re.match(pattern, raw):
        errors.append(
            validation_error(
                "string_pattern_mismatch",
                ["query", name],
                f"String should match pattern '{pattern}'",
                raw,
                {"pattern": pattern},
            )
        )
        return default
    return raw


def require_object(body: Any) -> None:
    """A JSON body that must be an object (a pydantic model), as FastAPI checks it."""
    if not isinstance(body, dict):
        raise Invalid(
            [
                validation_error(
                    "model_attributes_type",
                    ["body"],
                    "Input should be a valid dictionary or object to extract fields from",
                    body,
                )
            ]
        )


def path_int(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise Invalid(
            [
                validation_error(
                    "int_parsing",
                    ["path", name],
                    "Input should be a valid integer, unable to parse string as an integer",
                    raw,
                )
            ]
        ) from None


def json_response(data: Any, status: int = 200) -> Response:
    """JSON the way FastAPI writes it: compact, keys in insertion order."""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json")


def request_json() -> Any:
    """The request body parsed as FastAPI would, or a 422 for invalid JSON."""
    raw = request.get_data()
    if not raw:
        raise Invalid([validation_error("missing", ["body"], "Field required", None)])
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise Invalid(
            [
                validation_error(
                    "json_invalid",
                    ["body", getattr(exc, "pos", 0)],
                    "JSON decode error",
                    {},
                    {"error": getattr(exc, "msg", str(exc))},
                )
            ]
        ) from None


def route_template() -> str:
    """The matched route as a FastAPI-style template ("/achievements/{achievement_id}")."""
    rule = request.url_rule
    if rule is None:
        return request.path
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
