"""`POST <prefix>api/heartbeat`: a wallboard (`?screen=lobby`) reports each successful refresh."""

from __future__ import annotations

import flask

from dashboard.domain.actors import Role
from dashboard.infra.screens import ScreenRegistry
from dashboard.web import auth, runtime


def install(server: flask.Flask, prefix: str, registry: ScreenRegistry) -> None:
    if "threads_dashboard_heartbeat" in server.view_functions:
        return

    def heartbeat():
        body = _json_object(flask.request)
        try:
            actor = auth.current_actor()  # each token or user's screens are bounded apart
            beat = registry.record(
                str(body.get("screen", "")),
                str(body.get("page", "")),
                str(body.get("state", "")),
                actor=f"{actor.via}:{actor.name}",
            )
        except ValueError as exc:
            return flask.jsonify(error=str(exc)), 400
        return flask.jsonify(screen=beat.screen, at=beat.at)

    def screens():
        actor = auth.current_actor()
        if not actor.may(Role.ADMIN):
            return flask.jsonify(error=actor.refusal(Role.ADMIN, "listing screens")), 403
        now = registry.clock()
        return flask.jsonify(
            screens=[
                {"screen": b.screen, "page": b.page, "state": b.state, "age_s": round(b.age(now), 1)}
                for b in registry.all()
            ]
        )

    server.add_url_rule(f"{prefix}api/heartbeat", "threads_dashboard_heartbeat", heartbeat, methods=["POST"])
    server.add_url_rule(f"{prefix}api/screens", "threads_dashboard_screens", screens)
    server.extensions[runtime.EXTENSION].screens = registry


def _json_object(request: flask.Request) -> dict:
    """The body as a JSON object, or {} (then the missing screen is explained): a list, a string
    or JSON nested too deep for Python's parser (RecursionError, which get_json does not catch)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        return {}
    return body if isinstance(body, dict) else {}
