"""Talk to a person end to end: one process with the real PTB bot polling the stand-in Bot API,
the real web server with the WhatsApp webhook (Graph stand-in), and the outbox worker, all over
one database, as `bot.py serve` runs them (the `both` fixture, via tests/whatsapp/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from channels.whatsapp import whatsapp_web_part
from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from tests.fakes.asgi import serving
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_bot import BotUnderTest, running_bot
from tests.support.whatsapp import WhatsAppServer
from wiring.deps import open_deps
from wiring.web import build_app

TG_AGENT, WA_AGENT = 9000, "6281200000001"  # ADMIN_IDS: admins are agents
FAST = {"rate": 50, "poll": 0.05, "chat_gap": 0, "retry_base": 0.05, "progress_every": 0.2}


@dataclass
class Both:
    tg: BotUnderTest
    api: FakeBotApi
    wa: WhatsAppServer
    graph: FakeGraphApi

    @property
    def deps(self):
        return self.wa.deps

    def wa_texts(self, wa_id: str) -> list[str]:
        """What WhatsApp user `wa_id` received: texts, button bodies and template parameters."""
        return [wa_text(m) for m in self.graph.sent_to(wa_id)]

    async def wa_until(self, wa_id: str, part: str) -> str:
        """The first message to `wa_id` containing `part`, once it has arrived."""
        await self.graph.wait_for(lambda: any(part in t for t in self.wa_texts(wa_id)), 30)
        return next(t for t in self.wa_texts(wa_id) if part in t)

    async def tg_until(self, chat_id: int, part: str) -> dict:
        """The first message to Telegram chat `chat_id` containing `part`, once it is there."""
        def found():
            return next((m for m in self.api.sent_to(chat_id)
                         if part in m.get("text", m.get("caption", ""))), None)  # fmt: skip

        await self.api.wait_until(lambda: found() is not None, 30)
        return found()


def wa_text(message: dict) -> str:
    kind = message["type"]
    if kind == "text":
        return message["text"]["body"]
    if kind == "interactive":
        return message["interactive"]["body"]["text"] + " " + json.dumps(message["interactive"])
    if kind == "template":
        return "TEMPLATE " + message["template"]["components"][0]["parameters"][0]["text"]
    return json.dumps(message)


@pytest.fixture
async def both(make_settings, wa_env, graph, telegram_api) -> AsyncIterator[Both]:
    settings = make_settings(
        **{**wa_env, "ADMIN_IDS": f"telegram:{TG_AGENT},whatsapp:{WA_AGENT}"},
        WHATSAPP_API_URL=graph.url,
        TELEGRAM_BOT_TOKEN=telegram_api.token,
        TELEGRAM_API_URL=telegram_api.base_url,
    )
    deps = await open_deps(settings)
    assistant = Assistant(deps)
    part = whatsapp_web_part(assistant)
    channel = part.on_startup[0].__self__
    try:
        async with (
            serving(build_app(deps, [part])) as url,
            running_bot(telegram_api, assistant) as tg,
            BroadcastWorker(deps, **FAST),
        ):
            server = WhatsAppServer(url, channel, graph)
            yield Both(tg, telegram_api, server, graph)
            await server.http.aclose()
    finally:
        await deps.storage.close()


