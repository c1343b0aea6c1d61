"""What a health check of one service found, whichever source stands for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

ENV_VARS = {
    "achievement-collector": "ACHIEVEMENT_API_URL",
    "orchestrator": "ORCHESTRATOR_URL",
    "tech-doc-generator": "TECH_DOC_API_URL",
}
"""The setting that points each service's data at its HTTP API."""


@dataclass(frozen=True)
class ServiceStatus:
    """One service as the last health check found it, with its history."""

    service: str
    configured: bool
    """False when its URL is not set (the embedded store stands in, or nothing does)."""
    source: str
    """"http", "embedded" or "not configured"."""
    status: str
    """"healthy", "unhealthy" (answers, but not well), "down" (no answer) or "not configured"."""
    url: Optional[str] = None
    latency_ms: Optional[float] = None
    version: Optional[str] = None
    detail: Optional[str] = None
    last_success: Optional[datetime] = None
    last_error: Optional[datetime] = None
    last_error_text: Optional[str] = None

    @property
    def env_var(self) -> str:
        return ENV_VARS.get(self.service, "")


def not_configured(service: str) -> ServiceStatus:
    """The status of a service nothing stands in for."""
    return ServiceStatus(service=service, configured=False, source="not configured", status="not configured")
