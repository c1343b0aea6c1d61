"""Sign-in, roles, read-only tokens and CSRF protection, for every route under the prefix.

DASHBOARD_AUTH picks how a request is identified:
- `none` (default, local use): everyone is the local admin; nothing to sign in to.
- `password`: a users file (YAML, werkzeug password hashes, a role each), a sign-in page and a
  signed session cookie (HttpOnly, SameSite=Lax, Secure unless turned off for plain-HTTP tests).
- `proxy`: an authenticating reverse proxy (oauth2-proxy style) names the user and groups in
  headers, believed only from DASHBOARD_TRUSTED_PROXIES.
In every mode a signed, expiring read-only token (`?token=`) lets a wallboard or an embed in
without a person signing in; open screens renew theirs before it runs out.

The role check that matters is in the service layer (every write takes the actor); this
module only says who the actor is, keeps unauthenticated requests out, and refuses POSTs that
carry ambient credentials (cookie or proxy) without the session's CSRF token, which Dash's
renderer sends by itself as X-CSRFToken from the `_csrf_token` cookie.
"""

from __future__ import annotations

from typing import Optional

import flask

from dashboard.settings import Settings
from dashboard.web.auth.gate import (
    CSRF_COOKIE,
    CSRF_HEADER,
    EXTENSION,
    G_ACTOR,
    INTERNAL_REQUEST,
    SESSION_COOKIE,
    TOKEN_HEADER,
    TOKEN_PARAMETER,
    Gate,
    current_actor,
    gate_of,
)
from dashboard.web.auth.hooks import GateHooks
from dashboard.web.auth.tokens import ReadToken, Signer
from dashboard.web.auth.users import AuthError, User, UsersFile, hash_password, parse_users
from dashboard.web.auth.views import bp
from dashboard.web.auth_state import AuthState

__all__ = [
    "CSRF_COOKIE",
    "CSRF_HEADER",
    "INTERNAL_REQUEST",
    "SESSION_COOKIE",
    "TOKEN_HEADER",
    "TOKEN_PARAMETER",
    "AuthError",
    "Gate",
    "ReadToken",
    "Signer",
    "User",
    "UsersFile",
    "csrf_token_for_page",
    "current_actor",
    "gate_of",
    "hash_password",
    "install",
    "parse_users",
]


def install(server: flask.Flask, prefix: str, settings: Settings, *, state: Optional[AuthState] = None) -> Gate:
    """Identify every request under `prefix`; add /login, /logout and /api/token/renew."""
    gate = Gate(settings, prefix, state)
    server.extensions[EXTENSION] = gate
    hooks = GateHooks(gate)
    server.before_request(hooks.authenticate)
    server.after_request(hooks.remember)
    server.after_request(hooks.not_for_shared_caches)
    server.register_blueprint(bp, url_prefix=prefix)
    return gate


def csrf_token_for_page() -> str:
    """The CSRF value for forms rendered into the page (the sign-out button)."""
    if not flask.has_request_context():
        return ""
    gate = gate_of(flask.current_app)
    actor = flask.g.get(G_ACTOR)
    if gate is None or actor is None or gate.mode == "none":
        return ""
    return gate.csrf_expected(actor, gate.session_nonce(flask.request))
