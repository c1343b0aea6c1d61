"""Cell edits, bulk publishing, undo and redo, retries and conflicts: every write the grid makes.

Every edit goes through the service layer, which validates it against the contract, refuses it
when the row changed elsewhere since it was loaded, and keeps the user's input when a write
fails. After any edit the grid re-reads its rows, so a cell always shows what is stored.
"""

from __future__ import annotations

from typing import Any, Optional

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, ctx, html

from dashboard.services.achievements.edits import EditAction, EditResult, group_cell_changes
from dashboard.ui.components.callbacks import disabled_while_running, skip
from dashboard.ui.pages.achievements import history as steps
from dashboard.ui.pages.achievements import ids
from dashboard.ui.pages.achievements.view import conflict_body, edit_messages
from dashboard.web import auth, runtime

OUTCOME = {
    "messages": Output(ids.MESSAGES, "children", allow_duplicate=True),
    "history": Output(ids.UNDO_STORE, "data", allow_duplicate=True),
    "pending": Output(ids.PENDING_STORE, "data", allow_duplicate=True),
    "conflicts": Output(ids.CONFLICT_STORE, "data", allow_duplicate=True),
    "reload": Output(ids.RELOAD, "data", allow_duplicate=True),
}
"""What every write callback updates: messages, the undo/redo history, pending retries, conflicts, reload."""


def apply(
    batch: list[tuple[int, dict, Optional[str]]], *, force: bool = False, action: EditAction = "update"
) -> list[EditResult]:
    services, actor = runtime.current().services, auth.current_actor()
    return [
        services.edit_achievement(row_id, changes, expected_updated_at=stamp, force=force, actor=actor, action=action)
        for row_id, changes, stamp in batch
    ]


def outcome(results: list[EditResult], history, reload) -> dict:
    """Messages, pending retries, conflicts and a grid reload from a batch of results; what it
    saved is one step on the undo history."""
    pending = [_pending(r) for r in results if r.status in ("failed", "busy")]
    conflicts = [_conflict(r) for r in results if r.status == "conflict"]
    return {
        "messages": edit_messages(results),
        "history": steps.recorded(history, results),
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


def save_cell_edits(events, history, reload) -> dict:
    return outcome(apply(group_cell_changes(events)), history, reload)


def replay_edits(undo_clicks, redo_clicks, retry_clicks, apply_mine, history, pending, conflicts, reload) -> dict:
    """Undo and redo write a step of the history back; retry resends kept input; 'apply mine' overrides."""
    trigger = ctx.triggered_id
    if trigger in (ids.UNDO, ids.REDO):
        direction: steps.Direction = "undo" if trigger == ids.UNDO else "redo"
        batch = steps.batch(history, direction)
        if not batch:  # a shortcut pressed with nothing to undo, or a stale click
            return skip(OUTCOME)
        results = apply(batch, action=direction)
        return {**outcome(results, history, reload), "history": steps.replayed(history, direction, results)}
    if trigger == ids.RETRY and pending:
        return outcome(apply(_kept(pending)), history, reload)
    if trigger == ids.CONFLICT_APPLY and conflicts:
        first, rest = conflicts[0], conflicts[1:]
        # Against the version shown in the dialog: a change made after it opened is shown in turn,
        # never overwritten unseen.
        result = outcome(apply(_kept([first])), history, reload)
        return {**result, "conflicts": (result["conflicts"] or []) + rest or None}
    return skip(OUTCOME)


def edit_buttons(history, pending) -> dict:
    return {
        **steps.buttons(history),
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
    """'Publish 5' / 'Unpublish 5' for the rows ticked; disabled with none."""
    count = len(selected or [])
    return {
        "publish_disabled": not count,
        "unpublish_disabled": not count,
        "publish_label": f"Publish {count}" if count else "Publish",
        "unpublish_label": f"Unpublish {count}" if count else "Unpublish",
    }


BULK = {**OUTCOME, "selected": Output(ids.GRID, "selectedRows", allow_duplicate=True)}


def bulk_publish(publish_clicks, unpublish_clicks, selected, history, reload) -> dict:
    """Every selected row published (or not) as one step, said in one message; the selection cleared."""
    if not selected:
        return skip(BULK)
    publish = ctx.triggered_id == ids.PUBLISH
    batch = [(row["id"], {"portfolio_ready": publish}, row.get("updated_at")) for row in selected if "id" in row]
    results = apply(batch)
    return {**outcome(results, history, reload), "messages": bulk_message(results, publish), "selected": []}


def bulk_message(results: list[EditResult], publish: bool) -> dbc.Alert:
    """'Published 5; 2 were already published.', each row that could not be written named below."""
    word = "Published" if publish else "Unpublished"
    done = sum(1 for r in results if r.ok and r.previous)
    unchanged = sum(1 for r in results if r.ok and not r.previous)
    failed = [r for r in results if not r.ok]
    text = f"{word} {done}"
    if unchanged:
        state = "published" if publish else "unpublished"
        text += f"; {unchanged} {'was' if unchanged == 1 else 'were'} already {state}"
    if failed:
        text += f"; {len(failed)} could not be {word.lower()}"
    named = [
        html.Li([html.Strong(f"{r.achievement.title if r.achievement else f'#{r.achievement_id}'}: "), r.message])
        for r in failed
    ]
    return dbc.Alert(
        [text + ".", *([html.Ul(named, className="mb-0 mt-1")] if named else [])],
        color="warning" if failed else "success",
        className=f"py-2 mb-2 small edit-result edit-result--{'failed' if failed else 'saved'} bulk-result",
        dismissable=True,
        duration=None if failed else 8000,
    )


def register() -> None:
    reload = {"reload": State(ids.RELOAD, "data")}
    dash.callback(
        output=OUTCOME,
        inputs={"events": Input(ids.GRID, "cellValueChanged")},
        state={"history": State(ids.UNDO_STORE, "data"), **reload},
        prevent_initial_call=True,
    )(save_cell_edits)
    dash.callback(
        output=OUTCOME,
        inputs={
            "undo_clicks": Input(ids.UNDO, "n_clicks"),
            "redo_clicks": Input(ids.REDO, "n_clicks"),
            "retry_clicks": Input(ids.RETRY, "n_clicks"),
            "apply_mine": Input(ids.CONFLICT_APPLY, "n_clicks"),
        },
        state={
            "history": State(ids.UNDO_STORE, "data"),
            "pending": State(ids.PENDING_STORE, "data"),
            "conflicts": State(ids.CONFLICT_STORE, "data"),
            **reload,
        },
        # A second Ctrl+Z while the first runs would replay the same step (read before the first
        # answered) and meet its own write as a conflict: the buttons wait for the answer.
        running=disabled_while_running(ids.UNDO, ids.REDO),
        prevent_initial_call=True,
    )(replay_edits)
    dash.callback(
        output={
            **{
                f"{direction}_{key}": Output(component, prop)
                for direction, component in (("undo", ids.UNDO), ("redo", ids.REDO))
                for key, prop in (("label", "children"), ("disabled", "disabled"), ("title", "title"))
            },
            "retry_class": Output(ids.RETRY, "className"),
            "retry_label": Output(ids.RETRY, "children"),
        },
        inputs={"history": Input(ids.UNDO_STORE, "data"), "pending": Input(ids.PENDING_STORE, "data")},
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
            "publish_label": Output(ids.PUBLISH, "children"),
            "unpublish_label": Output(ids.UNPUBLISH, "children"),
        },
        inputs={"selected": Input(ids.GRID, "selectedRows")},
    )(bulk_buttons)
    dash.callback(
        output=BULK,
        inputs={"publish_clicks": Input(ids.PUBLISH, "n_clicks"), "unpublish_clicks": Input(ids.UNPUBLISH, "n_clicks")},
        state={"selected": State(ids.GRID, "selectedRows"), "history": State(ids.UNDO_STORE, "data"), **reload},
        prevent_initial_call=True,
    )(bulk_publish)
