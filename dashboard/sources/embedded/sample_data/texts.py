"""The words of an achievement: its context, approach, business value text and AI analyses."""

from __future__ import annotations

import json
import random
from typing import Any, Optional

from dashboard.sources.embedded.sample_data.measures import _Measure

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


def _amount_of(business_value: Optional[str]) -> Optional[float]:
    """The amount in a business value this module wrote (dashboard.domain.business_value reads any)."""
    if business_value is None:
        return None
    if business_value.startswith("{"):
        return float(json.loads(business_value)["total_value"])
    return float(business_value.split()[0].lstrip("$").replace(",", ""))


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


def _description(
    rng: random.Random,
    title: str,
    category: str,
    skills: list[str],
    measure: _Measure,
    before: dict[str, Any],
    after: dict[str, Any],
    amount: Optional[float],
) -> str:
    parts = [f"{title}.", rng.choice(_CONTEXT[category]), rng.choice(_APPROACH).format(skills=", ".join(skills))]
    if measure.kind != "count":
        parts.append(_change_sentence(measure, before, after) + ".")
    if amount is not None:
        parts.append(f"Estimated value: ${amount:,.0f} a year.")
    return " ".join(parts)


def _change_sentence(measure: _Measure, before: dict[str, Any], after: dict[str, Any]) -> str:
    a, b = before[measure.key], after[measure.key]
    return f"{measure.label.capitalize()} went from {measure.show(a)} to {measure.show(b)}"


def _ai_summary(rng: random.Random, title: str, impact: float) -> Optional[str]:
    if rng.random() < 0.3:
        return None  # not analysed yet
    return f"Delivered '{title}' with measurable impact (score {impact})."


def _ai_impact(
    rng: random.Random, measure: _Measure, before: dict[str, Any], after: dict[str, Any], amount: Optional[float]
) -> Optional[str]:
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
