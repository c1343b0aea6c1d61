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

import hashlib
import hmac
import ipaddress
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import unquote, urlencode, urlsplit

import flask
import yaml
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.domain.actors import Actor, Role
from dashboard.settings import Settings, SettingsError
from dashboard.web import auth_state

log = logging.getLogger("dashboard.web.auth")

SESSION_COOKIE = "dashboard_session"
CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads
CSRF_HEADER = "X-CSRFToken"
TOKEN_PARAMETER = "token"
TOKEN_HEADER = "X-Dashboard-Token"
LOGIN_FAILURES_ALLOWED = 5
LOGIN_LOCK_SECONDS = 300
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Reachable without signing in: probes, the sign-in page itself, and static library code.
PUBLIC_ENDPOINTS = frozenset(
    {
        "threads_dashboard_healthz",
        "threads_dashboard_readyz",
        "threads_dashboard_metrics",
        "threads_dashboard_login",
        "threads_dashboard_logout",
        "threads_dashboard_token_renew",
        "threads_dashboard_embed_script",
    }
)
# Exact paths under the prefix, and folders (ending in "/"): a path that only begins like one
# (`favicon.icoX`) is not public.
PUBLIC_FILES = frozenset({"_favicon.ico", "favicon.ico"})
PUBLIC_FOLDERS = ("assets/", "_dash-component-suites/")
_G_ACTOR = "dashboard_actor"
INTERNAL_REQUEST = "dashboard.internal_request"
_SESSION_ENVIRON = "dashboard.session"
"""WSGI environ key marking the app's own start-up request; no HTTP header can set a key like it."""


class AuthError(SettingsError):
    """The users file or the authentication settings cannot be used."""


def current_actor() -> Actor:
    """Who is making this request; outside a request (scripts, tests) the local admin."""
    if flask.has_request_context():
        actor = flask.g.get(_G_ACTOR)
        if actor is not None:
            return actor
    return Actor.local()


# Users file ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    name: str
    password_hash: str
    role: Role


class UsersFile:
    """The YAML users file, re-read when it changes: removing a user or a role takes effect
    on their next request, without a restart.

        users:
          alice: {password_hash: "scrypt:32768:8:1$...", role: admin}
    """

    _dummy_hash: Optional[str] = None

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: Optional[tuple[float, int]] = None
        self._users: dict[str, User] = {}
        self.reload()

    def reload(self) -> None:
        try:
            stat = self.path.stat()
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise AuthError(f"DASHBOARD_USERS_FILE={str(self.path)!r}: cannot read it ({exc.strerror})") from None
        users = parse_users(text, str(self.path))
        with self._lock:
            self._users, self._stamp = users, (stat.st_mtime, stat.st_size)

    def _fresh(self) -> dict[str, User]:
        try:
            stat = self.path.stat()
            if (stat.st_mtime, stat.st_size) != self._stamp:
                self.reload()
        except (OSError, AuthError) as exc:
            # Keep serving with the last good file; a broken edit must not lock everyone out.
            log.error("users file not reloaded, keeping the last good one: %s", exc)
        return self._users

    def get(self, name: str) -> Optional[User]:
        return self._fresh().get(name)

    def authenticate(self, name: str, password: str) -> Optional[User]:
        user = self.get(name)
        ok = check_password_hash(user.password_hash if user else self._dummy(), password)
        return user if user and ok else None

    @classmethod
    def _dummy(cls) -> str:
        # Checked when the name is unknown, so a wrong name costs as long as a wrong password.
        # Made on first use: hashing costs ~70 ms that a start-up without sign-ins need not pay.
        if cls._dummy_hash is None:
            cls._dummy_hash = generate_password_hash(secrets.token_hex(16))
        return cls._dummy_hash


def parse_users(text: str, where: str = "users file") -> dict[str, User]:
    """The users file's YAML -> users, or an AuthError saying which entry is wrong and why."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise AuthError(f"{where}: not valid YAML ({exc})") from None
    entries = data.get("users") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise AuthError(f"{where}: expected a 'users:' mapping of names to {{password_hash, role}}")
    users = {}
    for name, entry in entries.items():
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            raise AuthError(f"{where}: user name {name!r} must be text of 1-64 characters")
        if not isinstance(entry, dict):
            raise AuthError(f"{where}: user {name!r} needs password_hash and role")
        password_hash = entry.get("password_hash")
        if not isinstance(password_hash, str) or "$" not in password_hash:
            raise AuthError(
                f"{where}: user {name!r} has no password_hash; make one with `python -m dashboard hash-password`"
            )
        try:
            role = Role.parse(entry.get("role", ""))
        except ValueError as exc:
            raise AuthError(f"{where}: user {name!r}: {exc}") from None
        users[name] = User(name, password_hash, role)
    return users


# Tokens and signatures --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadToken:
    name: str
    expires_at: float
    issued_at: float
    """When the admin issued the first token of this line: kept through every renewal."""
    lifetime: float
    """How long each token of this line lives (the admin's `--hours`); renewals keep it."""

    def seconds_left(self, now: Optional[float] = None) -> float:
        return self.expires_at - (now if now is not None else time.time())


class Signer:
    """Everything signed with SECRET_KEY: sessions, read-only tokens, CSRF values."""

    def __init__(
        self,
        secret: str,
        *,
        session_seconds: float,
        token_seconds: float,
        token_max_seconds: float = 30 * 86_400,
        revoked: frozenset[str] = frozenset(),
        clock: Callable[[], float] = time.time,
    ):
        self._secret = secret.encode()
        self._sessions = URLSafeTimedSerializer(secret, salt="dashboard.session")
        self._tokens = URLSafeTimedSerializer(secret, salt="dashboard.read-token")
        self.session_seconds = session_seconds
        self.token_seconds = token_seconds
        self.token_max_seconds = token_max_seconds
        self.revoked = revoked
        self._clock = clock

    def issue_token(self, name: str, *, seconds: Optional[float] = None) -> str:
        name = str(name).strip()[:64]
        if not name:
            raise ValueError("a read-only token needs a name (the screen or page it is for)")
        now = self._clock()
        lifetime = seconds if seconds is not None else self.token_seconds
        return self._dump(name, expires=now + lifetime, issued=now, lifetime=lifetime)

    def renew_token(self, read: ReadToken) -> str:
        """The next token of `read`'s line: as long-lived as the first one was, and never past the
        line's end of life (a 36 s token renews into another 36 s one, not into a day, forever)."""
        expires = min(self._clock() + read.lifetime, self.end_of_life(read))
        return self._dump(read.name, expires=expires, issued=read.issued_at, lifetime=read.lifetime)

    def end_of_life(self, read: ReadToken) -> float:
        """No renewal carries a token line past its first issue plus the maximum age (or plus its
        own lifetime, when the admin asked for a longer one)."""
        return read.issued_at + max(read.lifetime, self.token_max_seconds)

    def _dump(self, name: str, *, expires: float, issued: float, lifetime: float) -> str:
        return self._tokens.dumps({"n": name, "x": round(expires), "i": round(issued), "l": round(lifetime, 3)})

    def read_token(self, token: str) -> Optional[ReadToken]:
        try:
            data = self._tokens.loads(str(token)[:1024])
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("n"), str) or not _is_int(data.get("x")):
            return None
        lifetime, issued = data.get("l"), data.get("i")
        if not (_is_number(lifetime) and _is_int(issued)):
            # Issued before tokens carried their line: taken as a default-length token issued
            # one lifetime before its expiry.
            lifetime = self.token_seconds
            issued = data["x"] - lifetime
        read = ReadToken(data["n"], float(data["x"]), float(issued), float(lifetime))
        now = self._clock()
        if read.seconds_left(now) <= 0 or now >= self.end_of_life(read) or read.name in self.revoked:
            return None
        return read

    def session_cookie(self, payload: dict) -> str:
        return self._sessions.dumps(payload)

    def read_session(self, cookie: str) -> Optional[dict]:
        try:
            data = self._sessions.loads(cookie[:4096], max_age=self.session_seconds)
        except (BadSignature, SignatureExpired):
            return None
        return data if isinstance(data, dict) else None

    def csrf_value(self, binding: str) -> str:
        return hmac.new(self._secret, b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()


# The request gate --------------------------------------------------------------------------------


class Gate:
    """Identifies each request under the prefix and keeps the unauthenticated out."""

    def __init__(self, settings: Settings, prefix: str, state=None):
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
        self.users = UsersFile(settings.users_file) if self.mode == "password" else None
        self.proxies = settings.proxy_networks()
        self.role_groups = settings.role_for_groups()
        # Sign-in attempts and signed-out sessions: in Redis when configured (every worker and
        # replica sees the same), else in this process (dashboard/web/auth_state.py).
        self.state = state if state is not None else auth_state.LocalAuthState()

    # Identification -------------------------------------------------------------------------

    def identify(self, request: flask.Request) -> tuple[Optional[Actor], str]:
        """(actor, how): how is 'local', 'token', 'session', 'proxy' or '' (nobody)."""
        if self.mode == "none":
            return Actor.local(), "local"
        # A signed-in person comes first: a ?token= link they open must neither act as the token
        # nor replace their session (the token is ignored for them).
        session = self.session(request)
        if self.mode == "password" and session and session.get("via") == "password":
            user = self.users.get(session.get("user", ""))
            if user is not None:
                return Actor(user.name, user.role, "password"), "session"
        if self.mode == "proxy" and self.from_trusted_proxy(request):
            name = request.headers.get(self.settings.proxy_user_header, "").strip()
            if name:
                groups = {g.strip() for g in request.headers.get(self.settings.proxy_groups_header, "").split(",")}
                roles = [Role.parse(role) for group, role in self.role_groups.items() if group in groups]
                return Actor(name[:64], max(roles, default=Role.VIEWER), "proxy"), "proxy"
        token = request.args.get(TOKEN_PARAMETER) or request.headers.get(TOKEN_HEADER)
        if token:
            read = self.signer.read_token(token)
            if read is not None:
                return Actor(read.name, Role.VIEWER, "token"), "token"
        if session and session.get("via") == "token":
            read = self.signer.read_token(session.get("token", ""))
            if read is not None:
                return Actor(read.name, Role.VIEWER, "token"), "session"
        return None, ""

    def session(self, request: flask.Request) -> Optional[dict]:
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
        return request.environ[_SESSION_ENVIRON]

    def end_session(self, request: flask.Request) -> None:
        """Sign this session out on the server too: a copy of its cookie no longer works, on any
        worker (the record is kept as long as a session cookie can live)."""
        nonce = self.session_nonce(request)
        if nonce:
            self.state.mark(_revoked_key(nonce), self.signer.session_seconds)
        request.environ[_SESSION_ENVIRON] = None

    def set_session(self, response: flask.Response, payload: dict, hours: float) -> None:
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
        return (self.session(request) or {}).get("nonce", "")

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
        attempts = self.state.take_attempt(self._attempts_key(name), LOGIN_FAILURES_ALLOWED, LOGIN_LOCK_SECONDS)
        return attempts <= LOGIN_FAILURES_ALLOWED

    def give_back_attempt(self, name: str) -> None:
        """The attempt succeeded: it does not count against the allowance."""
        self.state.give_back(self._attempts_key(name))


def install(server: flask.Flask, prefix: str, settings: Settings, *, state=None) -> Gate:
    """Identify every request under `prefix`; add /login, /logout and /api/token/renew."""
    gate = Gate(settings, prefix, state)
    server.extensions["threads_dashboard_auth"] = gate

    def ours() -> bool:
        return flask.request.path.startswith(prefix)

    def static_path() -> bool:
        rest = flask.request.path[len(prefix) :]
        return rest in PUBLIC_FILES or rest.startswith(PUBLIC_FOLDERS)

    def public() -> bool:
        return flask.request.endpoint in PUBLIC_ENDPOINTS or (flask.request.method == "GET" and static_path())

    def static() -> bool:
        """Library code and assets: the same for everyone, so they keep their long caching."""
        return flask.request.endpoint == "threads_dashboard_embed_script" or static_path()

    @server.before_request
    def authenticate():
        if not ours():
            return None
        actor, how = gate.identify(flask.request)
        if actor is not None:
            flask.g.dashboard_actor = actor
            flask.g.dashboard_actor_how = how
        if gate.mode == "none" or public() or flask.request.environ.get(INTERNAL_REQUEST) is True:
            return None
        if actor is None:
            return _unauthenticated(gate)
        if (
            flask.request.method in UNSAFE_METHODS
            and how in ("session", "proxy")
            and not gate.csrf_ok(actor, flask.request)
        ):
            log.warning("csrf refused", extra={"user": actor.name, "path": flask.request.path})
            return _json_error(403, "Refused: this request has no valid CSRF token. Reload the page and retry.")
        return None

    @server.after_request
    def remember(response: flask.Response):
        if gate.mode == "none" or not ours():
            return response
        actor = flask.g.get(_G_ACTOR)
        how = flask.g.get("dashboard_actor_how")
        if actor is None:
            return response
        if (
            how == "token"
            and flask.request.method == "GET"
            and response.mimetype == "text/html"
            and flask.request.args.get(TOKEN_PARAMETER)
        ):
            # A wallboard opened with ?token=: its page's callbacks carry the token as a cookie.
            payload = {"via": "token", "token": flask.request.args[TOKEN_PARAMETER], "nonce": secrets.token_hex(16)}
            gate.set_session(response, payload, settings.read_token_hours)
            gate.set_csrf(response, actor, payload["nonce"])
        elif how in ("session", "proxy"):
            nonce = gate.session_nonce(flask.request)
            if flask.request.cookies.get(CSRF_COOKIE) != gate.csrf_expected(actor, nonce):
                gate.set_csrf(response, actor, nonce)
        return response

    @server.after_request
    def not_for_shared_caches(response: flask.Response):
        """An answer to a signed-in actor (a page, the layout, a callback, an API) is theirs alone:
        no proxy or browser cache may keep it and hand it to the next person, and a cache that
        ignores no-store still keys it by the cookie."""
        if gate.mode == "none" or not ours() or flask.g.get(_G_ACTOR) is None or static():
            return response
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
        return response

    def login():
        if gate.mode != "password":
            return flask.redirect(prefix)
        next_url = _safe_next(flask.request.values.get("next"), prefix)
        if flask.request.method == "GET":
            return _login_page(prefix, next_url, error=None)
        name = flask.request.form.get("username", "").strip()[:64]
        password = flask.request.form.get("password", "")[:1024]
        if not _login_csrf_ok(gate):
            return _login_page(prefix, next_url, error="The form expired. Please sign in again.", status=400)
        if not gate.take_attempt(name):
            log.warning("sign-in locked out", extra={"user": name, "remote": gate.client_address(flask.request)})
            return _login_page(
                prefix,
                next_url,
                status=429,
                error=f"Too many failed attempts. Wait {LOGIN_LOCK_SECONDS // 60} minutes.",
            )
        user = gate.users.authenticate(name, password)
        if user is None:
            log.warning("sign-in failed", extra={"user": name, "remote": gate.client_address(flask.request)})
            return _login_page(prefix, next_url, error="Wrong user name or password.", status=401)
        gate.give_back_attempt(name)
        log.info("signed in", extra={"user": user.name, "role": user.role.label})
        payload = {"via": "password", "user": user.name, "nonce": secrets.token_hex(16)}
        response = flask.redirect(next_url)
        gate.set_session(response, payload, settings.session_hours)
        response.delete_cookie("login_csrf", path=prefix)
        return response

    def logout():
        """GET asks (a link or an <img> elsewhere signs nobody out); POST with the session's CSRF
        value signs out, here and on the server (dashboard/web/auth_state.py)."""
        actor = flask.g.get(_G_ACTOR)
        signed_in = actor is not None and flask.g.get("dashboard_actor_how") == "session"
        done = flask.redirect(f"{prefix}login" if gate.mode == "password" else prefix)
        if flask.request.method == "GET":
            if not signed_in:  # nothing to sign out of (proxy users sign out at their proxy)
                return done
            return _logout_page(prefix, actor, gate.csrf_expected(actor, gate.session_nonce(flask.request)))
        if signed_in:
            if not gate.csrf_ok(actor, flask.request):
                return _json_error(403, "Refused: sign-out without a valid CSRF token.")
            gate.end_session(flask.request)
            log.info("signed out", extra={"user": actor.name})
        done.delete_cookie(SESSION_COOKIE, path=prefix)
        done.delete_cookie(CSRF_COOKIE, path=prefix)
        return done

    def renew_token():
        """A fresh token for the screen holding a valid one (an expired one cannot be renewed)."""
        token = flask.request.args.get(TOKEN_PARAMETER) or flask.request.headers.get(TOKEN_HEADER) or ""
        read = gate.signer.read_token(token)
        if read is None:
            return _json_error(401, "This read-only token is invalid, revoked or expired; ask an admin for a new one.")
        renewed = gate.signer.renew_token(read)
        fresh = gate.signer.read_token(renewed)
        if fresh is None:  # the line's end of life is under a second away
            return _json_error(401, "This read-only token has reached its end of life; ask an admin for a new one.")
        end = gate.signer.end_of_life(fresh)
        left = fresh.seconds_left()
        # At the end of life renewing gains nothing: the screen need not ask again before it expires.
        renew_after = left if fresh.expires_at >= end - 1 else left / 2
        response = flask.jsonify(
            token=renewed,
            name=read.name,
            expires_at=_iso(fresh.expires_at),
            end_of_life=_iso(end),
            renew_after_s=round(renew_after),
        )
        response.headers["Cache-Control"] = "no-store"
        session = gate.session(flask.request)
        if session and session.get("via") == "token":
            # The page's callbacks ride on the cookie: it must carry the new token too (same nonce,
            # so the CSRF cookie the page holds stays valid).
            gate.set_session(response, dict(session, token=renewed), settings.read_token_hours)
        return response

    server.add_url_rule(f"{prefix}login", "threads_dashboard_login", login, methods=["GET", "POST"])
    server.add_url_rule(f"{prefix}logout", "threads_dashboard_logout", logout, methods=["GET", "POST"])
    server.add_url_rule(f"{prefix}api/token/renew", "threads_dashboard_token_renew", renew_token)
    return gate


def gate_of(server: flask.Flask) -> Optional[Gate]:
    return server.extensions.get("threads_dashboard_auth")


def csrf_token_for_page() -> str:
    """The CSRF value for forms rendered into the page (the sign-out button)."""
    if not flask.has_request_context():
        return ""
    gate = gate_of(flask.current_app)
    actor = flask.g.get(_G_ACTOR)
    if gate is None or actor is None or gate.mode == "none":
        return ""
    return gate.csrf_expected(actor, gate.session_nonce(flask.request))


def _unauthenticated(gate: Gate):
    request = flask.request
    wants_page = request.method == "GET" and "text/html" in request.headers.get("Accept", "")
    if wants_page and gate.mode == "password":
        target = request.full_path if request.query_string else request.path
        return flask.redirect(f"{gate.prefix}login?" + urlencode({"next": target}))
    if gate.mode == "proxy":
        message = "Not signed in: open the dashboard through the sign-in proxy."
    else:
        message = "Not signed in, or the session expired: sign in again."
    return _json_error(401, message)


def _json_error(status: int, message: str) -> flask.Response:
    response = flask.jsonify(error=message)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
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


def _login_csrf_ok(gate: Gate) -> bool:
    cookie = flask.request.cookies.get("login_csrf", "")
    sent = flask.request.form.get("csrf_token", "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())


def _standalone_page(title: str, main: str) -> str:
    """A Jinja template of one of the pages served outside Dash (sign-in, sign-out): `main` in the shell."""
    return (
        """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>"""
        + title
        + """ · Threads-Agent dashboard</title>
<link rel="stylesheet" href="{{ prefix }}assets/00-bootstrap-5.3.9.min.css">
</head>
<body class="bg-body-tertiary">
<main class="container" style="max-width: 24rem; padding-top: 12vh">
  <h1 class="h4 mb-3">◆ Threads-Agent dashboard</h1>
"""
        + main
        + """</main>
</body></html>
"""
    )


_LOGIN_PAGE = _standalone_page(
    "Sign in",
    """\
  {% if error %}<div class="alert alert-danger py-2" role="alert" id="login-error">{{ error }}</div>{% endif %}
  <form method="post" action="{{ prefix }}login" class="card card-body gap-2">
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    <input type="hidden" name="next" value="{{ next_url }}">
    <label class="form-label mb-0" for="username">User name</label>
    <input class="form-control" id="username" name="username" autocomplete="username" required autofocus>
    <label class="form-label mb-0" for="password">Password</label>
    <input class="form-control" id="password" name="password" type="password" autocomplete="current-password"
           required>
    <button class="btn btn-primary mt-2" type="submit" id="login-submit">Sign in</button>
  </form>
""",
)


def _login_page(prefix: str, next_url: str, *, error: Optional[str], status: int = 200) -> flask.Response:
    csrf = secrets.token_urlsafe(24)
    html = flask.render_template_string(_LOGIN_PAGE, prefix=prefix, next_url=next_url, error=error, csrf=csrf)
    response = flask.make_response(html, status)
    gate = gate_of(flask.current_app)
    response.set_cookie(
        "login_csrf",
        csrf,
        httponly=True,
        secure=gate.settings.cookie_secure if gate else True,
        samesite="Strict",
        path=prefix,
        max_age=3600,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


_LOGOUT_PAGE = _standalone_page(
    "Sign out",
    """\
  <form method="post" action="{{ prefix }}logout" class="card card-body gap-2">
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    <p class="mb-1">Signed in as <strong>{{ name }}</strong>.</p>
    <button class="btn btn-primary" type="submit" id="logout-submit">Sign out</button>
    <a class="btn btn-link" href="{{ prefix }}">Back to the dashboard</a>
  </form>
""",
)


def _logout_page(prefix: str, actor: Actor, csrf: str) -> flask.Response:
    html = flask.render_template_string(_LOGOUT_PAGE, prefix=prefix, name=actor.name, csrf=csrf)
    response = flask.make_response(html, 200)
    response.headers["Cache-Control"] = "no-store"
    return response


def _revoked_key(nonce: str) -> str:
    return "session-revoked:" + hashlib.sha256(nonce.encode()).hexdigest()[:32]


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def hash_password(password: str) -> str:
    """A werkzeug hash for the users file."""
    if len(password) < 12:
        raise ValueError("use a password of at least 12 characters")
    return generate_password_hash(password)
