"""Threads-Agent dashboard: a live Plotly Dash view of the Threads-Agent microservices."""

__version__ = "0.1.0"


def create_app(*args, **kwargs):
    """Build the dashboard (see dashboard.app.create_app); imported lazily to keep import cheap."""
    from dashboard.app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = ["__version__", "create_app"]
