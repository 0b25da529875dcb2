"""WhatsApp test fixtures (a plugin of tests/conftest.py): the stand-in Graph API and the real
web server on 127.0.0.1, with helpers to build signed notifications."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from channels.whatsapp import WhatsAppChannel, whatsapp_web_part
from channels.whatsapp.signature import sign
from handlers import Assistant
from tests.fakes import graph_api
from tests.fakes.asgi import serving as serve
from tests.fakes.graph_api import FakeGraphApi
from wiring.deps import open_deps
from wiring.web import build_app

APP_SECRET = "wa-app-secret-for-tests"
VERIFY_TOKEN = "wa-verify-token"
DATA = Path(__file__).resolve().parents[1] / "data" / "whatsapp"
_ids = itertools.count(1)


def fixture(name: str) -> dict:
    """A recorded notification from tests/data/whatsapp/."""
    return json.loads((DATA / f"{name}.json").read_text())


def notification(value: dict[str, Any]) -> dict:
    """A notification around one change value (Meta's envelope)."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": graph_api.PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def message(wa_id: str, kind: str, content: dict, name: str = "Sari") -> dict:
    """A user message notification with a fresh id and the current time."""
    raw = {
        "from": wa_id,
        "id": f"wamid.TEST{next(_ids):08d}",
        "timestamp": str(int(time.time())),
        "type": kind,
        kind: content,
    }
    return notification(
        {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [raw]}
    )


def status(wamid: str, wa_id: str, state: str, error_code: int | None = None) -> dict:
    raw: dict[str, Any] = {
        "id": wamid,
        "status": state,
        "timestamp": str(int(time.time())),
        "recipient_id": wa_id,
    }
    if error_code is not None:
        raw["errors"] = [{"code": error_code, "title": "error", "message": "error"}]
    return notification({"statuses": [raw]})


@pytest.fixture
def wa_env() -> dict[str, str]:
    return {
        "WHATSAPP_TOKEN": graph_api.TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": graph_api.PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "ADMIN_IDS": "whatsapp:6281200000001",
    }


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphApi]:
    """The stand-in Graph API, listening on 127.0.0.1."""
    fake = FakeGraphApi()
    async with serve(fake.app, lifespan="off") as url:
        fake.url = f"{url}/{graph_api.VERSION}"
        yield fake


class WhatsAppServer:
    """The real web server with the WhatsApp routes, and a way to post signed webhooks."""

    def __init__(self, url: str, channel: WhatsAppChannel, graph: FakeGraphApi) -> None:
        self.url, self.channel, self.graph = url, channel, graph
        self.http = httpx.AsyncClient(base_url=url)
        self.deps = channel.deps

    async def post(self, data: dict | bytes, secret: str | None = APP_SECRET, **headers):
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        if secret is not None:
            headers.setdefault("X-Hub-Signature-256", sign(secret, body))
        headers["Content-Type"] = "application/json"
        return await self.http.post("/whatsapp/webhook", content=body, headers=headers)

    async def exchange(self, data: dict, wa_id: str) -> list[dict]:
        """Post a user message and return the messages the bot sent back (wait for them)."""
        before = len(self.graph.sent_to(wa_id))
        response = await self.post(data)
        assert response.status_code == 200, response.text
        await self.channel.webhook.drain()
        return self.graph.sent_to(wa_id)[before:]

    async def text(self, wa_id: str, body: str) -> list[dict]:
        return await self.exchange(message(wa_id, "text", {"body": body}), wa_id)

    async def press(self, wa_id: str, reply_id: str, title: str = "x", kind: str = "button_reply"):
        content = {"type": kind, kind: {"id": reply_id, "title": title}}
        return await self.exchange(message(wa_id, "interactive", content), wa_id)


@pytest.fixture
async def wa_server(make_settings, wa_env, graph) -> AsyncIterator[WhatsAppServer]:
    settings = make_settings(**wa_env, WHATSAPP_API_URL=graph.url)
    deps = await open_deps(settings)
    part = whatsapp_web_part(Assistant(deps))
    assert part is not None
    channel = part.on_startup[0].__self__  # the WhatsAppChannel behind the part
    try:
        async with serve(build_app(deps, [part])) as url:  # the `bot.py serve` app
            server = WhatsAppServer(url, channel, graph)
            yield server
            await server.http.aclose()
    finally:
        await deps.storage.close()
