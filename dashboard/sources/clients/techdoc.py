"""tech-doc-generator over HTTP. Optional: its analytics endpoint is planned, not mounted."""

from __future__ import annotations

from pydantic import TypeAdapter

from dashboard.domain.models import PlatformPerformance
from dashboard.infra.http import ServiceClient

_PERFORMANCE = TypeAdapter(PlatformPerformance)


class TechDocClient(ServiceClient):
    service = "tech-doc-generator"

    def performance(self) -> PlatformPerformance:
        """Raises NotAvailable while the service does not mount /api/analytics/performance."""
        data = self.request_json("GET", "/api/analytics/performance")
        return self.parse(_PERFORMANCE, data, "platform performance")
