"""End to end: the real PTB Application long-polls the stand-in Bot API over HTTP on 127.0.0.1."""

from __future__ import annotations

from handlers import Assistant
from handlers.types import Incoming
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_bot import BotUnderTest
from tests.fakes.telegram_updates import user

SARI = user(1001, "Sari", "id")
PHONE = "6281234567890"  # as Telegram sends it: no '+'

# How the test answers each registration step (read from the stored conversation state):
# ("text", value) types, ("press", callback data) presses, ("contact", phone) shares the contact.
REGISTRATION_ANSWERS = {
    "consent": [("press", "reg:consent:yes")],
    "owner_name": [("text", "Sari Wulandari")],
    "business_name": [("text", 'Kopi "Sari" <b>&amp;')],
    "subsector": [("press", "reg:pick:subsector:kuliner")],
    "description": [("text", "Kopi bubuk dan kue kering khas Bandung")],
    "city": [("text", "Bandung")],
    "district": [("text", "Coblong")],
    "phone": [("contact", PHONE)],
    "email": [("press", "reg:skip")],
    "nib": [("press", "reg:skip")],
    "scale": [("press", "reg:pick:scale:mikro")],
    "export_experience": [("press", "reg:pick:export_experience:none")],
    "interests": [("press", "reg:toggle:showcase"), ("press", "reg:done")],
    "website": [("press", "reg:skip")],
    "summary": [("press", "reg:submit")],
}


async def core_texts(assistant: Assistant, user_id: str, *incomings: dict) -> list[str]:
    """What the core itself answers a mirror user (same steps), to compare with Telegram."""
    texts: list[str] = []
    for fields in incomings:
        replies = await assistant.handle(Incoming("telegram", user_id, **fields))
        texts = [reply.text for reply in replies]
    return texts


async def register(bot: BotUnderTest, api: FakeBotApi, deps) -> list[str]:
    """Answer the registration questions as the bot asks them, until the flow ends."""
    await bot.send(SARI, "/menu")
    await bot.press(SARI, "menu:daftar")  # the main menu's "Register business" button
    account = await deps.storage.users.get("telegram", "1001")
    steps = []
    for _ in range(40):
        conv = await deps.storage.conversations.get(account.id)
        if conv is None or conv.flow != "register":
            return steps
        steps.append(conv.step)
        assert conv.step in REGISTRATION_ANSWERS, (
            f"unexpected step {conv.step}: {api.texts(1001)[-1]}"
        )
        for action, value in REGISTRATION_ANSWERS[conv.step]:
            if action == "text":
                await bot.send(SARI, value)
            elif action == "press":
                await bot.press(SARI, value)
            else:
                ask = api.calls_to("sendMessage", 1001)[-1].params["reply_markup"]
                share = ask["keyboard"][0][0]
                assert share["request_contact"] is True  # the "share my number" button
                await bot.share_contact(SARI, value)
    raise AssertionError(f"registration did not end: {steps}")


async def test_start_language_faq_registration_status(
    telegram_bot: BotUnderTest, telegram_api: FakeBotApi, telegram_deps
) -> None:
    api, bot, deps = telegram_api, telegram_bot, telegram_deps
    assistant = bot.channel.assistant
    # The command menu was published in the three languages.
    for lang in ("id", "en", "ms"):
        assert {"command": "start"}.items() <= api.commands[("default", lang)][0].items()

    greeting = await bot.send(SARI, "/start")
    assert greeting[0].startswith("Halo Sari")
    labels = [
        b["text"] for row in api.last_keyboard(1001)["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert "English" in labels

    chosen = await bot.press(SARI, "English")
    assert chosen == await core_texts(assistant, "mirror", {"payload": "lang:en"})
    assert api.answered_callbacks, "the button press was answered (spinner stopped)"
    pressed = api.calls_to("editMessageReplyMarkup", 1001)[-1]
    assert "reply_markup" not in api.messages[(1001, pressed.params["message_id"])]

    question = "How do I join Little Bandung?"
    answer = await bot.send(SARI, question)
    assert answer == await core_texts(assistant, "mirror", {"text": question})
    if assistant.router.text_handler is not None:  # the FAQ feature is registered
        assert "did not understand" not in answer[0]

    steps = await register(bot, api, deps)
    assert steps[0] == "consent" and "phone" in steps and steps[-1] == "summary"
    account = await deps.storage.users.get("telegram", "1001")
    registration = await deps.storage.registrations.get_for_user(account.id)
    assert registration.phone == "+" + PHONE
    assert registration.business_name == 'Kopi "Sari" <b>&amp;'  # stored and shown verbatim
    assert any('Kopi "Sari" <b>&amp;' in text for text in api.texts(1001))

    status = await bot.send(SARI, "/status")
    assert registration.reference in status[0]
    pressed_ids = {u["callback_query"]["id"] for u in api.pushed if "callback_query" in u}
    assert set(api.answered_callbacks) == pressed_ids  # every button press was answered


async def test_unsupported_messages_get_a_kind_answer(
    telegram_bot: BotUnderTest, telegram_api: FakeBotApi
) -> None:
    for kind in ("message_photo", "message_sticker", "message_voice", "message_location"):
        reply = await telegram_bot.send_fixture(SARI, kind)
        assert reply and reply[0], kind
    assert len(telegram_api.sent_to(1001)) == 4


async def test_someone_elses_contact_is_not_taken_as_own(
    telegram_bot: BotUnderTest, telegram_api: FakeBotApi, telegram_deps
) -> None:
    mirror = await core_texts(
        telegram_bot.channel.assistant,
        "mirror",
        {"contact_phone": "+" + PHONE, "contact_is_own": False},
    )
    assert await telegram_bot.share_contact(SARI, PHONE, own=False) == mirror


async def test_long_answers_are_split_on_paragraphs(telegram_api: FakeBotApi) -> None:
    from channels.common.text import split_text

    paragraphs = [f"Paragraf {i}: " + "kata " * 150 for i in range(12)]
    chunks = split_text("\n\n".join(paragraphs), 4096)
    assert len(chunks) > 1 and all(len(chunk) <= 4096 for chunk in chunks)
    assert all(chunk.startswith("Paragraf") for chunk in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(" ".join(paragraphs).split())


async def test_one_chats_burst_is_answered_in_order(
    telegram_bot: BotUnderTest, telegram_api: FakeBotApi, telegram_deps
) -> None:
    texts = telegram_deps.knowledge.texts
    commands = ["/help", "/menu", "/language", "/cancel", "/help"]
    telegram_api.slow_next("sendMessage", 1.0, chat_id=1001)  # the first answer is slow to go
    pushed = [telegram_api.send_text(SARI, command) for command in commands]
    other = telegram_api.send_text(user(1002, "Budi", "en"), "/start")
    await telegram_api.wait_until(lambda: set(pushed + [other]) <= telegram_bot.handled)
    expected = [
        texts.render("id", key)
        for key in ("core.help", "menu.prompt", "core.choose_language", "core.nothing_to_cancel")
    ]
    assert telegram_api.texts(1001) == expected + [expected[0]]
    assert telegram_api.texts(1002)[0].startswith("Hello Budi")
