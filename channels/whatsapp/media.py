"""Files on WhatsApp: download what staff send (GET /{media-id}, then its URL), and send a
stored file with one upload (POST /{phone-number-id}/media), reusing the media id after."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import timedelta

from channels.whatsapp.client import GraphClient, GraphError
from channels.whatsapp.parse import CHANNEL
from handlers.media import MediaTooBig, MediaUnavailable
from handlers.types import Attachment, Media
from storage import Storage

# Meta keeps uploaded media for 30 days; an older id is not reused.
UPLOAD_KEPT = timedelta(days=25)


async def fetch(client: GraphClient, media: Media, limit: int) -> bytes:
    """The file's bytes (handlers.media fetcher contract)."""
    try:
        info = await client.media_info(media.ref)
        size = _size(info.get("file_size"))
        if size is not None and size > limit:
            raise MediaTooBig(size)
        data = await client.download(info["url"], limit)
    except GraphError as exc:
        raise MediaUnavailable(str(exc)) from None
    if len(data) > limit:
        raise MediaTooBig(size)
    return data


def _size(value: object) -> int | None:
    """Meta sends file_size as a number or a string of digits."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


class Uploads:
    """Stored files uploaded once per file; later messages refer to the media id.

    The id is read from storage with its age each time (one indexed read per message), so a
    process running for weeks renews an upload Meta is about to forget.
    """

    def __init__(self, client: GraphClient, storage: Storage) -> None:
        self.client, self.storage = client, storage
        self.uploads = 0
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def media_id(self, attachment: Attachment) -> str:
        """The media id for the stored file, uploading it the first time (GraphError)."""
        async with self._locks[attachment.id]:  # others wait for the one upload
            found = await self.storage.media.ref(attachment.id, CHANNEL, max_age=UPLOAD_KEPT)
            if found is None:
                data = await self.storage.media.data(attachment.id)
                if data is None:
                    raise GraphError(100, "the attached file is no longer stored", 0)
                found = await self.client.upload_media(
                    data, attachment.mime_type, attachment.filename
                )
                self.uploads += 1
                await self.storage.media.set_ref(attachment.id, CHANNEL, found)
        return found
