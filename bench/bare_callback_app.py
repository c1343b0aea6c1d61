"""The dashboard as dashboard/wsgi.py builds it, plus one bare Dash callback (bench/callback_cost.py).

`app.callback` writes straight into the app's own callback list and map, so it works after
create_app's first-request setup has run (that setup only merges the global `dash.callback`
list, once): `/_dash-dependencies` lists the callback and `/_dash-update-component` serves it.
The components need not be in the layout: no browser renders this page.

Kept free of `bench.*` imports, so another checkout's gunicorn can load it as a top-level module.
"""

from dash import Input, Output

from dashboard.wsgi import app, server

app.callback(Output("bench-bare", "children"), Input("bench-bare-in", "value"))(lambda value: value)

__all__ = ["server"]
