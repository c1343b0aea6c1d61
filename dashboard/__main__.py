"""`python -m dashboard`: the development server on HOST:PORT (default 127.0.0.1:8050)."""

from __future__ import annotations

import logging
import sys


def main() -> int:
    from dashboard import create_app
    from dashboard.settings import SettingsError, load_settings
    from dashboard.services.store import StoreError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
        app = create_app(settings=settings)
    except (SettingsError, StoreError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Threads-Agent dashboard on http://{settings.host}:{settings.port}/", flush=True)
    app.run(host=settings.host, port=settings.port, debug=settings.debug, use_reloader=False, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
