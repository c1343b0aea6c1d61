"""HTTP clients of the three Threads-Agent services; each takes an injected httpx.Client."""

from dashboard.infra.http import BackendError, NotAvailable, make_http_client
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
