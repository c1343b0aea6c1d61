"""gunicorn's target: `gunicorn dashboard.wsgi:server`."""

import logging
import sys

from dashboard import create_app
from dashboard.services.store import StoreError
from dashboard.settings import SettingsError

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

try:
    app = create_app()
except (SettingsError, StoreError) as exc:
    print(exc, file=sys.stderr)
    raise SystemExit(2) from None
server = app.server
