"""Buttons shown as numbered options: map a typed number or label back to the button."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.numbers import whole_number
from handlers.types import Button


def match_choice(text: str, buttons: Sequence[Button]) -> Button | None:
    """The button chosen by typing its number ("2") or its label (any case), else None."""
    typed = text.strip().rstrip(".").strip()
    number = whole_number(typed)
    if number is not None and 1 <= number <= len(buttons):
        return buttons[number - 1]
    folded = typed.casefold()
    for button in buttons:
        if button.label.casefold() == folded:
            return button
    return None


def numbered(buttons: Sequence[Button]) -> str:
    """The buttons as numbered lines: '1. Label'."""
    return "\n".join(f"{i}. {button.label}" for i, button in enumerate(buttons, 1))
