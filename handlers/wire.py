"""Replies as JSON, for whatever stores them before sending (inbox, outbox)."""

from __future__ import annotations

import base64
import dataclasses
import json
import weakref

from handlers.types import Attachment, Button, Reply, ReplyKind


def replies_to_json(replies: list[Reply]) -> str:
    """Replies as JSON (file bytes in base64); `replies_from_json` gives them back equal."""
    return f"[{', '.join(map(_reply_json, replies))}]"


def replies_from_json(text: str) -> list[Reply]:
    """The replies stored by `replies_to_json`."""
    return [_reply(item) for item in json.loads(text)]


def answer_to_json(replies: list[Reply], language: str | None = None) -> str:
    """Replies and the language they are in (the inbox keeps both until they are delivered)."""
    items = ", ".join(map(_reply_json, replies))
    return f'{{"language": {json.dumps(language)}, "replies": [{items}]}}'


def answer_from_json(text: str) -> tuple[list[Reply], str | None]:
    """What `answer_to_json` stored; a bare list (`replies_to_json`) has no language."""
    data = json.loads(text)
    if isinstance(data, list):
        return [_reply(item) for item in data], None
    return [_reply(item) for item in data["replies"]], data.get("language")


# Replies without bytes as JSON, for as long as the Reply itself lives: a FAQ answer is the same
# Reply for everyone who asks that day (Faq.made_today), and the inbox stores each message's
# replies. A reply made for one user (their data, a form's summary) is gone with its message.
KEPT: weakref.WeakKeyDictionary[Reply, str] = weakref.WeakKeyDictionary()


def _reply_json(reply: Reply) -> str:
    if reply.file is not None:  # bytes: never kept
        return json.dumps(_reply_dict(reply), ensure_ascii=False)
    try:
        return KEPT[reply]
    except KeyError:
        made = KEPT[reply] = json.dumps(_reply_dict(reply), ensure_ascii=False)
        return made


def _reply_dict(reply: Reply) -> dict:
    attachment = reply.attachment
    return {
        "text": reply.text,
        "buttons": [[button.label, button.payload] for button in reply.buttons],
        "kind": reply.kind.value,
        "file": None if reply.file is None else base64.b64encode(reply.file).decode("ascii"),
        "filename": reply.filename,
        "attachment": None if attachment is None else dataclasses.asdict(attachment),
    }


def _reply(item: dict) -> Reply:
    file, attachment = item.get("file"), item.get("attachment")
    return Reply(
        text=item["text"],
        buttons=tuple(Button(label, payload) for label, payload in item.get("buttons", [])),
        kind=ReplyKind(item.get("kind", ReplyKind.TEXT.value)),
        file=None if file is None else base64.b64decode(file),
        filename=item.get("filename"),
        attachment=None if attachment is None else Attachment(**attachment),
    )
