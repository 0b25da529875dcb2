"""Whole numbers typed by people or sent by platforms, read without surprises."""

from __future__ import annotations

MAX_DIGITS = 12  # ids, ticket and menu numbers, sizes: far below SQLite's 64-bit integers


def whole_number(text: str, max_digits: int = MAX_DIGITS) -> int | None:
    """`text` as a non-negative whole number written in ASCII digits, else None.

    `str.isdigit()` alone is not enough: it accepts '²' and '٣', which `int()` refuses, and
    `int()` refuses strings of more than 4,300 digits; neither may reach a handler as an error.
    """
    if text and len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None
