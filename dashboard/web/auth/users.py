"""The users file of DASHBOARD_AUTH=password: names, werkzeug password hashes and a role each."""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.domain.actors import Role
from dashboard.settings import SettingsError

log = logging.getLogger("dashboard.web.auth")


class AuthError(SettingsError):
    """The users file or the authentication settings cannot be used."""


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
    return {name: _user(name, entry, where) for name, entry in entries.items()}


def _user(name: object, entry: object, where: str) -> User:
    """One entry of the users file, or an AuthError saying what is wrong with it."""
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
    return User(name, password_hash, role)


def hash_password(password: str) -> str:
    """A werkzeug hash for the users file."""
    if len(password) < 12:
        raise ValueError("use a password of at least 12 characters")
    return generate_password_hash(password)
