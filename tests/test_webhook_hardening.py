"""Smaller defects: ADMIN_IDS that can never match, Telegram updates posted again."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from settings import SettingsError, load_settings
from tests.fakes.telegram_api import FakeBotApi
from tests.support.inbox_rows import ChannelInbox
from tests.test_telegram_webhook import SECRET, _update, webhook  # noqa: F401 -- the fixture

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("entry", "hint"),
    [("whatsapp:+6281234567890", "no '+'"), ("whatsapp:081234567890", "country code"),
     ("telegram:0123", "without a leading zero"), ("telegram:12a", "is digits")],
)
def test_admin_ids_that_can_never_match_are_refused(entry, hint):
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={"ADMIN_IDS": f"telegram:9000,{entry}"}, env_file=None)
    message = str(caught.value)
    assert message.startswith(f"ADMIN_IDS: entry {entry!r}") and hint in message
    assert "\n" not in message


def test_start_up_stops_with_one_line_naming_the_entry(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "console"], input="", capture_output=True,
        text=True, env={"ADMIN_IDS": "whatsapp:+6281234567890", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "'whatsapp:+6281234567890' can never match" in line


async def _inbox_empty(deps) -> None:
    async with asyncio.timeout(20):
        while await deps.storage.inbox.pending("telegram"):  # noqa: ASYNC110 -- storage poll
            await asyncio.sleep(0.01)


async def test_an_answered_telegram_update_posted_again_is_not_answered_again(
    webhook, telegram_api: FakeBotApi, telegram_deps  # noqa: F811
):
    client, _ = webhook
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    first = await client.post("/telegram/webhook", json=_update(41, "/help"), headers=headers)
    assert first.status_code == 200
    await telegram_api.wait_for_messages(1001, 1)
    await _inbox_empty(telegram_deps)  # answered and gone from the inbox
    again = await client.post("/telegram/webhook", json=_update(41, "/help"), headers=headers)
    assert again.status_code == 200  # acknowledged, so Telegram stops re-sending it
    await client.post("/telegram/webhook", json=_update(42, "/start"), headers=headers)
    await telegram_api.wait_for_messages(1001, 2)
    await _inbox_empty(telegram_deps)
    texts = telegram_api.texts(1001)
    assert len(texts) == 2 and texts[1].startswith("Halo Sari")


async def test_old_update_ids_are_forgotten_after_the_retention_window(telegram_deps):
    from datetime import timedelta

    inbox = ChannelInbox(telegram_deps)
    assert await inbox.add(7, "{}")
    await inbox.done(7)
    assert not await inbox.add(7, "{}")
    await telegram_deps.storage.inbox.prune(telegram_deps.storage.db.now() + timedelta(seconds=1))
    assert await inbox.add(7, "{}")


