"""Moved to tests/support/strategies.py; this re-export keeps branches made before the move working."""

from tests.support.strategies import *  # noqa: F403
