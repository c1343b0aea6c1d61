"""Topics of work that reaches people: content, business results, milestones."""

from __future__ import annotations

from dashboard.sources.embedded.sample_data.measures import _T, _count, _higher, _lower, _Topic

_OUTREACH_TOPICS: tuple[_Topic, ...] = (
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
