"""The orchestrator's /metrics/summary: service health, queue, AI model usage and cost."""

from __future__ import annotations

import random
from datetime import datetime, time
from typing import Any

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
