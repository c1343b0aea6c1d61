"""The Achievements page: every achievement in an editable AG Grid that never loses an edit.

- page.py: registers the page, `layout(**query)`, and calls each feature's `register()`.
- ids.py: every component id; shapes.py: what the browser may send back (callback_input).
- parts.py: the fixed layout; columns.py: the grid's columns; view.py: pure data -> components.
- rows.py: reading blocks of rows; edits.py: cell edits, undo, retries, conflicts, bulk publish;
  adding.py: the add dialog; details.py: the detail panel and the audit trail; export.py: CSV.
- assets/achievements.js: the client-side grid sync (window.dash_clientside.achievements).
"""
