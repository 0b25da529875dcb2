"""The WhatsApp fixtures live in tests/support/whatsapp.py (loaded by tests/conftest.py)."""

from tests.support.whatsapp import (  # noqa: F401 -- helpers the tests here import
    APP_SECRET,
    VERIFY_TOKEN,
    WhatsAppServer,
    fixture,
    message,
    notification,
    status,
)
