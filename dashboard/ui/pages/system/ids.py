"""Every component id of the System page, each prefixed `system-`."""

PAGE = "system"
INTERVAL = "system-interval"
"""The page's own timer (`?refresh=`), instead of the root one."""
REFRESH = "system-refresh"
CADENCE = "system-cadence"
SCREENS_BODY = "system-screens-body"
SCREENS_ADMINS_ONLY = "system-screens-admins-only"

SERVICE_TILES = {
    "achievement-collector": "system-achievements",
    "orchestrator": "system-orchestrator",
    "tech-doc-generator": "system-techdoc",
}
"""Service name -> its tile: `<tile>-card`, `-status`, `-body` and a freshness line."""
METRICS = "system-metrics"
TRENDS = "system-trends-body"
"""The metrics' trends over 24 h, inside the metrics tile."""
CACHE = "system-cache"
DASHBOARD = "system-dashboard"
OTHER_TILES = (METRICS, CACHE, DASHBOARD)
"""Tiles with `<tile>-card`, `-body` and a freshness line."""
