"""System health: services, cache and the dashboard itself (its own issue)."""

import dash

from dashboard.pages._placeholder import placeholder

dash.register_page(__name__, path="/system", name="System", title="System health · Threads-Agent", order=4)


def layout(**_query):
    return placeholder("System health", "Each service's status and latency, the cache, and this dashboard.")
