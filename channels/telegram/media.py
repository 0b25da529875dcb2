"""Files on Telegram: download what staff send (getFile); the file_id of a file we sent.

Stored files go out with one upload (channels/common/uploads.py): the first sendPhoto or
sendDocument carries the bytes, every later one the file_id Telegram gave it.
"""

from __future__ import annotations

import logging

from telegram import Bot, Message, PhotoSize
from telegram.error import BadRequest, TelegramError

from handlers.media import MediaTooBig, MediaUnavailable
from handlers.types import Media

log = logging.getLogger(__name__)
DOWNLOAD_MAX = 20 * 1024 * 1024  # getFile refuses larger files for bots


def largest(photo: tuple[PhotoSize, ...]) -> PhotoSize:
    """The biggest of the sizes Telegram offers for a photo."""
    return max(photo, key=lambda size: (size.width * size.height, size.file_size or 0))


def media_of(message: Message) -> Media | None:
    """The photo or document a message carries, channel-neutral; None for other messages."""
    if message.photo:
        size = largest(message.photo)
        return Media("photo", size.file_id, None, "image/jpeg", size.file_size, message.caption)
    document = message.document
    if document is not None:
        return Media("document", document.file_id, document.file_name, document.mime_type,
                     document.file_size, message.caption)
    return None


async def fetch(bot: Bot, media: Media, limit: int) -> bytes:
    """The file's bytes (handlers.media fetcher contract): getFile, then the file URL."""
    limit = min(limit, DOWNLOAD_MAX)
    if media.size is not None and media.size > limit:
        raise MediaTooBig(media.size)
    try:
        found = await bot.get_file(media.ref)
    except BadRequest as exc:
        if "too big" in str(exc).lower():
            raise MediaTooBig(media.size) from None
        raise MediaUnavailable(str(exc)) from None
    except TelegramError as exc:
        raise MediaUnavailable(f"{type(exc).__name__}: {exc}") from None
    if found.file_size is not None and found.file_size > limit:
        raise MediaTooBig(found.file_size)
    try:
        data = bytes(await found.download_as_bytearray())
    except (TelegramError, OSError) as exc:
        log.warning("Telegram file download failed: %s", type(exc).__name__)
        raise MediaUnavailable(type(exc).__name__) from None
    if len(data) > limit:
        raise MediaTooBig(len(data))
    return data


def file_id_of(message: Message) -> str | None:
    """The file_id Telegram gave the file in a message we sent."""
    if message.photo:
        return largest(message.photo).file_id
    if message.document is not None:
        return message.document.file_id
    return None
