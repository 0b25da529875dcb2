"""Telegram updates turned into the core's Incoming messages."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import filters

from channels.telegram import CHANNEL
from channels.telegram.media import media_of
from handlers.types import Incoming

# Message attributes that carry content the assistant cannot read, in the order checked.
UNSUPPORTED_KINDS = (
    "photo",
    "sticker",
    "voice",
    "video_note",
    "video",
    "audio",
    "animation",
    "document",
    "location",
    "venue",
    "poll",
    "dice",
    "game",
    "story",
)


def normalise_phone(phone: str) -> str:
    """Telegram sends the number with or without '+'; give it always with '+'."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"+{digits}" if digits else phone


def unsupported_kind(message: Message) -> str:
    """What kind of non-text message this is ('photo', 'sticker'...), else 'other'."""
    for kind in UNSUPPORTED_KINDS:
        if getattr(message, kind, None):
            return kind
    return "other"


def to_incoming(update: Update, labels: dict[str, str] | None = None) -> Incoming | None:
    """The Incoming for a private-chat message or button press; None for anything to ignore.

    `labels` maps the texts of reply-keyboard buttons shown to this user to their payloads.
    """
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    meta = {"display_name": user.first_name, "language_hint": user.language_code}
    user_id = str(user.id)
    query = update.callback_query
    if query is not None:
        if not query.data:
            return None
        return Incoming(CHANNEL, user_id, payload=query.data, **meta)
    message = update.message
    if message is None or message.chat.type != "private":
        return None
    # Pinned message, timer changed...: a service message (never one with text; checking the
    # text first spares a typed message PTB's ~40 service-message filters).
    if message.text is None and filters.StatusUpdate.ALL.check_update(update):
        return None
    if message.reply_to_message is not None:  # staff answer a ticket by replying to its card
        meta["reply_to"] = str(message.reply_to_message.message_id)
    if message.text is not None:
        if labels and message.text in labels:
            return Incoming(CHANNEL, user_id, payload=labels[message.text], **meta)
        return Incoming.from_text(CHANNEL, user_id, message.text, **meta)
    if message.contact is not None:
        return Incoming(
            CHANNEL,
            user_id,
            contact_phone=normalise_phone(message.contact.phone_number),
            contact_is_own=message.contact.user_id == user.id,
            **meta,
        )
    # A photo or document also names its kind in `unsupported`: only flows taking files use it.
    return Incoming(
        CHANNEL, user_id, unsupported=unsupported_kind(message), media=media_of(message), **meta
    )
