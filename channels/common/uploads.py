"""Stored files (broadcast attachments) sent with one upload per file and platform.

The first message carries the bytes; the platform's reference (Telegram's file_id, WhatsApp's
media id) is kept in storage and sent from then on. A platform that forgets uploads (WhatsApp,
after 30 days) gives `max_age`: an older reference is renewed by uploading again.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from handlers.types import Attachment
from storage.media import MediaRepo

T = TypeVar("T")


class FileGone(Exception):
    """The attached file is no longer stored (removed with its broadcast)."""


class Uploads:
    """One upload per stored file; every later message refers to the platform's reference."""

    def __init__(self, media: MediaRepo, channel: str, max_age: timedelta | None = None) -> None:
        self.media, self.channel, self.max_age = media, channel, max_age
        self.uploads = 0  # files sent as bytes (figures for logs and tests)
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def _known(self, attachment: Attachment) -> str | None:
        return await self.media.ref(attachment.id, self.channel, max_age=self.max_age)

    async def send(
        self,
        attachment: Attachment,
        by_ref: Callable[[str], Awaitable[T]],
        by_bytes: Callable[[bytes], Awaitable[tuple[T, str | None]]],
    ) -> T:
        """`by_ref(reference)` when one is kept, else `by_bytes(data)` -> (result, reference).

        Concurrent senders of one file wait for the single upload; raises FileGone.
        """
        ref = await self._known(attachment)
        if ref is None:
            async with self._locks[attachment.id]:
                ref = await self._known(attachment)
                if ref is None:
                    data = await self.media.data(attachment.id)
                    if data is None:
                        raise FileGone(attachment.filename)
                    result, ref = await by_bytes(data)
                    self.uploads += 1
                    if ref is not None:
                        await self.media.set_ref(attachment.id, self.channel, ref)
                    return result
        return await by_ref(ref)
