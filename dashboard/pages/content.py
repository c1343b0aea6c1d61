"""Content pipeline: posts by status, generation (its own issue)."""

import dash

from dashboard.pages._placeholder import placeholder

dash.register_page(__name__, path="/content", name="Content", title="Content pipeline · Threads-Agent", order=2)


def layout(**_query):
    return placeholder("Content pipeline", "Posts from draft to published, per platform, and content generation.")
