"""The Wallboard page: page.py registers it, lays it out and wires its callbacks."""
