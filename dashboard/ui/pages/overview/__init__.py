"""The Overview page: KPIs, the value trend, the category breakdown and the newest achievements.

page.py registers it, lays it out and wires its one refresh callback; ids.py holds its ids;
view.py builds every tile's content from the data, without I/O.
"""
