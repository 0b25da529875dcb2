"""Sending to a WhatsApp user: free messages inside the 24-hour window, the template outside."""

from __future__ import annotations

import logging
import mimetypes
from datetime import timedelta

from channels.common.language import user_language
from channels.common.retry import GIVE_UP, Failure
from channels.common.uploads import FileGone, Uploads
from channels.whatsapp.client import GraphClient, GraphError, ShapeError
from channels.whatsapp.limits import TEMPLATE_PARAM_MAX
from channels.whatsapp.media import UPLOAD_KEPT
from channels.whatsapp.parse import CHANNEL, language_hint, valid_wa_id
from channels.whatsapp.render import Media, UiTexts, render_replies
from handlers.outbound import (
    ChannelDown,
    PermanentFailure,
    RecipientBlocked,
    RecipientRetryLater,
    RetryLater,
    SendError,
)
from handlers.types import Attachment, Reply
from knowledge import Knowledge
from settings import Settings
from storage import Storage

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=10)  # we record receipt time; Meta counts from sending
OUTSIDE_WINDOW = 131047
UNDELIVERABLE = 131026
OPTED_OUT = 131050
PAIR_RATE = 131056  # too many messages to this one recipient: only they wait
TOKEN_REFUSED = {190: "access token expired or invalid", 368: "account temporarily blocked"}
# code -> seconds to wait: throughput, pair rate, app / account / spam rate limits
RETRY_AFTER = {130429: 1.0, 131056: 6.0, 4: 60.0, 80007: 60.0, 131048: 60.0}
TEMPORARY = {-1, 0, 1, 2, 131000}  # network, unknown, service unavailable


def template_parameter(text: str) -> str:
    """The announcement as one template parameter: one line, no long space runs, clipped."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    flat = " · ".join(line for line in lines if line)
    return flat if len(flat) <= TEMPLATE_PARAM_MAX else flat[: TEMPLATE_PARAM_MAX - 1] + "…"


class WhatsAppSender:
    """The Sender for channel 'whatsapp' (handlers/outbound.py), also used for direct replies."""

    channel = CHANNEL

    def __init__(
        self, client: GraphClient, storage: Storage, knowledge: Knowledge, settings: Settings
    ) -> None:
        self.client, self.storage, self.knowledge = client, storage, knowledge
        self.uploads = Uploads(storage.media, CHANNEL, max_age=UPLOAD_KEPT)
        self.template_name = settings.whatsapp_template_name
        self.template_languages = settings.whatsapp_template_languages
        self.retry_after = dict(RETRY_AFTER)

    async def send(self, user_id: str, replies: list[Reply]) -> list[str]:
        """An announcement: free text inside the window, else (or on 131047) the template."""
        _check_number(user_id)
        text = "\n\n".join(r.text.strip() for r in replies if r.text.strip())
        if not await self.in_window(user_id):
            return [await self.send_template(user_id, text)]
        try:
            return await self.deliver(user_id, replies, fallback_text=text)
        except NothingSent as exc:
            if exc.error.code != OUTSIDE_WINDOW:
                raise await self._mapped(exc.error, user_id) from None
            return [await self.send_template(user_id, text, origin=None)]
        except GraphError as exc:
            raise await self._mapped(exc, user_id) from None

    async def in_window(self, wa_id: str) -> bool:
        """True while the user's last message is less than 24 hours old (minus a margin)."""
        last = await self.storage.whatsapp.last_inbound(wa_id)
        return last is not None and self.storage.db.now() - last < WINDOW - WINDOW_MARGIN

    async def deliver(
        self,
        wa_id: str,
        replies: list[Reply],
        fallback_text: str | None = None,
        language: str | None = None,
    ) -> list[str]:
        """Render and send replies in order; their wamids.

        Answers (fallback_text None) also remember their options for typed choices; an
        announcement leaves the options of the conversation alone.
        Raises NothingSent when the first message fails, GraphError for a later one.
        """
        _check_number(wa_id)
        rendered = render_replies(replies, await self.ui_texts(wa_id, language))
        if fallback_text is None:
            await self.storage.whatsapp.save_options(
                wa_id, [(b.label, b.payload) for b in rendered.options], rendered.numbered
            )
        wamids: list[str] = []
        for message in rendered.messages:
            try:
                wamid = await self._send_one(wa_id, message)
            except GraphError as exc:
                if not wamids:
                    raise NothingSent(exc) from None
                raise
            first = not wamids
            await self.storage.whatsapp.record_sent(
                wamid, wa_id, fallback_text=fallback_text if first else None
            )
            wamids.append(wamid)
        return wamids

    async def send_template(self, wa_id: str, text: str, origin: str | None = None) -> str:
        """The approved announcement template in the user's language, `text` as {{1}}."""
        parameter = template_parameter(text)
        if not parameter:
            raise PermanentFailure("outside the 24-hour window only text can be sent")
        lang = await self.language(wa_id)
        code = self.template_languages.get(lang) or next(iter(self.template_languages.values()))
        body = {
            "type": "template",
            "template": {
                "name": self.template_name,
                "language": {"code": code},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": parameter}]}
                ],
            },
        }
        try:
            wamid = await self.client.send_message(f"+{wa_id}", body)
        except GraphError as exc:
            raise await self._mapped(exc, wa_id) from None
        await self.storage.whatsapp.record_sent(wamid, wa_id, origin_wamid=origin)
        return wamid

    async def language(self, wa_id: str) -> str:
        return await user_language(self.storage.users, CHANNEL, wa_id, language_hint(wa_id))

    async def ui_texts(self, wa_id: str, language: str | None = None) -> UiTexts:
        """The channel's texts in `language`, else in the user's (one read)."""
        lang = language or await self.language(wa_id)
        render = self.knowledge.texts.render
        return UiTexts(
            list_button=render(lang, "whatsapp.list_button"),
            choose=render(lang, "whatsapp.choose"),
            numbered_hint=render(lang, "whatsapp.numbered_hint"),
        )

    async def _send_one(self, wa_id: str, message: dict | Media) -> str:
        if isinstance(message, Media):
            if message.attachment is not None:  # a stored file: uploaded once, id reused
                media_id = await self.stored_media_id(message.attachment)
            else:
                mime = mimetypes.guess_type(message.filename)[0] or "application/octet-stream"
                media_id = await self.client.upload_media(message.data, mime, message.filename)
            media: dict = {"id": media_id}
            if message.kind == "document":
                media["filename"] = message.filename
            if message.caption:
                media["caption"] = message.caption
            message = {"type": message.kind, message.kind: media}
        return await self.client.send_message(f"+{wa_id}", message)

    async def stored_media_id(self, attachment: Attachment) -> str:
        """The media id of a stored file, uploading it the first time (GraphError)."""

        async def upload(data: bytes) -> tuple[str, str]:
            found = await self.client.upload_media(data, attachment.mime_type, attachment.filename)
            return found, found

        async def known(media_id: str) -> str:
            return media_id

        try:
            return await self.uploads.send(attachment, known, upload)
        except FileGone:
            raise GraphError(100, "the attached file is no longer stored", 0) from None

    def classify(self, exc: BaseException) -> Failure | None:
        """For the shared retry policy: only while nothing reached the user (NothingSent), a
        rate limit waits its time and a transient fault backs off; the rest is given up."""
        if not isinstance(exc, NothingSent):
            return GIVE_UP  # part of the replies is out: sending again would repeat it
        code = exc.error.code
        if code in self.retry_after:
            return Failure(wait=self.retry_after[code])
        if code in TEMPORARY and not isinstance(exc.error, ShapeError):
            return Failure(transient=True)
        return GIVE_UP

    async def _mapped(self, error: GraphError, wa_id: str) -> SendError:
        """The outbound error for a Graph error; marks blocked / opted-out users."""
        if error.code in TOKEN_REFUSED:
            return ChannelDown(f"WhatsApp error {error.code}: {TOKEN_REFUSED[error.code]}")
        if error.code == PAIR_RATE:
            return RecipientRetryLater(self.retry_after[PAIR_RATE], f"WhatsApp error {PAIR_RATE}")
        if error.code in self.retry_after:
            return RetryLater(self.retry_after[error.code], f"WhatsApp rate limit {error.code}")
        if error.code in (UNDELIVERABLE, OPTED_OUT):
            await self.mark_unreachable(wa_id, error.code)
            return RecipientBlocked(f"WhatsApp error {error.code}")
        if isinstance(error, ShapeError) or error.code not in TEMPORARY:
            return PermanentFailure(str(error))
        return SendError(str(error))

    async def mark_unreachable(self, wa_id: str, code: int) -> None:
        """131026: the number cannot be reached (blocked); 131050: opted out (unsubscribed)."""
        users = self.storage.users
        if code == UNDELIVERABLE:
            await users.set_blocked_by_key(CHANNEL, wa_id, True)
        elif code == OPTED_OUT and (user := await users.get(CHANNEL, wa_id)) is not None:
            await users.set_subscribed(user.id, False)


def _check_number(wa_id: str) -> None:
    """Never send to something that is not a WhatsApp number (e.g. a business-scoped id)."""
    if not valid_wa_id(wa_id):
        raise PermanentFailure("not a WhatsApp number")


class NothingSent(Exception):
    """The first message failed: nothing reached the user yet (a template may still go)."""

    def __init__(self, error: GraphError) -> None:
        super().__init__(str(error))
        self.error = error
