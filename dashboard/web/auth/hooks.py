"""The gate's request hooks: identify each request under the prefix, refuse the unauthenticated
and CSRF-less writes, and set the cookies and cache headers an identified answer needs."""

from __future__ import annotations

import logging
import secrets
from typing import Optional
from urllib.parse import urlencode

import flask
import werkzeug

from dashboard.web.auth.gate import CSRF_COOKIE, G_ACTOR, G_ACTOR_HOW, INTERNAL_REQUEST, TOKEN_PARAMETER, Gate

log = logging.getLogger("dashboard.web.auth")

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Reachable without signing in: probes, the sign-in views themselves, and static library code.
EMBED_SCRIPT_ENDPOINT = "threads_dashboard_embeds.embed_script"
PUBLIC_ENDPOINTS = frozenset(
    {
        "threads_dashboard_observability.healthz",
        "threads_dashboard_observability.readyz",
        "threads_dashboard_observability.metrics",
        "threads_dashboard_auth.login",
        "threads_dashboard_auth.logout",
        "threads_dashboard_auth.renew_token",
        EMBED_SCRIPT_ENDPOINT,
    }
)
# Exact paths under the prefix, and folders (ending in "/"): a path that only begins like one
# (`favicon.icoX`) is not public.
PUBLIC_FILES = frozenset({"_favicon.ico", "favicon.ico"})
PUBLIC_FOLDERS = ("assets/", "_dash-component-suites/")


class GateHooks:
    """The before/after-request hooks of one app's gate (registered by `dashboard.web.auth.install`)."""

    def __init__(self, gate: Gate):
        self.gate = gate
        self.prefix = gate.prefix

    def ours(self) -> bool:
        return flask.request.path.startswith(self.prefix)

    def static_path(self) -> bool:
        rest = flask.request.path[len(self.prefix) :]
        return rest in PUBLIC_FILES or rest.startswith(PUBLIC_FOLDERS)

    def public(self) -> bool:
        return flask.request.endpoint in PUBLIC_ENDPOINTS or (flask.request.method == "GET" and self.static_path())

    def static(self) -> bool:
        """Library code and assets: the same for everyone, so they keep their long caching."""
        return flask.request.endpoint == EMBED_SCRIPT_ENDPOINT or self.static_path()

    def authenticate(self) -> Optional[werkzeug.Response]:
        if not self.ours():
            return None
        gate, request = self.gate, flask.request
        actor, how = gate.identify(request)
        if actor is not None:
            flask.g.dashboard_actor = actor
            flask.g.dashboard_actor_how = how
        if gate.mode == "none" or self.public() or request.environ.get(INTERNAL_REQUEST) is True:
            return None
        if actor is None:
            return unauthenticated(gate)
        if request.method in UNSAFE_METHODS and how in ("session", "proxy") and not gate.csrf_ok(actor, request):
            log.warning("csrf refused", extra={"user": actor.name, "path": request.path})
            return json_error(403, "Refused: this request has no valid CSRF token. Reload the page and retry.")
        return None

    def remember(self, response: flask.Response) -> flask.Response:
        """Keep the actor's cookies current: a ?token= page's session, a session's CSRF value."""
        actor = flask.g.get(G_ACTOR)
        if self.gate.mode == "none" or not self.ours() or actor is None:
            return response
        how = flask.g.get(G_ACTOR_HOW)
        if how == "token" and self._token_page(response):
            # A wallboard opened with ?token=: its page's callbacks carry the token as a cookie.
            payload = {"via": "token", "token": flask.request.args[TOKEN_PARAMETER], "nonce": secrets.token_hex(16)}
            self.gate.set_session(response, payload, self.gate.settings.read_token_hours)
            self.gate.set_csrf(response, actor, payload["nonce"])
        elif how in ("session", "proxy"):
            nonce = self.gate.session_nonce(flask.request)
            if flask.request.cookies.get(CSRF_COOKIE) != self.gate.csrf_expected(actor, nonce):
                self.gate.set_csrf(response, actor, nonce)
        return response

    @staticmethod
    def _token_page(response: flask.Response) -> bool:
        request = flask.request
        return request.method == "GET" and response.mimetype == "text/html" and bool(request.args.get(TOKEN_PARAMETER))

    def not_for_shared_caches(self, response: flask.Response) -> flask.Response:
        """An answer to a signed-in actor (a page, the layout, a callback, an API) is theirs alone:
        no proxy or browser cache may keep it and hand it to the next person, and a cache that
        ignores no-store still keys it by the cookie."""
        if self.gate.mode == "none" or not self.ours() or flask.g.get(G_ACTOR) is None or self.static():
            return response
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
        return response


def unauthenticated(gate: Gate) -> werkzeug.Response:
    request = flask.request
    wants_page = request.method == "GET" and "text/html" in request.headers.get("Accept", "")
    if wants_page and gate.mode == "password":
        target = request.full_path if request.query_string else request.path
        return flask.redirect(f"{gate.prefix}login?" + urlencode({"next": target}))
    if gate.mode == "proxy":
        message = "Not signed in: open the dashboard through the sign-in proxy."
    else:
        message = "Not signed in, or the session expired: sign in again."
    return json_error(401, message)


def json_error(status: int, message: str) -> flask.Response:
    response = flask.jsonify(error=message)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
