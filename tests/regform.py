"""Moved to tests/support/regform.py; this re-export keeps branches made before the move working."""

from tests.support.regform import *  # noqa: F403
