"""The stand-in Bot API answers like Telegram: shapes, long polling, faults, blocking."""

from __future__ import annotations

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from tests.fakes.telegram_api import FakeBotApi


@pytest.fixture
async def bot(telegram_api: FakeBotApi):
    async with Bot(telegram_api.token, base_url=telegram_api.base_url) as bot:
        yield bot


async def test_send_edit_and_document_shapes(bot: Bot, telegram_api: FakeBotApi) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="x:1")]])
    sent = await bot.send_message(5, "hi <b>", reply_markup=keyboard)
    assert sent.text == "hi <b>" and sent.reply_markup == keyboard and sent.chat.id == 5
    await bot.edit_message_reply_markup(5, sent.message_id, reply_markup=None)
    assert "reply_markup" not in telegram_api.sent_to(5)[0]
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(5, sent.message_id, reply_markup=None)
    doc = await bot.send_document(5, b"abc", filename="x.xlsx", caption="cap")
    assert doc.document.file_name == "x.xlsx" and telegram_api.sent_to(5)[1]["_file"] == b"abc"
    assert telegram_api.texts(5) == ["hi <b>", "cap"]


async def test_refuses_what_telegram_refuses(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(5, "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="x" * 65)]])
        await bot.send_message(5, "x", reply_markup=keyboard)


async def test_commands_recorded_per_language(bot: Bot, telegram_api: FakeBotApi) -> None:
    await bot.set_my_commands([BotCommand("start", "mulai")], language_code="id")
    assert telegram_api.commands[("default", "id")] == [
        {"command": "start", "description": "mulai"}
    ]


async def test_faults_and_blocking(bot: Bot, telegram_api: FakeBotApi) -> None:
    telegram_api.fail_next("sendMessage", 429, retry_after=2)
    with pytest.raises(RetryAfter):
        await bot.send_message(5, "x")
    telegram_api.block(6)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(6, "x")
    telegram_api.drop_next("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(5, "x")
    telegram_api.fail_next("sendMessage", 500)
    with pytest.raises(NetworkError):
        await bot.send_message(5, "x")
    assert (await bot.send_message(5, "ok")).text == "ok"


async def test_long_polling_with_offset(bot: Bot, telegram_api: FakeBotApi) -> None:
    first = telegram_api.send_text(5, "/start")
    [update] = await bot.get_updates(timeout=1)
    assert update.update_id == first and update.message.text == "/start"
    assert update.message.entities[0].type == "bot_command"
    assert await bot.get_updates(offset=first + 1, timeout=0) == ()
    assert telegram_api.delivered(first)


async def test_stop_refuses_then_restart_on_same_port(bot: Bot, telegram_api: FakeBotApi) -> None:
    port = telegram_api.port
    await telegram_api.stop()
    with pytest.raises(NetworkError):
        await bot.send_message(5, "x")
    await telegram_api.start()
    assert telegram_api.port == port
    assert (await bot.send_message(5, "back")).text == "back"
