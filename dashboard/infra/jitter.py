"""Random delays that keep replicas and screens from moving in step (retries, reconnects).

A generator of its own: the global `random` belongs to whoever seeds it (a test, hypothesis),
and a background thread drawing from it would change what they replay.
"""

from __future__ import annotations

import random

JITTER = random.Random()
