"""Achievements: the editable grid (its own issue)."""

import dash

from dashboard.pages._placeholder import placeholder

dash.register_page(__name__, path="/achievements", name="Achievements", title="Achievements · Threads-Agent", order=1)


def layout(**_query):
    return placeholder("Achievements", "Every achievement in an editable grid: sort, filter, edit, add and publish.")
