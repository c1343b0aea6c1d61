"""gunicorn's target: `gunicorn -c gunicorn.conf.py dashboard.wsgi:server`."""

from dashboard.app import app_from_environment

built = app_from_environment()
if built is None:
    raise SystemExit(2)
settings, app = built
server = app.server
