"""The fake achievement-collector: its routes, and the computations behind them (with its bugs)."""

from __future__ import annotations

import collections
import copy
import math
import re
from typing import Optional

from flask import Flask, Response, request

from tests.fakes.achievement_fields import (
    ACHIEVEMENT_FIELDS,
    CREATE_DEFAULTS,
    REQUIRED_ON_CREATE,
    WRITABLE,
    coerce_field,
    duration_hours,
    ordered,
)
from tests.fakes.achievement_seed import WORKING_CATEGORIES, WORKING_SOURCE_TYPES, generated_achievement
from tests.fakes.base import ACHIEVEMENTS, FaultyServices
from tests.fakes.fastapi import (
    Invalid,
    NotFound,
    json_response,
    path_int,
    query_bool,
    query_float,
    query_int,
    query_pattern,
    request_json,
    require_object,
    validation_error,
)
from tests.fakes.recordings import iso, parse_dt

SORT_PATTERN = "^(completed_at|impact_score|business_value)$"
ORDER_PATTERN = "^(asc|desc)$"


class AchievementCollector(FaultyServices):
    """The achievement-collector's routes over `achievements` (ids in `poisoned` break list and get)."""

    achievements: list[dict]
    poisoned: set[int]
    _next_achievement_id: int

    def add_achievements(self, n: int) -> list[dict]:
        """Append `n` valid generated achievements (distinct ids, titles and completion times)."""
        with self.lock:
            start = len(self.achievements)
            added = [generated_achievement(self._new_achievement_id(), start + k, self.clock()) for k in range(n)]
            self.achievements.extend(added)
        return copy.deepcopy(added)

    def achievement(self, achievement_id: int) -> Optional[dict]:
        with self.lock:
            return next((copy.deepcopy(a) for a in self.achievements if a["id"] == achievement_id), None)

    def _new_achievement_id(self) -> int:
        # Like a database sequence: ids are never reused, even after a delete.
        highest = max((a["id"] for a in self.achievements), default=0)
        self._next_achievement_id = max(self._next_achievement_id, highest + 1)
        new_id = self._next_achievement_id
        self._next_achievement_id += 1
        return new_id

    def _achievement_app(self) -> Flask:
        app = self._new_app(ACHIEVEMENTS)
        app.add_url_rule("/health", "health", lambda: json_response(self.health_body))
        app.add_url_rule("/achievements/", "list", self._list_achievements, methods=["GET"])
        app.add_url_rule("/achievements/", "create", self._create_achievement, methods=["POST"])
        app.add_url_rule("/achievements/stats/summary", "stats", self._stats_summary, methods=["GET"])
        one = "/achievements/<achievement_id>"
        app.add_url_rule(one, "get", self._get_achievement, methods=["GET"])
        app.add_url_rule(one, "update", self._update_achievement, methods=["PUT"])
        app.add_url_rule(one, "delete", self._delete_achievement, methods=["DELETE"])
        return app

    def _refuse_if_poisoned(self) -> Optional[Response]:
        # A row the service saved but cannot serialize breaks its list and get calls.
        if self.poisoned & {a["id"] for a in self.achievements}:
            return Response("Internal Server Error", status=500, mimetype="text/plain")
        return None

    def _list_achievements(self):
        args, errors = request.args, []
        page = query_int(args, "page", 1, errors, ge=1)
        per_page = query_int(args, "per_page", 20, errors, ge=1, le=100)
        portfolio_ready = query_bool(args, "portfolio_ready", errors)
        min_impact = query_float(args, "min_impact_score", errors)
        sort_by = query_pattern(args, "sort_by", "completed_at", SORT_PATTERN, errors)
        order = query_pattern(args, "order", "desc", ORDER_PATTERN, errors)
        if errors:
            raise Invalid(errors)
        with self.lock:
            refused = self._refuse_if_poisoned()
            if refused:
                return refused
            items = filter_achievements(
                self.achievements, args.get("category"), portfolio_ready, min_impact, args.get("search")
            )
            items = sort_achievements(items, sort_by, order)
            total = len(items)
            window = copy.deepcopy(items[(page - 1) * per_page : page * per_page])
        pages = math.ceil(total / per_page)
        return json_response({"items": window, "total": total, "page": page, "per_page": per_page, "pages": pages})

    def _get_achievement(self, achievement_id: str):
        wanted = path_int(achievement_id, "achievement_id")
        with self.lock:
            refused = self._refuse_if_poisoned()
            if refused:
                return refused
            return json_response(copy.deepcopy(self._find_achievement(wanted)))

    def _find_achievement(self, achievement_id: int) -> dict:
        for item in self.achievements:
            if item["id"] == achievement_id:
                return item
        raise NotFound("Achievement not found")

    def _create_achievement(self):
        body = request_json()
        require_object(body)
        errors = [
            validation_error("missing", ["body", name], "Field required", body)
            for name in REQUIRED_ON_CREATE
            if name not in body
        ]
        values = {name: coerce_field(name, body[name], errors) for name in ACHIEVEMENT_FIELDS if name in body}
        if errors:
            raise Invalid(errors)
        now = iso(self.clock())
        with self.lock:
            item = {**copy.deepcopy(CREATE_DEFAULTS), **values}
            item.update(
                id=self._new_achievement_id(),
                created_at=now,
                updated_at=now,
                duration_hours=duration_hours(values["started_at"], values["completed_at"]),
            )
            item = ordered(item)
            self.achievements.append(item)
            if breaks_the_service(item):
                self.poisoned.add(item["id"])
                return Response("Internal Server Error", status=500, mimetype="text/plain")
            return json_response(copy.deepcopy(item))

    def _update_achievement(self, achievement_id: str):
        wanted = path_int(achievement_id, "achievement_id")
        body = request_json()
        require_object(body)
        errors: list = []
        # Only writable fields count; category, source_* and dates are silently ignored.
        changes = {name: coerce_field(name, body[name], errors) for name in WRITABLE if name in body}
        if errors:
            raise Invalid(errors)
        with self.lock:
            item = self._find_achievement(wanted)
            item.update(changes)
            item["updated_at"] = iso(self.clock())
            return json_response(copy.deepcopy(item))

    def _delete_achievement(self, achievement_id: str):
        wanted = path_int(achievement_id, "achievement_id")
        with self.lock:
            item = self._find_achievement(wanted)
            self.achievements.remove(item)
            self.poisoned.discard(wanted)
        return json_response({"status": "deleted", "id": wanted})

    def _stats_summary(self):
        with self.lock:
            return json_response(stats_summary(self.achievements))


def breaks_the_service(item: dict) -> bool:
    """Values the service's validation lets through but its database/serializer then rejects."""
    return (
        item["category"] not in WORKING_CATEGORIES
        or item["source_type"] not in WORKING_SOURCE_TYPES
        or parse_dt(item["completed_at"]) < parse_dt(item["started_at"])
    )


def filter_achievements(items, category, portfolio_ready, min_impact, search) -> list[dict]:
    needle = search.lower() if search else None
    return [
        item
        for item in items
        if (category is None or item["category"] == category)
        and (portfolio_ready is None or item["portfolio_ready"] == portfolio_ready)
        and (min_impact is None or item["impact_score"] >= min_impact)
        and (needle is None or needle in f"{item['title']}\n{item['description'] or ''}".lower())
    ]


def sort_achievements(items: list[dict], sort_by: str, order: str) -> list[dict]:
    """ORDER BY sort_by asc|desc, with PostgreSQL's NULL placement (last asc, first desc)."""
    descending = order == "desc"
    present = [item for item in items if item.get(sort_by) is not None]
    missing = [item for item in items if item.get(sort_by) is None]
    if sort_by == "completed_at":
        present.sort(key=lambda item: parse_dt(item["completed_at"]), reverse=descending)
    else:
        present.sort(key=lambda item: item[sort_by], reverse=descending)
    return missing + present if descending else present + missing


def buggy_value(business_value: Optional[str]) -> float:
    """The service's reading of a business value: every digit and dot, concatenated (the bug)."""
    if not business_value:
        return 0.0
    digits = re.sub(r"[^0-9.]", "", business_value)
    try:
        return float(digits)
    except ValueError:
        return 0.0


def stats_summary(items: list[dict]) -> dict:
    count = len(items)
    by_category = collections.Counter(item["category"] for item in items)
    return {
        "total_achievements": count,
        "total_value_generated": sum(buggy_value(item["business_value"]) for item in items),
        "total_time_saved_hours": sum(item["time_saved_hours"] for item in items),
        "average_impact_score": sum(item["impact_score"] for item in items) / count if count else 0.0,
        "average_complexity_score": sum(item["complexity_score"] for item in items) / count if count else 0.0,
        "by_category": dict(sorted(by_category.items())),
    }
