"""Ticket messages go through the broadcast outbox: sent in order, retried, held, re-alerted."""

from __future__ import annotations

from handlers import direct
from handlers.broadcast.worker import BroadcastWorker
from handlers.direct import release_held
from handlers.outbound import RecipientBlocked, SendError
from handlers.types import Reply
from storage.audience import Audience
from tests.support.broadcasting import RecordingSender, add_user
from tests.support.chat import Chat
from tests.support.handoff import queued, use_clock
from tests.test_broadcast_outbox import FAST, done, until


class Sender:
    """Records sends; may fail the next calls, or say the user is outside a reply window."""

    def __init__(self, channel: str, window: bool | None = None) -> None:
        self.channel = channel
        self.sent: list[tuple[str, list[str]]] = []
        self.failures: list[Exception] = []
        self.window = window  # None: the channel has no reply window

    async def send(self, user_id: str, replies) -> list[str]:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((user_id, [r.text for r in replies]))
        return [f"m{len(self.sent)}"]

    def __getattr__(self, name: str):
        if name == "in_window" and self.window is not None:
            async def in_window(user_id: str) -> bool:
                return self.window

            return in_window
        raise AttributeError(name)

    def texts(self, user_id: str) -> list[str]:
        return [text for uid, texts in self.sent if uid == user_id for text in texts]


async def test_cards_replies_and_threads_are_delivered_and_retried(deps, assistant) -> None:
    telegram, whatsapp = Sender("telegram"), Sender("whatsapp", window=True)
    deps.senders.update(telegram=telegram, whatsapp=whatsapp)
    telegram.failures = [SendError("network down")]  # the first card fails once, then goes
    user = Chat(assistant, "6281200000001", channel="whatsapp")
    admin = Chat(assistant, "9000")
    async with BroadcastWorker(deps, **FAST):
        await user.send("/petugas")
        await user.send("Bagaimana cara daftar halal?")
        await until(lambda: any("#1" in t for t in telegram.texts("9000")))
        await admin.send("/balas 1 Lewat SIHALAL, gratis untuk UMKM tertentu.")
        await until(lambda: whatsapp.texts("6281200000001"))
        await user.send("Terima kasih, saya coba")
        await until(lambda: any("saya coba" in t for t in telegram.texts("9000")))
    assert whatsapp.texts("6281200000001") == [
        "Petugas Dinas KUKM: Lewat SIHALAL, gratis untuk UMKM tertentu."
    ]
    assert {q.status for q in await queued(deps)} == {"sent"}
    card = (await queued(deps, purpose="notify"))[0]
    assert await deps.storage.outbox.ticket_of("telegram", "9000", "m1") == card.ticket_id


async def test_a_reply_outside_the_window_waits_for_the_user(deps, assistant) -> None:
    use_clock(deps, 2026, 6, 2, 9, 0)
    whatsapp = Sender("whatsapp", window=False)
    deps.senders.update(whatsapp=whatsapp)
    user = Chat(assistant, "6281200000002", channel="whatsapp")
    admin = Chat(assistant, "9000")
    await user.send("/petugas")
    await user.send("Saya tanya soal merek")
    async with BroadcastWorker(deps, **FAST):
        await admin.send("/balas 1 Merek didaftarkan di DJKI.")
        await admin.send("/balas 1 Biayanya ada potongan untuk UMKM.")
        await until(lambda: _statuses(deps, "reply", {"held"}))
        assert whatsapp.texts("6281200000002") == [
            "Petugas Dinas KUKM sudah membalas pertanyaan Anda (tiket #1). "
            "Balas pesan ini untuk membaca jawabannya."
        ]  # one notice (sent as the template outside the window), not one per reply
        whatsapp.window = True
        assert await release_held(deps, "whatsapp", "6281200000002") == 2
        await until(lambda: _statuses(deps, "reply", {"sent"}))
    assert whatsapp.texts("6281200000002")[1:] == [
        "Petugas Dinas KUKM: Merek didaftarkan di DJKI.",
        "Petugas Dinas KUKM: Biayanya ada potongan untuk UMKM.",
    ]


async def test_a_blocked_user_is_marked_and_not_tried_again(deps, assistant) -> None:
    telegram = Sender("telegram")
    deps.senders.update(telegram=telegram)
    user = Chat(assistant, "1001")
    admin = Chat(assistant, "9000")
    await user.send("/petugas")
    await user.send("Halo")
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: telegram.texts("9000"))
        telegram.failures = [RecipientBlocked("Forbidden: bot was blocked by the user")]
        await admin.send("/balas 1 Halo juga")
        await until(lambda: _statuses(deps, "reply", {"blocked"}))
    assert (await deps.storage.users.get("telegram", "1001")).blocked


async def test_the_scheduler_re_alerts_waiting_tickets(deps, assistant) -> None:
    clock = use_clock(deps, 2026, 6, 2, 9, 0)
    user = Chat(assistant, "1001")
    await user.send("/petugas")
    await user.send("Tolong dibantu")
    clock.set_local(2026, 6, 2, 9, 45)
    async with BroadcastWorker(deps, clock=clock, realert_every=0.02, **FAST):
        await until(lambda: _count(deps, "realert"))
    (alert,) = await queued(deps, purpose="realert")
    assert alert.user_id == "9000" and "Masih menunggu" in alert.text


async def _statuses(deps, purpose: str, wanted: set[str]) -> bool:
    rows = await queued(deps, purpose=purpose)
    return bool(rows) and {q.status for q in rows} == wanted


async def _count(deps, purpose: str) -> int:
    return len(await queued(deps, purpose=purpose))


class OrderedSender(RecordingSender):
    """Records to whom each send went, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.order: list[str] = []

    async def send(self, user_id: str, replies) -> list[str]:
        self.order.append(user_id)
        return await super().send(user_id, replies)


async def test_a_card_goes_before_a_running_broadcast_s_deliveries(deps) -> None:
    """One-to-one messages (cards, staff replies) are taken before bulk deliveries: a card
    queued behind a broadcast to 120 people is among the first sends, not after them all."""
    for i in range(120):
        await add_user(deps.storage, str(7000 + i), name=f"u{i}")
    sender = OrderedSender()
    deps.senders["telegram"] = sender
    broadcast = await deps.storage.broadcasts.create_now(
        ("telegram", "9000", "id"), "Pameran Sabtu ini", Audience())  # fmt: skip
    await direct.queue(deps, "telegram", "9001", "notify", [Reply("🆕 Tiket #1")])
    async with BroadcastWorker(deps, **{**FAST, "rate": 100, "chat_gap": 0}):
        await until(lambda: done(deps.storage, broadcast.id))
        await until(lambda: sender.sent["9001"])
    assert sender.order.index("9001") < 10  # at 100/s the outbox takes 50 at a time
    assert len([u for u in sender.order if u.startswith("7")]) == 120
