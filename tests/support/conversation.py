"""One conversation client for every channel: `await c.send("/start")`, `await c.press(payload)`.

Each client drives the real channel code and reads back what the platform received:
- ConsoleConversation: the console channel (ConsoleChat), buttons chosen by their number;
- TelegramConversation: the PTB Application polling the stand-in Bot API (tests/fakes/);
- WhatsAppConversation: the `serve` web app taking signed webhooks, sending to the stand-in
  Graph API; a press is a button or list reply, or the option's number where the channel
  showed numbered text.
After each call, `text` holds what the user was shown and `payloads` the buttons offered.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from channels.console import ConsoleChat
from handlers import Assistant
from tests.fakes.telegram_bot import BotUnderTest
from tests.fakes.telegram_updates import user as telegram_user


@dataclass
class Shown:
    """What one exchange showed the user: the texts, and the payloads of the buttons offered."""

    texts: list[str] = field(default_factory=list)
    payloads: list[str] = field(default_factory=list)


class Conversation:
    """Base: `send`, `press`, and what the last exchange showed (`text`, `payloads`)."""

    channel = ""

    def __init__(self) -> None:
        self.shown = Shown()

    @property
    def text(self) -> str:
        return "\n".join(self.shown.texts)

    @property
    def payloads(self) -> list[str]:
        return self.shown.payloads

    async def send(self, text: str) -> str:
        """Type `text`; returns what the bot answered."""
        self.shown = await self._send(text)
        return self.text

    async def press(self, payload: str) -> str:
        """Press the offered button carrying `payload` (it must be on screen)."""
        assert payload in self.payloads, f"{self.channel}: {payload!r} not among {self.payloads}"
        self.shown = await self._press(payload)
        return self.text

    async def _send(self, text: str) -> Shown:
        raise NotImplementedError

    async def _press(self, payload: str) -> Shown:
        raise NotImplementedError


class ConsoleConversation(Conversation):
    channel = "console"

    def __init__(self, assistant: Assistant, files: Path, user_id: str = "console-user") -> None:
        super().__init__()
        self.out = io.StringIO()
        self.chat = ConsoleChat(assistant, user_id, self.out, files)

    async def _send(self, text: str) -> Shown:
        start = self.out.tell()
        replies = await self.chat.send(text)
        shown = self.out.getvalue()[start:]  # what the terminal printed
        payloads = [b.payload for r in replies for b in r.buttons]
        return Shown([shown.strip()], payloads)

    async def _press(self, payload: str) -> Shown:
        number = [b.payload for b in self.chat.buttons].index(payload) + 1
        return await self._send(str(number))  # what a console user types


class TelegramConversation(Conversation):
    channel = "telegram"

    def __init__(self, bot: BotUnderTest, chat_id: int = 1001) -> None:
        super().__init__()
        self.bot, self.api = bot, bot.api
        self.user = telegram_user(chat_id, "Sari", "id")

    def _since(self, before: int) -> Shown:
        sent = self.api.sent_to(self.user["id"])
        new = sent[before:] or sent[-1:]  # nothing new: the last message was edited in place
        shown = Shown()
        for message in new:
            shown.texts.append(message.get("text", message.get("caption", "")))
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            shown.payloads += [b["callback_data"] for row in rows for b in row]
        return shown

    async def _send(self, text: str) -> Shown:
        before = len(self.api.sent_to(self.user["id"]))
        await self.bot.send(self.user, text)
        return self._since(before)

    async def _press(self, payload: str) -> Shown:
        before = len(self.api.sent_to(self.user["id"]))
        await self.bot.press(self.user, payload)
        return self._since(before)


class WhatsAppConversation(Conversation):
    channel = "whatsapp"

    def __init__(self, server: Any, wa_id: str = "6281234567890") -> None:
        super().__init__()
        self.server, self.wa_id = server, wa_id
        self.last: list[dict] = []

    def _shown(self, sent: list[dict]) -> Shown:
        self.last = sent
        shown = Shown()
        for message in sent:
            if message["type"] == "text":
                shown.texts.append(message["text"]["body"])
            elif message["type"] == "interactive":
                shown.texts.append(message["interactive"]["body"]["text"])
                shown.payloads += _interactive_ids(message["interactive"])
        return shown

    async def _send(self, text: str) -> Shown:
        shown = self._shown(await self.server.text(self.wa_id, text))
        options = await self.server.deps.storage.whatsapp.options(self.wa_id)
        if options is not None and options.numbered:  # offered as numbered text
            shown.payloads += [payload for _, payload in options.choices]
        return shown

    async def _press(self, payload: str) -> Shown:
        shown_as = [m["interactive"] for m in self.last if m["type"] == "interactive"]
        if shown_as and payload in _interactive_ids(shown_as[-1]):
            kind = "button_reply" if shown_as[-1]["type"] == "button" else "list_reply"
            return self._shown(await self.server.press(self.wa_id, payload, kind=kind))
        options = await self.server.deps.storage.whatsapp.options(self.wa_id)
        number = [p for _, p in options.choices].index(payload) + 1
        return await self._send(str(number))  # numbered text: the user types the number


def _interactive_ids(interactive: dict) -> list[str]:
    if interactive["type"] == "button":
        return [b["reply"]["id"] for b in interactive["action"]["buttons"]]
    return [r["id"] for s in interactive["action"]["sections"] for r in s["rows"]]
