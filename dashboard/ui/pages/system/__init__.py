"""The System page: each service's health, the orchestrator's metrics, the cache, this dashboard.

page.py registers it, lays it out and wires its callbacks; ids.py holds its ids and tiles;
view.py builds every tile's class, badge and body (and the screens table) without I/O.
"""
