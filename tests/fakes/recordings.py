"""The recorded real responses the fakes are seeded from, and datetimes as the services write them."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from tests import clock as tests_clock


def recordings_dir() -> Path:
    """Where the recorded responses live: $CONTRACT_RECORDINGS_DIR, tests/fixtures/recorded,
    or ../shared/contract/recorded next to the repository (the layout of the project)."""
    here = Path(__file__).resolve().parents[1]  # tests/
    candidates = [
        Path(os.environ["CONTRACT_RECORDINGS_DIR"]) if os.environ.get("CONTRACT_RECORDINGS_DIR") else None,
        here / "fixtures" / "recorded",
        here.parent.parent / "shared" / "contract" / "recorded",
    ]
    for candidate in candidates:
        if candidate is not None and (candidate / "health.json").is_file():
            return candidate
    raise FileNotFoundError(
        "contract recordings not found; set CONTRACT_RECORDINGS_DIR to the folder holding health.json"
    )


def load_recording(name: str, folder: Optional[Path] = None) -> Any:
    """One recorded response body, parsed."""
    return json.loads(((folder or recordings_dir()) / name).read_text(encoding="utf-8"))


def utcnow() -> datetime:
    """Naive UTC, as the services store and send it: the suite's clock (tests/clock.py)."""
    return tests_clock.now()


def iso(moment: datetime) -> str:
    """A datetime as the services serialize it: ISO 8601 without a timezone."""
    return moment.isoformat()


def parse_dt(text: str) -> datetime:
    """A stored or received datetime, as naive UTC."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment
