"""Callback requests exactly as the browser sends them, built from the app's own dependencies.

Reads `/_dash-dependencies` and builds the `/_dash-update-component` body of a callback from its
declared outputs, inputs and state, so a benchmark never drifts from the real page.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any, Optional


def dependencies(base_url: str) -> list[dict]:
    with urllib.request.urlopen(base_url.rstrip("/") + "/_dash-dependencies", timeout=10) as response:
        return json.loads(response.read())


def find_callback(deps: list[dict], output_contains: str) -> dict:
    for dep in deps:
        if output_contains in dep["output"]:
            return dep
    raise LookupError(f"no callback has an output containing {output_contains!r}")


def _split(prop_id: str) -> tuple[Any, str]:
    component, _, prop = prop_id.rpartition(".")
    if component.startswith("{"):
        return json.loads(component), prop
    return component, prop


def _outputs(dep: dict) -> list[dict]:
    spec = dep["output"]
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    out = []
    for part in parts:
        component, prop = _split(part)
        out.append({"id": component, "property": prop})
    return out


def request_for(dep: dict, values: dict[str, Any], triggered: Optional[str] = None) -> dict:
    """The body for `dep`, with input/state values by 'id.prop' (missing ones are None)."""

    def fill(items):
        return [
            {"id": item["id"], "property": item["property"], "value": values.get(f"{item['id']}.{item['property']}")}
            for item in items
        ]

    outputs = _outputs(dep)
    return {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 or dep["output"].startswith("..") else outputs[0],
        "inputs": fill(dep["inputs"]),
        "state": fill(dep.get("state", [])),
        "changedPropIds": [triggered] if triggered else [],
    }


def overview_refresh_body(dep: dict, drawn: Any = None, range_key: str = "30d", tick: int = 1) -> dict:
    """The Overview refresh as a browser sends it on a tick, with what it last drew (`drawn`)."""
    values = {"refresh-interval.n_intervals": tick, "overview-range.data": range_key, "theme-store.data": "light"}
    if drawn is not None:
        values["overview-drawn.data"] = drawn
    return request_for(dep, values, triggered="refresh-interval.n_intervals")


def overview_refresh_request(base_url: str, range_key: str = "30d", tick: int = 1) -> dict:
    dep = find_callback(dependencies(base_url), "overview-value-value.children")
    return overview_refresh_body(dep, range_key=range_key, tick=tick)
