"""The Activity page: the whole activity feed (edits, posts, outages), also a wallboard view.

page.py registers it and wires its list (ui/components/activity.py builds the entries).
"""
