"""Files on WhatsApp: download what staff send (GET /{media-id}, then its URL).

Stored files are uploaded once (POST /{phone-number-id}/media, channels/common/uploads.py) and
their media id reused while Meta keeps it.
"""

from __future__ import annotations

from datetime import timedelta

from channels.whatsapp.client import GraphClient, GraphError
from handlers.media import MediaTooBig, MediaUnavailable
from handlers.numbers import whole_number
from handlers.types import Media

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
    return whole_number(value, 18) if isinstance(value, str) else None
