"""A platform's size limits, given by each channel to the shared code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Sizes one platform accepts (characters for texts, bytes for webhook bodies)."""

    text_max: int  # one text message
    caption_max: int  # a photo's or document's caption
    body_max: int = 1_000_000  # an incoming webhook body; real ones are a few kilobytes
    count: Callable[[str], int] = len  # how the platform counts a text's characters

    def file_and_text(self, text: str) -> tuple[str | None, str]:
        """A file's caption, and the text that follows the file as its own messages.

        The whole text is the caption when it fits; otherwise the file goes without one and
        the text follows (split at text_max like any text). A blank text gives neither.
        """
        text = text.strip()
        if not text:
            return None, ""
        if self.count(text) <= self.caption_max:
            return text, ""
        return None, text
