"""Bot API calls go as one JSON body (files as multipart), with PTB's timeouts and errors."""

from __future__ import annotations

import socket

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from channels.telegram.inbox import InboxBot
from channels.telegram.render import inline_keyboard
from channels.telegram.request import JsonRequest
from handlers.types import Button
from tests.fakes.telegram_api import FakeBotApi

TEXT = 'Syarat NIB: KTP & NPWP — "mudah", 100% daring? <b>ya</b> 🌶 a=1&b=2+3'


def _bot(base_url: str, token: str, **timeouts) -> Bot:
    return Bot(token, base_url=base_url, request=JsonRequest(**timeouts))


async def test_a_message_and_its_keyboard_arrive_as_json(telegram_api: FakeBotApi) -> None:
    buttons = (Button("Daftar", "reg:start"), Button("Syarat ekspor ke Malaysia", "faq:ekspor"))
    keyboard = inline_keyboard(buttons)
    async with _bot(telegram_api.base_url, telegram_api.token) as bot:
        sent = await bot.send_message(5, TEXT, reply_markup=keyboard)
        again = await bot.send_message(5, "lagi", reply_markup=keyboard)  # the cached dict
    call, second = telegram_api.calls_to("sendMessage")
    assert call.content_type == "application/json" and call.params["chat_id"] == 5
    assert call.params["text"] == TEXT and sent.text == TEXT
    rows = call.params["reply_markup"]["inline_keyboard"]
    assert rows == [[{"text": "Daftar", "callback_data": "reg:start"}],
                    [{"text": "Syarat ekspor ke Malaysia", "callback_data": "faq:ekspor"}]]  # fmt: skip
    assert second.params["reply_markup"] == call.params["reply_markup"]
    assert sent.reply_markup == again.reply_markup == keyboard


async def test_a_file_still_goes_as_multipart(telegram_api: FakeBotApi) -> None:
    async with _bot(telegram_api.base_url, telegram_api.token) as bot:
        await bot.send_document(5, b"abc", filename="data.xlsx", caption=TEXT)
    call = telegram_api.uploads("sendDocument")[0]
    assert call.content_type.startswith("multipart/form-data")
    assert call.files["document"] == ("data.xlsx", b"abc") and call.params["caption"] == TEXT


async def test_timeouts_and_errors_are_ptbs(telegram_api: FakeBotApi) -> None:
    telegram_api.slow_next("sendMessage", 2.0, times=2)
    async with _bot(telegram_api.base_url, telegram_api.token, read_timeout=0.2) as bot:
        with pytest.raises(TimedOut):  # the request's own read timeout
            await bot.send_message(5, "lambat")
    async with _bot(telegram_api.base_url, telegram_api.token, read_timeout=30.0) as bot:
        with pytest.raises(TimedOut):  # a call's timeout wins over the request's
            await bot.send_message(5, "lambat", read_timeout=0.2)
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    bot = _bot(f"http://127.0.0.1:{port}/bot", telegram_api.token)
    with pytest.raises(NetworkError, match="httpx.ConnectError"):
        await bot.send_message(5, "halo")
    await bot.request.shutdown()


async def test_the_inbox_bot_reads_back_only_the_id_of_a_text_it_sent(telegram_api: FakeBotApi) -> None:
    keyboard = inline_keyboard((Button("Daftar", "reg:start"),))
    bot = InboxBot(telegram_api.token, base_url=telegram_api.base_url, request=JsonRequest(),
                   pipeline=None)  # fmt: skip
    async with bot:
        sent = await bot.send_message(5, TEXT, reply_markup=keyboard)
    (call,) = telegram_api.calls_to("sendMessage")
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "reg:start"
    # Telegram answers with the whole message; only its id is ever used (an edit's target)
    assert sent.message_id > 0 and sent.chat.id == 5
    assert sent.text is None and sent.reply_markup is None and sent.from_user is None
