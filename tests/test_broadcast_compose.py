"""Composing a broadcast: permissions, template checks, audience filters, count and preview."""

from __future__ import annotations

import pytest

from handlers.broadcast.compose import ComposeError, compile_text
from tests.support.broadcasting import add_registration, add_user


@pytest.fixture
async def people(deps):
    """Five subscribers, one unsubscribed and one blocked user, three with registrations."""
    s = deps.storage
    ani = await add_user(s, "2001", name="ani_tg", language="id")
    await add_registration(s, ani, owner="Ani Suryani", business="Batik Ani", subsector="fesyen",
                           status="verified")
    budi = await add_user(s, "2002", name="budi", language="en")
    await add_registration(s, budi, owner="Budi Santoso", business="Kopi Budi",
                           subsector="kuliner", language="en")
    cici = await add_user(s, "2003", channel="whatsapp", name="Cici", language="ms")
    await add_registration(s, cici, owner="Cici Rahmah", business="Kriya Cici",
                           subsector="kriya", status="rejected", language="ms")
    await add_user(s, "2004", name="Dedi")  # no language chosen, no registration
    await add_user(s, "2005", channel="whatsapp", name="Euis", language="id")
    await add_user(s, "2006", name="Gone", subscribed=False)
    await add_user(s, "2007", name="Blocker", blocked=True)


async def test_non_broadcaster_gets_the_unknown_command_reply(chat, make_chat):
    unknown = await chat.send("/foo")
    for command in ("/siaran", "/broadcast", "/siaran daftar", "/siaran status 1",
                    "/siaran batal 1", "/siaran Halo semua"):
        replies = await chat.send(command)
        name = command.split()[0][1:]
        assert chat.text == unknown[0].text.replace("/foo", f"/{name}")
        assert [b.payload for b in replies[0].buttons] == [b.payload for b in unknown[0].buttons]
    assert await chat.payload("bc:go")  # a forged button press does nothing
    assert "bc:" not in " ".join(b.payload for b in chat.buttons)


async def test_granted_broadcaster_can_open_the_composer(deps, make_chat):
    await deps.storage.roles.grant("telegram", "3001", "broadcaster", "telegram:9000")
    staff = make_chat("3001", language_hint="en")
    await staff.send("/broadcast")
    assert "{{ name }}" in staff.text and "{{ business }}" in staff.text
    reviewer = make_chat("3002", language_hint="en")
    await deps.storage.roles.grant("telegram", "3002", "reviewer", "telegram:9000")
    await reviewer.send("/broadcast")
    assert "don't know the command /broadcast" in reviewer.text


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Halo {{ alamat }}", "broadcast.error_variables"),
        ("Halo {{ nama }", "broadcast.error_syntax"),
        ("{% for x in y %}{% endfor %}", "broadcast.error_construct"),
        ("{{ nama.__class__.__mro__ }}", "broadcast.error_construct"),
        ("{{ nama | nosuchfilter }}", "broadcast.error_construct"),
        ("x" * 3600, "broadcast.error_too_long"),
        ("   ", "broadcast.error_empty"),
    ],
)
def test_compile_refuses_bad_templates(text, key):
    with pytest.raises(ComposeError) as caught:
        compile_text(text)
    assert caught.value.key == key


async def test_unknown_variable_is_refused_with_the_allowed_list(admin_chat, people):
    await admin_chat.send("/language en")
    await admin_chat.send("/broadcast")
    await admin_chat.send("Hello {{ nama }}, your shop {{ toko }} is invited")
    assert "Unknown variable: toko" in admin_chat.text
    for allowed in ("{{ nama }}", "{{ name }}", "{{ usaha }}", "{{ business }}"):
        assert allowed in admin_chat.text
    await admin_chat.send("Hello {{ name }} of {{ business }}!")  # still composing: try again
    assert "Number of recipients: 6" in admin_chat.text


async def test_audience_count_filters_combine_and_preview_is_exact(admin_chat, people):
    await admin_chat.send("/language en")
    await admin_chat.send("/broadcast Halo {{ nama }} dari {{ usaha }}!")
    # 5 subscribers + the admin themself; the unsubscribed and the blocked are never counted
    assert "Number of recipients: 6 (Telegram 4, WhatsApp 2)" in admin_chat.text
    preview = admin_chat.replies[1].text
    assert preview == "Halo Ani Suryani dari Batik Ani!\n\n— Tidak ingin menerima pengumuman lagi? Ketik /berhenti."
    assert admin_chat.replies[0].text == (
        "Bahasa Indonesia preview (3 recipients, main text) — exactly as Ani Suryani will see it:")
    # Then each other language of the audience, as its first recipient gets it.
    assert admin_chat.replies[2].text.startswith("English preview (2 recipients, main text)")
    assert admin_chat.replies[3].text == (
        "Halo Budi Santoso dari Kopi Budi!\n\n— Don't want these announcements? Type /stop.")
    assert admin_chat.replies[4].text.startswith("Bahasa Melayu preview (1 recipients")

    await admin_chat.press("Registered businesses")
    assert "Number of recipients: 3" in admin_chat.text
    await admin_chat.press("bc:m:ch")
    await admin_chat.press("WhatsApp")
    await admin_chat.press("« Back")
    assert "Number of recipients: 1 (WhatsApp 1)" in admin_chat.text
    assert admin_chat.replies[1].text.startswith("Halo Cici Rahmah dari Kriya Cici!\n\n— Tidak mahu")

    await admin_chat.press("All subscribers")
    await admin_chat.press("bc:m:lang")
    await admin_chat.press("English")
    await admin_chat.press("Bahasa Indonesia")
    await admin_chat.press("« Back")  # en: Budi and the admin; id: Ani, Dedi (none chosen), Euis
    assert "Number of recipients: 5" in admin_chat.text
    await admin_chat.press("bc:m:st")
    await admin_chat.press("Not registered")
    await admin_chat.press("« Back")
    assert "Number of recipients: 3" in admin_chat.text  # Dedi, Euis and the admin
    preview = admin_chat.replies[1].text
    assert preview.startswith("Halo Dedi dari usaha Anda!")  # fallback in the recipient's language

    await admin_chat.press("All subscribers")
    await admin_chat.press("bc:m:sub")
    assert [b.payload for b in admin_chat.buttons] == [
        "bc:t:sub:fesyen", "bc:t:sub:kriya", "bc:t:sub:kuliner", "bc:back"]
    await admin_chat.press("bc:t:sub:kuliner")
    await admin_chat.press("« Back")
    assert "Number of recipients: 1 (Telegram 1)" in admin_chat.text
    assert admin_chat.replies[1].text.startswith("Halo Budi Santoso dari Kopi Budi!\n\n— Don't want")


async def test_forged_filter_values_are_refused(admin_chat, people):
    await admin_chat.send("/siaran Halo")
    await admin_chat.payload("bc:t:sub:tidak_ada")
    assert admin_chat.text == admin_chat.assistant.deps.knowledge.texts.render(
        "id", "core.stale_button")
    conv = await admin_chat.assistant.deps.storage.conversations.get(
        (await admin_chat.assistant.deps.storage.users.get("telegram", "9000")).id)
    assert conv.draft["audience"] == '{"channels": [], "languages": [], "registered": false, "statuses": [], "subsectors": []}'


async def test_no_recipients_means_no_send_button(admin_chat, people):
    await admin_chat.send("/siaran Halo")
    await admin_chat.press("bc:m:st")
    await admin_chat.press("bc:t:st:verified")
    await admin_chat.press("bc:t:st:rejected")
    await admin_chat.press("bc:back")
    assert "bc:go" in [b.payload for b in admin_chat.buttons]
    await admin_chat.press("bc:m:lang")
    await admin_chat.press("bc:t:lang:en")
    await admin_chat.press("bc:back")  # nobody verified/rejected in English
    assert "Jumlah penerima: 0" in admin_chat.text
    assert "bc:go" not in [b.payload for b in admin_chat.buttons]
    assert len(admin_chat.replies) == 1  # no preview without a recipient


async def test_cancel_keeps_nothing(admin_chat, people, deps):
    await admin_chat.send("/siaran Halo {{ nama }}")
    await admin_chat.press("Batal")
    assert "dibatalkan" in admin_chat.text
    assert await deps.storage.broadcasts.recent() == []
    await admin_chat.payload("bc:go")  # a stale press afterwards
    assert await deps.storage.broadcasts.recent() == []


async def test_users_stop_and_resume_announcements(make_chat, deps):
    for lang, stop, start, said in (("id", "/berhenti", "/langganan", "tidak akan menerima"),
                                    ("en", "/stop", "/subscribe", "no longer receive"),
                                    ("ms", "/unsubscribe", "/langganan", "tidak akan menerima")):
        user = make_chat(f"40{lang}", language_hint=lang)
        await user.send(stop)
        assert said in user.text
        row = await deps.storage.users.get("telegram", f"40{lang}")
        assert row.subscribed is False
        await user.send(stop)
        assert start in user.text
        await user.send(start)
        row = await deps.storage.users.get("telegram", f"40{lang}")
        assert row.subscribed is True
    ms = make_chat("40ms", language_hint="ms")
    await ms.send("/berhenti")
    assert "Taip /langganan" in ms.text
