"""An agent's reply to any message of a ticket names it: a card or thread message that went out
as several chat messages (split at WhatsApp's 1,024-character limit for a message with buttons)
is recognised from each of its parts, not only the first."""

from __future__ import annotations

import pytest

from tests.support.handoff_e2e import WA_AGENT, Both
from tests.support.whatsapp import message

pytestmark = pytest.mark.slow
QUESTION = ("Saya punya usaha keripik singkong di Cibiru dan ingin memperluas pemasaran ke luar "
            "kota. Bagaimana prosedurnya? ") * 14  # fmt: skip


async def reply_with_context(both: Both, sent: dict, text: str) -> list[dict]:
    """The WhatsApp agent answers our message `sent` with WhatsApp's reply (context.id)."""
    note = message(WA_AGENT, "text", {"body": text})
    raw = note["entry"][0]["changes"][0]["value"]["messages"][0]
    raw["context"] = {"from": "15550783881", "id": both.graph.wamid_of(sent)}
    return await both.wa.exchange(note, WA_AGENT)


async def test_a_reply_to_any_part_of_a_split_card_or_thread_answers_the_ticket(
    both: Both,
) -> None:
    await both.wa.text(WA_AGENT, "halo")  # the agent's 24-hour window is open
    user = 1003
    await both.tg.send(user, "/petugas")
    await both.tg.send(user, QUESTION)
    await both.wa_until(WA_AGENT, "tk:take:1")
    text, buttons = both.graph.sent_to(WA_AGENT)[-2:]  # the card: its text, then its buttons
    assert "Tiket #1" in text["text"]["body"] and buttons["type"] == "interactive"
    await reply_with_context(both, buttons, "Bisa lewat katalog e-Katalog lokal.")
    await both.tg_until(user, "Petugas Dinas KUKM: Bisa lewat katalog e-Katalog lokal.")
    await reply_with_context(both, text, "Juga lewat pameran Disdagin.")
    await both.tg_until(user, "Petugas Dinas KUKM: Juga lewat pameran Disdagin.")

    # The user's long next message reaches the agent (who has the ticket now) in two parts too.
    before = len(both.graph.sent_to(WA_AGENT))
    await both.tg.send(user, "Terima kasih. " + QUESTION)
    await both.graph.wait_for(lambda: len(both.graph.sent_to(WA_AGENT)) >= before + 2)
    text, buttons = both.graph.sent_to(WA_AGENT)[before:]
    assert "#1 Pengguna" in text["text"]["body"] and "tk:reply:1" in str(buttons)
    await reply_with_context(both, buttons, "Sama-sama, Bu.")
    await both.tg_until(user, "Petugas Dinas KUKM: Sama-sama, Bu.")
    ticket = await both.deps.storage.tickets.get(1)
    assert ticket.assignee == f"whatsapp:{WA_AGENT}"
    staff = [m.text for m in await both.deps.storage.tickets.messages(1) if m.author == "staff"]
    assert staff == ["Bisa lewat katalog e-Katalog lokal.", "Juga lewat pameran Disdagin.",
                     "Sama-sama, Bu."]  # fmt: skip
