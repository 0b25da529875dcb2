"""Replies drawn on Telegram, and updates read from it, against the stand-in's real shapes."""

from __future__ import annotations

import pytest
from telegram import Bot, Update

from channels.telegram.incoming import to_incoming
from channels.telegram.render import ChatKeyboards, Renderer, inline_keyboard
from channels.telegram.retry import policy
from handlers.types import Button, Reply, ReplyKind
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_updates import callback, contact, fixture, message, text, user


@pytest.fixture
async def renderer(telegram_api: FakeBotApi):
    async with Bot(telegram_api.token, base_url=telegram_api.base_url) as bot:
        yield Renderer(bot, lambda lang: f"share ({lang})", policy(), ChatKeyboards())


def _update(data: dict) -> Update:
    return Update.de_json(data, None)


def test_updates_become_incoming() -> None:
    sari = user(1001, "Sari", "en-GB")
    command = to_incoming(_update(text(sari, "/daftar now", 1)))
    assert (command.command, command.args, command.language_hint) == ("daftar", "now", "en-GB")
    assert to_incoming(_update(text(sari, "halo <b>", 2))).text == "halo <b>"
    bot_message = fixture("callback_query")["callback_query"]["message"]
    press = to_incoming(_update(callback(sari, bot_message, "lang:en", "q1")))
    assert press.payload == "lang:en" and press.user_id == "1001"
    own = to_incoming(_update(contact(sari, "6281234567890", 3)))
    assert (own.contact_phone, own.contact_is_own) == ("+6281234567890", True)
    other = to_incoming(_update(contact(sari, "+60123456789", 4, own=False)))
    assert (other.contact_phone, other.contact_is_own) == ("+60123456789", False)
    for name, kind in [("message_photo", "photo"), ("message_sticker", "sticker"),
                       ("message_voice", "voice"), ("message_location", "location")]:  # fmt: skip
        assert to_incoming(_update(message(name, sari, 5))).unsupported == kind
    assert to_incoming(_update(fixture("edited_message"))) is None
    group = text(sari, "/start", 6)
    group["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "UMKM"}
    assert to_incoming(_update(group)) is None


def test_typed_label_of_a_reply_keyboard_is_a_press() -> None:
    update = _update(text(user(1001), "⬅ Kembali", 1))
    assert to_incoming(update, {"⬅ Kembali": "reg:back"}).payload == "reg:back"
    assert to_incoming(update, {}).text == "⬅ Kembali"


def test_keyboard_layout_keeps_long_labels_whole() -> None:
    buttons = (Button("Ya", "a:1"), Button("Tidak", "a:2"), Button("x" * 40, "a:3"))
    rows = inline_keyboard(buttons).inline_keyboard
    assert [[b.text for b in row] for row in rows] == [["Ya", "Tidak"], ["x" * 40]]


async def test_contact_keyboard_then_removed(renderer: Renderer, telegram_api: FakeBotApi) -> None:
    ask = Reply("Nomor HP?", (Button("⬅ Kembali", "reg:back"),), ReplyKind.ASK_CONTACT)
    await renderer.send(1001, [ask], "id")
    markup = telegram_api.calls_to("sendMessage")[-1].params["reply_markup"]
    assert markup["keyboard"][0][0] == {"text": "share (id)", "request_contact": True}
    assert markup["keyboard"][1][0]["text"] == "⬅ Kembali" and markup["one_time_keyboard"]
    assert renderer.keyboards.take_labels(1001) == {"⬅ Kembali": "reg:back"}
    await renderer.send(1001, [Reply("Email?", (Button("Lewati", "reg:skip"),))], "id")
    assert "inline_keyboard" in telegram_api.calls_to("sendMessage")[-1].params["reply_markup"]
    await renderer.send(1001, [Reply("Terima kasih")], "id")
    assert telegram_api.calls_to("sendMessage")[-1].params["reply_markup"] == {
        "remove_keyboard": True
    }
    await renderer.send(1001, [Reply("Lagi")], "id")
    assert "reply_markup" not in telegram_api.calls_to("sendMessage")[-1].params


async def test_long_text_split_with_buttons_on_last_part(
    renderer: Renderer, telegram_api: FakeBotApi
) -> None:
    body = "\n\n".join(f"Bagian {i}. " + "isi " * 300 for i in range(8))
    await renderer.send(1001, [Reply(body, (Button("Menu", "menu:help"),))], "id")
    calls = telegram_api.calls_to("sendMessage")
    assert len(calls) > 1
    assert all("reply_markup" not in c.params for c in calls[:-1])
    assert "inline_keyboard" in calls[-1].params["reply_markup"]
    assert all(c.params["text"].startswith("Bagian") for c in calls)


async def test_documents_and_photos(renderer: Renderer, telegram_api: FakeBotApi) -> None:
    xlsx = Reply("Ekspor", kind=ReplyKind.DOCUMENT, file=b"PK\x03\x04data", filename="umkm.xlsx")
    png = Reply("Grafik", kind=ReplyKind.PHOTO, file=b"\x89PNG\r\n", filename="chart.png")
    await renderer.send(9000, [xlsx, png], "id")
    [document] = telegram_api.calls_to("sendDocument")
    assert document.files["document"] == ("umkm.xlsx", b"PK\x03\x04data")
    assert document.params["caption"] == "Ekspor"
    [photo] = telegram_api.calls_to("sendPhoto")
    assert photo.files["photo"][1] == b"\x89PNG\r\n" and photo.params["caption"] == "Grafik"


async def test_user_text_is_never_markup(renderer: Renderer, telegram_api: FakeBotApi) -> None:
    await renderer.send(1001, [Reply("Kopi <b>Sari</b> *bold* _x_ [a](b)")], "id")
    params = telegram_api.calls_to("sendMessage")[-1].params
    assert params["text"] == "Kopi <b>Sari</b> *bold* _x_ [a](b)" and "parse_mode" not in params
