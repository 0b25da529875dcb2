"""Talk to a person, as conversations: the user asks, agents are told, take, reply, close, rate."""

from __future__ import annotations

import asyncio

import pytest

from handlers.handoff.service import Agent
from handlers.handoff.user import service_of
from handlers.types import Incoming
from storage.tickets import TicketExists
from tests.support.chat import Chat
from tests.support.handoff import queued, use_clock
from tests.support.staff_helpers import add_registration, make_staff

WA_USER = "6281234567890"  # a WhatsApp user id is their phone number


@pytest.fixture
def clock(deps):
    """Monday 1 June 2026 is a holiday (Pancasila); Tuesday 2 June 2026, 09:00 WIB is open."""
    return use_clock(deps, 2026, 6, 2, 9, 0)


@pytest.fixture
async def agents(deps):
    """The admin (telegram:9000, from ADMIN_IDS) and an agent on WhatsApp."""
    await make_staff(deps, "628111000222", "agent", channel="whatsapp")


async def test_ask_then_question_opens_a_ticket_and_every_agent_gets_its_card(
    deps, assistant, clock, agents
) -> None:
    user = Chat(assistant, WA_USER, channel="whatsapp", language_hint="id", display_name="Sari")
    await user.send("/petugas")
    assert "satu pesan" in user.text
    await user.send("Saya mau tanya izin PIRT untuk keripik")
    assert "#1" in user.text and "jam kerja" in user.text
    cards = await queued(deps, purpose="notify")
    assert {(c.channel, c.user_id) for c in cards} == {
        ("telegram", "9000"), ("whatsapp", "628111000222")
    }
    card = cards[0]
    assert card.ticket_id == 1 and "#1" in card.text and "Sari" in card.text
    assert "WhatsApp" in card.text and "izin PIRT" in card.text
    assert "· Bahasa Indonesia" in card.text  # the language by its name, not its code
    assert WA_USER not in card.text  # never the phone number of an unregistered user
    assert card.payloads == ["tk:take:1", "tk:reply:1", "tk:close:1"]


async def test_a_question_just_asked_becomes_the_ticket(deps, assistant, clock, agents) -> None:
    user = Chat(assistant, "1001", language_hint="en")
    await user.send("what is the weather on mars tomorrow")  # falls back (off topic)
    await user.send("/human")
    assert "#1" in user.text
    ticket = await deps.storage.tickets.get(1)
    assert ticket.question == "what is the weather on mars tomorrow"
    assert ticket.language == "en"


async def test_registered_user_card_shows_reference_status_and_registered_phone(
    deps, assistant, clock, agents
) -> None:
    registration = await add_registration(deps, "2101")
    user = Chat(assistant, "2101")
    await user.send("/petugas")
    await user.send("Kapan pendaftaran saya diverifikasi?")
    (card, *_) = await queued(deps, purpose="notify", user_id="9000")
    assert registration.reference in card.text and "menunggu" in card.text
    assert registration.phone in card.text  # the user gave it in their registration


async def test_while_open_messages_join_the_ticket_commands_still_run(
    deps, assistant, clock, agents
) -> None:
    user = Chat(assistant, "1001")
    await user.send("/petugas")
    await user.send("Pertanyaan pertama")
    await user.send("resep nasi goreng")  # would fall back outside a ticket
    assert "Diteruskan ke petugas" in user.text and "belum punya jawaban" not in user.text
    await user.send("/status")
    assert "Diteruskan" not in user.text  # the command answered, not passed on
    assert "belum punya pendaftaran" in user.text  # and names the open ticket, too
    assert "masih punya tiket terbuka #1" in user.text
    threads = await queued(deps, purpose="thread", user_id="9000")
    assert [t.text for t in threads] == ["#1 Pengguna: resep nasi goreng"]
    await user.send("/petugas")  # one open ticket per user
    assert "masih punya tiket terbuka #1" in user.text
    with pytest.raises(TicketExists):
        await deps.storage.tickets.open((await deps.storage.users.get("telegram", "1001")).id,
                                        "telegram", "id", "again")  # fmt: skip



async def test_asking_for_english_in_a_ticket_switches_and_still_passes_it_on(
    deps, assistant, clock, agents
) -> None:
    user = Chat(assistant, "1002", language_hint="ms")
    await user.send("/petugas")
    await user.send("Saya nak beli produk Bandung")
    await user.send("can you reply in english please")
    assert "from now on I will use English" in user.text and "Passed on to staff" in user.text
    threads = await queued(deps, purpose="thread", user_id="9000")
    assert [t.text for t in threads][-1].endswith("can you reply in english please")
    ticket = await deps.storage.tickets.open_for_user(
        (await deps.storage.users.get("telegram", "1002")).id)
    assert ticket is not None

@pytest.mark.parametrize("typed", ["batal", "udah selesai min", "never mind"])
async def test_saying_done_in_words_passes_it_on_and_offers_the_done_button(
    deps, assistant, clock, agents, typed: str
) -> None:
    """A cancel or done word typed without its slash still reaches staff (it may answer them),
    and the reply offers the one tap that closes the ticket; nothing is closed unasked."""
    user = Chat(assistant, "1003")
    await user.send("/petugas")
    await user.send("Mau tanya soal izin edar")
    await user.send(typed)
    assert "Diteruskan ke petugas (tiket #1)" in user.text and "Ketuk Selesai" in user.text
    assert [b.payload for b in user.buttons] == ["hand:done"]
    threads = await queued(deps, purpose="thread", user_id="9000")
    assert [t.text for t in threads][-1].endswith(typed)
    assert await deps.storage.tickets.open_for_user(
        (await deps.storage.users.get("telegram", "1003")).id) is not None  # fmt: skip
    await user.press("hand:done")
    assert "Tiket #1 ditutup" in user.text
    await user.send("batal pesanan saya kemarin")  # more than the word: the assistant answers
    assert "Ketuk Selesai" not in user.text


async def test_a_photo_joins_the_ticket_and_reaches_the_agent(deps, assistant, clock, agents):
    from handlers.types import Media

    async def fetch(media: Media, limit: int) -> bytes:
        return b"\xff\xd8\xff" + b"0" * 100  # what the channel downloaded

    deps.fetchers["telegram"] = fetch
    user = Chat(assistant, "1001")
    await user.send("/petugas")
    await user.send("Ini foto kemasan saya")
    photo = Media("photo", "file-1", None, "image/jpeg", 103, "kemasan depan")
    await assistant.handle(Incoming("telegram", "1001", unsupported="photo", media=photo))
    (thread,) = await queued(deps, purpose="thread", user_id="9000")
    assert thread.texts == ["", "#1 Pengguna: kemasan depan"]
    (message,) = [m for m in await deps.storage.tickets.messages(1) if m.media_id]
    assert (await deps.storage.media.data(message.media_id)).startswith(b"\xff\xd8")


async def test_take_reply_release_close_and_rate(deps, assistant, clock, agents) -> None:
    user = Chat(assistant, "1001")
    admin = Chat(assistant, "9000", display_name="Rina")
    await user.send("/petugas")
    await user.send("Bagaimana cara ikut pameran?")
    await admin.payload("tk:take:1")
    assert "sekarang Anda tangani" in admin.text
    assert (await deps.storage.tickets.get(1)).assignee == "telegram:9000"
    taken = await queued(deps, user_id="628111000222", purpose="thread")
    assert ["Tiket #1 diambil oleh Rina."] == [t.text for t in taken]  # WhatsApp cannot edit
    await admin.send("/balas 1 Silakan daftar lewat Disdagin.")
    (reply,) = await queued(deps, purpose="reply")
    assert (reply.channel, reply.user_id) == ("telegram", "1001")
    assert reply.text == "Petugas Dinas KUKM: Silakan daftar lewat Disdagin."
    await admin.send("/tampilnama ya")
    await admin.send("/balas 1 Ada lagi?")
    assert (await queued(deps, purpose="reply"))[-1].text == "Petugas Dinas KUKM (Rina): Ada lagi?"
    await admin.send("/kembalikan 1")
    assert (await deps.storage.tickets.get(1)).assignee is None
    assert len(await queued(deps, purpose="released")) == 2
    await admin.send("/tutup 1 sudah dijawab")
    assert "ditutup" in admin.text and "tk:kn:1" in [b.payload for b in admin.buttons]
    notice = (await queued(deps, purpose="notice"))[-1]
    assert notice.payloads == ["hand:rate:1:up", "hand:rate:1:down"]
    await user.payload("hand:rate:1:up")
    assert "Terima kasih atas penilaian" in user.text
    await user.payload("hand:rate:1:down")  # once
    assert "sudah tercatat" in user.text
    assert (await deps.storage.tickets.get(1)).rating == "up"
    await user.send("resep nasi goreng")  # the ticket is closed: the assistant answers again
    assert "di luar yang bisa saya bantu" in user.text
    audit = {e.action: e for e in await deps.storage.audit.recent(action=None)}
    for action in ("ticket.take", "ticket.reply", "ticket.release", "ticket.close"):
        assert "via" not in audit[action].detail, action  # from the chat (the web adds "web")


async def test_user_closes_with_done_and_the_agent_is_told(deps, assistant, clock, agents):
    user = Chat(assistant, "1001", language_hint="ms")
    admin = Chat(assistant, "9000")
    await user.send("/human")
    await user.send("Boleh saya cakap dengan pegawai tentang permit?")
    await admin.payload("tk:take:1")
    await user.send("/done")
    assert "Tiket #1 ditutup" in user.text
    assert [b.payload for b in user.buttons] == ["hand:rate:1:up", "hand:rate:1:down"]
    last = (await queued(deps, user_id="9000"))[-1]
    assert last.text == "Tiket #1 ditutup oleh pengguna."
    await user.send("/selesai")
    assert "tiada tiket terbuka" in user.text


async def test_telegram_reply_to_the_card_answers_the_ticket(deps, assistant, clock, agents):
    user = Chat(assistant, "1001")
    await user.send("/petugas")
    await user.send("Halo, saya butuh bantuan NIB")
    (card,) = await queued(deps, purpose="notify", user_id="9000")
    await deps.storage.outbox.sent(card.id, "555")  # the Bot API's id (its only part)
    replies = await assistant.handle(
        Incoming("telegram", "9000", text="NIB bisa lewat OSS.", reply_to="555")
    )
    assert "dikirim ke pengguna" in replies[0].text
    assert (await queued(deps, purpose="reply"))[0].text == "Petugas Dinas KUKM: NIB bisa lewat OSS."
    # A user replying to one of the bot's messages is just talking, not answering a ticket.
    other = await assistant.handle(Incoming("telegram", "1002", text="halo", reply_to="555"))
    assert "dikirim ke pengguna" not in other[0].text


async def test_reply_button_takes_the_next_message_as_the_reply(deps, assistant, clock, agents):
    user = Chat(assistant, "1001")
    agent = Chat(assistant, "628111000222", channel="whatsapp", display_name="Budi")
    await user.send("/petugas")
    await user.send("Kapan pameran berikutnya?")
    await agent.payload("tk:reply:1")
    assert "Tulis balasan untuk tiket #1" in agent.text
    await agent.send("Bulan depan, info menyusul.")
    assert "dikirim ke pengguna" in agent.text
    assert (await deps.storage.tickets.get(1)).assignee == "whatsapp:628111000222"
    assert (await deps.storage.tickets.get(1)).first_reply_at == clock.now


async def test_two_agents_race_to_take_exactly_one_wins(deps, assistant, clock, agents) -> None:
    await make_staff(deps, "7002", "agent")
    user = Chat(assistant, "1001")
    await user.send("/petugas")
    await user.send("Siapa yang bisa bantu?")
    service = service_of(deps)
    results = await asyncio.gather(*(
        service.take(1, Agent("telegram", str(7000 + n), f"Agen {n}")) for n in range(8)
    ))  # fmt: skip
    assert results.count(True) == 1
    winner = f"telegram:{7000 + results.index(True)}"
    assert (await deps.storage.tickets.get(1)).assignee == winner
    loser = Chat(assistant, "7002")
    await loser.payload("tk:take:1")
    assert "sudah diambil oleh" in loser.text


async def test_outside_office_hours_the_user_hears_the_next_working_day(deps, assistant):
    use_clock(deps, 2026, 12, 23, 17, 30)  # Wednesday evening; 24-25 Dec are holidays
    user = Chat(assistant, "1001", language_hint="en")
    await user.send("/human")
    await user.send("Can I export my batik to Malaysia?")
    assert "outside office hours" in user.text
    assert "next working day from 08:00 (Monday, 28/12)" in user.text


async def test_waiting_too_long_in_office_hours_alerts_every_agent_once(
    deps, assistant, clock, agents
) -> None:
    clock.set_local(2026, 6, 5, 15, 50)  # Friday, ten minutes before closing
    user = Chat(assistant, "1001")
    await user.send("/petugas")
    await user.send("Tolong bantu soal sertifikat halal")
    service = service_of(deps)
    clock.set_local(2026, 6, 8, 8, 15)  # Monday: 10 + 15 office minutes waited, under 30
    assert await service.realert() == 0
    clock.set_local(2026, 6, 8, 8, 25)  # 35 office minutes
    assert await service.realert() == 1
    alerts = await queued(deps, purpose="realert")
    assert len(alerts) == 2 and all("Masih menunggu" in a.text for a in alerts)
    assert await service.realert() == 0  # once
    await Chat(assistant, "9000").send("/balas 1 Kami cek dulu ya.")
    await user.send("Terima kasih, ditunggu")  # waits again: may alert once more later
    clock.set_local(2026, 6, 8, 9, 0)
    assert await service.realert() == 1


async def test_curation_on_close_goes_to_the_unanswered_log(deps, assistant, clock, agents):
    user = Chat(assistant, "1001")
    admin = Chat(assistant, "9000", language_hint="en")
    await user.send("/petugas")
    await user.send("Apakah ada bantuan modal untuk UMKM kuliner?")
    await admin.send("/close 1")
    link = [b for b in admin.buttons if b.payload.startswith("tk:kl:1:")]
    assert link, admin.labels
    topic = link[0].payload.rsplit(":", 1)[1]
    await admin.press(link[0].payload)
    assert "/unanswered" in admin.text
    rows = await deps.storage.db.fetchall("SELECT * FROM questions WHERE user_pk IS NULL")
    assert [(r["text"], r["topic"], r["answered"], r["status"]) for r in rows] == [
        ("Apakah ada bantuan modal untuk UMKM kuliner?", topic, 0, "new")
    ]
    await admin.send("/unanswered")
    assert "bantuan modal" in admin.text


async def test_closing_an_off_topic_ticket_offers_no_topic_to_link(deps, assistant, clock, agents):
    """Session 9 walk: an off-topic question asked just before "talk to staff" became the
    ticket's question, and closing the ticket offered to link the weather to a partner topic."""
    user = Chat(assistant, "1002")
    await user.send("cuaca bandung besok gimana")
    assert "di luar yang bisa saya bantu" in user.text
    await user.send("/petugas")  # the question just asked becomes the ticket's
    admin = Chat(assistant, "9000", language_hint="en")
    await admin.send("/close 1")
    assert not [b for b in admin.buttons if b.payload.startswith("tk:kl:1:")], admin.labels
    assert any(b.payload.startswith("tk:") for b in admin.buttons)  # "new topic" stays


async def test_erasure_with_an_open_ticket_keeps_only_anonymous_counts(
    deps, assistant, clock, agents
) -> None:
    user = Chat(assistant, WA_USER, channel="whatsapp")
    await user.send("/petugas")
    await user.send("Data saya tolong dihapus setelah ini")
    await Chat(assistant, "9000").send("/balas 1 Baik.")
    await user.send("/hapus")
    await user.press("reg:forget:yes")
    ticket = await deps.storage.tickets.get(1)
    assert (ticket.status, ticket.closed_by, ticket.question, ticket.user_pk) == (
        "closed", "erased", None, None
    )
    assert await deps.storage.tickets.messages(1) == []
    remaining = await queued(deps)
    assert all("Data saya" not in q.text and q.user_id != WA_USER for q in remaining)
    assert [q.text for q in remaining if q.purpose == "thread"][-1] == "Tiket #1 ditutup oleh pengguna."
    assert ticket.first_reply_at is not None  # the anonymous figures stay for /statistik


async def test_statistics_show_tickets_per_week_median_times_and_ratings(
    deps, assistant, clock, agents
) -> None:
    admin = Chat(assistant, "9000", language_hint="en")
    for n, user_id in enumerate(("1001", "1002", "1003")):
        clock.set_local(2026, 6, 2, 9, 0)
        user = Chat(assistant, user_id)
        await user.send("/petugas")
        await user.send(f"Pertanyaan nomor {n}")
        clock.set_local(2026, 6, 2, 9, 10 * (n + 1))  # first replies after 10, 20, 30 minutes
        await admin.send(f"/reply {n + 1} Jawaban {n}")
        clock.set_local(2026, 6, 2, 11, 0)
        if n < 2:
            await admin.send(f"/close {n + 1}")
            await user.payload(f"hand:rate:{n + 1}:{('up', 'down')[n]}")
    clock.set_local(2026, 6, 4, 10, 0)
    await admin.send("/stats")
    text = admin.replies[0].text
    assert "Tickets (talk to staff): 1 open now · 👍 1 · 👎 1" in text
    assert "week of 01/06: opened 3, closed 2, median first reply 20 min, median to close 2.0 h" in text
    assert admin.replies[1].file.startswith(b"\x89PNG")
