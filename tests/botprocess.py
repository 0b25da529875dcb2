"""Moved to tests/support/botprocess.py; this re-export keeps branches made before the move working."""

from tests.support.botprocess import *  # noqa: F403
