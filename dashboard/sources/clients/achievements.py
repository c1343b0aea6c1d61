"""achievement-collector over HTTP (../shared/CONTRACT.md, section achievement-collector)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from pydantic import BaseModel, TypeAdapter

from dashboard.domain.errors import BackendError
from dashboard.domain.models import Achievement, naive_utc
from dashboard.infra.http import ServiceClient

MAX_PER_PAGE = 100
MAX_PAGES = 200
"""The most pages one read takes (20,000 achievements): a list that claims more is refused at
once, rather than read for minutes into memory (a collector claiming 1,000 pages made refreshes
of 62-85 s). The whole read must also end within the read deadline (FreshCache.fetch_seconds)."""


class _Page(BaseModel):
    items: list[Achievement]
    total: int
    page: int
    per_page: int
    pages: int


_PAGE = TypeAdapter(_Page)
_ACHIEVEMENT = TypeAdapter(Achievement)
_SUMMARY = TypeAdapter(dict[str, Any])


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
            try:
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
            except BackendError as exc:
                if page_number == 1:
                    raise
                # Pages already read are dropped with the rest: a half list would give half totals.
                reason = str(exc).removeprefix(f"{self.service}: ")
                raise BackendError(
                    self.service, f"{reason} (page {page_number} of {pages})", status=exc.status
                ) from None
            # An item added while we page shifts later pages: keying by id drops the duplicate.
            for item in page.items:
                by_id[item.id] = item
            pages, total = page.pages, page.total
            if pages > MAX_PAGES:
                raise BackendError(
                    self.service,
                    f"list too large: {pages:,} pages ({total:,} achievements); the dashboard reads at most "
                    f"{MAX_PAGES} pages ({MAX_PAGES * MAX_PER_PAGE:,} achievements)",
                )
            if not page.items:
                break
            page_number += 1
        if len(by_id) < total and page_number <= pages:
            raise BackendError(self.service, f"list ended early: {len(by_id)} of {total} achievements")
        return sorted(by_id.values(), key=lambda a: a.completed_at, reverse=True)

    def get(self, achievement_id: int) -> Achievement:
        data = self.request_json("GET", f"/achievements/{int(achievement_id)}")
        return self.parse(_ACHIEVEMENT, data, f"achievement {achievement_id}")

    def update(self, achievement_id: int, body: dict[str, Any]) -> Achievement:
        """A partial PUT (the service has no PATCH): only the fields in `body` change.

        When the answer is lost after the request reached the service, the stored row is read:
        if it holds every value sent, the write landed and the row is returned.
        """
        path = f"/achievements/{int(achievement_id)}"
        data = self.write_verified(
            lambda: self.request_json("PUT", path, json=body),
            lambda: self.request_json("GET", path),
            lambda stored: isinstance(stored, dict) and all(_same(stored.get(k), v) for k, v in body.items()),
        )
        return self.parse(_ACHIEVEMENT, data, f"achievement {achievement_id}")

    def create(self, body: dict[str, Any]) -> Achievement:
        """POST a new achievement (the service answers 200 with it).

        When the answer is lost after the request reached the service, the new row is looked
        for (same title, category, dates and source) and returned if it is there. The service
        takes no idempotency key: when it is not there (yet), the create stays uncertain, and the
        facade remembers that in the shared cache so a retry on any worker calls `find_created`
        before posting again.
        """
        data = self.write_verified(
            lambda: self.request_json("POST", "/achievements/", json=body),
            lambda: self._find_created(body),
            lambda found: True,
        )
        return self.parse(_ACHIEVEMENT, data, "the new achievement")

    def find_created(self, body: dict[str, Any]) -> Optional[Achievement]:
        """The stored achievement this create body made, if any."""
        found = self._find_created(body)
        return None if found is None else self.parse(_ACHIEVEMENT, found, "the new achievement")

    def _find_created(self, body: dict[str, Any]) -> Optional[dict[str, Any]]:
        """The stored achievement this create body made, if any (raw JSON)."""
        data = self.request_json(
            "GET",
            "/achievements/",
            params={
                "search": body.get("title", ""),
                "per_page": MAX_PER_PAGE,
                "sort_by": "completed_at",
                "order": "desc",
            },
        )
        items = data.get("items") if isinstance(data, dict) else None
        identity = ("title", "category", "started_at", "completed_at", "source_type", "source_id")
        for item in items or []:
            if isinstance(item, dict) and all(_same(item.get(k), body.get(k)) for k in identity if k in body):
                return item
        return None

    def stats_summary(self) -> dict[str, Any]:
        """Raw /achievements/stats/summary. Its total_value_generated is wrong; do not show it."""
        return self.parse(_SUMMARY, self.request_json("GET", "/achievements/stats/summary"), "the stats summary")


def _same(stored: Any, sent: Any) -> bool:
    """A stored JSON value against the value sent (numbers and datetimes compared by value)."""
    if stored == sent:
        return True
    if isinstance(stored, (int, float)) and isinstance(sent, (int, float)) and not isinstance(sent, bool):
        return float(stored) == float(sent)
    if isinstance(stored, str) and isinstance(sent, str):
        try:
            return bool(naive_utc(datetime.fromisoformat(stored)) == naive_utc(datetime.fromisoformat(sent)))
        except ValueError:
            return False
    return False
