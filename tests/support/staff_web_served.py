"""The workspace served as `bot.py serve` serves it, for the browser tests: Telegram webhooks
(the Bot API being the stand-in), the staff pages and the outbox worker; signing in; pages."""

from __future__ import annotations

import pytest

from channels.staff_web import staff_web_part
from channels.telegram.webhook import telegram_web_part
from handlers import Assistant
from tests.fakes.asgi import serving
from tests.fakes.telegram_api import FakeBotApi
from tests.support.browser import DESK
from tests.support.chat import Chat
from tests.support.staff_web import LINK
from wiring.deps import open_deps
from wiring.lifecycle import broadcast_part
from wiring.web import build_app

WEBHOOK_SECRET = "test-webhook-secret_123"


@pytest.fixture
async def served(make_settings, telegram_api: FakeBotApi):
    """`serve` as in production: Telegram webhooks, the workspace and the broadcast worker,
    the Bot API being the stand-in; yields (deps, base URL)."""
    settings = make_settings(
        ADMIN_IDS="telegram:9000", STAFF_WEB="1", PUBLIC_URL="https://umkm.example.go.id",
        TELEGRAM_BOT_TOKEN=telegram_api.token, TELEGRAM_API_URL=telegram_api.base_url,
        TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET, BROADCAST_RATE="4",
    )
    deps = await open_deps(settings)
    assistant = Assistant(deps)
    parts = [telegram_web_part(assistant), staff_web_part(assistant), broadcast_part(deps)]
    try:
        async with serving(build_app(deps, parts)) as base_url:
            yield deps, base_url
    finally:
        await deps.storage.close()


async def sign_in_link(deps, base_url: str, user_id: str = "9000", lang: str = "en",
                       name: str = "Rina") -> str:
    """Ask for a link in the chat, as the staff member does; the link on the test server."""
    chat = Chat(Assistant(deps), user_id, language_hint=lang, display_name=name)
    await chat.send(f"/language {lang}")
    await chat.send("/login")
    return base_url + "/staff/masuk/" + LINK.search(chat.text)[1]


async def new_page(browser, viewport=DESK):
    context = await browser.new_context(viewport=viewport, locale="en-GB")
    page = await context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a script ran: {dialog.message}"))
    return page
