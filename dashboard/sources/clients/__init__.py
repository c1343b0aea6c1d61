"""HTTP clients of the three Threads-Agent services; each takes an injected httpx.Client."""

from dashboard.domain.errors import BackendError, NotAvailable
from dashboard.infra.http import make_http_client
from dashboard.sources.clients.achievements import AchievementClient
from dashboard.sources.clients.orchestrator import OrchestratorClient
from dashboard.sources.clients.techdoc import TechDocClient

__all__ = [
    "AchievementClient",
    "BackendError",
    "NotAvailable",
    "OrchestratorClient",
    "TechDocClient",
    "make_http_client",
]
