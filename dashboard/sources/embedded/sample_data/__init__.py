"""Deterministic sample data for the embedded store: what a newcomer sees with no backend.

`generate_sample(now)` builds a year of achievements of the threads-agent stack, two months of
content posts and an orchestrator metrics summary, in the shapes of ../shared/CONTRACT.md and of
the recorded achievement-collector responses. The same `now` and `seed` always give the same
data, so tests, screenshots and several gunicorn workers seeding at once all agree.

Standard library only (plus the domain constants): no Dash, no Flask, no clock, no I/O.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any, Iterator, Optional

from dashboard.domain.models import CATEGORIES, PLATFORMS, SOURCE_TYPES

ACHIEVEMENT_COUNT = 180
POST_COUNT = 48
HISTORY_DAYS = 365
POST_HISTORY_DAYS = 60
PORTFOLIO_SHARE = 0.4
REPO_URL = "https://github.com/threads-agent-stack/threads-agent"

# How many achievements each category gets (sums to ACHIEVEMENT_COUNT). Fixed counts rather
# than draws, so every category always has enough items for its charts, whatever the seed.
CATEGORY_COUNTS = {
    "feature": 28,
    "optimization": 18,
    "bugfix": 20,
    "infrastructure": 20,
    "documentation": 10,
    "testing": 14,
    "security": 12,
    "performance": 16,
    "architecture": 12,
    "content": 12,
    "business": 9,
    "milestone": 9,
}

# The four forms business_value takes in the real service, in fixed proportions (50/25/15/10).
BUSINESS_VALUE_FORMS = {"json": 90, "text": 45, "bare": 27, "none": 18}


@dataclass(frozen=True)
class SampleData:
    """One sample data set: achievements (oldest id first), posts (newest first), metrics."""

    achievements: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    system_metrics: dict[str, Any]


def generate_sample(now: datetime, seed: int = 2026) -> SampleData:
    """The sample data set as of `now` (naive UTC); the same arguments give the same data."""
    now = _naive_utc(now)
    # One stream per part, so changing how posts are drawn leaves the achievements unchanged.
    achievements = _achievements(random.Random(f"{seed}/achievements"), now)
    posts = _posts(random.Random(f"{seed}/posts"), now, achievements)
    metrics = _system_metrics(random.Random(f"{seed}/metrics"), now)
    return SampleData(achievements=achievements, posts=posts, system_metrics=metrics)


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


# Topics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Measure:
    """The number a title is built around: a metric that went down, went up, or a count."""

    kind: str  # "lower", "higher" or "count"
    key: str
    label: str
    fmt: str
    lo: float
    hi: float
    change: tuple[float, float] = (0.0, 0.0)
    step: float = 1
    cap: Optional[float] = None

    def show(self, value: float) -> str:
        return self.fmt.format(value)


def _lower(key, label, fmt, lo, hi, cut, step=1) -> _Measure:
    return _Measure("lower", key, label, fmt, lo, hi, cut, step)


def _higher(key, label, fmt, lo, hi, gain, step=1, cap=None) -> _Measure:
    return _Measure("higher", key, label, fmt, lo, hi, gain, step, cap)


def _count(key, label, lo, hi, step=1) -> _Measure:
    return _Measure("count", key, label, "{:,}", lo, hi, step=step)


@dataclass(frozen=True)
class _Topic:
    category: str
    title: str
    measure: _Measure
    tags: tuple[str, ...]
    skills: tuple[str, ...]
    section: str


_T = _Topic
_TOPICS: tuple[_Topic, ...] = (
    # feature
    _T(
        "feature",
        "Thompson-sampling A/B engine for hook variants across {n} personas",
        _count("personas_covered", "personas covered", 3, 12),
        ("ab-testing", "bandits", "experiments", "hooks"),
        ("Python", "NumPy", "PostgreSQL", "Statistics"),
        "ai-engineering",
    ),
    _T(
        "feature",
        "GitHub PR webhook that turns merged PRs into achievements ({n} PRs backfilled)",
        _count("prs_backfilled", "PRs backfilled", 40, 400),
        ("github", "webhooks", "automation"),
        ("FastAPI", "GitHub API", "SQLAlchemy"),
        "backend",
    ),
    _T(
        "feature",
        "Content calendar with {n} weekly publishing slots for LinkedIn and dev.to",
        _count("weekly_slots", "weekly slots", 5, 28),
        ("scheduling", "content", "celery"),
        ("Celery", "FastAPI", "PostgreSQL"),
        "backend",
    ),
    _T(
        "feature",
        "Comment monitor drafting replies for {n}% of incoming Threads comments",
        _count("auto_reply_coverage_pct", "reply coverage (%)", 35, 85),
        ("threads", "comments", "llm"),
        ("OpenAI API", "Celery", "Redis"),
        "ai-engineering",
    ),
    _T(
        "feature",
        "Streaming persona-runtime responses over SSE: first token in {b:,}ms instead of {a:,}ms",
        _lower("first_token_ms", "time to first token", "{:,}ms", 1800, 4200, (0.6, 0.85), 10),
        ("streaming", "sse", "persona-runtime"),
        ("FastAPI", "asyncio", "OpenAI API"),
        "ai-engineering",
    ),
    _T(
        "feature",
        "Viral hook pattern library with {n} curated templates",
        _count("hook_templates", "hook templates", 24, 180),
        ("hooks", "prompts", "content"),
        ("Prompt engineering", "Python", "PostgreSQL"),
        "ai-engineering",
    ),
    _T(
        "feature",
        "Trend-snippet ingestion from {n} RSS and Hacker News sources",
        _count("trend_sources", "trend sources", 6, 40),
        ("ingestion", "trends", "celery"),
        ("Python", "Celery", "httpx"),
        "backend",
    ),
    _T(
        "feature",
        "Post adapter with {n} per-platform templates for Threads, LinkedIn and dev.to",
        _count("platform_templates", "platform templates", 6, 30),
        ("content", "adapters", "publishing"),
        ("Python", "Jinja2", "FastAPI"),
        "backend",
    ),
    _T(
        "feature",
        "Achievement-to-portfolio export rendering {n} case studies as Markdown",
        _count("case_studies", "case studies", 8, 60),
        ("portfolio", "markdown", "achievements"),
        ("Python", "Jinja2", "SQLAlchemy"),
        "backend",
    ),
    # optimization
    _T(
        "optimization",
        "Cut OpenAI spend from ${a:,}/mo to ${b:,}/mo with prompt caching in persona runtime",
        _lower("openai_cost_usd_month", "OpenAI spend", "${:,}/mo", 1200, 9000, (0.35, 0.7), 50),
        ("openai", "prompt-caching", "cost"),
        ("OpenAI API", "Python", "Cost optimization"),
        "mlops",
    ),
    _T(
        "optimization",
        "Trimmed tokens per post from {a:,} to {b:,} with a leaner system prompt",
        _lower("tokens_per_post", "tokens per post", "{:,}", 1400, 4200, (0.2, 0.55), 10),
        ("prompts", "tokens", "openai"),
        ("Prompt engineering", "OpenAI API"),
        "ai-engineering",
    ),
    _T(
        "optimization",
        "Celery prefetch tuning: worker throughput from {a} to {b} tasks/min",
        _higher("tasks_per_min", "worker throughput", "{:,} tasks/min", 40, 180, (0.3, 1.8)),
        ("celery", "rabbitmq", "throughput"),
        ("Celery", "RabbitMQ", "Python"),
        "backend",
    ),
    _T(
        "optimization",
        "Slimmed the orchestrator image from {a:,}MB to {b:,}MB with multi-stage builds",
        _lower("image_size_mb", "image size", "{:,}MB", 650, 1900, (0.4, 0.75), 10),
        ("docker", "ci", "images"),
        ("Docker", "GitHub Actions"),
        "infrastructure",
    ),
    _T(
        "optimization",
        "Routed {n}% of generations to gpt-4o-mini without a quality drop",
        _count("mini_routing_pct", "generations on gpt-4o-mini (%)", 30, 85),
        ("openai", "model-routing", "cost"),
        ("OpenAI API", "MLflow", "Python"),
        "mlops",
    ),
    _T(
        "optimization",
        "Batched Qdrant upserts: indexing time from {a}s to {b}s per 10k posts",
        _lower("index_time_s", "indexing time per 10k posts", "{:,}s", 120, 900, (0.5, 0.9), 5),
        ("qdrant", "embeddings", "batching"),
        ("Qdrant", "Python", "asyncio"),
        "mlops",
    ),
    _T(
        "optimization",
        "Redis cache for persona prompts: hit rate from {a}% to {b}%",
        _higher("cache_hit_rate_pct", "cache hit rate", "{}%", 20, 55, (0.3, 0.9), cap=97),
        ("redis", "caching", "persona-runtime"),
        ("Redis", "Python"),
        "backend",
    ),
    # bugfix
    _T(
        "bugfix",
        "Fixed duplicate post publishing race in persona runtime ({n} duplicates a week)",
        _count("duplicates_per_week_before", "duplicates a week before the fix", 3, 60),
        ("concurrency", "postgres", "persona-runtime"),
        ("PostgreSQL", "asyncio", "Python"),
        "backend",
    ),
    _T(
        "bugfix",
        "Fixed RabbitMQ channel leak that restarted Celery workers every {n}h",
        _count("restart_interval_h", "hours between restarts", 2, 36),
        ("rabbitmq", "celery", "reliability"),
        ("RabbitMQ", "Celery", "Debugging"),
        "backend",
    ),
    _T(
        "bugfix",
        "Fixed Qdrant search timeouts under load: errors from {a:.1f}% to {b:.1f}%",
        _lower("search_error_rate_pct", "search error rate", "{}%", 2.0, 9.0, (0.8, 0.97), 0.1),
        ("qdrant", "timeouts", "reliability"),
        ("Qdrant", "Python", "Load testing"),
        "backend",
    ),
    _T(
        "bugfix",
        "Fixed scheduled posts firing {n}h early for non-UTC personas",
        _count("offset_hours", "hours off", 1, 11),
        ("scheduling", "timezones"),
        ("Python", "PostgreSQL"),
        "backend",
    ),
    _T(
        "bugfix",
        "Fixed MLflow artifact uploads failing for runs over {n}MB",
        _count("artifact_limit_mb", "artifact size limit (MB)", 50, 500, step=10),
        ("mlflow", "artifacts", "s3"),
        ("MLflow", "S3", "Python"),
        "mlops",
    ),
    _T(
        "bugfix",
        "Fixed Unicode truncation breaking {n}% of Threads hooks",
        _count("broken_hooks_pct", "hooks affected (%)", 2, 18),
        ("unicode", "threads", "content"),
        ("Python", "Testing"),
        "backend",
    ),
    _T(
        "bugfix",
        "Fixed memory leak in the comment monitor: RSS after 24h from {a:,}MB to {b:,}MB",
        _lower("rss_mb_24h", "memory after 24h", "{:,}MB", 900, 2600, (0.6, 0.85), 10),
        ("memory", "profiling", "comments"),
        ("Python", "Profiling", "Kubernetes"),
        "backend",
    ),
    _T(
        "bugfix",
        "Fixed retry storm on OpenAI 429s: from {a:,} to {b:,} retries a day",
        _lower("retries_per_day", "retries a day", "{:,}", 1500, 12000, (0.85, 0.98), 10),
        ("openai", "retries", "rate-limits"),
        ("OpenAI API", "tenacity", "Python"),
        "ai-engineering",
    ),
    # infrastructure
    _T(
        "infrastructure",
        "Helm chart for the full stack: {n} services with per-environment values",
        _count("services", "services", 6, 14),
        ("helm", "kubernetes", "deployment"),
        ("Helm", "Kubernetes"),
        "infrastructure",
    ),
    _T(
        "infrastructure",
        "Prometheus alert rules for cost-per-follow and engagement KPIs ({n} rules)",
        _count("alert_rules", "alert rules", 8, 40),
        ("prometheus", "alerting", "kpi"),
        ("Prometheus", "PromQL", "Grafana"),
        "infrastructure",
    ),
    _T(
        "infrastructure",
        "k3d dev cluster boots in {b}s instead of {a}s",
        _lower("cluster_boot_s", "cluster boot time", "{:,}s", 240, 900, (0.5, 0.8), 5),
        ("k3d", "developer-experience"),
        ("Kubernetes", "Bash", "Docker"),
        "infrastructure",
    ),
    _T(
        "infrastructure",
        "Queue-depth autoscaling for Celery workers: {n} replicas at peak",
        _count("peak_replicas", "replicas at peak", 4, 24),
        ("autoscaling", "keda", "celery"),
        ("Kubernetes", "KEDA", "RabbitMQ"),
        "infrastructure",
    ),
    _T(
        "infrastructure",
        "Grafana dashboards with SLO burn-rate panels for {n} services",
        _count("dashboards", "services covered", 4, 12),
        ("grafana", "slo", "observability"),
        ("Grafana", "Prometheus"),
        "infrastructure",
    ),
    _T(
        "infrastructure",
        "Redis Sentinel failover for the response cache with {n}s recovery",
        _count("failover_s", "failover time (s)", 4, 45),
        ("redis", "high-availability"),
        ("Redis", "Kubernetes"),
        "infrastructure",
    ),
    _T(
        "infrastructure",
        "Nightly Postgres backups to S3 with {n}-day retention and restore drills",
        _count("retention_days", "retention (days)", 7, 90),
        ("postgres", "backups", "s3"),
        ("PostgreSQL", "S3", "Kubernetes CronJobs"),
        "infrastructure",
    ),
    _T(
        "infrastructure",
        "CI image caching: pipeline from {a} to {b} minutes",
        _lower("pipeline_minutes", "pipeline time", "{} min", 14, 45, (0.35, 0.7)),
        ("ci", "caching", "docker"),
        ("GitHub Actions", "Docker"),
        "infrastructure",
    ),
    # documentation
    _T(
        "documentation",
        "Runbook for {n} on-call alerts with copy-paste kubectl fixes",
        _count("alerts_documented", "alerts documented", 8, 40),
        ("runbook", "on-call"),
        ("Technical writing", "Kubernetes"),
        "documentation",
    ),
    _T(
        "documentation",
        "Architecture decision records for {n} platform decisions",
        _count("adrs", "decision records", 6, 30),
        ("adr", "architecture"),
        ("Technical writing", "System design"),
        "documentation",
    ),
    _T(
        "documentation",
        "Onboarding guide: from clone to first generated post in {n} minutes",
        _count("onboarding_minutes", "minutes to first post", 10, 45),
        ("onboarding", "developer-experience"),
        ("Technical writing", "Docker"),
        "documentation",
    ),
    _T(
        "documentation",
        "OpenAPI reference for {n} orchestrator endpoints with examples",
        _count("endpoints_documented", "endpoints documented", 12, 60),
        ("openapi", "api-docs"),
        ("FastAPI", "OpenAPI"),
        "documentation",
    ),
    _T(
        "documentation",
        "Prompt-engineering playbook with {n} before/after examples",
        _count("examples", "examples", 10, 50),
        ("prompts", "playbook"),
        ("Prompt engineering", "Technical writing"),
        "documentation",
    ),
    _T(
        "documentation",
        "Per-post OpenAI cost model documented across {n} experiments",
        _count("experiments", "experiments", 5, 40),
        ("cost", "openai", "analysis"),
        ("Technical writing", "Data analysis"),
        "documentation",
    ),
    # testing
    _T(
        "testing",
        "Raised orchestrator test coverage from {a}% to {b}%",
        _higher("test_coverage_pct", "test coverage", "{}%", 38, 70, (0.15, 0.6), cap=97),
        ("pytest", "coverage"),
        ("pytest", "Python"),
        "quality",
    ),
    _T(
        "testing",
        "Contract tests for the achievement-collector API ({n} recorded responses)",
        _count("recorded_responses", "recorded responses", 10, 60),
        ("contract-tests", "api"),
        ("pytest", "httpx", "FastAPI"),
        "quality",
    ),
    _T(
        "testing",
        "End-to-end suite on k3d: {n} scenarios from task to published post",
        _count("e2e_scenarios", "scenarios", 6, 40),
        ("e2e", "k3d", "ci"),
        ("pytest", "Kubernetes", "GitHub Actions"),
        "quality",
    ),
    _T(
        "testing",
        "Locust load test holding {n:,} RPS on the orchestrator",
        _count("sustained_rps", "sustained RPS", 150, 1500, step=50),
        ("load-testing", "locust"),
        ("Locust", "Python", "Prometheus"),
        "quality",
    ),
    _T(
        "testing",
        "Cut CI test time from {a} to {b} minutes with pytest-xdist",
        _lower("test_minutes", "test time", "{} min", 12, 40, (0.4, 0.75)),
        ("ci", "pytest", "parallelism"),
        ("pytest", "GitHub Actions"),
        "quality",
    ),
    _T(
        "testing",
        "Property-based tests for the business-value parser ({n:,} generated cases)",
        _count("generated_cases", "generated cases", 200, 5000, step=100),
        ("hypothesis", "parsing"),
        ("Hypothesis", "pytest"),
        "quality",
    ),
    _T(
        "testing",
        "Flaky-test quarantine: flaky failures from {a} to {b} a week",
        _lower("flaky_failures_per_week", "flaky failures a week", "{}", 8, 40, (0.7, 0.95)),
        ("flaky-tests", "ci"),
        ("pytest", "GitHub Actions"),
        "quality",
    ),
    # security
    _T(
        "security",
        "Hardened webhook signature verification (HMAC-SHA256) on {n} endpoints",
        _count("endpoints_verified", "endpoints verified", 2, 12),
        ("security", "webhooks", "hmac"),
        ("FastAPI", "Cryptography", "Python"),
        "security",
    ),
    _T(
        "security",
        "Prompt-injection filter blocking {n}% of red-team prompts",
        _count("red_team_block_pct", "red-team prompts blocked (%)", 82, 99),
        ("llm-security", "prompt-injection"),
        ("OpenAI API", "Python", "Red teaming"),
        "security",
    ),
    _T(
        "security",
        "Moved {n} secrets from .env files to Kubernetes sealed secrets",
        _count("secrets_moved", "secrets moved", 6, 40),
        ("secrets", "kubernetes"),
        ("Kubernetes", "Sealed Secrets", "Helm"),
        "security",
    ),
    _T(
        "security",
        "Per-persona rate limiting on POST /task at {n} requests a minute",
        _count("rate_limit_per_min", "requests a minute", 30, 600, step=10),
        ("rate-limiting", "api"),
        ("FastAPI", "Redis"),
        "security",
    ),
    _T(
        "security",
        "Dependency scanning in CI: fixed {n} high-severity CVEs",
        _count("cves_fixed", "CVEs fixed", 3, 25),
        ("supply-chain", "ci", "cve"),
        ("GitHub Actions", "Trivy", "Python"),
        "security",
    ),
    _T(
        "security",
        "PII scrubbing for generated posts with {n} detection patterns",
        _count("pii_patterns", "detection patterns", 6, 30),
        ("pii", "privacy", "content"),
        ("Python", "Regex", "spaCy"),
        "security",
    ),
    # performance
    _T(
        "performance",
        "Cut orchestrator p95 latency from {a:,}ms to {b:,}ms with Redis response caching",
        _lower("p95_latency_ms", "p95 latency", "{:,}ms", 350, 1400, (0.4, 0.75)),
        ("redis", "fastapi", "caching"),
        ("Redis", "FastAPI", "Python"),
        "backend",
    ),
    _T(
        "performance",
        "Qdrant HNSW tuning: semantic search p99 from {a}ms to {b}ms",
        _lower("p99_search_ms", "search p99", "{:,}ms", 120, 600, (0.4, 0.8)),
        ("qdrant", "vector-search", "tuning"),
        ("Qdrant", "Python"),
        "mlops",
    ),
    _T(
        "performance",
        "Pooled httpx clients cut persona-runtime call latency from {a}ms to {b}ms",
        _lower("call_latency_ms", "call latency", "{:,}ms", 180, 700, (0.25, 0.6)),
        ("httpx", "connection-pooling"),
        ("httpx", "asyncio", "Python"),
        "backend",
    ),
    _T(
        "performance",
        "Index on posts.ts: feed query from {a:,}ms to {b}ms",
        _lower("feed_query_ms", "feed query time", "{:,}ms", 300, 2500, (0.8, 0.97)),
        ("postgres", "indexing", "sql"),
        ("PostgreSQL", "SQLAlchemy"),
        "backend",
    ),
    _T(
        "performance",
        "Uvicorn worker tuning raised peak throughput from {a} to {b} RPS",
        _higher("peak_rps", "peak throughput", "{:,} RPS", 120, 600, (0.5, 2.5), step=5),
        ("uvicorn", "throughput"),
        ("FastAPI", "Uvicorn", "Locust"),
        "backend",
    ),
    _T(
        "performance",
        "Batched embeddings: generation pipeline from {a:.1f}s to {b:.1f}s per post",
        _lower("pipeline_s_per_post", "time per post", "{}s", 4.0, 14.0, (0.35, 0.7), 0.1),
        ("embeddings", "batching", "openai"),
        ("OpenAI API", "asyncio", "Qdrant"),
        "ai-engineering",
    ),
    # architecture
    _T(
        "architecture",
        "MLflow model registry with staged promotion for {n} prompt models",
        _count("registered_models", "registered models", 3, 20),
        ("mlflow", "model-registry", "mlops"),
        ("MLflow", "Python", "Kubernetes"),
        "mlops",
    ),
    _T(
        "architecture",
        "Persona runtime rebuilt as a LangGraph pipeline of {n} nodes",
        _count("graph_nodes", "pipeline nodes", 4, 12),
        ("langgraph", "agents", "persona-runtime"),
        ("LangGraph", "Python", "OpenAI API"),
        "ai-engineering",
    ),
    _T(
        "architecture",
        "Event-driven achievement pipeline on RabbitMQ with {n} consumers",
        _count("consumers", "consumers", 2, 10),
        ("event-driven", "rabbitmq"),
        ("RabbitMQ", "Celery", "System design"),
        "architecture",
    ),
    _T(
        "architecture",
        "Semantic de-duplication of generated posts with Qdrant at {n}% similarity",
        _count("similarity_threshold_pct", "similarity threshold (%)", 85, 97),
        ("qdrant", "deduplication", "embeddings"),
        ("Qdrant", "OpenAI API", "Python"),
        "ai-engineering",
    ),
    _T(
        "architecture",
        "Content scheduling split into its own service with {n} endpoints",
        _count("endpoints", "endpoints", 5, 24),
        ("microservices", "scheduling"),
        ("FastAPI", "System design", "Helm"),
        "architecture",
    ),
    _T(
        "architecture",
        "Outbox pattern for publish events after losing {n} events a month",
        _count("lost_events_per_month_before", "events lost a month before", 3, 40),
        ("outbox", "reliability", "postgres"),
        ("PostgreSQL", "RabbitMQ", "System design"),
        "architecture",
    ),
    # content
    _T(
        "content",
        "dev.to case study on prompt caching: {n:,} reads in the first week",
        _count("reads_first_week", "reads in the first week", 800, 25000, step=50),
        ("devto", "writing", "openai"),
        ("Technical writing", "OpenAI API"),
        "content",
    ),
    _T(
        "content",
        "LinkedIn series on AI cost control: {n} posts",
        _count("series_posts", "posts in the series", 4, 15),
        ("linkedin", "writing", "cost"),
        ("Technical writing", "Storytelling"),
        "content",
    ),
    _T(
        "content",
        "Threads engagement rate from {a:.1f}% to {b:.1f}% with new hook templates",
        _higher("engagement_rate_pct", "engagement rate", "{}%", 1.5, 4.5, (0.3, 1.2), 0.1),
        ("threads", "engagement", "hooks"),
        ("Copywriting", "A/B testing"),
        "content",
    ),
    _T(
        "content",
        "Meetup talk on running LLM agents on Kubernetes for {n} attendees",
        _count("attendees", "attendees", 30, 400, step=10),
        ("talk", "kubernetes", "llm"),
        ("Public speaking", "Kubernetes"),
        "content",
    ),
    _T(
        "content",
        "Medium deep-dive on Thompson sampling for hooks: {n:,} claps",
        _count("claps", "claps", 100, 3000, step=10),
        ("medium", "bandits", "writing"),
        ("Technical writing", "Statistics"),
        "content",
    ),
    _T(
        "content",
        "Threads followers from {a:,} to {b:,} in one quarter",
        _higher("followers", "followers", "{:,}", 400, 6000, (0.2, 1.5), 10),
        ("threads", "growth", "audience"),
        ("Content strategy", "Analytics"),
        "content",
    ),
    # business
    _T(
        "business",
        "Cost per follow down from ${a:.2f} to ${b:.2f}",
        _lower("cost_per_follow_usd", "cost per follow", "${:.2f}", 0.08, 0.6, (0.3, 0.75), 0.01),
        ("kpi", "growth", "cost"),
        ("Analytics", "Prometheus"),
        "business",
    ),
    _T(
        "business",
        "Monthly AI infrastructure bill down {n}% after model routing",
        _count("bill_reduction_pct", "bill reduction (%)", 15, 60),
        ("finops", "openai"),
        ("FinOps", "OpenAI API"),
        "business",
    ),
    _T(
        "business",
        "Revenue dashboard tracking MRR toward a ${n}k target",
        _count("mrr_target_k", "MRR target ($k)", 10, 40),
        ("mrr", "dashboards"),
        ("Analytics", "SQL"),
        "business",
    ),
    _T(
        "business",
        "Client pilot: automated content pipeline for {n} personas",
        _count("pilot_personas", "personas in the pilot", 2, 12),
        ("pilot", "clients"),
        ("Consulting", "Solution design"),
        "business",
    ),
    _T(
        "business",
        "{n} qualified leads from published case studies",
        _count("qualified_leads", "qualified leads", 3, 30),
        ("leads", "portfolio"),
        ("Content strategy", "Sales engineering"),
        "business",
    ),
    # milestone
    _T(
        "milestone",
        "Shipped v1.{n}: the full stack running on Helm in production",
        _count("minor_version", "release", 1, 20),
        ("release", "helm"),
        ("Release management", "Kubernetes"),
        "highlights",
    ),
    _T(
        "milestone",
        "{n}th merged PR on the threads-agent repository",
        _count("merged_prs", "merged PRs", 100, 500, step=50),
        ("github", "milestone"),
        ("Git", "Code review"),
        "highlights",
    ),
    _T(
        "milestone",
        "First {n:,} posts published fully autonomously",
        _count("autonomous_posts", "autonomous posts", 100, 5000, step=100),
        ("automation", "milestone"),
        ("System design", "MLOps"),
        "highlights",
    ),
    _T(
        "milestone",
        "{n} consecutive days at 99.9% orchestrator uptime",
        _count("uptime_days", "days at 99.9%", 30, 180, step=5),
        ("sre", "uptime"),
        ("SRE", "Prometheus"),
        "highlights",
    ),
    _T(
        "milestone",
        "{n:,} achievements tracked by the achievement-collector",
        _count("achievements_tracked", "achievements tracked", 25, 175, step=25),
        ("achievements", "milestone"),
        ("Data engineering", "FastAPI"),
        "highlights",
    ),
)
_MEASURES = {topic.measure.key: topic.measure for topic in _TOPICS}
_SERVICE_CATEGORIES = ("feature", "bugfix", "infrastructure", "architecture", "security", "optimization", "performance")
_ERROR_RATE = _lower("error_rate_pct", "error rate", "{}%", 0.4, 3.0, (0.4, 0.95), 0.01)
_MEASURES[_ERROR_RATE.key] = _ERROR_RATE


def _snap(value: float, step: float) -> float:
    """`value` rounded to a multiple of `step`, as an int when the step is whole."""
    if step >= 1:
        return int(round(value / step) * step)
    decimals = max(0, -math.floor(math.log10(step)))
    return round(round(value / step) * step, decimals)


def _draw(rng: random.Random, measure: _Measure, progress: Optional[float] = None) -> tuple[dict, dict, dict, float]:
    """Title fields, metrics before, metrics after, and the improvement in percent.

    With `progress` (0 at the start of the year, 1 now), a count is drawn from the matching
    slice of its range, so running totals such as "300th merged PR" grow over time.
    """
    if measure.kind == "count":
        lo, hi = measure.lo, measure.hi
        if progress is not None:
            lo, hi = lo + (hi - lo) * 0.9 * progress, lo + (hi - lo) * (0.9 * progress + 0.1)
        n = _snap(rng.uniform(lo, hi), measure.step)
        return {"n": n}, {}, {measure.key: n}, 0.0
    step = measure.step
    a = _snap(rng.uniform(measure.lo, measure.hi), step)
    change = rng.uniform(*measure.change)
    if measure.kind == "lower":
        # Never to zero nor to no change: both would read as a broken metric.
        b = _snap(min(max(a * (1 - change), step), a - step), step)
        pct = (a - b) / a * 100
    else:
        b = a * (1 + change)
        if measure.cap is not None:
            b = min(b, measure.cap)
        b = _snap(max(b, a + step), step)
        pct = (b - a) / a * 100
    return {"a": a, "b": b}, {measure.key: a}, {measure.key: b}, round(pct, 1)


class _TitlePicker:
    """Hands out topics per category in a shuffled rotation, with numbers giving unique titles."""

    def __init__(self, rng: random.Random):
        self._rng = rng
        self._used: set[str] = set()
        self._cycles = {c: self._cycle([t for t in _TOPICS if t.category == c]) for c in CATEGORIES}

    def _cycle(self, topics: list[_Topic]) -> Iterator[_Topic]:
        while True:
            order = topics[:]
            self._rng.shuffle(order)
            yield from order

    def next(self, category: str, progress: float) -> tuple[_Topic, str, dict, dict, float]:
        cycle = self._cycles[category]
        # Milestones are running totals: later ones must carry bigger numbers.
        grow = progress if category == "milestone" else None
        topic = next(cycle)
        for attempt in range(200):
            if attempt and attempt % 20 == 0:
                topic = next(cycle)  # this topic's number range is worn out
            fields, before, after, pct = _draw(self._rng, topic.measure, grow)
            title = topic.title.format(**fields)
            if title not in self._used:
                self._used.add(title)
                return topic, title, before, after, pct
        raise RuntimeError(f"cannot find a fresh title for {category}")  # pragma: no cover


# Achievements ---------------------------------------------------------------------------------

_SOURCE_WEIGHTS_DEFAULT = {
    "github_pr": 42,
    "git": 15,
    "github": 12,
    "ci": 8,
    "manual": 8,
    "api": 5,
    "webhook": 5,
    "prometheus": 3,
    "threads": 2,
}
# Where work comes from depends on its kind: talks and posts are not pull requests.
_SOURCE_WEIGHTS = {
    "content": {"threads": 40, "manual": 35, "api": 15, "webhook": 10},
    "business": {"manual": 40, "api": 25, "prometheus": 15, "threads": 10, "webhook": 10},
    "milestone": {"manual": 35, "github": 25, "git": 15, "api": 15, "ci": 10},
    "performance": {"github_pr": 45, "prometheus": 25, "ci": 10, "git": 10, "github": 10},
    "testing": {"github_pr": 45, "ci": 35, "git": 15, "github": 5},
    "documentation": {"github_pr": 40, "git": 30, "manual": 20, "github": 10},
}

_CONTEXT = {
    "feature": (
        "New capability for the content pipeline, asked for by the persona owners.",
        "Part of the push to run the pipeline without a human in the loop.",
    ),
    "optimization": (
        "OpenAI and infrastructure costs were growing faster than output.",
        "The per-post cost was the largest line in the monthly review.",
    ),
    "bugfix": (
        "Reported from production logs and reproduced on a k3d cluster first.",
        "Showed up as a spike on the error-rate panel after a busy publishing day.",
    ),
    "infrastructure": (
        "Needed so the stack deploys the same way on every environment.",
        "On-call kept paying for manual steps that a cluster should do itself.",
    ),
    "documentation": (
        "Written after the same questions came up in several hand-overs.",
        "New contributors were losing a day to tribal knowledge.",
    ),
    "testing": (
        "Regressions were reaching staging more often than they should.",
        "The suite had to get faster and stricter at the same time.",
    ),
    "security": (
        "Found during a review of the public-facing endpoints.",
        "A red-team session showed how easily the pipeline could be abused.",
    ),
    "performance": (
        "Latency was the top complaint in the weekly review.",
        "Load tests showed the service would not survive the next traffic step.",
    ),
    "architecture": (
        "The old design coupled services that needed to scale separately.",
        "Each new persona made the monolithic flow harder to change.",
    ),
    "content": (
        "Shares what building the threads-agent stack taught us with other developers.",
        "Turns engineering work into stories the audience actually reads.",
    ),
    "business": (
        "Ties engineering work to the numbers the business tracks.",
        "Makes the value of the pipeline visible to people who fund it.",
    ),
    "milestone": (
        "A marker on the road to a fully autonomous content pipeline.",
        "Worth pausing on before the next quarter's roadmap.",
    ),
}
_APPROACH = (
    "Built with {skills}; rolled out behind a feature flag after a week in staging.",
    "Implemented with {skills}, reviewed in two rounds and shipped in small PRs.",
    "Used {skills}; measured before and after on the same Grafana panels.",
    "Prototyped in a notebook, then rebuilt with {skills} and covered by tests.",
)
_VALUE_KINDS = {
    "cost_reduction": "infrastructure_savings_annual",
    "time_savings": "time_saved_hours * hourly_rate",
    "revenue": "conversion_uplift * avg_deal_size",
    "risk_reduction": "incident_probability * incident_cost",
    "productivity": "hours_per_week * 50_weeks * hourly_rate",
}
_CATEGORY_VALUE_KINDS = {
    "optimization": ("cost_reduction", "cost_reduction", "time_savings"),
    "performance": ("cost_reduction", "productivity"),
    "infrastructure": ("cost_reduction", "time_savings", "risk_reduction"),
    "bugfix": ("risk_reduction", "time_savings"),
    "security": ("risk_reduction",),
    "testing": ("time_savings", "productivity", "risk_reduction"),
    "documentation": ("time_savings", "productivity"),
    "content": ("revenue",),
    "business": ("revenue", "cost_reduction"),
}


def _achievements(rng: random.Random, now: datetime) -> list[dict[str, Any]]:
    completions = _completion_times(rng, now, ACHIEVEMENT_COUNT)
    categories = _shuffled(rng, CATEGORY_COUNTS)
    sources = _source_plan(rng, categories)
    forms = _shuffled(rng, BUSINESS_VALUE_FORMS)
    titles = _TitlePicker(rng)
    pr_number = rng.randint(38, 60)
    items, sections = [], []
    # Ids follow completion order, as the collector assigns them when work is recorded.
    for index, completed in enumerate(completions):
        pr_number += rng.randint(1, 4)  # other PRs merge in between
        progress = 1 - (now - completed).total_seconds() / (HISTORY_DAYS * 86400)
        picked = titles.next(categories[index], progress)
        items.append(
            _achievement(
                rng, now, index + 1, completed, categories[index], sources[index], forms[index], picked, pr_number
            )
        )
        sections.append(picked[0].section)
    _mark_portfolio(rng, items, sections)
    return items


def _shuffled(rng: random.Random, counts: dict[str, int]) -> list[str]:
    values = [value for value, count in counts.items() for _ in range(count)]
    rng.shuffle(values)
    return values


def _completion_times(rng: random.Random, now: datetime, count: int) -> list[datetime]:
    """Completion times over the last year, oldest first: busier lately, with quiet weeks."""
    weeks = HISTORY_DAYS // 7  # 52 whole weeks back from now
    weights = [(0.35 + 1.65 * (1 - i / (weeks - 1)) ** 1.5) * rng.uniform(0.6, 1.4) for i in range(weeks)]
    # Holidays and incident weeks: nothing shipped. The last month stays busy on purpose.
    for quiet in rng.sample(range(4, weeks), 7):
        weights[quiet] = 0.0
    latest = now - timedelta(hours=1)  # leave room for created_at after completion
    times = []
    for week in rng.choices(range(weeks), weights=weights, k=count):
        day = now.date() - timedelta(days=7 * week + rng.randrange(7))
        # Weekend work happens, but rarely.
        while day.weekday() >= 5 and rng.random() < 0.75:
            day = now.date() - timedelta(days=7 * week + rng.randrange(7))
        moment = datetime.combine(
            day, time(rng.randint(8, 19), rng.randrange(60), rng.randrange(60), rng.randrange(1_000_000))
        )
        if moment > latest:
            moment = latest - timedelta(minutes=rng.randint(0, 300), microseconds=rng.randrange(1_000_000))
        times.append(moment)
    return sorted(times)


def _source_plan(rng: random.Random, categories: list[str]) -> list[str]:
    sources = []
    for category in categories:
        weights = _SOURCE_WEIGHTS.get(category, _SOURCE_WEIGHTS_DEFAULT)
        sources.append(rng.choices(list(weights), weights=list(weights.values()))[0])
    # Every source type must appear, or its filter would show an empty table in the demo.
    for missing in [s for s in SOURCE_TYPES if s not in sources]:
        candidates = [i for i, s in enumerate(sources) if s == "github_pr"]
        sources[rng.choice(candidates)] = missing
    return sources


def _achievement(rng, now, ident, completed, category, source, form, picked, pr_number) -> dict:
    """One achievement with exactly the contract's fields; portfolio fields are filled later."""
    topic, title, before, after, perf_pct = picked
    started = completed - timedelta(hours=_duration_hours(rng))
    created = completed + timedelta(minutes=rng.uniform(2, 25))
    updated = _updated_at(rng, now, created)
    tags = _some(rng, topic.tags)
    skills = _some(rng, topic.skills)
    impact = _score(rng, 35, 98, 70 if category != "milestone" else 88)
    complexity = _score(rng, 15, 96, 55)
    business_value = _business_value(rng, form, _amount(rng, impact), category)
    amount = _amount_of(business_value)
    # Service work is usually also judged on the error-rate panel, as in the recordings.
    if category in _SERVICE_CATEGORIES and rng.random() < 0.55:
        _, err_before, err_after, _ = _draw(rng, _ERROR_RATE)
        before.update(err_before)
        after.update(err_after)
    calc_mode = rng.choices(("full", "empty", "absent"), weights=(45, 25, 30))[0]
    if calc_mode != "absent":
        after.update(_server_calculations(rng, calc_mode, created, amount))
    return {
        "id": ident,
        "title": title,
        "description": _description(rng, title, category, skills, topic.measure, before, after, amount),
        "category": category,
        "started_at": started,
        "completed_at": completed,
        "created_at": created,
        "updated_at": updated,
        "duration_hours": (completed - started).total_seconds() / 3600,
        "source_type": source,
        "source_id": _source_id(rng, source, ident, pr_number),
        "source_url": f"{REPO_URL}/pull/{pr_number}" if source in ("github", "github_pr") else None,
        "tags": tags,
        "skills_demonstrated": skills,
        "impact_score": impact,
        "complexity_score": complexity,
        "business_value": business_value,
        "time_saved_hours": _time_saved(rng),
        "performance_improvement_pct": perf_pct,
        "evidence": _evidence(rng, source, pr_number),
        "metrics_before": before,
        "metrics_after": after,
        "ai_summary": _ai_summary(rng, title, impact),
        "ai_impact_analysis": _ai_impact(rng, topic.measure, before, after, amount),
        "ai_technical_analysis": _ai_technical(rng, complexity, skills),
        # Set by _mark_portfolio, which needs every item's impact to rank them.
        "portfolio_ready": False,
        "portfolio_section": None,
        "display_priority": 50,
    }


def _amount_of(business_value: Optional[str]) -> Optional[float]:
    """The amount in a business value this module wrote (dashboard.domain.business_value reads any)."""
    if business_value is None:
        return None
    if business_value.startswith("{"):
        return float(json.loads(business_value)["total_value"])
    return float(business_value.split()[0].lstrip("$").replace(",", ""))


def _time_saved(rng: random.Random) -> float:
    if rng.random() < 0.15:
        return 0.0  # the collector found nothing to credit
    return round(math.exp(rng.uniform(math.log(2), math.log(400))), 1)


def _duration_hours(rng: random.Random) -> float:
    # Log-uniform between 2 hours and 20 days: most work is short, a few items drag on.
    return math.exp(rng.uniform(math.log(2), math.log(20 * 24)))


def _updated_at(rng: random.Random, now: datetime, created: datetime) -> datetime:
    room = (now - created).total_seconds()
    if rng.random() < 0.65 or room < 3600:
        # Stored and stamped by the collector in the same request.
        return created + timedelta(milliseconds=rng.randint(2, 40))
    # Edited later: polished for the portfolio, scores adjusted.
    return created + timedelta(seconds=rng.uniform(3600, min(room, 30 * 86400)))


def _some(rng: random.Random, pool: tuple[str, ...]) -> list[str]:
    return rng.sample(pool, rng.randint(1, min(4, len(pool))))


def _score(rng: random.Random, low: float, high: float, mode: float) -> float:
    return round(rng.triangular(low, high, mode), 1)


def _amount(rng: random.Random, impact: float) -> int:
    """A yearly dollar value from 500 to 400,000, skewed low and loosely following impact."""
    u = min(1.0, max(0.0, 0.7 * rng.random() + 0.3 * impact / 100))
    raw = 500 * 800 ** (u**1.7)
    step = 500 if raw < 10_000 else 2_500 if raw < 100_000 else 5_000
    return int(min(400_000, max(500, _snap(raw, step))))


def _business_value(rng: random.Random, form: str, amount: int, category: str) -> Optional[str]:
    if form == "none":
        return None
    if form == "text":
        return f"${amount:,} annual value"
    if form == "bare":
        return str(amount)
    kind = rng.choice(_CATEGORY_VALUE_KINDS.get(category, tuple(_VALUE_KINDS)))
    return json.dumps(
        {
            "total_value": amount,
            "currency": "USD",
            "period": "yearly",
            "type": kind,
            "confidence": round(rng.uniform(0.55, 0.95), 2),
            "method": _VALUE_KINDS[kind],
        }
    )


def _source_id(rng: random.Random, source: str, ident: int, pr_number: int) -> Optional[str]:
    if source == "github_pr":
        return f"PR-{pr_number}"
    if source == "git":
        return f"{rng.getrandbits(28):07x}"  # a short commit sha
    if source == "manual":
        return None
    return f"{source}-{ident}"


def _evidence(rng: random.Random, source: str, pr_number: int) -> dict[str, Any]:
    if source in ("github_pr", "github"):
        additions = rng.randint(40, 1800)
        return {
            "pr_number": pr_number,
            "files_changed": rng.randint(2, 48),
            "additions": additions,
            "deletions": rng.randint(5, max(6, additions // 2)),
        }
    if source == "ci":
        return {"workflow": rng.choice(("ci.yml", "e2e.yml", "deploy.yml")), "run_number": rng.randint(300, 4200)}
    if source == "prometheus":
        return {
            "dashboard": rng.choice(("orchestrator-slo", "persona-runtime", "cost-per-follow")),
            "panel": rng.choice(("p95 latency", "error rate", "OpenAI spend")),
        }
    if source == "threads":
        return {"post_id": f"th_{rng.getrandbits(40):010x}", "views": rng.randint(500, 60_000)}
    return {}


def _description(rng, title, category, skills, measure, before, after, amount) -> str:
    parts = [f"{title}.", rng.choice(_CONTEXT[category]), rng.choice(_APPROACH).format(skills=", ".join(skills))]
    if measure.kind != "count":
        parts.append(_change_sentence(measure, before, after) + ".")
    if amount is not None:
        parts.append(f"Estimated value: ${amount:,.0f} a year.")
    return " ".join(parts)


def _change_sentence(measure: _Measure, before: dict, after: dict) -> str:
    a, b = before[measure.key], after[measure.key]
    return f"{measure.label.capitalize()} went from {measure.show(a)} to {measure.show(b)}"


def _ai_summary(rng: random.Random, title: str, impact: float) -> Optional[str]:
    if rng.random() < 0.3:
        return None  # not analysed yet
    return f"Delivered '{title}' with measurable impact (score {impact})."


def _ai_impact(rng, measure, before, after, amount) -> Optional[str]:
    if rng.random() > 0.25:
        return None
    parts = []
    if measure.kind != "count":
        parts.append(_change_sentence(measure, before, after) + ".")
    if amount is not None:
        parts.append(f"Worth about ${amount:,.0f} a year at current volume.")
    return " ".join(parts) or "Impact is qualitative: it unblocks later work rather than moving a metric."


def _ai_technical(rng: random.Random, complexity: float, skills: list[str]) -> Optional[str]:
    if rng.random() > 0.2:
        return None
    level = "high" if complexity >= 70 else "moderate" if complexity >= 40 else "low"
    return f"Complexity {level} ({complexity}): work centred on {', '.join(skills)}."


_METHODOLOGY_NOTES = [
    "All calculations include transparent formulas and input parameters",
    "Confidence scores reflect reliability of input data and estimation methods",
    "Baseline values provided where applicable for relative comparison",
    "Calculation version tracks methodology changes over time",
]


def _server_calculations(rng, mode: str, created: datetime, amount: Optional[float]) -> dict:
    """The keys the achievement-collector adds to metrics_after, as in the recordings."""
    stamp = created + timedelta(milliseconds=rng.randint(3, 15))
    if mode == "empty":
        return {"enhanced_calculations": {}, "calculation_summary": _calc_summary(stamp, {})}
    savings = int(amount) if amount else _snap(rng.uniform(10_000, 120_000), 1_000)
    dev_cost = rng.choice((30_000, 50_000, 80_000, 120_000, 150_000))
    throughput = rng.randint(10, 80)
    factor = round(1 + throughput / 100, 2)
    base_cost = rng.choice((60_000, 90_000, 120_000))
    hours_week = rng.randint(2, 12)
    peak_rps = rng.randrange(100, 1250, 50)
    calcs = {
        "roi_calculation": _calc(
            round(savings / dev_cost * 100),
            "(annual_savings / development_cost) * 100",
            {"annual_savings": savings, "development_cost": dev_cost},
            0.8,
            "estimated",
            stamp,
        ),
        "infrastructure_savings": _calc(
            round(base_cost * (factor - 1) / factor),
            "base_infrastructure_cost * (performance_factor - 1) / performance_factor",
            {
                "base_infrastructure_cost": base_cost,
                "performance_factor": factor,
                "throughput_improvement_percent": throughput,
            },
            0.7,
            "performance_based",
            stamp,
        ),
        "time_savings": _calc(
            hours_week * 50 * 100,
            "hours_per_week * 50_weeks * hourly_rate",
            {"hours_saved_per_week": hours_week, "working_weeks_per_year": 50, "hourly_rate_dollars": 100},
            0.8,
            "productivity_estimate",
            stamp,
        ),
        "performance_score": _calc(
            round(peak_rps / 100, 1),
            "actual_rps / baseline_rps",
            {"actual_rps": peak_rps, "baseline_rps": 100},
            0.9,
            "load_testing",
            stamp,
            baseline=1.0,
            improvement=round(peak_rps / 100, 1),
        ),
    }
    return {
        "roi_year_one_percent": calcs["roi_calculation"]["value"],
        "infrastructure_savings_estimate": calcs["infrastructure_savings"]["value"],
        "throughput_improvement_percent": throughput,
        "time_savings_annual": calcs["time_savings"]["value"],
        "hours_saved_per_week": hours_week,
        "performance_score": calcs["performance_score"]["value"],
        "peak_rps": peak_rps,
        "enhanced_calculations": calcs,
        "calculation_summary": _calc_summary(stamp, calcs),
    }


def _calc(value, formula, inputs, confidence, source, stamp, baseline=None, improvement=1.0) -> dict:
    return {
        "value": value,
        "formula": formula,
        "inputs": inputs,
        "baseline": baseline,
        "improvement_factor": improvement,
        "calculation_version": "v2.1",
        "confidence_score": confidence,
        "data_source": source,
        "calculated_at": stamp.isoformat(),
        "methodology": f"Formula: {formula} | Inputs: {json.dumps(inputs, indent=2)}",
    }


def _calc_summary(stamp: datetime, calcs: dict) -> dict:
    return {
        "calculation_version": "v2.1",
        "calculated_at": stamp.isoformat(),
        "total_metrics": len(calcs),
        "formulas_used": [c["formula"] for c in calcs.values()],
        "confidence_scores": {name: c["confidence_score"] for name, c in calcs.items()},
        "methodology_notes": list(_METHODOLOGY_NOTES),
    }


def _mark_portfolio(rng: random.Random, items: list[dict], sections: list[str]) -> None:
    """Mark the strongest ~40% portfolio-ready, and give sections and display priorities."""
    # Noise on the ranking: people publish what tells a good story, not strictly the top scores.
    ranked = sorted(items, key=lambda a: a["impact_score"] + rng.uniform(-20, 20), reverse=True)
    ready = {a["id"] for a in ranked[: round(PORTFOLIO_SHARE * len(items))]}
    for item, section in zip(items, sections):
        is_ready = item["id"] in ready
        item["portfolio_ready"] = is_ready
        # Sections are chosen while preparing the portfolio; most unpublished work has none yet.
        if rng.random() < (0.9 if is_ready else 0.3):
            item["portfolio_section"] = section
        priority = item["impact_score"] * 0.8 + rng.uniform(-15, 15) + (12 if is_ready else 0)
        item["display_priority"] = int(min(100, max(0, round(priority))))


# Posts ----------------------------------------------------------------------------------------

_PERSONAS = {"ai-engineer": 5, "mlops-builder": 3, "startup-cto": 2}
_PLATFORM_SETS = (
    ("linkedin", "dev.to"),
    ("linkedin",),
    ("threads",),
    ("threads", "linkedin"),
    ("dev.to", "medium"),
    ("linkedin", "dev.to", "medium"),
    ("github", "dev.to"),
    ("threads", "dev.to"),
)
_HOOKS = (
    "{title}. It took less code than you'd think.",
    "Shipped: {title}.",
    "{title}, and the one number that convinced the team.",
    "Nobody talks about this part of running an AI content pipeline: {title}.",
    "Build log #{n}: {title}",
    "What {days} of work bought us: {title}.",
    "Most teams would over-engineer this. We didn't: {title}.",
)
_TAKEAWAYS = (
    "Lesson: measure first. The obvious culprit was not the real one.",
    "Lesson: boring tools, applied carefully, beat clever ones.",
    "Lesson: small PRs made this safe to ship on a Friday.",
    "Lesson: put the number on a dashboard before you start, or nobody believes the after.",
    "Lesson: the second iteration is where the real gains were.",
)


def _posts(rng: random.Random, now: datetime, achievements: list[dict]) -> list[dict[str, Any]]:
    """Posts newest first, as the orchestrator lists them."""
    created = _post_times(rng, now)
    statuses = _post_statuses(rng)
    posts = []
    for index, (moment, status) in enumerate(zip(created, statuses)):
        story = _story_for(rng, achievements, moment)
        posts.append(_post(rng, now, POST_COUNT - index, moment, status, story))
    return posts


def _post_times(rng: random.Random, now: datetime) -> list[datetime]:
    """Creation times: a few today, a few more this week, the rest over two months. Newest first."""
    today = datetime.combine(now.date(), time())
    span_today = (now - today).total_seconds()
    times = [today + timedelta(seconds=rng.uniform(0, span_today)) for _ in range(3)]
    week_start = now - timedelta(days=7)
    times += [week_start + timedelta(seconds=rng.uniform(0, (today - week_start).total_seconds())) for _ in range(5)]
    oldest = now - timedelta(days=POST_HISTORY_DAYS)
    times += [oldest + timedelta(seconds=rng.uniform(0, 53 * 86400)) for _ in range(POST_COUNT - 8)]
    return sorted(times, reverse=True)


def _post_statuses(rng: random.Random) -> list[str]:
    """Statuses aligned with creation order: recent posts are still in the pipeline."""
    recent = ["scheduled"] * 5 + ["ready"] * 3 + ["draft"] * 4
    older = ["published"] * 20 + ["draft"] * 10 + ["ready"] * 2 + ["failed"] * 4
    rng.shuffle(recent)
    rng.shuffle(older)
    return recent + older


def _story_for(rng: random.Random, achievements: list[dict], moment: datetime) -> dict:
    # Posts tell the story of recent work: pick among the last achievements finished before.
    done = [a for a in achievements if a["completed_at"] < moment][-20:] or achievements[:1]
    return rng.choices(done, weights=[a["impact_score"] for a in done])[0]


def _post(rng, now, ident, created, status, story) -> dict[str, Any]:
    hook = _hook(rng, ident, story)
    body = _body(rng, story)
    scheduled_at = published_at = None
    if status == "scheduled":
        scheduled_at = now + timedelta(hours=rng.uniform(2, 6 * 24))
    elif status == "published":
        room = min(72 * 3600, (now - created).total_seconds())
        published_at = created + timedelta(seconds=rng.uniform(min(900, room), room))
    elif status == "failed":
        scheduled_at = created + timedelta(hours=rng.uniform(1, 48))  # the attempt that failed
    quality = (
        None
        if status == "draft" and rng.random() < 0.5
        else round(rng.uniform(48, 88) if status == "draft" else rng.uniform(66, 96), 1)
    )
    return {
        "id": ident,
        "persona_id": rng.choices(list(_PERSONAS), weights=list(_PERSONAS.values()))[0],
        "hook": hook,
        "body": body,
        "full_content": f"{hook}\n\n{body}",
        "status": status,
        "platforms": _platforms(rng),
        "quality_score": quality,
        "tokens_used": rng.randint(420, 2600),
        "created_at": created,
        "scheduled_at": scheduled_at,
        "published_at": published_at,
    }


def _platforms(rng: random.Random) -> list[str]:
    chosen = rng.choice(_PLATFORM_SETS)
    return [p for p in PLATFORMS if p in chosen]  # in the canonical order, like the service


def _hook(rng: random.Random, ident: int, story: dict) -> str:
    days = max(1, round(story["duration_hours"] / 24))
    return rng.choice(_HOOKS).format(title=story["title"], n=ident, days=f"{days} day" + ("s" if days > 1 else ""))


def _body(rng: random.Random, story: dict) -> str:
    paragraphs = [rng.choice(_CONTEXT[story["category"]])]
    paragraphs.append(f"Tools that did the work: {', '.join(story['skills_demonstrated'])}.")
    result = _result_line(story)
    if result:
        paragraphs.append(result)
    paragraphs.append(rng.choice(_TAKEAWAYS))
    paragraphs.append(" ".join("#" + tag.replace("-", "") for tag in story["tags"]))
    return "\n\n".join(paragraphs)


def _result_line(story: dict) -> Optional[str]:
    before, after = story["metrics_before"], story["metrics_after"]
    for key, value in before.items():
        if key in after and key in _MEASURES:
            measure = _MEASURES[key]
            return f"Result: {measure.label} {measure.show(value)} → {measure.show(after[key])}."
    amount = _amount_of(story["business_value"])
    if amount is not None:
        return f"Result: about ${amount:,.0f} a year in value."
    return None


# System metrics -------------------------------------------------------------------------------

_SERVICES = (
    "orchestrator",
    "celery_worker",
    "persona_runtime",
    "fake_threads",
    "achievement_collector",
    "qdrant",
    "rabbitmq",
    "redis",
)
_MODELS = {  # model: (requests range, tokens per request range, dollars per million tokens)
    "gpt-4o": ((150, 400), (900, 1600), 5.0),
    "gpt-4o-mini": ((600, 1500), (700, 1400), 0.3),
    "text-embedding-3-small": ((800, 2500), (200, 600), 0.02),
}


def _system_metrics(rng: random.Random, now: datetime) -> dict[str, Any]:
    """An orchestrator /metrics/summary: mostly healthy, one non-core service degraded."""
    details = {name: "healthy" for name in _SERVICES}
    details[rng.choice(("fake_threads", "qdrant"))] = "degraded"
    hours_today = (now - datetime.combine(now.date(), time())).total_seconds() / 3600
    usage = {}
    for model, ((r_lo, r_hi), (t_lo, t_hi), price) in _MODELS.items():
        requests = rng.randint(r_lo, r_hi)
        tokens = requests * rng.randint(t_lo, t_hi)
        usage[model] = {"requests": requests, "tokens": tokens, "cost_usd": round(tokens / 1e6 * price, 2)}
    return {
        "services_health": {
            "healthy": sum(1 for state in details.values() if state == "healthy"),
            "total": len(details),
            "details": details,
        },
        "api_latency_ms": round(rng.uniform(38, 72), 1),
        "success_rate": round(rng.uniform(98.6, 99.95), 2),
        "queue_size": rng.randint(2, 24),
        "active_tasks": rng.randint(1, 7),
        "completed_today": int(hours_today * rng.uniform(3.5, 6.5)),
        "avg_processing_time_s": round(rng.uniform(1.6, 3.4), 1),
        "ai_metrics": {
            "model_usage": usage,
            "avg_latency_ms": round(rng.uniform(780, 1400), 1),
            "total_cost_24h": round(sum(m["cost_usd"] for m in usage.values()), 2),
            "confidence_trend": rng.choice(("stable", "stable", "improving")),
            "security_incidents_24h": rng.choice((0, 0, 0, 1, 2)),
            "active_alerts": rng.choice((0, 0, 1)),
        },
    }
