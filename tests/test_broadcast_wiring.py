"""The broadcast worker in the running bot: composed on Telegram, sent by `serve`, paced per chat."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from channels.telegram.webhook import telegram_web_part
from handlers import Assistant
from handlers.broadcast.progress import render_status
from handlers.broadcast.worker import BroadcastWorker
from storage.audience import Audience
from tests.fakes.asgi import serving
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_updates import user
from tests.support.broadcasting import RecordingSender, add_registration, add_user
from tests.test_broadcast_outbox import until
from wiring.lifecycle import broadcast_part
from wiring.web import build_app

ADMIN = user(9000, "Admin", "en")
FAST = {"rate": 1000, "progress_every": 0.05, "poll": 0.02}


async def _done(deps, broadcast_id: int) -> bool:
    return (await deps.storage.broadcasts.get(broadcast_id)).status == "done"


async def test_compose_on_telegram_and_confirm(telegram_bot, telegram_api: FakeBotApi,
                                               telegram_deps):
    pk = await add_user(telegram_deps.storage, "1201", name="rina", language="id")
    await add_registration(telegram_deps.storage, pk, owner="Rina Kartika", business="Kopi Rina")
    await add_user(telegram_deps.storage, "1202", name="Tono", language="ms")
    async with BroadcastWorker(telegram_deps, **FAST):
        await telegram_bot.send(ADMIN, "/language en")
        texts = await telegram_bot.send(ADMIN, "/broadcast Hi {{ name }} from {{ business }}")
        assert texts[1] == ("Hi Rina Kartika from Kopi Rina\n\n"
                            "— Tidak ingin menerima pengumuman lagi? Ketik /berhenti.")
        await telegram_bot.press(ADMIN, "Channel…")
        await telegram_bot.press(ADMIN, "Telegram")
        await telegram_bot.press(ADMIN, "« Back")
        first_call = len(telegram_api.calls)
        await telegram_bot.press(ADMIN, "Send to 3")
        await until(lambda: _reported(telegram_deps, telegram_api, 1))  # the last thing it sends
    assert telegram_api.texts(1202) == ["Hi Tono from perniagaan anda\n\n"
                                        "— Tidak mahu menerima pengumuman lagi? Taip /berhenti."]
    assert telegram_api.texts(1201)[0].startswith("Hi Rina Kartika from Kopi Rina")
    _assert_author_saw(telegram_api, first_call)


async def _reported(deps, api: FakeBotApi, broadcast_id: int) -> bool:
    """Done, and the separate report message (not the edited progress one) has arrived."""
    broadcast = await deps.storage.broadcasts.get(broadcast_id)
    return broadcast.status == "done" and any(
        m.get("text", "").startswith(f"Report for broadcast #{broadcast_id}")
        and str(m["message_id"]) != str(broadcast.progress_message_id)
        for m in api.sent_to(ADMIN["id"]))


PROGRESS = re.compile(r"Broadcast #1 is being sent\n[▓░]{20} \d+%\n"
                      r"Sent (\d) · Failed 0 · Blocked 0 · (\d) of 3 left\nAbout (\d+ min )?\d+ s to go")
REPORT = re.compile(r"Report for broadcast #1: finished\n▓{20} 100%\nRecipients: 3\nSent: 3\n"
                    r"Failed: 0\nBlocked the bot: 0\nSkipped \(unsubscribed\): 0\n"
                    r"Time taken: (\d+ min )?\d+ s")


def _assert_author_saw(api: FakeBotApi, first_call: int) -> None:
    """The author's texts since pressing Send, in the order sent or edited: started, own copy,
    any number of progress updates (any count, never going back), then the final report."""
    seq = [c.params["text"] for c in api.calls[first_call:]
           if c.method in ("sendMessage", "editMessageText") and c.chat_id == ADMIN["id"]
           and not c.faulted]
    started = ("Broadcast #1 is being sent to 3 recipients. I will show its progress here.\n"
               "See it any time with /broadcast status 1; stop it with /broadcast cancel 1.")
    own_copy = "Hi Admin from your business\n\n— Don't want these announcements? Type /stop."
    assert seq.count(started) == 1
    assert seq.count(own_copy) == 1  # the author is a recipient too
    statuses = [t for t in seq if t not in (started, own_copy)]
    progress, reports = statuses[:-1], statuses[-1:]
    while progress and REPORT.fullmatch(progress[-1]):  # the progress message edited to the end
        reports.insert(0, progress.pop())
    assert len(reports) in (1, 2) and all(REPORT.fullmatch(t) for t in reports), statuses
    seen = [PROGRESS.fullmatch(t) for t in progress]
    assert all(seen), progress  # any intermediate figures, but well-formed ones
    sent = [int(m[1]) for m in seen]
    assert sent == sorted(sent) and all(int(m[1]) + int(m[2]) <= 3 for m in seen)
    shown = [t for t in api.texts(ADMIN["id"]) if REPORT.fullmatch(t)]
    assert len(shown) == len(reports)  # the progress message, if any, now shows the end too


async def test_serve_starts_and_stops_the_worker(telegram_api: FakeBotApi, telegram_deps):
    for i in range(5):
        await add_user(telegram_deps.storage, str(1300 + i), name=f"U{i}")
    # The broadcast is done at the worker's next progress report: 0.2 s here, not the 5 s
    # default the test would otherwise wait out.
    telegram_deps.settings = telegram_deps.settings.model_copy(
        update={"broadcast_progress_every": 0.2})
    assistant = Assistant(telegram_deps)
    parts = [telegram_web_part(assistant), broadcast_part(telegram_deps)]
    async with serving(build_app(telegram_deps, parts)):
        assert "telegram" in telegram_deps.senders
        broadcast = await telegram_deps.storage.broadcasts.create_now(
            ("telegram", "9000", "id"), "Halo {{ nama }}", Audience())
        telegram_deps.broadcast_wake()
        await until(lambda: _done(telegram_deps, broadcast.id))
    assert telegram_deps.broadcast_wake is None  # stopped with the server
    assert [telegram_api.texts(1300 + i) for i in range(5)] == [
        [f"Halo U{i}\n\n— Tidak ingin menerima pengumuman lagi? Ketik /berhenti."]
        for i in range(5)]


async def test_one_chat_never_gets_two_messages_within_a_second(deps):
    ids = [str(1400 + i) for i in range(3)]
    for user_id in ids:
        await add_user(deps.storage, user_id)
    times: dict[str, list[float]] = {u: [] for u in ids}
    sender = RecordingSender()
    original = sender.send

    async def timed_send(user_id, replies):
        times.setdefault(user_id, []).append(time.monotonic())
        return await original(user_id, replies)

    sender.send = timed_send
    deps.senders["telegram"] = sender
    first = await deps.storage.broadcasts.create_now(("telegram", "9000", "id"), "A", Audience())
    second = await deps.storage.broadcasts.create_now(("telegram", "9000", "id"), "B", Audience())
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: _done(deps, first.id))
        await until(lambda: _done(deps, second.id))
    for user_id in ids:
        a, b = times[user_id]
        assert b - a >= 0.99  # a lower bound: a slow machine can only make the gap longer
        assert [t.split("\n")[0] for t in sender.sent[user_id]] == ["A", "B"]


def test_progress_text_bar_figures_and_time_left(deps):
    texts = deps.knowledge.texts
    broadcast = _broadcast(total=1000, status="sending")
    now = broadcast.started_at + timedelta(seconds=10)
    counts = {"sent": 240, "failed": 3, "blocked": 7, "pending": 740, "sending": 10}
    text = render_status(texts, "en", broadcast, counts, now, 25)
    assert text.splitlines() == [
        "Broadcast #7 is being sent",
        "▓▓▓▓▓░░░░░░░░░░░░░░░ 25%",
        "Sent 240 · Failed 3 · Blocked 7 · 750 of 1000 left",
        "About 30 s to go",
    ]
    done = _broadcast(total=1000, status="done")
    report = render_status(texts, "ms", done, {"sent": 990, "blocked": 10}, now, 25)
    assert report.splitlines()[0] == "Laporan siaran #7: selesai"
    assert "Tempoh penghantaran: 1 minit 40 saat" in report


def _broadcast(total: int, status: str):
    from datetime import UTC, datetime

    from storage.broadcasts import Broadcast

    start = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    return Broadcast(7, "telegram", "9000", "en", "x", Audience(), status, None, total, None,
                     start, start, start + timedelta(seconds=100))
