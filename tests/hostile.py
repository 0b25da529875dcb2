"""Moved to tests/support/hostile.py; this re-export keeps branches made before the move working."""

from tests.support.hostile import *  # noqa: F403
