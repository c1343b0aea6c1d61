"""`python -m dashboard`: the development server on HOST:PORT (default 127.0.0.1:8050).

Two helpers for turning authentication on:
- `python -m dashboard hash-password` reads a password (prompt, or stdin when piped) and prints
  the hash for the users file;
- `python -m dashboard token NAME [--hours H]` prints a read-only token for a wallboard or an
  embed (signed with SECRET_KEY; open screens renew it themselves).
"""

from __future__ import annotations

import argparse
import getpass
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Threads-Agent dashboard")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the development server (the default)")
    commands.add_parser("hash-password", help="print a password hash for DASHBOARD_USERS_FILE")
    token = commands.add_parser("token", help="print a read-only token for a wallboard or an embed")
    token.add_argument("name", help="what the token is for, e.g. lobby-tv (shown as the user, revocable by name)")
    token.add_argument(
        "--hours",
        type=float,
        default=None,
        help="lifetime of each token (default DASHBOARD_READ_TOKEN_HOURS); open screens renew it "
        "until DASHBOARD_READ_TOKEN_MAX_HOURS after this issue",
    )
    args = parser.parse_args(argv)
    if args.command == "hash-password":
        return _hash_password()
    if args.command == "token":
        return _token(args.name, args.hours)
    return _serve()


def _serve() -> int:
    from dashboard.app import app_from_environment

    built = app_from_environment()
    if built is None:
        return 2
    settings, app = built
    print(f"Threads-Agent dashboard on http://{settings.host}:{settings.port}/", flush=True)
    app.run(host=settings.host, port=settings.port, debug=settings.debug, use_reloader=False, threaded=True)
    return 0


def _hash_password() -> int:
    from dashboard.web.auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The two passwords differ.", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        print(hash_password(password))
    except ValueError as exc:
        print(f"Not hashed: {exc}.", file=sys.stderr)
        return 2
    return 0


def _token(name: str, hours: float | None) -> int:
    from dashboard.settings import SettingsError, load_settings
    from dashboard.web.auth import Signer

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    if settings.secret_key is None:
        print(
            "SECRET_KEY is not set: tokens are signed with it (and checked only when DASHBOARD_AUTH is on).",
            file=sys.stderr,
        )
        return 2
    seconds = (hours if hours is not None else settings.read_token_hours) * 3600
    signer = Signer(settings.secret_key.get_secret_value(), session_seconds=0, token_seconds=seconds)
    try:
        print(signer.issue_token(name))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
