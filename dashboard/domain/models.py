"""Domain models shared by the clients, the embedded store, the KPIs and the figures.

The shapes follow ../shared/CONTRACT.md. Datetimes are naive UTC, as the services send them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from dashboard.domain.business_value import DEFAULT_CURRENCY, ValueReading, parse_business_value, read_business_value
from dashboard.domain.clock import to_naive_utc

CATEGORIES = (
    "feature",
    "optimization",
    "bugfix",
    "infrastructure",
    "documentation",
    "testing",
    "security",
    "performance",
    "architecture",
    "content",
    "business",
    "milestone",
)
"""Categories the achievement-collector really accepts (others save, then break its list call)."""

SOURCE_TYPES = (
    "git",
    "github",
    "github_pr",
    "ci",
    "manual",
    "api",
    "threads",
    "prometheus",
    "webhook",
)
POST_STATUSES = ("draft", "ready", "scheduled", "published", "failed")
PLATFORMS = ("dev.to", "linkedin", "threads", "medium", "github")
SERVER_ADDED_METRIC_KEYS = ("enhanced_calculations", "calculation_summary")


def naive_utc(value: Any) -> Any:
    """A datetime as naive UTC: the services send naive UTC, but a "Z" or an offset must not make
    one value aware (aware and naive datetimes cannot be compared, so sorting a list would fail)."""
    if not isinstance(value, datetime):
        return value
    try:
        return to_naive_utc(value)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the first moment in UTC
        raise ValueError("datetime out of range once converted to UTC") from None


def score_text(score: Optional[float]) -> str:
    """A score as a line of text shows it: "85", or "—" when it was never given (never "0")."""
    return "—" if score is None else f"{score:.0f}"


class Achievement(BaseModel):
    """One piece of engineering work with business value (achievement-collector's model)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    title: str
    description: str = ""
    category: str
    started_at: datetime
    completed_at: datetime
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    duration_hours: float = 0.0
    source_type: str = "manual"
    source_id: Optional[str] = None
    source_url: Optional[str] = None
    tags: list[str] = Field(default_factory=list)
    skills_demonstrated: list[str] = Field(default_factory=list)
    impact_score: Optional[float] = None
    """0–100; None when it was never given (an add without one): unknown, never read as 0."""
    complexity_score: float = 0.0
    business_value: Optional[str] = None
    """The raw text as stored: JSON text, "$162,500 annual value", "75000" or None."""
    time_saved_hours: float = 0.0
    performance_improvement_pct: float = 0.0
    evidence: dict[str, Any] = Field(default_factory=dict)
    metrics_before: dict[str, Any] = Field(default_factory=dict)
    metrics_after: dict[str, Any] = Field(default_factory=dict)
    ai_summary: Optional[str] = None
    ai_impact_analysis: Optional[str] = None
    ai_technical_analysis: Optional[str] = None
    portfolio_ready: bool = False
    portfolio_section: Optional[str] = None
    display_priority: int = 50

    _naive_utc = field_validator("started_at", "completed_at", "created_at", "updated_at")(naive_utc)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value_amount(self) -> Optional[float]:
        """The business value as a number in its own currency (None when absent or unreadable);
        a range counts as its lower bound. Totals use `value_reading` to keep currencies apart."""
        return parse_business_value(self.business_value)

    def value_reading(self, currency: str = DEFAULT_CURRENCY) -> Optional[ValueReading]:
        """How the business value was read: amount, currency (bare numbers are in `currency`), span."""
        return read_business_value(self.business_value, currency)

    def amount_in(self, currency: str = DEFAULT_CURRENCY) -> Optional[float]:
        """The amount when it is in `currency`; None when absent, unreadable or in another currency."""
        reading = read_business_value(self.business_value, currency)
        return reading.amount if reading is not None and reading.currency == currency else None


class Post(BaseModel):
    """A content post of the orchestrator."""

    model_config = ConfigDict(extra="ignore")

    id: int
    persona_id: Optional[str] = None
    hook: str = ""
    body: str = ""
    full_content: Optional[str] = None
    status: str = "draft"
    platforms: list[str] = Field(default_factory=list)
    quality_score: Optional[float] = None
    tokens_used: Optional[int] = None
    created_at: Optional[datetime] = None
    scheduled_at: Optional[datetime] = None
    published_at: Optional[datetime] = None

    _naive_utc = field_validator("created_at", "scheduled_at", "published_at")(naive_utc)


class ContentStats(BaseModel):
    """The orchestrator's /content/stats. The counts are required: a body without them is not
    content stats, and reading it as zeros would show invented numbers."""

    model_config = ConfigDict(extra="ignore")

    total_posts: int
    posts_today: int = 0
    posts_this_week: int = 0
    avg_quality_score: Optional[float] = None
    active_personas: int = 0
    draft_count: int
    ready_count: int = 0
    scheduled_count: int
    published_count: int


class ServicesHealthSummary(BaseModel):
    model_config = ConfigDict(extra="ignore")

    healthy: int = 0
    total: int = 0
    details: dict[str, str] = Field(default_factory=dict)


class SystemMetrics(BaseModel):
    """The orchestrator's /metrics/summary (queue and task counts required, as for ContentStats)."""

    model_config = ConfigDict(extra="ignore")

    services_health: ServicesHealthSummary = Field(default_factory=ServicesHealthSummary)
    api_latency_ms: Optional[float] = None
    success_rate: Optional[float] = None
    queue_size: int
    active_tasks: int
    completed_today: int = 0
    avg_processing_time_s: Optional[float] = None
    ai_metrics: dict[str, Any] = Field(default_factory=dict)


class ServiceHealth(BaseModel):
    """What one health check of one service found."""

    service: str
    source: Literal["http", "embedded", "not configured"]
    status: Literal["healthy", "unhealthy", "down", "not configured"]
    latency_ms: Optional[float] = None
    version: Optional[str] = None
    detail: Optional[str] = None


class PlatformPerformance(BaseModel):
    """tech-doc-generator's planned /api/analytics/performance."""

    model_config = ConfigDict(extra="ignore")

    total_generated: int
    avg_engagement_score: Optional[float] = None
    avg_quality_score: Optional[float] = None
    platform_breakdown: dict[str, dict[str, Any]]
    insights: list[str] = Field(default_factory=list)
    recommendation: Optional[str] = None


T = TypeVar("T")


class Fresh(BaseModel, Generic[T]):
    """A value with its freshness: when it was fetched, and whether the last fetch failed.

    `value` is None only when no fetch has ever succeeded; then `error` says why.
    """

    value: Optional[T] = None
    fetched_at: Optional[datetime] = None
    """Naive UTC time of the fetch that produced `value`."""
    stale: bool = False
    """True when `value` is older than it should be: the last refresh failed or is overdue."""
    error: Optional[str] = None
    """Why the last refresh failed, for the user."""
    failing_since: Optional[datetime] = None
    """When the current run of failed refreshes began (naive UTC); None while refreshes succeed."""
    version: Optional[str] = None
    """A digest of `value` as the cache stored it: the same data fetched again has the same version
    (a page whose drawing depends only on the data redraws when this changes, not on every fetch)."""

    @property
    def ok(self) -> bool:
        return self.value is not None

    def age_seconds(self, now: datetime) -> Optional[float]:
        if self.fetched_at is None:
            return None
        return max(0.0, (now - self.fetched_at).total_seconds())
