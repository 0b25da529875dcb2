"""Replies drawn as Telegram messages: plain text chunks, inline keyboards, contact keyboards, files."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import MessageLimit
from telegram.error import BadRequest

from channels.common.limits import Limits
from channels.common.retry import RetryPolicy
from channels.common.text import split_text
from channels.common.uploads import FileGone, Uploads
from channels.telegram.media import file_id_of
from handlers.types import Button, Reply, ReplyKind, utf16_len

LIMITS = Limits(text_max=MessageLimit.MAX_TEXT_LENGTH, caption_max=MessageLimit.CAPTION_LENGTH,
                count=utf16_len)  # Telegram counts UTF-16 code units
SHORT_LABEL = 18  # labels up to this length sit two to a row; longer ones get a row of their own


class InlineKeyboard(InlineKeyboardMarkup):
    """An inline keyboard turned into its Bot API dict once, not at every message it goes with.

    PTB objects are immutable, so the dict stays right; PTB only reads it (to encode a call).
    """

    __slots__ = ("_as_dict",)

    def to_dict(self, recursive: bool = True) -> dict:
        if not recursive:
            return super().to_dict(recursive=False)
        try:
            return self._as_dict
        except AttributeError:
            with self._unfrozen():
                self._as_dict = super().to_dict()
            return self._as_dict


@lru_cache(maxsize=512)
def inline_keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup:
    """Buttons as an inline keyboard: short labels two to a row, long labels alone.

    Built once per set of buttons (an answer's keyboard repeats; PTB objects are immutable).
    """
    rows: list[list[InlineKeyboardButton]] = []
    for button in buttons:
        key = InlineKeyboardButton(button.label, callback_data=button.payload)
        last = rows[-1] if rows else None
        if (
            last is not None
            and len(last) == 1
            and len(button.label) <= SHORT_LABEL
            and len(last[0].text) <= SHORT_LABEL
        ):
            last.append(key)
        else:
            rows.append([key])
    return InlineKeyboard(rows)


def contact_keyboard(share_label: str, buttons: tuple[Button, ...]) -> ReplyKeyboardMarkup:
    """A reply keyboard: 'share my number' first, then the reply's buttons as typed answers."""
    rows = [[KeyboardButton(share_label, request_contact=True)]]
    rows += [[KeyboardButton(button.label)] for button in buttons]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


@dataclass
class ChatKeyboards:
    """Per chat: the reply keyboard on screen, if any, and its labels (label -> payload).

    The labels map the user's next message back to a button press, once; the keyboard itself
    is taken away with the next reply that has no inline buttons.
    """

    shown: dict[int, dict[str, str]] = field(default_factory=dict)
    on_screen: set[int] = field(default_factory=set)

    def take_labels(self, chat_id: int) -> dict[str, str]:
        """The labels a typed message may match (only the message right after the keyboard)."""
        return self.shown.pop(chat_id, {})

    def open(self, chat_id: int, buttons: tuple[Button, ...]) -> None:
        self.shown[chat_id] = {button.label: button.payload for button in buttons}
        self.on_screen.add(chat_id)

    def close(self, chat_id: int) -> bool:
        """Forget the chat's reply keyboard; True if one was on screen."""
        self.shown.pop(chat_id, None)
        if chat_id in self.on_screen:
            self.on_screen.discard(chat_id)
            return True
        return False


class Renderer:
    """Sends a list of Reply to one chat, in order, through `policy` (retries or not)."""

    def __init__(
        self, bot: Bot, share_label, policy: RetryPolicy, keyboards: ChatKeyboards,
        uploads: Uploads | None = None,
    ) -> None:
        self.bot = bot
        self.share_label = share_label  # fn(lang) -> the "share my number" label
        self.policy = policy
        self.keyboards = keyboards
        self.uploads = uploads  # stored files (Reply.attachment); None: such replies go as text

    async def send(self, chat_id: int, replies: list[Reply], lang: str) -> list[Message]:
        sent: list[Message] = []
        for reply in replies:
            sent += await self._send_one(chat_id, reply, lang)
        return sent

    def _markup(self, chat_id: int, reply: Reply, lang: str):
        if reply.kind == ReplyKind.ASK_CONTACT:
            self.keyboards.open(chat_id, reply.buttons)
            return contact_keyboard(self.share_label(lang), reply.buttons)
        if reply.buttons:
            return inline_keyboard(reply.buttons)
        if self.keyboards.close(chat_id):
            return ReplyKeyboardRemove()
        return None

    async def _send_one(self, chat_id: int, reply: Reply, lang: str) -> list[Message]:
        markup = self._markup(chat_id, reply, lang)
        if reply.attachment is not None and self.uploads is not None:
            return await self._send_file(chat_id, reply, markup)
        if reply.kind in (ReplyKind.DOCUMENT, ReplyKind.PHOTO) and reply.file is not None:
            return await self._send_file(chat_id, reply, markup)
        chunks = split_text(reply.text, LIMITS.text_max) or [""]
        sent = []
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            sent.append(
                await self.policy.call(
                    self.bot.send_message,
                    chat_id=chat_id,
                    text=chunk,
                    reply_markup=markup if last else None,
                )
            )
        return sent

    async def _send_file(self, chat_id: int, reply: Reply, markup) -> list[Message]:
        caption, rest = LIMITS.file_and_text(reply.text)
        photo = reply.kind == ReplyKind.PHOTO or (
            reply.attachment is not None and reply.attachment.kind == "photo")
        if photo:
            method, field_name = self.bot.send_photo, "photo"
        else:
            method, field_name = self.bot.send_document, "document"
        params = {"chat_id": chat_id, "caption": caption,
                  "reply_markup": None if rest else markup}
        if reply.attachment is not None and self.uploads is not None:
            message = await self._send_stored(reply, method, field_name, params)
        else:
            name = reply.filename or ("image.png" if photo else "file.bin")
            upload = InputFile(reply.file, filename=name)
            message = await self.policy.call(method, **params, **{field_name: upload})
        sent = [message]
        if rest:  # too long for a caption: the text follows as messages
            text_reply = Reply(rest, reply.buttons)
            sent += await self._send_one(chat_id, text_reply, "")
        return sent

    async def _send_stored(self, reply: Reply, method, field_name: str, params: dict) -> Message:
        """A stored file: its file_id once Telegram has it, else the bytes (once)."""
        attachment = reply.attachment

        async def by_ref(file_id: str) -> Message:
            return await self.policy.call(method, **params, **{field_name: file_id})

        async def by_bytes(data: bytes) -> tuple[Message, str | None]:
            upload = InputFile(data, filename=attachment.filename)
            message = await self.policy.call(method, **params, **{field_name: upload})
            return message, file_id_of(message)

        try:
            return await self.uploads.send(attachment, by_ref, by_bytes)
        except FileGone:
            raise BadRequest("the attached file is no longer stored") from None
