"""Moved to tests/support/chat.py; this re-export keeps branches made before the move working."""

from tests.support.chat import *  # noqa: F403
