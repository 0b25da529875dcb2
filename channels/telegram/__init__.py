"""Telegram channel: python-telegram-bot 22 in polling or webhook mode."""

import os

# PTB 22 warns on every int `retry_after` unless the timedelta behaviour is opted into.
os.environ.setdefault("PTB_TIMEDELTA", "true")

CHANNEL = "telegram"
