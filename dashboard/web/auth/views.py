"""The sign-in views: /login, /logout and /api/token/renew under the prefix (a Blueprint)."""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Optional
from urllib.parse import unquote, urlsplit

import flask
import werkzeug

from dashboard.domain.actors import Actor
from dashboard.web.auth.gate import (
    CSRF_COOKIE,
    G_ACTOR,
    G_ACTOR_HOW,
    SESSION_COOKIE,
    TOKEN_HEADER,
    TOKEN_PARAMETER,
    Gate,
    gate_of,
)
from dashboard.web.auth.hooks import json_error
from dashboard.web.auth.tokens import iso

log = logging.getLogger("dashboard.web.auth")

LOGIN_CSRF_COOKIE = "login_csrf"

bp = flask.Blueprint("threads_dashboard_auth", __name__, template_folder="../templates")


def _gate() -> Gate:
    gate = gate_of(flask.current_app)
    if gate is None:
        # auth.install puts the gate in place before it registers these views.
        raise RuntimeError("the sign-in views are registered by dashboard.web.auth.install, with its gate")
    return gate


@bp.route("/login", methods=["GET", "POST"])
def login() -> werkzeug.Response:
    gate = _gate()
    prefix = gate.prefix
    if gate.users is None:  # no password mode, no users to sign in
        return flask.redirect(prefix)
    next_url = _safe_next(flask.request.values.get("next"), prefix)
    if flask.request.method == "GET":
        return _login_page(gate, next_url, error=None)
    name = flask.request.form.get("username", "").strip()[:64]
    password = flask.request.form.get("password", "")[:1024]
    if not _login_csrf_ok():
        return _login_page(gate, next_url, error="The form expired. Please sign in again.", status=400)
    if not gate.take_attempt(name):
        log.warning("sign-in locked out", extra={"user": name, "remote": gate.client_address(flask.request)})
        wait = _wait_text(gate.settings.login_lock_seconds)
        return _login_page(gate, next_url, status=429, error=f"Too many failed attempts. Wait {wait}.")
    user = gate.users.authenticate(name, password)
    if user is None:
        log.warning("sign-in failed", extra={"user": name, "remote": gate.client_address(flask.request)})
        return _login_page(gate, next_url, error="Wrong user name or password.", status=401)
    gate.give_back_attempt(name)
    log.info("signed in", extra={"user": user.name, "role": user.role.label})
    payload = {"via": "password", "user": user.name, "nonce": secrets.token_hex(16)}
    response = flask.redirect(next_url)
    gate.set_session(response, payload, gate.settings.session_hours)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=prefix)
    return response


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> werkzeug.Response:
    """GET asks (a link or an <img> elsewhere signs nobody out); POST with the session's CSRF
    value signs out, here and on the server (dashboard/web/auth_state.py)."""
    gate = _gate()
    actor = flask.g.get(G_ACTOR)
    signed_in = actor is not None and flask.g.get(G_ACTOR_HOW) == "session"
    done = flask.redirect(f"{gate.prefix}login" if gate.mode == "password" else gate.prefix)
    if flask.request.method == "GET":
        if not signed_in:  # nothing to sign out of (proxy users sign out at their proxy)
            return done
        return _logout_page(gate, actor)
    if signed_in:
        if not gate.csrf_ok(actor, flask.request):
            return json_error(403, "Refused: sign-out without a valid CSRF token.")
        gate.end_session(flask.request)
        log.info("signed out", extra={"user": actor.name})
    done.delete_cookie(SESSION_COOKIE, path=gate.prefix)
    done.delete_cookie(CSRF_COOKIE, path=gate.prefix)
    return done


@bp.route("/api/token/renew")
def renew_token() -> flask.Response:
    """A fresh token for the screen holding a valid one (an expired one cannot be renewed)."""
    gate = _gate()
    token = flask.request.args.get(TOKEN_PARAMETER) or flask.request.headers.get(TOKEN_HEADER) or ""
    read = gate.signer.read_token(token)
    if read is None:
        return json_error(401, "This read-only token is invalid, revoked or expired; ask an admin for a new one.")
    renewed = gate.signer.renew_token(read)
    fresh = gate.signer.read_token(renewed)
    if fresh is None:  # the line's end of life is under a second away
        return json_error(401, "This read-only token has reached its end of life; ask an admin for a new one.")
    end = gate.signer.end_of_life(fresh)
    left = fresh.seconds_left()
    # At the end of life renewing gains nothing: the screen need not ask again before it expires.
    renew_after = left if fresh.expires_at >= end - 1 else left / 2
    response = flask.jsonify(
        token=renewed,
        name=read.name,
        expires_at=iso(fresh.expires_at),
        end_of_life=iso(end),
        renew_after_s=round(renew_after),
    )
    response.headers["Cache-Control"] = "no-store"
    session = gate.session(flask.request)
    if session and session.get("via") == "token":
        # The page's callbacks ride on the cookie: it must carry the new token too (same nonce,
        # so the CSRF cookie the page holds stays valid).
        gate.set_session(response, dict(session, token=renewed), gate.settings.read_token_hours)
    return response


def _safe_next(value: Optional[str], prefix: str) -> str:
    """Only a relative path under our prefix, in printable ASCII, else the home page: never an open
    redirect to another site, never a way out of the prefix (`..`, which browsers also read in
    `%2e%2e`), and never a control character, which breaks the Location header (CR/LF gave a 500
    after the right password)."""
    if not value or len(value) > 2048 or any(not "\x21" <= c <= "\x7e" for c in value) or "\\" in value:
        return prefix
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith(prefix) or parts.path.startswith("//"):
        return prefix
    if any(unquote(segment) in (".", "..") for segment in parts.path.lower().split("/")):
        return prefix
    return value


def _login_csrf_ok() -> bool:
    cookie = flask.request.cookies.get(LOGIN_CSRF_COOKIE, "")
    sent = flask.request.form.get("csrf_token", "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())


def _wait_text(seconds: int) -> str:
    """How long a locked-out sign-in waits, as the page says it ("5 minutes" by default)."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"


def _login_page(gate: Gate, next_url: str, *, error: Optional[str], status: int = 200) -> flask.Response:
    csrf = secrets.token_urlsafe(24)
    html = flask.render_template(
        "threads_dashboard/sign_in.html", prefix=gate.prefix, next_url=next_url, error=error, csrf=csrf
    )
    response = flask.make_response(html, status)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        csrf,
        httponly=True,
        secure=gate.settings.cookie_secure,
        samesite="Strict",
        path=gate.prefix,
        max_age=gate.settings.login_form_seconds,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _logout_page(gate: Gate, actor: Actor) -> flask.Response:
    csrf = gate.csrf_expected(actor, gate.session_nonce(flask.request))
    html = flask.render_template("threads_dashboard/sign_out.html", prefix=gate.prefix, name=actor.name, csrf=csrf)
    response = flask.make_response(html, 200)
    response.headers["Cache-Control"] = "no-store"
    return response
