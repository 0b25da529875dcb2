"""Files on Telegram: download what staff send (getFile), send stored files with one upload.

The first sendPhoto/sendDocument of a stored file carries the bytes; Telegram answers with a
file_id, kept in memory and in storage, and every later message sends that id instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, InputFile, Message, PhotoSize
from telegram.error import BadRequest, TelegramError

from channels.telegram import CHANNEL
from handlers.media import MediaTooBig, MediaUnavailable
from handlers.types import Attachment, Media
from storage import Storage

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


Call = Callable[..., Awaitable[Message]]


class Uploads:
    """Stored files sent with one upload per file; the file_id is reused afterwards."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.uploads = 0  # files sent as bytes (figures for logs and tests)
        self._ids: dict[int, str] = {}
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def _known(self, attachment: Attachment) -> str | None:
        found = self._ids.get(attachment.id)
        if found is None:
            found = await self.storage.media.ref(attachment.id, CHANNEL)
            if found is not None:
                self._ids[attachment.id] = found
        return found

    async def send(
        self, call: Call, method: Callable, field: str, attachment: Attachment, **params: Any
    ) -> Message:
        """`call(method, **params, field=file)` with the known file_id, or the bytes once."""
        file_id = await self._known(attachment)
        if file_id is None:
            async with self._locks[attachment.id]:  # others wait for the one upload
                file_id = await self._known(attachment)
                if file_id is None:
                    return await self._upload(call, method, field, attachment, **params)
        return await call(method, **params, **{field: file_id})

    async def _upload(
        self, call: Call, method: Callable, field: str, attachment: Attachment, **params: Any
    ) -> Message:
        data = await self.storage.media.data(attachment.id)
        if data is None:
            raise BadRequest("the attached file is no longer stored")
        upload = InputFile(data, filename=attachment.filename)
        message = await call(method, **params, **{field: upload})
        self.uploads += 1
        file_id = file_id_of(message)
        if file_id is not None:
            self._ids[attachment.id] = file_id
            await self.storage.media.set_ref(attachment.id, CHANNEL, file_id)
        return message
