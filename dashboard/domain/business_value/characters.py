"""The character classes every part of the reader shares: spaces, dashes, minus signs, letters."""

from __future__ import annotations

import re

_SP = " \t\u00a0\u202f\u2009"
_SPACES = frozenset(_SP)
_DASHES = "-–—‒−~"
_MINUS = "-−"
_LETTERS = re.compile(r"[^\W\d_]+")
_SPACE_SPLIT = re.compile(r"[ \u00a0\u202f\u2009]")
