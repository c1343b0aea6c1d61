"""What the browser sends a callback, checked at the door: never a 500 for a malformed request.

Dash hands a callback whatever JSON a `/_dash-update-component` request holds. The page's own
renderer sends what its components hold; anyone can send a list where a store held an object,
NaN as n_clicks, a request without `output`, an id that is not a number. There are two answers,
and neither is a 500:

* a value a person can produce (typed text, the URL, a grid filter) is the page's to explain
  on screen: the grid shows why it refused a request (GridQueryError), a form says what is
  wrong, a URL parameter is explained and ignored;
* a value the page never sends is refused with a 400 and `{"error": ...}` naming the input and
  what was expected (`BadInput`), before any callback runs. The renderer of a real page never
  sees one.

`install(app)` wraps Dash's dispatch view. By then observability's check (after the sign-in gate)
has refused a body that is too large, not JSON, nested too deeply or not an object with an
`output`; this checks what Dash would still read wrong, in order:

1. the envelope: its `output` is a server callback, its `inputs`, `state` and `outputs` are the
   ones that callback declares (concrete ids for its pattern-matching ones), and its
   `changedPropIds` are strings;
2. every input and state value against the shape declared for it: by `expect(component, prop,
   shape)` for the data a page keeps in its stores and receives from its components' events,
   else by the property (`n_clicks` and `n_intervals` are counts, `is_open` a boolean, a
   location's `pathname` a path of this dashboard, its `search` a query string). Shapes are
   Python types checked strictly by pydantic (no coercion: the callback gets the very value that
   was checked, so "12" is not an int and 12.0 is not an id).

Data that lives in browser storage across deployments (`storage_type="session"` or `"local"`)
may hold what an older version wrote: declare it loosely here and let the callback drop the
entries it cannot read (`readable`), so an upgrade never locks a tab out with 400s.
"""

from __future__ import annotations

import functools
import json
import math
import re
import reprlib
from typing import Annotated, Any, Optional, Union

import dash
import flask
from pydantic import ConfigDict, Field, TypeAdapter, ValidationError

MAX_COUNT = 2**53
"""The largest integer a browser holds exactly (Number.MAX_SAFE_INTEGER + 1)."""
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A click or tick count, or a counter a page bumps to make an output change."""
RecordId = Annotated[int, Field(ge=1, lt=2**63)]
"""An achievement's or a post's id: a positive integer within SQLite's range."""
RecordIdText = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,17}$")]
"""The same id as AG Grid's getRowId gives it: its digits, as text."""
Id = Union[RecordId, RecordIdText]
"""A record id as an int, or as the digits AG Grid's getRowId turns it into."""

_STRICT = ConfigDict(strict=True, allow_inf_nan=False)
CallbackSpec = dict[str, Any]
"""One entry of Dash's callback map: its "inputs", "state", "output" and "callback"."""
IdPattern = dict[str, Any]
"""A pattern-matching id: fixed values, and wildcards as ["ALL"], ["MATCH"] or ["ALLSMALLER"]."""
Shapes = dict[str, Any]
"""Property -> the shape (a type pydantic checks) of its value."""
_MESSAGE_LIMIT = 300
_WILDCARDS = ('["ALL"]', '["MATCH"]', '["ALLSMALLER"]')


class BadInput(ValueError):
    """A callback request the page never sends; answered 400 with this message."""


@functools.lru_cache(maxsize=128)
def _adapter(shape: Any) -> TypeAdapter[list[Any]]:
    """A strict validator of `shape`, as a one-item list: pydantic takes no config for a bare
    TypedDict (it may carry its own), and the list's config reaches the types within."""
    return TypeAdapter(list[shape], config=_STRICT)


def _validate(shape: Any, value: Any) -> None:
    _adapter(shape).validate_python([value])


_shapes: dict[tuple[str, str], Any] = {}
"""(component id, or a pattern-matching id's "type"; property) -> its shape, for every app."""

_PROPERTY_SHAPES: dict[str, Any] = {
    "n_clicks": Optional[Count],
    "n_intervals": Optional[Count],
    "is_open": Optional[bool],
    "search": Optional[str],
    "hash": Optional[str],
    "href": Optional[str],
}
"""Shapes the components fix, for any component with that property (dcc, dbc and html)."""


def expect(component: str, prop: str, shape: Any) -> None:
    """Declare what `component.prop` holds when the page's renderer sends it (a Python type,
    checked strictly); a request whose value has another shape is refused before any callback."""
    _adapter(shape)  # a shape pydantic cannot check fails here, at import, not on a request
    _shapes[(component, prop)] = shape


def readable(items: Any, shape: Any) -> list[Any]:
    """The entries of a list kept in browser storage that have `shape`; the others are dropped
    (an older version may have written them), and anything but a list reads as empty."""
    if not isinstance(items, list):
        return []
    kept = []
    for item in items:
        try:
            _validate(shape, item)
        except ValidationError:
            continue
        kept.append(item)
    return kept


def install(app: dash.Dash) -> None:
    """Check every callback request of this Dash app before Dash reads it; BadInput is a 400."""
    server: flask.Flask = app.server
    rule = f"{app.config.routes_pathname_prefix}_dash-update-component"
    endpoint = next(r.endpoint for r in server.url_map.iter_rules() if r.rule == rule)
    view = server.view_functions[endpoint]
    prefix = app.config.requests_pathname_prefix
    # Dash's page router reads pathname_ relative to the app: any other path breaks it.
    router = {"pathname": Annotated[str, Field(pattern="^" + re.escape(prefix.rstrip("/")) + "/")]}

    @functools.wraps(view)  # keeps Dash's "dash.dash.dispatch" identity (CSRF exemptions key on it)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        # Parsed once, by observability's check (Flask keeps it): this and Dash read that.
        check_request(flask.request.get_json(force=True), app.callback_map, router)
        return view(*args, **kwargs)

    server.view_functions[endpoint] = dispatch
    server.register_error_handler(BadInput, _refusal)


def _refusal(error: BadInput) -> tuple[flask.Response, int]:
    return flask.jsonify(error=f"bad callback request: {error}"), 400


# The envelope -------------------------------------------------------------------------------------


def check_request(body: Any, callback_map: dict[str, CallbackSpec], router: Optional[Shapes] = None) -> None:
    """BadInput unless `body` is a request for one of `callback_map`'s server callbacks, with
    the inputs, state and outputs it declares and values of their declared shapes."""
    if not isinstance(body, dict):
        raise BadInput(f"a callback request is a JSON object, not {_kind(body)}")
    output = body.get("output")
    spec = callback_map.get(output) if isinstance(output, str) else None
    if spec is None or "callback" not in spec:
        raise BadInput(f"no server callback has the output {_short(output)}")
    for key, declared in (("inputs", spec["inputs"]), ("state", spec.get("state") or [])):
        sent = body.get(key, [])
        if not isinstance(sent, list) or len(sent) != len(declared):
            raise BadInput(f"{key} must be a list of the {len(declared)} the callback declares, got {_short(sent)}")
        for item, want in zip(sent, declared):
            _check_item(key, item, want["id"], want["property"], router if _is_router(spec) else None)
    _check_outputs(body.get("outputs"), spec)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(prop_id, str) for prop_id in changed):
        raise BadInput(f"changedPropIds must be a list of strings, got {_short(changed)}")


def _is_router(spec: CallbackSpec) -> bool:
    return any(want["id"] == "_pages_location" for want in spec["inputs"])


def _check_item(key: str, item: Any, want_id: str, want_prop: str, router: Optional[Shapes]) -> None:
    pattern = _pattern(want_id)
    if pattern is not None and _has_wildcard(want_id) and '["MATCH"]' not in want_id:
        # ALL / ALLSMALLER: a list of every matching component (possibly none).
        if not isinstance(item, list):
            raise BadInput(f"{key}: {want_id}.{want_prop} is a list of the matching components, got {_short(item)}")
        for one in item:
            _check_one(key, one, pattern, want_id, want_prop, router)
        return
    _check_one(key, item, pattern, want_id, want_prop, router)


def _check_one(
    key: str, item: Any, pattern: Optional[IdPattern], want_id: str, want_prop: str, router: Optional[Shapes]
) -> None:
    if not isinstance(item, dict) or item.get("property") != want_prop:
        raise BadInput(f"{key}: expected {want_id}.{want_prop}, got {_short(item)}")
    sent_id = item.get("id")
    if pattern is None:
        if sent_id != want_id:
            raise BadInput(f"{key}: expected {want_id}.{want_prop}, got {_short(sent_id)}.{want_prop}")
        name = want_id
    else:
        _check_pattern_id(key, sent_id, pattern, want_id)
        pattern_type = pattern.get("type")
        name = pattern_type if isinstance(pattern_type, str) else want_id
    shape = (router or {}).get(want_prop) or _shapes.get((name, want_prop)) or _PROPERTY_SHAPES.get(want_prop)
    if shape is None:
        return
    try:
        _validate(shape, item.get("value"))
    except ValidationError as exc:
        shown = want_id if pattern is None else json.dumps(sent_id, sort_keys=True)
        raise BadInput(f"{shown}.{want_prop}: {_problems(exc)}") from None


def _pattern(want_id: str) -> Optional[IdPattern]:
    if not want_id.startswith("{"):
        return None
    pattern: IdPattern = json.loads(want_id)  # Dash writes a pattern-matching id as a JSON object
    return pattern


def _has_wildcard(want_id: str) -> bool:
    return any(wildcard in want_id for wildcard in _WILDCARDS)


def _check_pattern_id(key: str, sent_id: Any, pattern: IdPattern, want_id: str) -> None:
    """A concrete id of a pattern-matching input: the pattern's keys, its fixed values, and a
    plain value (text, a finite number, a boolean) where it has a wildcard."""
    if not isinstance(sent_id, dict) or set(sent_id) != set(pattern):
        raise BadInput(f"{key}: expected an id matching {want_id}, got {_short(sent_id)}")
    for name, wanted in pattern.items():
        value = sent_id[name]
        if isinstance(wanted, list):  # a wildcard
            # An int is compared before any float conversion: math.isfinite(10**400) raises.
            plain = (
                isinstance(value, (str, bool))
                or (isinstance(value, int) and abs(value) <= MAX_COUNT)
                or (isinstance(value, float) and math.isfinite(value) and abs(value) <= MAX_COUNT)
            )
            if not plain:
                raise BadInput(
                    f"{key}: the {name!r} of an id matching {want_id} must be text or a number, got {_short(value)}"
                )
        elif value != wanted:
            raise BadInput(f"{key}: expected an id matching {want_id}, got {_short(sent_id)}")


def _check_outputs(outputs: Any, spec: CallbackSpec) -> None:
    """The outputs the callback declares, in order: Dash shapes its answer after them."""
    declared = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
    sent = outputs if isinstance(spec["output"], list) else [outputs]
    if not isinstance(sent, list) or len(sent) != len(declared):
        raise BadInput(f"outputs must be the {len(declared)} the callback declares, got {_short(outputs)}")
    for item, output in zip(sent, declared):
        want_id, want_prop = output.component_id_str(), output.component_property
        pattern = _pattern(want_id)
        many = pattern is not None and _has_wildcard(want_id) and '["MATCH"]' not in want_id
        for one in item if many and isinstance(item, list) else [item]:
            # An output with allow_duplicate is named "prop@<hash>".
            if not (
                isinstance(one, dict)
                and isinstance(one.get("property"), str)
                and one["property"].split("@")[0] == want_prop
            ):
                raise BadInput(f"outputs: expected {want_id}.{want_prop}, got {_short(one)}")
            if pattern is None:
                if one.get("id") != want_id:
                    raise BadInput(f"outputs: expected {want_id}.{want_prop}, got {_short(one)}")
            else:
                _check_pattern_id("outputs", one.get("id"), pattern, want_id)
        if many and not isinstance(item, list):
            raise BadInput(f"outputs: {want_id}.{want_prop} is a list of the matching components, got {_short(item)}")


def _problems(exc: ValidationError) -> str:
    """What pydantic found, short: "rowId: Input should be a valid integer, or String should ..."."""
    found: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False, include_input=False):
        where = "".join(
            f"[{p}]" if isinstance(p, int) else f".{p}"
            for p in error["loc"][1:]  # [0]: _validate's
            if not (isinstance(p, str) and p in _BRANCH_NAMES)
        )
        found.setdefault(where.lstrip("."), []).append(error["msg"])
    parts = [f"{where + ': ' if where else ''}{', or '.join(messages)}" for where, messages in list(found.items())[:3]]
    text = "; ".join(parts)
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 3] + "..."


# The branch names pydantic puts in an error's location for a union member ("int", "str", ...):
# noise in a message that says what is wrong with one value.
_BRANCH_NAMES = frozenset(
    {
        "int",
        "str",
        "float",
        "bool",
        "list",
        "dict",
        "none",
        "constrained-int",
        "constrained-str",
        "function-after",
        "nullable",
    }
)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


_SHORT = reprlib.Repr()  # Python 3.11's Repr takes no arguments
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxstring, _SHORT.maxother = 2, 3, 3, 40, 40
_SHORT.maxlong = 40


def _short(value: Any) -> str:
    """A value from the request for a message: bounded however large or deep it is."""
    text = _SHORT.repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
