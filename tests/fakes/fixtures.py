"""Pytest fixtures for the stand-in platforms (loaded from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from handlers import Assistant, Deps
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_bot import BotUnderTest, running_bot
from wiring.deps import open_deps


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeBotApi]:
    """A stand-in Bot API listening on 127.0.0.1 for this test."""
    async with FakeBotApi() as api:
        yield api


@pytest.fixture
async def telegram_deps(make_settings, telegram_api: FakeBotApi) -> AsyncIterator[Deps]:
    """Deps whose settings point the bot at the stand-in (ADMIN_IDS=telegram:9000)."""
    settings = make_settings(
        ADMIN_IDS="telegram:9000",
        TELEGRAM_BOT_TOKEN=telegram_api.token,
        TELEGRAM_API_URL=telegram_api.base_url,
        TELEGRAM_WEBHOOK_SECRET="test-webhook-secret_123",
    )
    deps = await open_deps(settings)
    yield deps
    await deps.storage.close()


@pytest.fixture
async def telegram_bot(
    telegram_api: FakeBotApi, telegram_deps: Deps
) -> AsyncIterator[BotUnderTest]:
    """The real PTB bot, long polling the stand-in: `await telegram_bot.send(1001, "/start")`."""
    async with running_bot(telegram_api, Assistant(telegram_deps)) as bot:
        yield bot
