"""Files users send (photos, documents): what the core accepts and how a channel fetches them.

A channel that can download what its users send registers a fetcher in `deps.fetchers[channel]`:
`async fetch(media: Media, limit: int) -> bytes`, raising MediaTooBig
when the file is larger than `limit` bytes and MediaUnavailable when it cannot be had.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers.types import Media

MB = 1024 * 1024
# What both channels can send: WhatsApp images at most 5 MB (JPEG, PNG); Telegram lets a bot
# download at most 20 MB, and sends documents up to 50 MB (WhatsApp up to 100 MB).
MAX_SIZE = {"photo": 5 * MB, "document": 20 * MB}
PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}
# The document types WhatsApp delivers (Telegram takes any).
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "text/plain": ".txt",
}
Fetcher = Callable[[Media, int], Awaitable[bytes]]


class MediaUnavailable(Exception):
    """The channel could not download the file (gone, refused, network)."""


class MediaTooBig(MediaUnavailable):
    """The file is larger than the limit given (found out before or while downloading)."""

    def __init__(self, size: int | None = None) -> None:
        super().__init__(f"file too big ({size} bytes)" if size else "file too big")
        self.size = size


@dataclass(frozen=True)
class Accepted:
    """A file the core takes: its kind, a filename with extension and its MIME type."""

    kind: str
    filename: str
    mime_type: str


def mime_of(media: Media) -> str | None:
    """The file's type as the channel said, else guessed from its name; photos default to JPEG."""
    if media.mime_type:
        return media.mime_type.split(";")[0].strip().lower()
    if media.filename:
        guessed = mimetypes.guess_type(media.filename)[0]
        if guessed:
            return guessed
    return "image/jpeg" if media.kind == "photo" else None


def accept(media: Media) -> Accepted | None:
    """The file's kind, name and type when every channel can send it; None otherwise."""
    mime = mime_of(media)
    allowed = PHOTO_TYPES if media.kind == "photo" else DOCUMENT_TYPES
    if mime not in allowed:
        return None
    name = (media.filename or "").strip().replace("/", "_").replace("\\", "_")
    if not name:
        name = ("foto" if media.kind == "photo" else "dokumen") + allowed[mime]
    elif "." not in name:
        name += allowed[mime]
    return Accepted(media.kind, name[:120], mime)


def size_text(size: int) -> str:
    """'230 KB', '4.2 MB'."""
    if size < MB:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MB:.1f} MB"
