"""Long texts cut into messages a platform accepts: one rule set for every channel."""

from __future__ import annotations

# Cut at the last paragraph break, else line break, else space, unless that leaves a piece
# shorter than this share of the limit (then cut hard at the limit).
MIN_PIECE = 4


def split_text(text: str, limit: int) -> list[str]:
    """`text` (stripped) in pieces of at most `limit` characters; [] for blank text.

    Each cut is at a paragraph end, else a line end, else a word end, as late as possible.
    """
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        for boundary in ("\n\n", "\n", " "):
            cut = window.rfind(boundary)
            if cut > limit // MIN_PIECE:
                break
        else:  # no sensible boundary: cut hard
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
