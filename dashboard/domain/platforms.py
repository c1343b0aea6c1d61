"""The platforms content is written for: their names, the ones we write for, and their limits.

One place for what the Content page's Generate form and adaptation preview offer, and for each
platform's character limit: the embedded templates (sources) fit their adaptations to it and the
preview (services/content/adaptation.py) counts against it.
"""

from __future__ import annotations

from typing import Optional

PLATFORM_LABELS = {
    "dev.to": "Dev.to",
    "linkedin": "LinkedIn",
    "threads": "Threads",
    "medium": "Medium",
    "github": "GitHub",
}
"""How each platform is written on screen."""

CONTENT_PLATFORMS = ("dev.to", "linkedin", "threads", "medium")
"""The platforms a post is generated and adapted for, in the order every control lists them.

GitHub is left out: posts may name it (the board filters on it), but neither the orchestrator's
worker nor our templates write for it."""

THREADS_LIMIT = 500
LINKEDIN_LIMIT = 3_000
CHARACTER_LIMITS: dict[str, Optional[int]] = {
    "threads": THREADS_LIMIT,
    "linkedin": LINKEDIN_LIMIT,
    "dev.to": None,
    "medium": None,
}
"""The most characters one post may have on each platform; None: the platform sets no limit."""
