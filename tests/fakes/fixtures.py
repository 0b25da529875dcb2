"""Pytest fixtures for the stand-in platforms (loaded from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.telegram_api import FakeBotApi


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeBotApi]:
    """A stand-in Bot API listening on 127.0.0.1 for this test."""
    async with FakeBotApi() as api:
        yield api
