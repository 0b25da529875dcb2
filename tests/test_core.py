"""The conversation core: greeting, language, menu, cancel, unknown input."""

from __future__ import annotations

import asyncio

import pytest

from handlers import Incoming
from tests.support.chat import Chat

pytestmark = pytest.mark.both_engines


async def test_start_greets_in_indonesian_and_offers_languages(chat: Chat):
    await chat.send("/start")
    assert "Halo Sari!" in chat.text
    assert chat.labels[:3] == ["Bahasa Indonesia", "English", "Bahasa Melayu"]
    assert "Daftarkan usaha" in chat.labels


async def test_start_follows_the_channel_language_hint(make_chat):
    english = make_chat("2001", language_hint="en-GB")
    await english.send("/start")
    assert "Hello Sari!" in english.text
    malay = make_chat("2002", language_hint="ms")
    await malay.send("/start")
    assert "Helo Sari!" in malay.text


async def test_choosing_a_language_confirms_in_that_language_and_sticks(chat: Chat):
    await chat.send("/start")
    await chat.press("English")
    assert "I will use English" in chat.text
    await chat.send("/help")
    assert "/register" in chat.text
    await chat.send("/bahasa ms")
    assert "Bahasa Melayu" in chat.text
    await chat.send("/nope")
    assert "Saya tidak kenal arahan /nope" in chat.text


async def test_language_command_offers_the_three_languages(chat: Chat):
    await chat.send("/language")
    assert chat.labels == ["Bahasa Indonesia", "English", "Bahasa Melayu"]


async def test_unknown_command_gets_a_friendly_hint_with_the_menu(chat: Chat):
    await chat.send("/frobnicate now")
    assert "/frobnicate" in chat.text and "Ketik /bantuan" in chat.text  # the Indonesian name
    assert len(chat.buttons) == 5  # FAQ, register, status, talk to staff, help
    await chat.send("/bantuan")  # the command it names is one the bot knows
    assert "/daftar – daftarkan usaha Anda" in chat.text



async def test_a_mistyped_command_suggests_the_one_meant(chat: Chat):
    await chat.send("/daftr")
    assert "Perintah /daftr tidak saya kenal. Maksud Anda /daftar?" in chat.text
    await chat.send("/frobnicate")
    assert "Maksud" not in chat.text

async def test_a_mistyped_staff_command_is_named_only_to_staff_who_may_run_it(assistant, deps):
    # session 9 walk as an officer: "/tinjauan" and "/statistic" got "not known" with no hint
    from tests.support.staff_helpers import make_staff

    admin = Chat(assistant, "9000", language_hint="id")  # ADMIN_IDS in the test settings
    await admin.send("/tinjauan")
    assert "Maksud Anda /tinjau?" in admin.text
    await admin.send("/statistic")
    assert "Maksud Anda /statistik?" in admin.text or "Maksud Anda /stats?" in admin.text
    await make_staff(deps, "7401", "viewer")
    viewer = Chat(assistant, "7401", language_hint="id")
    await viewer.send("/tinjauan")  # not theirs: nothing named, as for a command that does not exist
    assert "Maksud" not in viewer.text
    citizen = Chat(assistant, "7402", language_hint="id")
    await citizen.send("/tinjauan")
    assert citizen.text == viewer.text.replace("7401", "7402")


async def test_command_with_bot_username_is_understood():
    incoming = Incoming.from_text("telegram", "1", "/start@umkm_bandung_bot hello")
    assert (incoming.command, incoming.args) == ("start", "hello")


async def test_cancel_without_and_with_a_flow(chat: Chat, deps):
    await chat.send("/batal")
    assert "Tidak ada yang sedang berjalan" in chat.text
    user = await deps.storage.users.get("telegram", chat.user_id)
    await deps.storage.conversations.save(user.id, "demo", "ask", {"a": 1})
    await chat.send("/cancel")
    assert "Dibatalkan" in chat.text
    assert await deps.storage.conversations.get(user.id) is None


async def test_forged_or_stale_buttons_are_refused_kindly(chat: Chat):
    for payload in ("nonsense", "lang:xx", "menu:", "staff:grant:1"):
        await chat.payload(payload)
        assert chat.replies and chat.replies[0].text


async def test_menu_button_runs_the_command_of_that_name(chat: Chat):
    await chat.send("/menu")
    await chat.press("Bantuan")
    assert "/daftar" in chat.text


async def test_unsupported_messages_and_contacts_get_kind_answers(chat: Chat):
    await chat.send_unsupported("sticker")
    assert "hanya bisa membaca pesan teks" in chat.text
    await chat.share_contact("+6281234567890")
    assert "tidak memerlukan nomor telepon" in chat.text


async def test_user_text_is_data_not_template(chat: Chat, deps):
    chat.display_name = "{{ 7*7 }} <b>Bu</b>"
    await chat.send("/start")
    assert "{{ 7*7 }} <b>Bu</b>" in chat.text
    assert "49" not in chat.text


async def test_a_failing_handler_apologises_and_the_next_message_works(chat: Chat, assistant):
    async def broken(ctx):
        raise RuntimeError("boom")

    assistant.router.commands["boom"] = type(assistant.router.commands["menu"])("boom", broken)
    await chat.send("/boom")
    assert "terjadi gangguan" in chat.text
    await chat.send("/start")
    assert "Halo" in chat.text


async def test_one_users_messages_run_in_order_others_concurrently(assistant, deps):
    order: list[str] = []
    gate, a_started = asyncio.Event(), asyncio.Event()

    async def slow(ctx):
        order.append(f"start {ctx.incoming.user_id} {ctx.incoming.args}")
        if ctx.incoming.user_id == "a":
            a_started.set()
            await gate.wait()
        order.append(f"end {ctx.incoming.user_id} {ctx.incoming.args}")
        return []

    spec = type(assistant.router.commands["menu"])("slow", slow)
    assistant.router.commands["slow"] = spec

    def msg(user, n):
        return assistant.handle(Incoming.from_text("telegram", user, f"/slow {n}"))

    first = asyncio.create_task(msg("a", 1))
    second = asyncio.create_task(msg("a", 2))
    await a_started.wait()  # user a's first message is being handled
    await msg("b", 1)  # user b is not held up by user a's slow message
    assert order[-1] == "end b 1" and "start a 2" not in order
    gate.set()
    await asyncio.gather(first, second)
    assert order.index("end a 1") < order.index("start a 2")
