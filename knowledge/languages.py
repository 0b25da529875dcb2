"""The languages the assistant speaks and how a channel's language hint maps to them."""

from __future__ import annotations

LANGUAGES = ("id", "en", "ms")
DEFAULT_LANGUAGE = "id"
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English", "ms": "Bahasa Melayu"}


def pick_language(hint: str | None) -> str:
    """The supported language for a hint like 'en-GB' or 'ms'; Indonesian otherwise."""
    if not hint:
        return DEFAULT_LANGUAGE
    base = hint.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else DEFAULT_LANGUAGE
