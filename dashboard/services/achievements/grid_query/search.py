"""The quick search: every word of it in one of a row's fields."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from dashboard.services.achievements.grid_query.cells import Row, as_text
from dashboard.services.achievements.grid_query.limits import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, GridQueryError, short


def search_words(text: Any) -> list[str]:
    """The quick search's words, case-folded; GridQueryError past the limits or for a non-string."""
    if text is None:
        return []
    if not isinstance(text, str):
        raise GridQueryError(f"search must be a string, got {short(text)}")
    if len(text) > MAX_SEARCH_LENGTH:
        raise GridQueryError(f"search is too long: {len(text):,} characters (at most {MAX_SEARCH_LENGTH})")
    words = text.casefold().split()
    if len(words) > MAX_SEARCH_WORDS:
        raise GridQueryError(f"search has too many words: {len(words):,} (at most {MAX_SEARCH_WORDS})")
    return words


def search_rows(rows: Sequence[Row], text: Optional[str], fields: Sequence[str]) -> list[Row]:
    """Quick search: every whitespace-separated word appears (case-insensitive) in one of the fields."""
    words = search_words(text)
    if not words:
        return list(rows)
    if not fields:
        raise ValueError("search_rows needs at least one field to search")

    def haystack(row: Row) -> str:
        # "\n" between fields (and " " between tags): a word has no whitespace, so it cannot
        # match across two fields.
        return "\n".join(" ".join(as_text(row.get(field)) or ()) for field in fields)

    hays = ((haystack(row), row) for row in rows)
    return [row for hay, row in hays if all(word in hay for word in words)]
