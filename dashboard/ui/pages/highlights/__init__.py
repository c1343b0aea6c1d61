"""Highlights: the achievements as a TV shows them (the wallboard's `achievements-kpis` view).

page.py registers it and wires its one refresh; ids.py holds its ids; view.py builds the
screen from the achievements, without I/O.
"""
