"""Reply → Cloud API message bodies: reply buttons, a list, or numbered text, within limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from channels.common.text import split_text as _split
from channels.whatsapp import limits
from handlers.choices import numbered
from handlers.types import Attachment, Button, Reply, ReplyKind


@dataclass(frozen=True)
class UiTexts:
    """Channel texts in the user's language (knowledge/texts/*/whatsapp.yaml)."""

    list_button: str  # opens the list, at most 20 characters
    choose: str  # body when the reply text cannot carry the buttons
    numbered_hint: str  # under numbered options: "reply with the number or the name"


@dataclass(frozen=True)
class Media:
    """A file to upload first (or a stored one, uploaded once), then send as a document or an
    image."""

    kind: str  # "document" or "image"
    data: bytes
    filename: str
    caption: str | None
    attachment: Attachment | None = None  # a stored file: `data` is empty, the sender loads it


@dataclass
class Rendered:
    """What to send, and the options the user may answer by typing."""

    messages: list[dict[str, Any] | Media] = field(default_factory=list)
    options: tuple[Button, ...] = ()
    numbered: bool = False


def render_replies(replies: Sequence[Reply], ui: UiTexts) -> Rendered:
    """All replies in order; the options are those of the last reply with buttons."""
    out = Rendered()
    for reply in replies:
        one = render_reply(reply, ui)
        out.messages += one.messages
        if reply.buttons:
            out.options, out.numbered = one.options, one.numbered
    return out


def render_reply(reply: Reply, ui: UiTexts) -> Rendered:
    """One reply as one or more messages."""
    media = _media(reply)
    if media is not None:
        rest = limits.LIMITS.file_and_text(reply.text)[1]
        follow = render_reply(Reply(rest, reply.buttons), ui) if rest or reply.buttons else None
        out = Rendered([media])
        if follow is not None:
            out.messages += follow.messages
            out.options, out.numbered = follow.options, follow.numbered
        return out
    buttons = reply.buttons
    if not buttons:
        return Rendered([text_message(chunk) for chunk in split_text(reply.text)])
    if _fits_buttons(buttons):
        return _interactive(
            reply.text, limits.BUTTON_BODY_MAX, _button_action(buttons), ui, buttons
        )
    action = _list_action(buttons, ui)
    if action is not None:
        return _interactive(reply.text, limits.LIST_BODY_MAX, action, ui, buttons)
    text = "\n\n".join(
        part for part in (reply.text.strip(), numbered(buttons), ui.numbered_hint) if part
    )
    return Rendered([text_message(c) for c in split_text(text)], tuple(buttons), numbered=True)


def split_text(text: str) -> list[str]:
    """The shared splitting rule at WhatsApp's text limit."""
    return _split(text, limits.LIMITS.text_max)


def text_message(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"preview_url": False, "body": body}}


def _media(reply: Reply) -> Media | None:
    caption = limits.LIMITS.file_and_text(reply.text)[0]
    if reply.attachment is not None:
        stored = reply.attachment
        kind = "image" if stored.kind == "photo" else "document"
        return Media(kind, b"", stored.filename, caption, stored)
    if reply.kind not in (ReplyKind.DOCUMENT, ReplyKind.PHOTO) or reply.file is None:
        return None
    kind = "image" if reply.kind == ReplyKind.PHOTO else "document"
    return Media(kind, reply.file, reply.filename or f"{kind}.bin", caption)


def _fits_buttons(buttons: Sequence[Button]) -> bool:
    titles = [b.label.strip() for b in buttons]
    return (
        len(buttons) <= limits.BUTTONS_MAX
        and all(0 < len(t) <= limits.BUTTON_TITLE_MAX for t in titles)
        and len(set(titles)) == len(titles)
        and len({b.payload for b in buttons}) == len(buttons)
    )


def _button_action(buttons: Sequence[Button]) -> dict[str, Any]:
    return {
        "buttons": [
            {"type": "reply", "reply": {"id": b.payload, "title": b.label.strip()}} for b in buttons
        ]
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _list_action(buttons: Sequence[Button], ui: UiTexts) -> dict[str, Any] | None:
    """A one-section list, or None when the buttons cannot be shown as one."""
    labels = [b.label.strip() for b in buttons]
    if len(buttons) > limits.LIST_ROWS_MAX or not all(labels):
        return None
    if len({b.payload for b in buttons}) != len(buttons):
        return None
    rows = []
    for button, label in zip(buttons, labels, strict=True):
        row = {"id": button.payload, "title": _clip(label, limits.ROW_TITLE_MAX)}
        if len(label) > limits.ROW_TITLE_MAX:
            row["description"] = _clip(label, limits.ROW_DESCRIPTION_MAX)
        rows.append(row)
    if len({r["title"] for r in rows}) != len(rows):
        return None  # clipped titles would look alike
    return {
        "button": _clip(ui.list_button.strip(), limits.LIST_BUTTON_MAX),
        "sections": [{"rows": rows}],
    }


def _interactive(
    text: str, body_max: int, action: dict[str, Any], ui: UiTexts, buttons: Sequence[Button]
) -> Rendered:
    """Text too long for the interactive body goes first as plain messages."""
    chunks = split_text(text)
    body = chunks.pop() if chunks and len(chunks[-1]) <= body_max else None
    if body is None:
        chunks = split_text(text)
        body = ui.choose
    kind = "button" if "buttons" in action else "list"
    message = {
        "type": "interactive",
        "interactive": {"type": kind, "body": {"text": body}, "action": action},
    }
    return Rendered([text_message(c) for c in chunks] + [message], tuple(buttons))
