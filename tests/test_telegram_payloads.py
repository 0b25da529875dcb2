"""Real-world Telegram updates through the webhook: inline buttons, blocking, service messages.

Fixtures in tests/data/telegram/ in the Bot API's shapes. Each update is posted with the secret;
the test waits until the inbox is empty (the update was handled) and looks at what was called.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from channels.telegram.app import ALLOWED_UPDATES
from tests.fakes.telegram_api import FakeBotApi
from tests.test_telegram_webhook import SECRET, webhook  # noqa: F401 -- the fixture
from tests.test_webhook_hardening import _inbox_empty

DATA = Path(__file__).parent / "data" / "telegram"
JANE = 123456789


def update(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text())


async def _post(client, deps, name: str) -> None:
    response = await client.post("/telegram/webhook", json=update(name),
                                 headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 200
    await _inbox_empty(deps)


def _sent(api: FakeBotApi) -> list:
    return [c for c in api.calls if c.method.startswith(("send", "edit"))]


async def test_a_button_of_an_inline_message_is_answered_as_a_callback_never_to_chat_0(
    webhook, telegram_api: FakeBotApi, telegram_deps  # noqa: F811
):
    client, _ = webhook
    await _post(client, telegram_deps, "callback_query_inline")
    [answer] = telegram_api.calls_to("answerCallbackQuery")
    assert answer.params["callback_query_id"] == "4382bfdwdsf99"
    assert "buka chat dengan bot ini" in answer.params["text"]
    assert _sent(telegram_api) == []
    assert await telegram_deps.storage.users.get("telegram", str(JANE)) is None  # not handled


async def test_blocking_and_unblocking_are_learned_from_my_chat_member(
    webhook, telegram_api: FakeBotApi, telegram_deps  # noqa: F811
):
    client, _ = webhook
    users = telegram_deps.storage.users
    await users.touch("telegram", str(JANE), "Jane")
    await _post(client, telegram_deps, "my_chat_member_kicked")
    assert (await users.get("telegram", str(JANE))).blocked
    await _post(client, telegram_deps, "my_chat_member_member")
    assert not (await users.get("telegram", str(JANE))).blocked
    assert _sent(telegram_api) == []


def test_my_chat_member_is_subscribed_to():
    assert "my_chat_member" in ALLOWED_UPDATES


@pytest.mark.parametrize("name", ["message_pinned", "message_auto_delete_timer"])
async def test_service_messages_in_a_private_chat_get_no_answer(
    webhook, telegram_api: FakeBotApi, telegram_deps, name  # noqa: F811
):
    client, _ = webhook
    await _post(client, telegram_deps, name)
    await _post(client, telegram_deps, "message_text")  # a real message after it is answered
    assert [c.chat_id for c in _sent(telegram_api)] == [JANE]
