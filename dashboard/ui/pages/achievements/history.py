"""The grid's undo and redo history, as a spreadsheet keeps it: pure functions of the tab's store.

The history lives in the browser tab (a dcc.Store, ids.UNDO_STORE), never on the server: two tabs
have two histories. It is `{"undo": [step, …], "redo": [step, …]}`, newest last, each bounded by
LIMIT. A step is what one user action saved (a cell edit, a paste over several cells, a bulk
publish): its rows, each with the values before and after and the version (`updated_at`) the row
was left at. Undoing a step writes its `before` values through the same validated path as any
edit, checked against that version: a row changed elsewhere meanwhile is a conflict, said and
not overwritten. Nothing here talks to a service; edits.py does the writing.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from dashboard.services.achievements.edits import EditResult, label, to_editor_value

LIMIT = 50
"""Steps kept each way; the oldest is forgotten first."""
MAX_ROWS = 1000
"""Rows one step may hold (a bulk publish of every loaded row); the door refuses more."""

Direction = Literal["undo", "redo"]
History = dict[str, list[dict[str, Any]]]


def empty() -> History:
    return {"undo": [], "redo": []}


def _stacks(history: Optional[dict]) -> History:
    """The store as two lists (None, an older store's shape or a forged one: an empty history)."""
    if not isinstance(history, dict):
        return empty()
    return {name: list(history.get(name) or [])[-LIMIT:] for name in ("undo", "redo")}


def step_of(results: list[EditResult]) -> Optional[dict[str, Any]]:
    """The step a batch of writes made: each saved row that changed, with its values before and after."""
    rows = []
    for result in results:
        stored = result.achievement
        if not (result.ok and result.previous and stored is not None and stored.updated_at):
            continue  # refused, failed, in conflict, or saved without a change: nothing to undo
        rows.append(
            {
                "id": result.achievement_id,
                "before": result.previous,
                "after": {name: to_editor_value(stored, name) for name in result.previous},
                "stamp": stored.updated_at.isoformat(),
                "title": stored.title[:80],
            }
        )
    if not rows:
        return None
    return {"label": step_label(rows), "rows": rows[:MAX_ROWS]}


def step_label(rows: list[dict[str, Any]]) -> str:
    """'Title of #12', 'Impact, Tags of #12', 'Published of 5 rows'."""
    names: list[str] = []
    for row in rows:
        names += [name for name in row["before"] if name not in names]
    fields = ", ".join(label(name) for name in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    where = f"#{rows[0]['id']}" if len(rows) == 1 else f"{len(rows)} rows"
    return f"{fields} of {where}"


def recorded(history: Optional[dict], results: list[EditResult]) -> History:
    """The history after a new action: its step on top of undo; redo forgotten, as a spreadsheet does."""
    stacks = _advanced(_stacks(history), results)
    step = step_of(results)
    if step is None:
        return stacks
    return {"undo": (stacks["undo"] + [step])[-LIMIT:], "redo": []}


def _advanced(stacks: History, results: list[EditResult]) -> History:
    """Older steps of a row this tab just wrote, moved on to the version it wrote.

    A step remembers the version it left its row at; the tab's own later write of that row makes
    a newer one, and undoing the older step must not read that as a change made elsewhere. A step
    is moved on only when the write was made on the very version it remembers: a row changed by
    someone else in between keeps its old version, and undoing that step is a conflict, said.
    """
    moved = {
        (r.achievement_id, r.version): r.achievement.updated_at.isoformat()
        for r in results
        if r.ok and r.version and r.achievement is not None and r.achievement.updated_at
    }
    if not moved:
        return stacks
    return {
        name: [
            {
                **step,
                "rows": [{**row, "stamp": moved.get((row["id"], row["stamp"]), row["stamp"])} for row in step["rows"]],
            }
            for step in steps
        ]
        for name, steps in stacks.items()
    }


def batch(history: Optional[dict], direction: Direction) -> list[tuple[int, dict[str, Any], Optional[str]]]:
    """The writes that undo (or redo) the newest step: (id, values, the version it was left at)."""
    stacks = _stacks(history)
    if not stacks[direction]:
        return []
    values = "before" if direction == "undo" else "after"
    return [(row["id"], row[values], row["stamp"]) for row in stacks[direction][-1]["rows"]]


def replayed(history: Optional[dict], direction: Direction, results: list[EditResult]) -> History:
    """The history once the newest `direction` step was written: what was written moves across
    (with the version it is now at); a row that could not be written leaves the history, handed
    to the conflict dialog or the retry button, which say what became of it."""
    stacks = _stacks(history)
    if not stacks[direction]:
        return stacks
    step = stacks[direction].pop()
    stacks = _advanced(stacks, results)
    written = {r.achievement_id: r for r in results if r.ok and r.achievement is not None}
    rows = []
    for row in step["rows"]:
        result = written.get(row["id"])
        if result is None or result.achievement is None or not result.achievement.updated_at:
            continue
        rows.append({**row, "stamp": result.achievement.updated_at.isoformat()})
    other: Direction = "redo" if direction == "undo" else "undo"
    if rows:
        stacks[other] = (stacks[other] + [{"label": step_label(rows), "rows": rows}])[-LIMIT:]
    return stacks


def buttons(history: Optional[dict]) -> dict[str, Any]:
    """Each button's label and state: 'Undo: Title of #12', or 'Undo' disabled when there is none."""
    stacks = _stacks(history)
    answer: dict[str, Any] = {}
    for direction, word in (("undo", "Undo"), ("redo", "Redo")):
        newest = stacks[direction][-1] if stacks[direction] else None
        answer[f"{direction}_label"] = f"{word}: {newest['label']}" if newest else word
        answer[f"{direction}_disabled"] = newest is None
        answer[f"{direction}_title"] = (
            f"{word} {newest['label']} ({len(stacks[direction])} step(s); "
            + ("Ctrl+Z)" if direction == "undo" else "Ctrl+Shift+Z or Ctrl+Y)")
            if newest
            else f"Nothing to {direction}"
        )
    return answer
