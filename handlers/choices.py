"""Buttons shown as numbered options: map a typed number or label back to the button."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.numbers import whole_number
from handlers.types import Button


def match_choice(text: str, buttons: Sequence[Button]) -> Button | None:
    """The button chosen by typing its number ("2") or its label (any case, with or without the
    emoji it starts with), else None."""
    typed = text.strip().rstrip(".").strip()
    number = whole_number(typed)
    if number is not None and 1 <= number <= len(buttons):
        return buttons[number - 1]
    folded = typed.casefold()
    for button in buttons:
        if button.label.casefold() == folded:
            return button
    bare = _bare(typed)  # "Tolak" for "❌ Tolak", "membantu" for "👍 Membantu"
    if not bare:
        return None
    found = [button for button in buttons if _bare(button.label) == bare]
    return found[0] if len(found) == 1 else None


def _bare(label: str) -> str:
    """A label without the emoji or marks around its words, folded: what a person types for it."""
    start = next((i for i, c in enumerate(label) if c.isalnum()), len(label))
    end = next((i for i in range(len(label), 0, -1) if label[i - 1].isalnum()), 0)
    return label[start:end].casefold() if start < end else ""


def numbered(buttons: Sequence[Button]) -> str:
    """The buttons as numbered lines: '1. Label'."""
    return "\n".join(f"{i}. {button.label}" for i, button in enumerate(buttons, 1))
