"""gunicorn's target: `gunicorn -c gunicorn.conf.py dashboard.wsgi:server`."""

import sys

from dashboard import create_app
from dashboard.domain.errors import StoreError
from dashboard.settings import SettingsError, load_settings
from dashboard.web.observability import configure_logging

try:
    settings = load_settings()
    configure_logging(settings.log_level.upper())
    app = create_app(settings=settings)
except (SettingsError, StoreError) as exc:
    print(exc, file=sys.stderr)
    raise SystemExit(2) from None
server = app.server
