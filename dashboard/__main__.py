"""`python -m dashboard`: the development server on HOST:PORT (default 127.0.0.1:8050)."""

from __future__ import annotations

import sys


def main() -> int:
    from dashboard import create_app
    from dashboard.observability import configure_logging
    from dashboard.settings import SettingsError, load_settings
    from dashboard.services.store import StoreError

    try:
        settings = load_settings()
        configure_logging(settings.log_level.upper())
        app = create_app(settings=settings)
    except (SettingsError, StoreError) as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Threads-Agent dashboard on http://{settings.host}:{settings.port}/", flush=True)
    app.run(host=settings.host, port=settings.port, debug=settings.debug, use_reloader=False, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
