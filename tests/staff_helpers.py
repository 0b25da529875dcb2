"""Moved to tests/support/staff_helpers.py; this re-export keeps branches made before the move working."""

from tests.support.staff_helpers import *  # noqa: F403
