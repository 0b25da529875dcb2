"""Telegram updates in the Bot API's real shapes, built from the JSON fixtures in tests/data/telegram."""

from __future__ import annotations

import copy
import json
import time
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "telegram"


@cache
def _fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of `tests/data/telegram/<name>.json` (an Update object)."""
    return copy.deepcopy(_fixture(name))


def user(user_id: int, first_name: str = "Sari", language_code: str | None = "id") -> dict:
    """A Bot API User object for a person."""
    found: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        found["language_code"] = language_code
    return found


def _private_chat(sender: dict) -> dict:
    return {"id": sender["id"], "first_name": sender["first_name"], "type": "private"}


def _as_user(sender: dict | int) -> dict:
    return sender if isinstance(sender, dict) else user(sender)


def message(name: str, sender: dict | int, message_id: int, **fields: Any) -> dict:
    """Update `name` (a fixture holding a `message`) re-addressed from `sender`, with `fields` set."""
    update = fixture(name)
    sender = _as_user(sender)
    msg = update["message"]
    msg.update({"message_id": message_id, "from": sender, "chat": _private_chat(sender)})
    msg["date"] = int(time.time())
    msg.update(fields)
    return update


def text(sender: dict | int, body: str, message_id: int) -> dict:
    """A text message; `/command` text carries its bot_command entity as Telegram sends it."""
    update = message("message_text", sender, message_id, text=body)
    if body.startswith("/"):
        length = len(body.split()[0].encode("utf-16-le")) // 2
        update["message"]["entities"] = [{"offset": 0, "length": length, "type": "bot_command"}]
    return update


def contact(sender: dict | int, phone: str, message_id: int, own: bool = True) -> dict:
    """A shared contact: the sender's own (user_id equals theirs) or somebody else's."""
    update = message("message_contact", sender, message_id)
    sender = update["message"]["from"]
    card = update["message"]["contact"]
    card["phone_number"] = phone
    card["first_name"] = sender["first_name"]
    if own:
        card["user_id"] = sender["id"]
    else:
        card["user_id"] = sender["id"] + 1
    return update


def callback(sender: dict | int, bot_message: dict, data: str, query_id: str) -> dict:
    """A button press on `bot_message` (a Message the bot sent) carrying `data`."""
    update = fixture("callback_query")
    sender = _as_user(sender)
    query = update["callback_query"]
    query.update({"id": query_id, "from": sender, "message": copy.deepcopy(bot_message)})
    query["data"] = data
    return update
