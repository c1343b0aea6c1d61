"""achievement-collector over HTTP (../shared/CONTRACT.md, section achievement-collector)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter

from dashboard.models import Achievement
from dashboard.services.clients.base import BackendError, ServiceClient

MAX_PER_PAGE = 100
MAX_PAGES = 1_000
"""A guard against a service that never ends its list (100,000 achievements)."""


class _Page(BaseModel):
    items: list[Achievement]
    total: int
    page: int
    per_page: int
    pages: int


_PAGE = TypeAdapter(_Page)
_ACHIEVEMENT = TypeAdapter(Achievement)


class AchievementClient(ServiceClient):
    service = "achievement-collector"

    def list_all(self, *, per_page: int = MAX_PER_PAGE) -> list[Achievement]:
        """Every achievement, paging through the whole list (the service caps a page at 100)."""
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        by_id: dict[int, Achievement] = {}
        page_number, pages, total = 1, 1, 0
        while page_number <= pages:
            if page_number > MAX_PAGES:
                raise BackendError(self.service, f"list did not end after {MAX_PAGES} pages")
            data = self.request_json(
                "GET",
                "/achievements/",
                params={
                    "page": page_number,
                    "per_page": per_page,
                    "sort_by": "completed_at",
                    "order": "desc",
                },
            )
            page = self.parse(_PAGE, data, "the achievements list")
            # An item added while we page shifts later pages: keying by id drops the duplicate.
            for item in page.items:
                by_id[item.id] = item
            pages, total = page.pages, page.total
            if not page.items:
                break
            page_number += 1
        if len(by_id) < total and page_number <= pages:
            raise BackendError(
                self.service, f"list ended early: {len(by_id)} of {total} achievements"
            )
        return sorted(by_id.values(), key=lambda a: a.completed_at, reverse=True)

    def get(self, achievement_id: int) -> Achievement:
        data = self.request_json("GET", f"/achievements/{int(achievement_id)}")
        return self.parse(_ACHIEVEMENT, data, f"achievement {achievement_id}")

    def update(self, achievement_id: int, body: dict[str, Any]) -> Achievement:
        """A partial PUT (the service has no PATCH): only the fields in `body` change."""
        data = self.request_json("PUT", f"/achievements/{int(achievement_id)}", json=body)
        return self.parse(_ACHIEVEMENT, data, f"achievement {achievement_id}")

    def create(self, body: dict[str, Any]) -> Achievement:
        """POST a new achievement (the service answers 200 with it)."""
        data = self.request_json("POST", "/achievements/", json=body)
        return self.parse(_ACHIEVEMENT, data, "the new achievement")

    def stats_summary(self) -> dict[str, Any]:
        """Raw /achievements/stats/summary. Its total_value_generated is wrong; do not show it."""
        return self.request_json("GET", "/achievements/stats/summary")
