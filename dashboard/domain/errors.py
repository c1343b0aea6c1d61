"""The errors a caller of the dashboard's lower layers handles, in one tree.

    DashboardError
     ├── BackendError        a data source failed; the message is for the person at the screen
     │    ├── NotAvailable   the source answers, but does not offer this data
     │    └── NotFound       the record asked for does not exist (every source: HTTP 404, no row)
     ├── Conflict            the record changed since the caller read it; `current` is what is stored
     └── StoreError          the embedded store cannot be opened or written (start-up, seeding)

Pages, use-cases and the cache catch these names only; where an error comes from (an HTTP client,
the embedded store) is not their business. Low-level errors (httpx, sqlite3) are translated into
these in one place each: infra/http.py and sources/embedded/store.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from dashboard.domain.models import Achievement


class DashboardError(Exception):
    """The root: anything the dashboard raises on purpose for a caller to handle."""


class BackendError(DashboardError):
    """A backend call failed; the message is written for the person looking at the screen."""

    def __init__(self, service: str, message: str, *, status: Optional[int] = None, maybe_processed: bool = False):
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status
        self.maybe_processed = maybe_processed
        """The request reached the service, which may have acted on it before the answer was lost
        (a read timeout, a connection dropped mid-answer): a write may have happened."""

    def outcome(self, failed: str) -> str:
        """`failed` ('Not saved'), or 'Perhaps not saved' when the request reached the service and
        its answer was lost (and reading back could not settle it): the write may still land."""
        return "Perhaps " + failed[0].lower() + failed[1:] if self.maybe_processed else failed


class NotAvailable(BackendError):
    """The service answers, but does not offer this data (e.g. an endpoint not mounted)."""


class NotFound(BackendError):
    """The record does not exist, whichever source was asked (status 404, as over HTTP)."""

    def __init__(self, service: str, message: str, *, status: Optional[int] = 404, maybe_processed: bool = False):
        super().__init__(service, message, status=status, maybe_processed=maybe_processed)


class Conflict(DashboardError):
    """The row changed since the caller read it; `current` is what is stored now."""

    def __init__(self, current: "Achievement"):
        super().__init__(f"achievement {current.id} changed at {current.updated_at}")
        self.current = current


class StoreError(DashboardError, RuntimeError):
    """The embedded store cannot be opened or written."""
