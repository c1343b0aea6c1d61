"""Cell edits, bulk publishing, undo, retries and conflicts: every write the grid makes.

Every edit goes through the service layer, which validates it against the contract, refuses it
when the row changed elsewhere since it was loaded, and keeps the user's input when a write
fails. After any edit the grid re-reads its rows, so a cell always shows what is stored.
"""

from __future__ import annotations

from typing import Any, Optional

import dash
from dash import Input, Output, State, ctx

from dashboard.services.achievements.edits import EditResult, group_cell_changes
from dashboard.ui.components.callbacks import skip
from dashboard.ui.pages.achievements import ids
from dashboard.ui.pages.achievements.view import conflict_body, edit_messages
from dashboard.web import auth, runtime

OUTCOME = {
    "messages": Output(ids.MESSAGES, "children", allow_duplicate=True),
    "undo": Output(ids.UNDO_STORE, "data", allow_duplicate=True),
    "pending": Output(ids.PENDING_STORE, "data", allow_duplicate=True),
    "conflicts": Output(ids.CONFLICT_STORE, "data", allow_duplicate=True),
    "reload": Output(ids.RELOAD, "data", allow_duplicate=True),
}
"""What every write callback updates: messages, undo, pending retries, conflicts, reload."""


def apply(batch: list[tuple[int, dict, Optional[str]]], *, force: bool = False, undo: bool = False) -> list[EditResult]:
    services, actor = runtime.current().services, auth.current_actor()
    return [
        services.edit_achievement(row_id, changes, expected_updated_at=stamp, force=force, actor=actor, undo=undo)
        for row_id, changes, stamp in batch
    ]


def outcome(results: list[EditResult], undo_store, reload) -> dict:
    """Messages, undo, pending retries, conflicts and a grid reload from a batch of results."""
    saved = [r for r in results if r.ok and r.previous]
    pending = [_pending(r) for r in results if r.status in ("failed", "busy")]
    conflicts = [_conflict(r) for r in results if r.status == "conflict"]
    undo = [{"id": r.achievement_id, "changes": r.previous, "stamp": stamp(r)} for r in saved]
    return {
        "messages": edit_messages(results),
        "undo": undo or undo_store,
        "pending": pending or None,
        "conflicts": conflicts or None,
        "reload": (reload or 0) + 1,
    }


def _pending(result: EditResult) -> dict:
    # The version the edit was made on, even when the failure came before the row could be
    # read: the retry is checked against it, never written blindly.
    return {"id": result.achievement_id, "changes": result.changes, "stamp": result.version}


def _conflict(result: EditResult) -> dict:
    stored = result.achievement
    return {
        "id": result.achievement_id,
        "title": stored.title if stored else "",
        "changes": result.changes,
        "stored": {k: _editor_value(stored, k) for k in result.changes} if stored else {},
        "stamp": stamp(result),
        "message": result.message,
    }


def _editor_value(achievement, name: str) -> Any:
    if name == "business_value":
        return achievement.value_amount
    if name == "tags":
        return ", ".join(achievement.tags)
    return getattr(achievement, name, None)


def stamp(result: EditResult) -> Optional[str]:
    a = result.achievement
    return a.updated_at.isoformat() if a is not None and a.updated_at else None


def _kept(entries: list[dict]) -> list[tuple[int, dict, Optional[str]]]:
    return [(e["id"], e["changes"], e["stamp"]) for e in entries]


def save_cell_edits(events, undo_store, reload) -> dict:
    return outcome(apply(group_cell_changes(events)), undo_store, reload)


def replay_edits(undo_clicks, retry_clicks, apply_mine, undo_store, pending, conflicts, reload) -> dict:
    """Undo writes the previous values back; retry resends kept input; 'apply mine' overrides."""
    trigger = ctx.triggered_id
    if trigger == ids.UNDO and undo_store:
        return {**outcome(apply(_kept(undo_store), undo=True), None, reload), "undo": None}
    if trigger == ids.RETRY and pending:
        return outcome(apply(_kept(pending)), undo_store, reload)
    if trigger == ids.CONFLICT_APPLY and conflicts:
        first, rest = conflicts[0], conflicts[1:]
        # Against the version shown in the dialog: a change made after it opened is shown in turn,
        # never overwritten unseen.
        result = outcome(apply(_kept([first])), undo_store, reload)
        return {**result, "conflicts": (result["conflicts"] or []) + rest or None}
    return skip(OUTCOME)


def edit_buttons(undo_store, pending) -> dict:
    return {
        "undo_disabled": not undo_store,
        "retry_class": "" if pending else "d-none",
        "retry_label": f"Retry {len(pending or [])} unsaved edit(s)",
    }


def show_conflict(conflicts) -> dict:
    if not conflicts:
        return {"is_open": False, "body": None}
    return {"is_open": True, "body": conflict_body(conflicts[0])}


def keep_stored(clicks, conflicts, reload) -> dict:
    return {"conflicts": (conflicts or [])[1:] or None, "reload": (reload or 0) + 1}


def bulk_buttons(selected) -> dict:
    return {"publish_disabled": not selected, "unpublish_disabled": not selected}


def bulk_publish(publish_clicks, unpublish_clicks, selected, undo_store, reload) -> dict:
    if not selected:
        return skip(OUTCOME)
    publish = ctx.triggered_id == ids.PUBLISH
    batch = [(row["id"], {"portfolio_ready": publish}, row.get("updated_at")) for row in selected if "id" in row]
    return outcome(apply(batch), undo_store, reload)


def register() -> None:
    reload = {"reload": State(ids.RELOAD, "data")}
    dash.callback(
        output=OUTCOME,
        inputs={"events": Input(ids.GRID, "cellValueChanged")},
        state={"undo_store": State(ids.UNDO_STORE, "data"), **reload},
        prevent_initial_call=True,
    )(save_cell_edits)
    dash.callback(
        output=OUTCOME,
        inputs={
            "undo_clicks": Input(ids.UNDO, "n_clicks"),
            "retry_clicks": Input(ids.RETRY, "n_clicks"),
            "apply_mine": Input(ids.CONFLICT_APPLY, "n_clicks"),
        },
        state={
            "undo_store": State(ids.UNDO_STORE, "data"),
            "pending": State(ids.PENDING_STORE, "data"),
            "conflicts": State(ids.CONFLICT_STORE, "data"),
            **reload,
        },
        prevent_initial_call=True,
    )(replay_edits)
    dash.callback(
        output={
            "undo_disabled": Output(ids.UNDO, "disabled"),
            "retry_class": Output(ids.RETRY, "className"),
            "retry_label": Output(ids.RETRY, "children"),
        },
        inputs={"undo_store": Input(ids.UNDO_STORE, "data"), "pending": Input(ids.PENDING_STORE, "data")},
    )(edit_buttons)
    dash.callback(
        output={"is_open": Output(ids.CONFLICT_MODAL, "is_open"), "body": Output(ids.CONFLICT_BODY, "children")},
        inputs={"conflicts": Input(ids.CONFLICT_STORE, "data")},
    )(show_conflict)
    dash.callback(
        output={"conflicts": OUTCOME["conflicts"], "reload": OUTCOME["reload"]},
        inputs={"clicks": Input(ids.CONFLICT_KEEP, "n_clicks")},
        state={"conflicts": State(ids.CONFLICT_STORE, "data"), **reload},
        prevent_initial_call=True,
    )(keep_stored)
    dash.callback(
        output={
            "publish_disabled": Output(ids.PUBLISH, "disabled"),
            "unpublish_disabled": Output(ids.UNPUBLISH, "disabled"),
        },
        inputs={"selected": Input(ids.GRID, "selectedRows")},
    )(bulk_buttons)
    dash.callback(
        output=OUTCOME,
        inputs={"publish_clicks": Input(ids.PUBLISH, "n_clicks"), "unpublish_clicks": Input(ids.UNPUBLISH, "n_clicks")},
        state={"selected": State(ids.GRID, "selectedRows"), "undo_store": State(ids.UNDO_STORE, "data"), **reload},
        prevent_initial_call=True,
    )(bulk_publish)
