"""Platform errors handled right: a per-channel circuit breaker for token-level failures, a
per-recipient wait for WhatsApp's pair rate limit, and Telegram's mapping of 401."""

from __future__ import annotations

import time

import pytest

from channels.telegram.retry import policy
from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from handlers.outbound import Breaker, ChannelDown, RecipientRetryLater
from handlers.types import Reply
from storage.audience import Audience
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_bot import running_bot
from tests.fakes.telegram_updates import user
from tests.support.broadcasting import RecordingSender
from tests.test_broadcast_outbox import FAST, populate, until
from tests.test_webhook_hardening import _inbox_empty
from wiring.deps import open_deps

ADMIN_WA = "6281200000001"


@pytest.fixture
async def two_channels(make_settings):
    """Deps with a Telegram and a WhatsApp admin, recording senders on both channels."""
    deps = await open_deps(make_settings(ADMIN_IDS=f"telegram:9000,whatsapp:{ADMIN_WA}"))
    deps.senders["telegram"] = RecordingSender("telegram")
    deps.senders["whatsapp"] = RecordingSender("whatsapp")
    deps.breakers["telegram"] = Breaker("telegram", probe_every=0.05)
    admin = await deps.storage.users.touch("whatsapp", ADMIN_WA, "Admin")
    await deps.storage.users.set_language(admin.id, "en")
    yield deps
    await deps.storage.close()


async def _counts(deps, broadcast_id: int) -> dict[str, int]:
    return await deps.storage.broadcasts.counts(broadcast_id)


async def test_a_refused_token_pauses_the_outbox_alerts_once_and_it_resumes(two_channels):
    deps = two_channels
    ids = await populate(deps.storage, 12)
    telegram, whatsapp = deps.senders["telegram"], deps.senders["whatsapp"]
    telegram.fail(ChannelDown("Telegram refused the bot token (401)"), times=6)
    broadcast = await deps.storage.broadcasts.create_now(
        ("whatsapp", ADMIN_WA, "en"), "Halo {{ nama }}", Audience(channels=("telegram",)))
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: all(telegram.sent[user_id] for user_id in ids))
        await until(lambda: any("accepts messages" in t for t in whatsapp.sent[ADMIN_WA]))
    # the admin also created the broadcast: its progress messages come in between, in any order
    alerts = [t for t in whatsapp.sent[ADMIN_WA] if "refusing" in t or "accepts messages" in t]
    assert len(alerts) == 2  # once each, not per try (nor again for a refusal that was stale)
    down, up = alerts
    assert "Telegram is refusing the bot" in down and "401" in down
    assert "Telegram accepts messages again" in up
    assert telegram.sent.get("9000", []) == []  # never alerted on the channel that is down
    counts = await _counts(deps, broadcast.id)
    assert counts.get("failed", 0) == 0 and counts.get("blocked", 0) == 0
    rows = await deps.storage.db.fetchall(
        "SELECT attempts FROM deliveries WHERE channel = 'telegram'")
    assert max(row[0] for row in rows) <= 1  # refusals spent no attempt
    assert not deps.breakers["telegram"].is_open


def test_a_refusal_of_a_call_begun_before_the_channel_recovered_reopens_nothing():
    gate = Breaker("telegram", probe_every=60)
    began = time.monotonic()  # a call starts while the channel is refused...
    assert gate.trip()
    assert gate.reset()  # ...another call went through meanwhile...
    assert not gate.trip(began)  # ...so the first one's refusal is stale
    assert not gate.is_open
    assert gate.trip(time.monotonic())  # a refusal of a call begun after the recovery counts
    assert gate.is_open


async def test_a_pair_rate_limit_delays_only_that_recipient(two_channels):
    deps = two_channels
    ids = await populate(deps.storage, 6)
    telegram = deps.senders["telegram"]
    telegram.fail(RecipientRetryLater(0.05, "WhatsApp error 131056"), user_id=ids[0], times=2)
    broadcast = await deps.storage.broadcasts.create_now(
        ("telegram", "9000", "en"), "Halo", Audience())
    worker = BroadcastWorker(deps, **FAST)
    async with worker:
        await until(lambda: all(telegram.sent[user_id] for user_id in ids))
    assert worker.outboxes["telegram"].resume_at == 0.0  # the channel itself never paused
    assert telegram.attempts[ids[0]] == 3 and all(telegram.attempts[u] == 1 for u in ids[1:])
    assert (await _counts(deps, broadcast.id)).get("failed", 0) == 0


async def test_telegram_401_is_a_channel_failure(telegram_api: FakeBotApi, telegram_bot,
                                                telegram_deps):
    sender = telegram_deps.senders["telegram"]
    telegram_api.fail_next("sendMessage", 401, description="Unauthorized")
    with pytest.raises(ChannelDown):
        await sender.send("1003", [Reply("x")])


async def test_a_429_that_outlasts_every_retry_keeps_the_reply_for_later(
    telegram_api: FakeBotApi, telegram_deps
):
    # Two tries, not the fixture's four: each waits Telegram's retry_after (1 s at least).
    fast = policy(attempts=2, backoff=0.05, max_backoff=0.2)
    async with running_bot(telegram_api, Assistant(telegram_deps), fast) as telegram_bot:
        attempts = telegram_bot.channel.bridge.policy.attempts
        telegram_api.fail_next("sendMessage", 429, retry_after=1, times=attempts, chat_id=1001)
        await telegram_bot.send(user(1001, "Sari", "id"), "/start")
        [reply] = await telegram_api.wait_for_messages(1001, 1)
        assert reply["text"].startswith("Halo Sari")  # delivered later, not an apology
        assert len(telegram_api.calls_to("sendMessage", 1001)) == attempts + 1
        await _inbox_empty(telegram_deps)  # kept until delivered, then gone
        assert telegram_api.texts(1001) == [reply["text"]]


async def test_a_refused_token_keeps_a_direct_reply_until_the_channel_accepts_again(
    telegram_api: FakeBotApi, telegram_bot, telegram_deps
):
    telegram_deps.breakers["telegram"] = Breaker("telegram", probe_every=0.05)
    telegram_api.fail_next("sendMessage", 401, description="Unauthorized", chat_id=1001)
    await telegram_bot.send(user(1001, "Sari", "id"), "/start")
    [reply] = await telegram_api.wait_for_messages(1001, 1)
    assert reply["text"].startswith("Halo Sari")  # sent once the token works again, not lost
    assert len(telegram_api.calls_to("sendMessage", 1001)) == 2
    await _inbox_empty(telegram_deps)  # kept until delivered, then gone
    assert not telegram_deps.breakers["telegram"].is_open  # the success closed the breaker
