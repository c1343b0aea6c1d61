"""Writes to the achievements: partial edits under a per-record lock, and adds made once.

A mixin of `DashboardServices` (services/facade.py): it reads `achievement_source`, `cache`,
`write_locks`, `audit` and `backend` from it. Every write answers an `EditResult`, never raises.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING, Any, Optional

from dashboard.domain.actors import Actor, Role
from dashboard.domain.errors import BackendError, Conflict, NotFound
from dashboard.domain.models import Achievement
from dashboard.domain.outcomes import EditResult, refusal_message
from dashboard.services.achievements.edits import (
    EDITABLE_FIELDS,
    EditAction,
    label,
    saved_message,
    to_editor_value,
    validate_changes,
    validate_new,
)
from dashboard.services.achievements.rows import stamp

if TYPE_CHECKING:
    from dashboard.infra.audit import AuditLog
    from dashboard.infra.cache import FreshCache
    from dashboard.infra.write_locks import RecordLocks
    from dashboard.settings import BackendSettings
    from dashboard.sources.protocols import AchievementSource

log = logging.getLogger(__name__)

KEY_ACHIEVEMENTS = "achievements:all"
CREATE_RECORD_PREFIX = "achievements:create:"
"""Cache key of what became of a create, by the fingerprint of its body (shared by every worker)."""


class AchievementWrites:
    """Edits and adds of achievements (see the module docstring)."""

    achievement_source: "AchievementSource"
    cache: "FreshCache"
    write_locks: "RecordLocks"
    audit: "Optional[AuditLog]"
    backend: "BackendSettings"

    def edit_achievement(
        self,
        achievement_id: int,
        changes: dict[str, Any],
        *,
        actor: Actor,
        expected_updated_at: Optional[str] = None,
        force: bool = False,
        action: EditAction = "update",
    ) -> EditResult:
        """Validate and save a partial edit, unless the row changed since `expected_updated_at`.

        Never raises: the result says saved, invalid, conflict, busy, not_found, forbidden or
        failed, and keeps the user's `changes` for a retry. An edit must say which version it
        was made on (`expected_updated_at`); `force` writes over a newer version (the user chose
        their values in the conflict dialog). `action` says what the edit is: a person's own
        ("update"), or a step of the page's history replayed ("undo" puts back the values an
        earlier edit replaced, "redo" writes them again). Every action takes this same path
        (validation, the version check, the lock); only its message ("Undid …", "Redid …") and
        its audit record differ.

        The achievement-collector has no If-Match, so the read, the comparison and the PUT run
        under a lock per achievement shared by every worker (services/write_locks.py), and the
        row is read again after the PUT: a write another client sent straight to the service
        just after ours is said, not hidden behind "saved".
        """
        result = EditResult(
            achievement_id=achievement_id, status="failed", changes=dict(changes), version=expected_updated_at
        )
        if not actor.may(Role.EDITOR):
            result.status, result.message = "forbidden", actor.refusal(Role.EDITOR, "editing achievements")
            return result
        if not expected_updated_at:
            result.status = "invalid"
            result.message = (
                "Not saved: this edit does not say which version of the achievement it was made on, "
                "so it could overwrite someone else's change. Reload the page and make it again."
            )
            return result
        with self.write_locks.hold(f"achievement:{achievement_id}") as held:
            if not held:
                return result.busy("achievement", "Your input is kept")
            return self._edit_holding_lock(achievement_id, result, changes, actor, expected_updated_at, force, action)

    def _edit_holding_lock(
        self,
        achievement_id: int,
        result: EditResult,
        changes: dict[str, Any],
        actor: Actor,
        expected_updated_at: str,
        force: bool,
        action: EditAction,
    ) -> EditResult:
        try:
            current = self._current(achievement_id)
        except BackendError as exc:
            result.message = f"Not saved: could not read the current value ({exc}). Your input is kept; retry."
            return result
        if current is None:
            result.status, result.message = "not_found", f"Achievement {achievement_id} no longer exists."
            return result
        result.achievement = current
        body, errors = validate_changes(current, changes)
        if errors:
            result.status, result.errors = "invalid", errors
            result.message = refusal_message("Not saved", errors)
            return result
        if not force and stamp(current) != expected_updated_at:
            self.invalidate_achievements()  # the grid's copy is old: let every screen re-read
            result.status = "conflict"
            result.message = (
                f"Changed elsewhere since you loaded it (at {current.updated_at:%Y-%m-%d %H:%M:%S} UTC); "
                "nothing was saved."
            )
            return result
        if not body:
            result.status, result.message = "saved", "No change."
            return result
        try:
            saved = self._write(current, body)
        except NotFound:
            result.status, result.message = "not_found", f"Achievement {achievement_id} no longer exists."
            return result
        except Conflict as conflict:
            self.invalidate_achievements()
            result.status, result.achievement = "conflict", conflict.current
            result.message = "Changed elsewhere while saving; nothing was saved."
            return result
        except BackendError as exc:
            if exc.status == 422:
                result.status = "invalid"
                result.message = f"Refused by the achievement-collector: {exc}"
            else:
                result.message = (
                    f"{exc.outcome('Not saved')}: {exc}. Your input is kept; retry when the service is back."
                )
            return result
        self.invalidate_achievements()
        if self.audit is not None:
            self.audit.record(
                achievement_id,
                action,
                {k: (getattr(current, k), body[k]) for k in body},
                source=self._source_name(),
                user=actor.name,
            )
        result.status, result.achievement = "saved", saved
        result.previous = {k: to_editor_value(current, k) for k in body}
        result.message = saved_message(body, action=action)
        return self._checked_after_write(result, current, saved, body)

    def _checked_after_write(
        self, result: EditResult, before: Achievement, saved: Achievement, body: dict[str, Any]
    ) -> EditResult:
        """The row read again after a saved write: what another client wrote meanwhile is said.

        Our lock keeps the dashboard's own editors apart; a client writing to the service
        directly is not held by it. A write of theirs that landed after ours and replaced our
        values is a conflict (our values are not stored); one that changed only other fields,
        before or after ours, is said beside "saved".
        """
        try:
            now = self._current(saved.id)
        except BackendError as exc:
            log.warning("could not read achievement %s back after saving it: %s", saved.id, exc)
            return result
        if now is None:
            result.status, result.achievement = "not_found", None
            result.message = f"Saved, but achievement {saved.id} was deleted elsewhere right after; your input is kept."
            return result
        others = [
            name for name in EDITABLE_FIELDS if name not in body and getattr(saved, name) != getattr(before, name)
        ]
        if stamp(now) != stamp(saved):
            replaced = [name for name in body if getattr(now, name) != getattr(saved, name)]
            others += [
                name
                for name in EDITABLE_FIELDS
                if name not in body and name not in others and getattr(now, name) != getattr(saved, name)
            ]
            if replaced:
                result.status, result.achievement, result.previous = "conflict", now, {}
                result.message = (
                    f"Changed elsewhere right after your save (at {now.updated_at:%Y-%m-%d %H:%M:%S} UTC), "
                    f"which replaced your {', '.join(label(name) for name in replaced)}. Your input is kept."
                )
                return result
            result.achievement = now
        if others:
            result.message += (
                f" Also changed elsewhere at the same time: "
                f"{', '.join(label(name) for name in others)} (the grid shows it now)."
            )
        return result

    def create_achievement(self, form: dict[str, Any], *, actor: Actor) -> EditResult:
        """Validate and add a new achievement, once, whichever worker the form is sent to.

        The achievement-collector takes no idempotency key. So the same body is added by one
        request at a time (a lock on its fingerprint: a double click or a second tab is told it
        is being added), a create whose answer was lost is remembered in the shared cache so a
        retry on any worker looks for its row before posting again, and a create that succeeded
        is remembered for a few minutes so the same form sent again gets the same achievement.
        """
        if not actor.may(Role.EDITOR):
            return EditResult(
                achievement_id=None,
                status="forbidden",
                changes=dict(form),
                message=actor.refusal(Role.EDITOR, "adding achievements"),
            )
        body, errors = validate_new(form)
        result = EditResult(achievement_id=None, status="invalid", changes=dict(form), errors=errors)
        if errors:
            result.message = refusal_message("Not added", errors)
            return result
        key = CREATE_RECORD_PREFIX + hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        with self.write_locks.hold(key) as held:
            if not held:
                result.status = "busy"
                result.message = (
                    "Not added again: this achievement is being added right now (a second click, or "
                    "another tab). Check the grid in a moment; the form keeps what you typed."
                )
                return result
            return self._create_holding_lock(result, body, key, actor)

    def _create_holding_lock(self, result: EditResult, body: dict[str, Any], key: str, actor: Actor) -> EditResult:
        try:
            earlier = self._earlier_create(key, body)
        except BackendError as exc:
            # Posting without knowing could add it twice: say so and keep the form.
            result.status = "failed"
            result.message = (
                f"Not added: could not check whether your earlier add of this achievement went "
                f"through ({exc}). The form keeps what you typed; retry in a moment."
            )
            return result
        if earlier is not None:
            result.status, result.achievement_id, result.achievement = "saved", earlier.id, earlier
            result.message = f"Already added as achievement {earlier.id}; it was not added a second time."
            return result
        try:
            created = self.achievement_source.create(body)
        except BackendError as exc:
            if exc.maybe_processed:
                # It may have been added after all: a retry, on any worker, looks for it first.
                self._remember_create(key, {"state": "uncertain"}, self.backend.create_uncertain_seconds)
            result.status = "invalid" if exc.status == 422 else "failed"
            result.message = f"{exc.outcome('Not added')}: {exc}. The form keeps what you typed."
            return result
        self._remember_create(key, {"state": "created", "id": created.id}, self.backend.create_done_seconds)
        self.invalidate_achievements()
        if self.audit is not None:
            self.audit.record(
                created.id,
                "create",
                {k: (None, v) for k, v in body.items()},
                source=self._source_name(),
                user=actor.name,
            )
        result.status, result.achievement_id, result.achievement = "saved", created.id, created
        result.message = f"Added achievement {created.id}."
        return result

    def _earlier_create(self, key: str, body: dict[str, Any]) -> Optional[Achievement]:
        """The achievement an earlier create of the same body made, when one is remembered and found.

        Raises BackendError when it cannot be looked for."""
        try:
            record = self.cache.backend.get(key)
        except Exception as exc:  # noqa: BLE001 - without the record, a create is at worst repeated
            log.warning("create record %s unreadable: %s", key, exc)
            return None
        if not isinstance(record, dict):
            return None
        if record.get("state") == "created" and isinstance(record.get("id"), int):
            return self._current(record["id"])  # None when it was deleted since: add it again
        if record.get("state") == "uncertain":
            return self.achievement_source.find_created(body)
        return None

    def _remember_create(self, key: str, record: dict[str, Any], seconds: int) -> None:
        try:
            self.cache.backend.set(key, record, timeout=seconds)
        except Exception as exc:  # noqa: BLE001
            log.warning("create record %s not kept: %s", key, exc)

    def get_achievement(self, achievement_id: int) -> Optional[Achievement]:
        """The stored row now, read past the cache (None when it does not exist)."""
        return self._current(achievement_id)

    def _current(self, achievement_id: int) -> Optional[Achievement]:
        """The stored row now, read past the cache: a conflict check needs the latest."""
        try:
            return self.achievement_source.get(achievement_id)
        except NotFound:
            return None

    def _write(self, current: Achievement, body: dict[str, Any]) -> Achievement:
        return self.achievement_source.update(current.id, body, expected_updated_at=current.updated_at)

    def _source_name(self) -> str:
        return self.achievement_source.name

    def invalidate_achievements(self) -> None:
        self.cache.invalidate(KEY_ACHIEVEMENTS)
