"""The WSGI app of dashboard/wsgi.py with dashboard.asset_delivery installed, for bench/page_load.py.

Until create_app() installs it itself, this is how the page-load benchmark measures the change
(`--compare` runs both servers in one run). Installing twice is a no-op.
"""

from dashboard import asset_delivery
from dashboard.wsgi import app, server  # noqa: F401 - gunicorn serves `server`

if "threads_dashboard_assets" not in server.extensions:
    asset_delivery.install(app)
