"""Fakes of the three Threads-Agent services over real HTTP: backends.FakeBackends, faults in base."""

from tests.fakes.backends import FakeBackends, fake_backends
from tests.fakes.base import ACHIEVEMENTS, FAULTS, ORCHESTRATOR, SERVICES, TECH_DOC, Call
from tests.fakes.orchestrator import adaptation
from tests.fakes.recordings import load_recording, parse_dt, recordings_dir

__all__ = [
    "ACHIEVEMENTS",
    "FAULTS",
    "ORCHESTRATOR",
    "SERVICES",
    "TECH_DOC",
    "Call",
    "FakeBackends",
    "adaptation",
    "fake_backends",
    "load_recording",
    "parse_dt",
    "recordings_dir",
]
