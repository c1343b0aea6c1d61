"""Actors for tests that call the service layer's writes directly (the role check is theirs)."""

from dashboard.domain.actors import Actor, Role

EDITOR = Actor("tester", Role.EDITOR, "test")
VIEWER = Actor("visitor", Role.VIEWER, "test")
ADMIN = Actor("boss", Role.ADMIN, "test")
