"""Analytics: value, categories, skills and platform performance over time (its own issue)."""

import dash

from dashboard.pages._placeholder import placeholder

dash.register_page(__name__, path="/analytics", name="Analytics", title="Analytics · Threads-Agent", order=3)


def layout(**_query):
    return placeholder("Analytics", "Business value, categories, impact and platform performance over time.")
