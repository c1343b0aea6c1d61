"""Numbers that are never money, marked or not: percentages, durations, multipliers, counts,
dates and times, hourly rates, phone numbers (the package docstring lists them)."""

from __future__ import annotations

import re

from dashboard.domain.business_value.characters import _LETTERS, _SPACES

_TRAP_WORDS = frozenset(
    "percent pct percentage x times fold ms s sec secs second seconds min mins minute minutes h hr hrs hour "
    "hours d day days wk wks week weeks mo mos month months yr yrs year years am pm".split()
)
_COUNT_WORDS = frozenset(
    "engineer engineers people person users user tickets ticket customers customer devs developers teams "
    "team services requests builds incidents fte ftes seats servers nodes pods machines employees staff "
    "clients accounts prs issues bugs tests jobs calls queries pages orders transactions items points "
    "regions repos files lines deploys deployments releases sprints alerts".split()
)
"""Words that make the number before them a count ("3 engineers", "120 tickets"), never money."""
# "$150/h", "$75 per hour": the price of work, read only when a text holds no other amount.
_HOURLY = re.compile(
    r"[ ]?(?:/[ ]?|per[ ]|an[ ]|a[ ])(?:h|hr|hour|man-hour|person-hour|engineer-hour)s?\b", re.IGNORECASE
)
_DATE_OR_TIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}|[0-9]{1,2}:[0-9]{2}")
# "+1 555 123 456": a phone number, not a bare amount.
_SPACED_DIGITS = re.compile(r"[0-9][ \u00a0\u202f][0-9]")


def _trap_at(text: str, pos: int) -> bool:
    """A percentage, duration, multiplier or count right after a number ("35%", "2 hours", "10 ×",
    "3-week", "3 engineers")."""
    n = len(text)
    i = pos
    if i < n and (text[i] in _SPACES or text[i] == "-"):
        i += 1
    if i >= n:
        return False
    if text[i] in "%‰×":
        return True
    letters = _LETTERS.match(text, i)
    if letters is None:
        return False
    end = letters.end()
    if end < n and text[end].isdigit():
        return False  # "H1", "Q3": a word of its own
    word = letters.group().lower()
    return word in _TRAP_WORDS or word in _COUNT_WORDS
