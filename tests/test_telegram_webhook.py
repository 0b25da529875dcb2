"""Webhook mode: the shared web server checks the secret, refuses malformed bodies, answers."""

from __future__ import annotations

import json

import httpx
import pytest

from channels.telegram.webhook import SECRET_HEADER, telegram_web_part
from handlers import Assistant
from tests.fakes.asgi import serving
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_updates import text, user
from wiring.web import build_app

SECRET = "test-webhook-secret_123"  # as set by the telegram_deps fixture
SARI = user(1001, "Sari", "id")


@pytest.fixture
async def webhook(telegram_api: FakeBotApi, telegram_deps):
    """The web server with the Telegram part, and an HTTP client for it."""
    part = telegram_web_part(Assistant(telegram_deps))
    async with serving(build_app(telegram_deps, [part])) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as client:
            yield client, part


def _update(update_id: int, body: str) -> dict:
    return {**text(SARI, body, 1), "update_id": update_id}


async def test_right_secret_is_processed(webhook, telegram_api: FakeBotApi) -> None:
    client, _ = webhook
    response = await client.post(
        "/telegram/webhook", json=_update(1, "/start"), headers={SECRET_HEADER: SECRET}
    )
    assert response.status_code == 200
    [reply] = await telegram_api.wait_for_messages(1001, 1)
    assert reply["text"].startswith("Halo Sari")
    assert telegram_api.calls_to("setMyCommands")  # the menu is published in webhook mode too
    assert not telegram_api.calls_to("getUpdates")


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}])
async def test_wrong_or_missing_secret_is_refused(
    webhook, telegram_api: FakeBotApi, headers: dict
) -> None:
    client, _ = webhook
    forged = await client.post("/telegram/webhook", json=_update(1, "/start"), headers=headers)
    assert forged.status_code == 403
    # A real update from the same chat afterwards: it is answered, and it is the only answer.
    real = await client.post(
        "/telegram/webhook", json=_update(2, "/help"), headers={SECRET_HEADER: SECRET}
    )
    assert real.status_code == 200
    await telegram_api.wait_for_messages(1001, 1)
    assert len(telegram_api.calls_to("sendMessage", 1001)) == 1
    assert not telegram_api.texts(1001)[0].startswith("Halo")


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": "x"}', b""]
)
async def test_malformed_body_is_400(webhook, body: bytes) -> None:
    client, _ = webhook
    response = await client.post(
        "/telegram/webhook",
        content=body,
        headers={SECRET_HEADER: SECRET, "content-type": "application/json"},
    )
    assert response.status_code == 400


async def test_oversized_body_is_refused_unread(webhook) -> None:
    client, _ = webhook
    response = await client.post(
        "/telegram/webhook", content=b"{" + b" " * 1_100_000 + b"}", headers={SECRET_HEADER: SECRET}
    )
    assert response.status_code == 413


async def test_healthz_reports_database_knowledge_version(webhook, telegram_deps) -> None:
    client, _ = webhook
    response = await client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["knowledge"] == "ok" and body["version"]
    await telegram_deps.storage.close()
    down = await client.get("/healthz")
    assert down.status_code == 503 and down.json()["database"].startswith("error")


async def test_public_url_sets_the_webhook_with_secret(
    telegram_api: FakeBotApi, make_settings
) -> None:
    from wiring.deps import open_deps

    settings = make_settings(
        TELEGRAM_BOT_TOKEN=telegram_api.token,
        TELEGRAM_API_URL=telegram_api.base_url,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        PUBLIC_URL="https://bot.example.id/",
    )
    deps = await open_deps(settings)
    try:
        part = telegram_web_part(Assistant(deps))
        async with serving(build_app(deps, [part])):
            assert telegram_api.webhook == {
                "url": "https://bot.example.id/telegram/webhook",
                "secret_token": SECRET,
            }
    finally:
        await deps.storage.close()
    assert json.loads(json.dumps(telegram_api.calls_to("setWebhook")[0].params))[
        "allowed_updates"
    ] == ["message", "callback_query", "my_chat_member"]
