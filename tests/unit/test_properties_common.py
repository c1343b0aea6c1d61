"""Shared pieces of the property-based tests (test_properties_*.py); holds no tests itself.

`covers(...)` names the parsers and validators a property exercises, `counted` counts every
generated input a property really runs; tests/conftest.py prints both at the end of a run.
`examples(n)` sizes a property (PROPERTY_SCALE=10 runs ten times as many, for bug hunting).
"""

from __future__ import annotations

import functools
import math
import os
from collections import Counter

from hypothesis import settings
from hypothesis import strategies as st

EXAMPLES: Counter = Counter()
"""Property (module.name) -> generated inputs it ran in this session."""
COVERED: set[str] = set()
"""Dotted names of the parsers and validators under property tests."""

SCALE = float(os.environ.get("PROPERTY_SCALE", "1"))


def examples(n: int) -> settings:
    return settings(max_examples=max(1, int(n * SCALE)))


def covers(*names: str):
    """Register the parsers a property covers, and count each input it runs."""
    COVERED.update(names)

    def decorate(test):
        key = f"{test.__module__}.{test.__name__}"

        @functools.wraps(test)
        def run(*args, **kwargs):
            EXAMPLES[key] += 1
            return test(*args, **kwargs)

        return run

    return decorate


# Strategies ---------------------------------------------------------------------------------------

# Text a URL or a form can carry: anything but NUL and lone surrogates (neither survives HTTP).
url_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**30), max_value=10**400)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
"""What a JSON body can hold once parsed (Python's json reads NaN, Infinity and huge integers)."""

anything = (
    json_values
    | st.tuples(st.integers())
    | st.sets(st.integers(), max_size=3)
    | st.datetimes()
    | st.dates()
    | st.binary(max_size=8)
    | st.decimals()
    | st.complex_numbers()
)
"""Any Python value a caller could pass, well beyond JSON."""


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
