"""Talk to a person end to end: users and agents on both stand-ins (Bot API and Graph API)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.support.handoff_e2e import TG_AGENT, WA_AGENT, Both
from tests.support.handoff_e2e import wa_text as _wa_text

pytestmark = pytest.mark.slow


async def test_user_on_whatsapp_agent_on_telegram(both: Both) -> None:
    user = "6281311112222"
    await both.wa.text(user, "/petugas")
    (opened,) = await both.wa.text(user, "Bagaimana cara mengurus NIB untuk usaha keripik?")
    assert "#1" in _wa_text(opened)
    card = await both.tg_until(TG_AGENT, "Tiket #1")
    assert "WhatsApp" in card["text"] and user not in card["text"]
    assert await both.tg.press(TG_AGENT, "tk:take:1") == [
        "Tiket #1 sekarang Anda tangani. Balas pesan tiketnya atau /balas 1 teks."
    ]
    await both.wa_until(WA_AGENT, "diambil oleh")  # WhatsApp cannot edit: a new message
    await both.tg.reply_to(TG_AGENT, "Lewat OSS (oss.go.id), gratis.", card)
    await both.wa_until(user, "Petugas Dinas KUKM: Lewat OSS (oss.go.id), gratis.")
    assert "Diteruskan" in _wa_text((await both.wa.text(user, "Kalau PIRT bagaimana?"))[0])
    await both.tg_until(TG_AGENT, "#1 Pengguna: Kalau PIRT bagaimana?")
    await both.tg.send(TG_AGENT, "/tutup 1 dijawab")
    await both.wa_until(user, "hand:rate:1:up")
    (thanks,) = await both.wa.press(user, "hand:rate:1:up", "👍 Membantu")
    assert "Terima kasih atas penilaian" in _wa_text(thanks)
    ticket = await both.deps.storage.tickets.get(1)
    assert (ticket.status, ticket.rating, ticket.assignee) == ("closed", "up", f"telegram:{TG_AGENT}")


async def test_user_on_telegram_agent_on_whatsapp(both: Both) -> None:
    await both.wa.text(WA_AGENT, "halo")  # the agent's 24-hour window is open
    user = 1001
    await both.tg.send(user, "/petugas")
    assert "#1" in "".join(await both.tg.send(user, "Kapan pameran Little Bandung berikutnya?"))
    await both.wa_until(WA_AGENT, "tk:take:1")
    tg_card = await both.tg_until(TG_AGENT, "Tiket #1")
    (taken,) = await both.wa.press(WA_AGENT, "tk:take:1", "Ambil")
    assert "sekarang Anda tangani" in _wa_text(taken)
    await both.api.wait_until(  # the other agent's card is edited in place on Telegram
        lambda: "diambil oleh" in both.api.messages[(TG_AGENT, tg_card["message_id"])]["text"]
    )
    await both.wa.press(WA_AGENT, "tk:reply:1", "Balas")
    await both.wa.text(WA_AGENT, "Bulan depan di Petaling Jaya, info menyusul.")
    await both.tg_until(user, "Petugas Dinas KUKM: Bulan depan di Petaling Jaya")
    assert "Diteruskan" in "".join(await both.tg.send(user, "Baik, saya tunggu infonya"))
    await both.wa_until(WA_AGENT, "#1 Pengguna: Baik, saya tunggu infonya")
    await both.wa.text(WA_AGENT, "/tutup 1")
    await both.tg_until(user, "Petugas menutup tiket #1")
    assert "Terima kasih atas penilaian" in "".join(await both.tg.press(user, "hand:rate:1:down"))
    assert (await both.deps.storage.tickets.get(1)).rating == "down"


async def test_two_agents_race_to_take(both: Both) -> None:
    await both.deps.storage.roles.grant("telegram", "9001", "agent", "telegram:9000")
    await both.tg.send(1002, "/petugas")
    await both.tg.send(1002, "Siapa yang bisa bantu saya soal halal?")
    await both.tg_until(TG_AGENT, "Tiket #1")
    await both.tg_until(9001, "Tiket #1")
    answers = await asyncio.gather(both.tg.press(TG_AGENT, "tk:take:1"),
                                   both.tg.press(9001, "tk:take:1"))  # fmt: skip
    won = [a for a in answers if "sekarang Anda tangani" in "".join(a)]
    lost = [a for a in answers if "sudah diambil oleh" in "".join(a)]
    assert (len(won), len(lost)) == (1, 1)


async def test_whatsapp_reply_after_24_hours_goes_as_template_then_text(both: Both) -> None:
    user = "6281399998888"
    await both.wa.text(user, "/petugas")
    await both.wa.text(user, "Apakah ada pelatihan ekspor?")
    await both.tg_until(TG_AGENT, "Tiket #1")
    stale = (both.deps.storage.db.now() - timedelta(hours=25)).isoformat()
    await both.deps.storage.db.execute(
        "UPDATE whatsapp_contacts SET last_inbound_at = ? WHERE wa_id = ?", (stale, user)
    )
    await both.tg.send(TG_AGENT, "/balas 1 Ada, bulan Juli di Disdagin.")
    notice = await both.wa_until(user, "TEMPLATE")
    assert "Balas pesan ini untuk membaca jawabannya" in notice
    assert "Juli" not in " ".join(both.wa_texts(user))  # the text waits for the user
    await both.wa.text(user, "ok")
    await both.wa_until(user, "Petugas Dinas KUKM: Ada, bulan Juli di Disdagin.")


async def test_erasure_with_an_open_ticket(both: Both) -> None:
    user = "6281377776666"
    await both.wa.text(user, "/petugas")
    await both.wa.text(user, "Nomor saya 081377776666, tolong telepon")
    await both.tg_until(TG_AGENT, "Tiket #1")
    await both.wa.text(user, "/hapus")
    await both.wa.press(user, "reg:forget:yes", "Ya, hapus")
    await both.tg_until(TG_AGENT, "Tiket #1 ditutup oleh pengguna")
    rows = await both.deps.storage.db.fetchall("SELECT text FROM ticket_messages")
    assert rows == []
    ticket = await both.deps.storage.tickets.get(1)
    assert (ticket.question, ticket.user_pk, ticket.status) == (None, None, "closed")
    week_ago = both.deps.storage.db.now() - timedelta(days=7)
    assert len(await both.deps.storage.tickets.since(week_ago)) == 1  # still counted, anonymously
