"""The gate: who a request under the prefix comes from, its cookies, CSRF and sign-in throttling."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from typing import Any, Optional

import flask
import werkzeug

from dashboard.domain.actors import Actor, Role
from dashboard.settings import Settings
from dashboard.web import auth_state
from dashboard.web.auth.tokens import Signer
from dashboard.web.auth.users import UsersFile

EXTENSION = "threads_dashboard_auth"
SESSION_COOKIE = "dashboard_session"
CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads
CSRF_HEADER = "X-CSRFToken"
TOKEN_PARAMETER = "token"
TOKEN_HEADER = "X-Dashboard-Token"
G_ACTOR = "dashboard_actor"
G_ACTOR_HOW = "dashboard_actor_how"
INTERNAL_REQUEST = "dashboard.internal_request"
"""WSGI environ key marking the app's own start-up request; no HTTP header can set a key like it."""
_SESSION_ENVIRON = "dashboard.session"


class Gate:
    """Identifies each request under the prefix and keeps the unauthenticated out."""

    def __init__(self, settings: Settings, prefix: str, state: Optional[auth_state.AuthState] = None) -> None:
        self.settings = settings
        self.prefix = prefix
        self.mode = settings.auth
        secret = settings.secret_key.get_secret_value() if settings.secret_key else secrets.token_urlsafe(48)
        self.signer = Signer(
            secret,
            session_seconds=settings.session_hours * 3600,
            token_seconds=settings.read_token_hours * 3600,
            token_max_seconds=settings.read_token_max_hours * 3600,
            revoked=settings.revoked_token_names(),
        )
        self.users = _users_file(settings)
        self.proxies = settings.proxy_networks()
        self.role_groups = settings.role_for_groups()
        # Sign-in attempts and signed-out sessions: in Redis when configured (every worker and
        # replica sees the same), else in this process (dashboard/web/auth_state.py).
        self.state: auth_state.AuthState = state if state is not None else auth_state.LocalAuthState()

    # Identification -------------------------------------------------------------------------

    def identify(self, request: flask.Request) -> tuple[Optional[Actor], str]:
        """(actor, how): how is 'local', 'token', 'session', 'proxy' or '' (nobody)."""
        if self.mode == "none":
            return Actor.local(), "local"
        # A signed-in person comes first: a ?token= link they open must neither act as the token
        # nor replace their session (the token is ignored for them).
        session = self.session(request)
        if (actor := self._signed_in(session)) is not None:
            return actor, "session"
        if (actor := self._from_proxy(request)) is not None:
            return actor, "proxy"
        if actor := self._token_reader(request.args.get(TOKEN_PARAMETER) or request.headers.get(TOKEN_HEADER)):
            return actor, "token"
        if (
            session is not None
            and _via(session) == "token"
            and (actor := self._token_reader(session.get("token", ""))) is not None
        ):
            return actor, "session"
        return None, ""

    def _signed_in(self, session: Optional[dict[str, Any]]) -> Optional[Actor]:
        if self.users is None or session is None or _via(session) != "password":
            return None
        user = self.users.get(session.get("user", ""))
        return Actor(user.name, user.role, "password") if user is not None else None

    def _from_proxy(self, request: flask.Request) -> Optional[Actor]:
        if self.mode != "proxy" or not self.from_trusted_proxy(request):
            return None
        name = request.headers.get(self.settings.proxy_user_header, "").strip()
        if not name:
            return None
        groups = {g.strip() for g in request.headers.get(self.settings.proxy_groups_header, "").split(",")}
        roles = [Role.parse(role) for group, role in self.role_groups.items() if group in groups]
        return Actor(name[:64], max(roles, default=Role.VIEWER), "proxy")

    def _token_reader(self, token: Optional[str]) -> Optional[Actor]:
        read = self.signer.read_token(token) if token else None
        return Actor(read.name, Role.VIEWER, "token") if read is not None else None

    def session(self, request: flask.Request) -> Optional[dict[str, Any]]:
        """The session cookie's payload, unless it was signed out; checked once per request."""
        if _SESSION_ENVIRON not in request.environ:
            cookie = request.cookies.get(SESSION_COOKIE)
            payload = self.signer.read_session(cookie) if cookie else None
            if payload is not None and (
                not isinstance(payload.get("nonce"), str)
                or not payload["nonce"]
                or self.state.marked(_revoked_key(payload["nonce"]))
            ):
                payload = None
            request.environ[_SESSION_ENVIRON] = payload
        checked: Optional[dict[str, Any]] = request.environ[_SESSION_ENVIRON]  # what the branch above put
        return checked

    def end_session(self, request: flask.Request) -> None:
        """Sign this session out on the server too: a copy of its cookie no longer works, on any
        worker (the record is kept as long as a session cookie can live)."""
        nonce = self.session_nonce(request)
        if nonce:
            self.state.mark(_revoked_key(nonce), self.signer.session_seconds)
        request.environ[_SESSION_ENVIRON] = None

    def set_session(self, response: werkzeug.Response, payload: dict[str, Any], hours: float) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            self.signer.session_cookie(payload),
            httponly=True,
            secure=self.settings.cookie_secure,
            samesite="Lax",
            path=self.prefix,
            max_age=int(hours * 3600),
        )

    def set_csrf(self, response: flask.Response, actor: Actor, nonce: str) -> None:
        response.set_cookie(
            CSRF_COOKIE,
            self.csrf_expected(actor, nonce),
            secure=self.settings.cookie_secure,
            samesite="Strict",
            path=self.prefix,
        )

    def from_trusted_proxy(self, request: flask.Request) -> bool:
        try:
            peer = ipaddress.ip_address(request.remote_addr or "")
        except ValueError:
            return False
        return any(peer in network for network in self.proxies)

    def is_https(self, request: flask.Request) -> bool:
        if request.is_secure:
            return True
        return self.from_trusted_proxy(request) and request.headers.get("X-Forwarded-Proto", "") == "https"

    # CSRF -----------------------------------------------------------------------------------

    def csrf_expected(self, actor: Actor, nonce: str) -> str:
        """The CSRF value of this actor's session (`nonce`: the session's; '' for proxy users)."""
        return self.signer.csrf_value(f"{actor.via}:{actor.name}:{nonce}")

    def session_nonce(self, request: flask.Request) -> str:
        nonce = (self.session(request) or {}).get("nonce")
        return nonce if isinstance(nonce, str) else ""  # session() keeps text nonces only

    def csrf_ok(self, actor: Actor, request: flask.Request) -> bool:
        expected = self.csrf_expected(actor, self.session_nonce(request))
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            sent = request.form.get("csrf_token", "")
        sent = sent or ""
        return hmac.compare_digest(sent.encode(), expected.encode())

    # Sign-in throttling ---------------------------------------------------------------------

    def client_address(self, request: flask.Request) -> str:
        """The browser's address: X-Forwarded-For's last hop before a trusted proxy, else the peer."""
        if self.from_trusted_proxy(request):
            hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
            for hop in reversed(hops):  # the nearest hop not itself a trusted proxy
                try:
                    if not any(ipaddress.ip_address(hop) in network for network in self.proxies):
                        return hop
                except ValueError:
                    break
        return request.remote_addr or "?"

    def _attempts_key(self, name: str) -> str:
        remote = self.client_address(flask.request)
        return "login-attempts:" + hashlib.sha256(f"{name}\0{remote}".encode()).hexdigest()[:32]

    def take_attempt(self, name: str) -> bool:
        """Count a sign-in attempt for this name and address *before* the password is checked;
        False once the allowance is used up (locked out). Counting first, in one atomic step, is
        what keeps parallel guesses from all reading "no failures yet"."""
        allowed = self.settings.login_attempts
        attempts = self.state.take_attempt(self._attempts_key(name), allowed, self.settings.login_lock_seconds)
        return attempts <= allowed

    def give_back_attempt(self, name: str) -> None:
        """The attempt succeeded: it does not count against the allowance."""
        self.state.give_back(self._attempts_key(name))


def gate_of(server: flask.Flask) -> Optional[Gate]:
    return server.extensions.get(EXTENSION)


def current_actor() -> Actor:
    """Who is making this request; outside a request (scripts, tests) the local admin."""
    if flask.has_request_context():
        actor = flask.g.get(G_ACTOR)
        if isinstance(actor, Actor):  # what GateHooks.authenticate put there, if anything
            return actor
    return Actor.local()


def _users_file(settings: Settings) -> Optional[UsersFile]:
    """Who may sign in with a password: password mode only (its settings require the file)."""
    if settings.auth != "password":
        return None
    if settings.users_file is None:
        raise ValueError("DASHBOARD_USERS_FILE is required when DASHBOARD_AUTH=password")
    return UsersFile(settings.users_file)


def _via(session: Optional[dict[str, Any]]) -> Optional[str]:
    via = session.get("via") if session else None
    return via if isinstance(via, str) else None


def _revoked_key(nonce: str) -> str:
    return "session-revoked:" + hashlib.sha256(nonce.encode()).hexdigest()[:32]
