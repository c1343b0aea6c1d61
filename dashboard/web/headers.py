"""Security headers on every response under the prefix.

The Content-Security-Policy allows scripts only from this origin plus the exact inline scripts
Dash and our pages emit, by hash (Dash's `csp_hashes()`; the embed page loads its script from a file), so
no `'unsafe-inline'` or `'unsafe-eval'` for scripts. Styles keep `'unsafe-inline'`: plotly.js
and AG Grid inject <style> elements at run time. Who may frame us is DASHBOARD_FRAME_ANCESTORS.
"""

from __future__ import annotations

import threading
from typing import Callable, Iterable, Optional

import dash
import flask

from dashboard.settings import Settings


def content_security_policy(script_hashes: Iterable[str], frame_ancestors: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *sorted(set(script_hashes))]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeaders:
    """The after-request hook that sets the security headers of one app's responses under its prefix."""

    def __init__(
        self,
        prefix: str,
        app: dash.Dash,
        settings: Settings,
        is_https: Optional[Callable[[flask.Request], bool]] = None,
    ):
        self.prefix = prefix
        self.app = app
        self.settings = settings
        self.is_https = is_https
        self._policy: Optional[str] = None
        self._lock = threading.Lock()

    def csp(self) -> str:
        # Computed on first use, not at install: Dash registers some pages' inline clientside
        # callbacks only during its first-request setup (a policy built earlier misses them).
        if self._policy is None:
            with self._lock:
                if self._policy is None:
                    self._policy = content_security_policy(self.app.csp_hashes(), self.settings.frame_ancestors)
        return self._policy

    def apply(self, response: flask.Response) -> flask.Response:
        if not flask.request.path.startswith(self.prefix):
            return response
        headers = response.headers
        headers["Content-Security-Policy"] = self.csp()
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # Cross-origin links get the origin only: a ?token= in our URL never leaves the site.
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        https = self.is_https(flask.request) if self.is_https else flask.request.is_secure
        if https and self.settings.hsts_seconds:
            headers["Strict-Transport-Security"] = f"max-age={self.settings.hsts_seconds}; includeSubDomains"
        return response


def install(
    server: flask.Flask,
    prefix: str,
    app: dash.Dash,
    settings: Settings,
    is_https: Optional[Callable[[flask.Request], bool]] = None,
) -> SecurityHeaders:
    """Set the security headers on every response under `prefix`."""
    hook = SecurityHeaders(prefix, app, settings, is_https)
    server.after_request(hook.apply)
    return hook
