"""Everything signed with SECRET_KEY: sessions, read-only tokens and CSRF values."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Optional, TypeGuard

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


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

    def session_cookie(self, payload: dict[str, Any]) -> str:
        return self._sessions.dumps(payload)

    def read_session(self, cookie: str) -> Optional[dict[str, Any]]:
        try:
            # itsdangerous counts whole seconds of age: `age > floor(limit)` is `age > limit`.
            data = self._sessions.loads(cookie[:4096], max_age=math.floor(self.session_seconds))
        except (BadSignature, SignatureExpired):
            return None
        return data if isinstance(data, dict) else None

    def csrf_value(self, binding: str) -> str:
        return hmac.new(self._secret, b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
