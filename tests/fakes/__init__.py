"""Fakes of the three Threads-Agent services over real HTTP (see backends.FakeBackends)."""

from tests.fakes.backends import (
    ACHIEVEMENTS,
    FAULTS,
    ORCHESTRATOR,
    SERVICES,
    TECH_DOC,
    Call,
    FakeBackends,
    adaptation,
    fake_backends,
    load_recording,
    parse_dt,
    recordings_dir,
)

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
