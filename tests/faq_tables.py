"""Moved to tests/support/faq_tables.py; this re-export keeps branches made before the move working."""

from tests.support.faq_tables import *  # noqa: F403
