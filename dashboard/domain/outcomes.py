"""What a use-case says it did: one result shape for every write the pages ask for.

A write never raises to a page. It answers an `Outcome` whose `status` says what happened
(saved, invalid, conflict, busy, failed, not_found, read_only, forbidden), whose `message` is
written for the person at the screen, whose `errors` name each refused field (`FieldProblem`:
the field, what was wrong, what is accepted) and whose `changes` keep the user's input for a
retry. Each kind of write adds what it knows about its record (`EditResult`: the achievement and
the values replaced, for undo; `PostResult`: the post).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional

from typing_extensions import Self

from dashboard.domain.models import Achievement, Post

Status = Literal["saved", "invalid", "conflict", "busy", "failed", "not_found", "read_only", "forbidden"]
"""busy: another save of the same record was running; nothing was written, retry."""


@dataclass(frozen=True)
class FieldProblem:
    """One refused field: what was wrong and what is accepted."""

    field: str
    message: str
    accepted: str
    label: Optional[str] = None
    """The field's name on screen ("Impact", not "impact_score")."""

    def __str__(self) -> str:
        return f"{self.label or self.field}: {self.message} (accepted: {self.accepted})"


def refusals(labels: dict[str, str]) -> Callable[[str, str, str], FieldProblem]:
    """A maker of `FieldProblem`s that names each field as `labels` does (else by its key)."""

    def refuse(name: str, message: str, accepted: str) -> FieldProblem:
        return FieldProblem(name, message, accepted, labels.get(name, name))

    return refuse


def refusal_message(prefix: str, errors: list[FieldProblem]) -> str:
    """ "Not saved: Impact: 150 is out of range (accepted: …); …" """
    return prefix + ": " + "; ".join(str(e) for e in errors)


@dataclass(kw_only=True)
class Outcome:
    """What happened to one write."""

    status: Status
    message: str = ""
    errors: list[FieldProblem] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    """The user's input as sent, kept so a failed write can be retried."""

    @property
    def ok(self) -> bool:
        return self.status == "saved"

    def busy(self, record: str, kept: str) -> Self:
        """Refused because someone else is saving `record` right now (its write lock is held)."""
        self.status = "busy"
        self.message = f"Not saved: someone else is saving this {record} right now. {kept}; try again in a moment."
        return self


@dataclass(kw_only=True)
class EditResult(Outcome):
    """An achievement's edit or add; `achievement` is what is stored now, when known."""

    achievement_id: Optional[int]
    achievement: Optional[Achievement] = None
    previous: dict[str, Any] = field(default_factory=dict)
    """The stored values the save replaced (editor form), for undo."""
    version: Optional[str] = None
    """The version (`updated_at`) the edit was made on: a retry of a failed or busy save sends it back."""


@dataclass(kw_only=True)
class PostResult(Outcome):
    """A post's edit or status change; `post` is what is stored now, when known."""

    post_id: Optional[int]
    post: Optional[Post] = None
