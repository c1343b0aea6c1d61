"""ValueReading: what was read from a text (amount, currency, range, span) and how to say so."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from dashboard.domain.business_value.formatting import format_reading


@dataclass(frozen=True, slots=True)
class ValueReading:
    """How an amount was read from a business value text."""

    amount: float  # the amount, the lower bound of a range
    currency: str  # ISO 4217
    start: int  # span of the money expression in the raw text
    end: int
    how: str  # "marked" | "bare" | "json"
    upper: Optional[float] = None  # upper bound of a range
    amounts_seen: int = 1  # money amounts found in the text (the first is read)

    @property
    def is_range(self) -> bool:
        return self.upper is not None

    def quote(self, raw: str, context: int = 24) -> str:
        """The span with up to `context` characters either side (whole words), ellipsised."""
        raw = raw or ""
        start, end = max(0, min(self.start, len(raw))), max(0, min(self.end, len(raw)))
        if end - start > 80:
            body, end, cut_end = raw[start : start + 80], start + 80, True
        else:
            body, cut_end = raw[start:end], False
        left = max(0, start - context)
        if left > 0:
            space = raw.find(" ", left, start)
            left = start if space < 0 else space + 1
        right = min(len(raw), end + context)
        if right < len(raw) and not cut_end:
            space = raw.rfind(" ", end, right)
            right = end if space < 0 else space
        else:
            right = end if cut_end else right
        text = raw[left:start] + body + ("" if cut_end else raw[end:right])
        text = " ".join(text.split())
        return ("…" if left > 0 else "") + text + ("…" if cut_end or right < len(raw) else "")

    def describe(self, raw: str) -> str:
        """'read as $102,500 from “about $102,500/yr in compute”' (ranges name both bounds)."""
        what = format_reading(ValueReading(self.amount, self.currency, self.start, self.end, self.how))
        if self.is_range:
            what += f" (lower bound of {format_reading(self)})"
        if self.amounts_seen > 1:
            what += f" (the first of {self.amounts_seen} amounts)"
        return f"read as {what} from “{self.quote(raw)}”"
