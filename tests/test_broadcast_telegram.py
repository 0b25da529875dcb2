"""A broadcast to 1,000 users through the real Telegram sender and the stand-in Bot API."""

from __future__ import annotations

from collections import Counter

import pytest

from channels.telegram.app import TelegramChannel
from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from storage.audience import Audience
from tests.fakes.telegram_api import FakeBotApi
from tests.support.broadcasting import add_registration, add_user
from tests.test_broadcast_outbox import until
from wiring.deps import open_deps

N = 1000
BLOCKED = {100_000 + i for i in range(7, N, 50)}  # 20 users who blocked the bot
FAST = {"rate": 1000, "progress_every": 0.2, "poll": 0.02, "retry_base": 0.05}
TEMPLATE = "Halo {{ nama }}, pameran untuk {{ usaha }} dibuka Senin."
HINTS = {"id": "Ketik /berhenti.", "en": "Type /stop.", "ms": "Taip /berhenti."}


def expected(i: int) -> str:
    """The text user number i must receive."""
    lang = ("id", "en", "ms")[i % 3]
    if i % 2 == 0:
        name, business = f"Pemilik {i}", f"Usaha {i}"
    else:
        name, business = f"tg{i}", {"id": "usaha Anda", "en": "your business",
                                     "ms": "perniagaan anda"}[lang]
    stop = {"id": "— Tidak ingin menerima pengumuman lagi? Ketik /berhenti.",
            "en": "— Don't want these announcements? Type /stop.",
            "ms": "— Tidak mahu menerima pengumuman lagi? Taip /berhenti."}[lang]
    return f"Halo {name}, pameran untuk {business} dibuka Senin.\n\n{stop}"


async def populate(storage) -> None:
    for i in range(N):
        pk = await add_user(storage, str(100_000 + i), name=f"tg{i}",
                            language=("id", "en", "ms")[i % 3])
        if i % 2 == 0:
            await add_registration(storage, pk, owner=f"Pemilik {i}", business=f"Usaha {i}")


async def telegram_deps(make_settings, api: FakeBotApi):
    settings = make_settings(ADMIN_IDS="telegram:9000", TELEGRAM_BOT_TOKEN=api.token,
                             TELEGRAM_API_URL=api.base_url)
    deps = await open_deps(settings)
    channel = TelegramChannel(Assistant(deps))
    await channel.app.initialize()
    return deps, channel


def copies(api: FakeBotApi) -> Counter[int]:
    return Counter(m["chat"]["id"] for m in api.messages.values() if m["chat"]["id"] >= 100_000)


@pytest.mark.slow  # 1,000 + 980 messages over HTTP: about a minute on a loaded machine
async def test_thousand_recipients_blocked_users_429_bursts_and_a_restart(make_settings):
    async with FakeBotApi() as api:
        for chat_id in BLOCKED:
            api.block(chat_id)
        deps, channel = await telegram_deps(make_settings, api)
        await populate(deps.storage)
        broadcast = await deps.storage.broadcasts.create_now(
            ("telegram", "9000", "id"), TEMPLATE, Audience())
        assert broadcast.total == N
        api.fail_next("sendMessage", 429, retry_after=1, times=3)  # a burst at the start

        worker = BroadcastWorker(deps, **FAST)
        await worker.start()
        await until(lambda: len(copies(api)) >= 300)
        api.fail_next("sendMessage", 429, retry_after=1, times=5)  # another burst mid-way
        await until(lambda: len(copies(api)) >= 450)
        await worker.stop()  # the process stops half-way...
        await channel.app.shutdown()
        await deps.storage.close()
        assert len(copies(api)) < N - len(BLOCKED)

        deps, channel = await telegram_deps(make_settings, api)  # ...and a new one takes over
        async with BroadcastWorker(deps, **FAST):
            await until(lambda: deps.storage.broadcasts.get(broadcast.id), within=60)
            await until(lambda: _done(deps, broadcast.id), within=60)
            await until(lambda: any("Laporan" in t for t in api.texts(9000)))

        got = copies(api)
        assert set(got) == {100_000 + i for i in range(N)} - BLOCKED
        assert set(got.values()) == {1}  # nobody twice, nobody missing
        for i in range(N):
            if 100_000 + i not in BLOCKED:
                assert api.texts(100_000 + i) == [expected(i)]
        for chat_id in BLOCKED:
            assert (await deps.storage.users.get("telegram", str(chat_id))).blocked
            # answered 403 once, never tried again (a call that met an injected 429 was retried)
            answered = [c for c in api.calls_to("sendMessage", chat_id) if not c.faulted]
            assert len(answered) == 1
        assert len([c for c in api.calls if c.method == "sendMessage"
                    and c.chat_id >= 100_000]) >= N + 3  # the 429s were retried
        report = api.texts(9000)[-1]
        assert report.startswith("Laporan siaran #1: selesai")
        assert "Terkirim: 980" in report and "Memblokir bot: 20" in report
        assert "Gagal: 0" in report

        # the next broadcast does not try the blocked users at all
        second = await deps.storage.broadcasts.create_now(
            ("telegram", "9000", "id"), "Pengingat {{ name }}", Audience())
        assert second.total == N - len(BLOCKED)
        async with BroadcastWorker(deps, **FAST) as worker:
            worker.wake()
            await until(lambda: _done(deps, second.id), within=60)
        for chat_id in BLOCKED:
            assert len([c for c in api.calls_to("sendMessage", chat_id) if not c.faulted]) == 1
        assert set(copies(api).values()) == {2}
        await channel.app.shutdown()
        await deps.storage.close()


async def test_progress_message_is_edited_in_place_on_telegram(make_settings):
    async with FakeBotApi() as api:
        deps, channel = await telegram_deps(make_settings, api)
        for i in range(30):
            await add_user(deps.storage, str(100_000 + i), name=f"tg{i}")
        broadcast = await deps.storage.broadcasts.create_now(
            ("telegram", "9000", "en"), "Hi {{ name }}", Audience())
        async with BroadcastWorker(deps, **{**FAST, "rate": 15, "progress_every": 0.1}):
            await until(lambda: _done(deps, broadcast.id), within=60)
            await until(lambda: len(api.texts(9000)) >= 2)
        progress, report = api.sent_to(9000)
        assert api.calls_to("editMessageText", 9000)  # edited while it ran
        assert progress["text"] == report["text"]  # and shows the final figures at the end
        assert report["text"].startswith("Report for broadcast #1: finished")
        assert "Sent: 30" in report["text"]
        await channel.app.shutdown()
        await deps.storage.close()


async def _done(deps, broadcast_id: int) -> bool:
    return (await deps.storage.broadcasts.get(broadcast_id)).status == "done"
