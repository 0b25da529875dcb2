"""The WhatsApp fixtures live in tests/support/whatsapp.py (loaded by tests/conftest.py); the
handoff tests' `both` (both stand-ins, one process) in tests/support/handoff_e2e.py."""

from tests.support.handoff_e2e import both  # noqa: F401 -- the fixture, for tests here
from tests.support.whatsapp import (  # noqa: F401 -- helpers the tests here import
    APP_SECRET,
    VERIFY_TOKEN,
    WhatsAppServer,
    fixture,
    message,
    notification,
    status,
)
