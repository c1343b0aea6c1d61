"""The service layer: clients, embedded store, cache, KPI arithmetic. No Dash, no Flask."""

from dashboard.services.facade import DashboardServices, Endpoints

__all__ = ["DashboardServices", "Endpoints"]
