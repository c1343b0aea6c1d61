"""A thread per process that runs rounds in the background: the live watcher's, the history
sampler's. Started again after a fork (threads do not survive one) and ended quietly when the
interpreter, or a test's server, stops its threads with SystemExit."""

from __future__ import annotations

import threading
from typing import Optional


class Rounds:
    """Subclasses give `thread_name` and `_rounds` (which should return once `_stopped` is set)."""

    thread_name = "rounds"

    def __init__(self) -> None:
        self._stopped = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._mutex = threading.Lock()

    def start(self) -> None:
        """Start this process's thread unless it runs (cheap then: no lock is taken)."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            return
        with self._mutex:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stopped.clear()
            self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        try:
            self._rounds()
        except SystemExit:  # the interpreter (or a test's server) is stopping this thread
            return

    def _rounds(self) -> None:
        raise NotImplementedError


__all__ = ["Rounds"]
