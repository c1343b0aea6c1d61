"""HTTP clients of the three Threads-Agent services; each takes an injected httpx.Client."""

from dashboard.services.clients.achievements import AchievementClient
from dashboard.services.clients.base import BackendError, NotAvailable, make_http_client
from dashboard.services.clients.orchestrator import OrchestratorClient
from dashboard.services.clients.techdoc import TechDocClient

__all__ = [
    "AchievementClient",
    "BackendError",
    "NotAvailable",
    "OrchestratorClient",
    "TechDocClient",
    "make_http_client",
]
