"""Moved to tests/support/broadcasting.py; this re-export keeps branches made before the move working."""

from tests.support.broadcasting import *  # noqa: F403
