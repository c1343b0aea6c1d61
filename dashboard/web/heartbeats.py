"""`POST <prefix>api/heartbeat`: a wallboard (`?screen=lobby`) reports each successful refresh."""

from __future__ import annotations

from typing import Any

import flask
from flask.typing import ResponseReturnValue

from dashboard.domain.actors import Role
from dashboard.web import auth, runtime

bp = flask.Blueprint("threads_dashboard_heartbeats", __name__)


def install(server: flask.Flask, prefix: str) -> None:
    """/api/heartbeat and /api/screens under `prefix`, recording into the runtime's `screens`."""
    if bp.name in server.blueprints:
        return
    server.register_blueprint(bp, url_prefix=prefix)


@bp.post("/api/heartbeat")
def heartbeat() -> ResponseReturnValue:
    body = _json_object(flask.request)
    try:
        actor = auth.current_actor()  # each token or user's screens are bounded apart
        beat = runtime.current().screens.record(
            str(body.get("screen", "")),
            str(body.get("page", "")),
            str(body.get("state", "")),
            actor=f"{actor.via}:{actor.name}",
        )
    except ValueError as exc:
        return flask.jsonify(error=str(exc)), 400
    return flask.jsonify(screen=beat.screen, at=beat.at)


@bp.get("/api/screens")
def screens() -> ResponseReturnValue:
    actor = auth.current_actor()
    if not actor.may(Role.ADMIN):
        return flask.jsonify(error=actor.refusal(Role.ADMIN, "listing screens")), 403
    registry = runtime.current().screens
    now = registry.clock()
    return flask.jsonify(
        screens=[
            {"screen": b.screen, "page": b.page, "state": b.state, "age_s": round(b.age(now), 1)}
            for b in registry.all()
        ]
    )


def _json_object(request: flask.Request) -> dict[str, Any]:
    """The body as a JSON object, or {} (then the missing screen is explained): a list, a string
    or JSON nested too deep for Python's parser (RecursionError, which get_json does not catch)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        return {}
    return body if isinstance(body, dict) else {}
