"""Files staff attach in the workspace (a broadcast's photo, a ticket reply's document):
checked against what every channel can send, then stored like chat media."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData, UploadFile

from channels.staff_web.auth import Staff
from handlers.media import DOCUMENT_TYPES, MAX_SIZE, PHOTO_TYPES, size_text
from handlers.numbers import whole_number
from handlers.types import Attachment
from storage.media import StoredMedia


class Refused(Exception):
    """The request cannot be carried out; the message says why, in the staff's language."""


@dataclass(frozen=True)
class UploadTexts:
    """Text keys of the refusals; `too_big` may name {kind}."""

    wrong_type: str
    too_big: str
    failed: str


BROADCAST = UploadTexts("broadcast.media_type_document", "broadcast.media_too_big_{kind}",
                        "broadcast.media_failed")
TICKET = UploadTexts("handoff.file_type", "handoff.file_too_big", "handoff.file_unavailable")


def kind_of(mime: str) -> str | None:
    """'photo', 'document', or None for a type not every channel can send."""
    mime = mime.split(";")[0].strip().lower()
    return "photo" if mime in PHOTO_TYPES else "document" if mime in DOCUMENT_TYPES else None


async def store_upload(staff: Staff, upload: object, texts: UploadTexts) -> StoredMedia | None:
    """Store an attached photo or document (None without one); Refused when it cannot go."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    mime = (upload.content_type or "").split(";")[0].strip().lower()
    kind = kind_of(mime)
    if kind is None:
        raise Refused(staff.t(texts.wrong_type))
    limit = MAX_SIZE[kind]
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise Refused(staff.t(texts.too_big.format(kind=kind), limit=size_text(limit),
                              size=size_text(len(data))))
    if not data:
        raise Refused(staff.t(texts.failed))
    name = upload.filename.replace("/", "_").replace("\\", "_")[:120]
    return await staff.ctx.deps.storage.media.add(kind, name, mime, data)


def described_file(staff: Staff, form: FormData, texts: UploadTexts) -> Attachment | None:
    """The file chosen in the form as the page describes it (file_name, file_type, file_size:
    static/composer.js fills them in), for a preview without uploading it; Refused when it
    could not be sent."""
    name = str(form.get("file_name") or "").strip().replace("/", "_").replace("\\", "_")[:120]
    if not name:
        return None
    mime = str(form.get("file_type") or "").split(";")[0].strip().lower()
    kind = kind_of(mime)
    if kind is None:
        raise Refused(staff.t(texts.wrong_type))
    raw = str(form.get("file_size") or "")
    size = whole_number(raw, 15) or 0
    if size > MAX_SIZE[kind]:
        raise Refused(staff.t(texts.too_big.format(kind=kind), limit=size_text(MAX_SIZE[kind]),
                              size=size_text(size)))
    return Attachment(0, kind, name, mime, size)
