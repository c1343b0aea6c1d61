"""The errors a caller of the dashboard's lower layers handles, in one tree.

    DashboardError
     └── BackendError        a data source failed; the message is for the person at the screen
          └── NotAvailable   the source answers, but does not offer this data

Pages, use-cases and the cache catch these names only; where an error comes from (an HTTP client,
the embedded store) is not their business.
"""

from __future__ import annotations

from typing import Optional


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
