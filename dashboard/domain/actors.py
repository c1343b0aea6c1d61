"""Who is asking, and what their role lets them do.

The service layer checks the role itself on every write, so a request that reaches a write
without going through the page (a crafted callback, a stale browser tab) is still refused.
How an actor is identified (local use, password, proxy header, read-only token) is the web
layer's business (dashboard/web/auth/); here an actor is just a name, a role and how it got in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.IntEnum):
    """Ordered: each role can do everything the roles below it can."""

    VIEWER = 1
    EDITOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Role":
        """'viewer', 'editor' or 'admin' (any case) -> Role; anything else is a ValueError."""
        try:
            return cls[str(text).strip().upper()]
        except KeyError:
            raise ValueError(f"{text!r} is not a role; use viewer, editor or admin") from None


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role
    via: str = "local"
    """How the actor was identified: local (authentication off), password, proxy or token."""

    @classmethod
    def local(cls) -> "Actor":
        """Authentication off (local use): the one user of the machine may do everything."""
        return cls("local", Role.ADMIN, "local")

    def may(self, needed: Role) -> bool:
        return self.role >= needed

    def refusal(self, needed: Role, action: str) -> str:
        """The message shown when this actor tries something its role does not allow."""
        return (
            f"Not allowed: {action} needs the {needed.label} role; "
            f"{self.name} has the {self.role.label} role. Nothing was changed."
        )
