"""A platform's size limits, given by each channel to the shared code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Sizes one platform accepts (characters for texts, bytes for webhook bodies)."""

    text_max: int  # one text message
    caption_max: int  # a photo's or document's caption
    body_max: int = 1_000_000  # an incoming webhook body; real ones are a few kilobytes
