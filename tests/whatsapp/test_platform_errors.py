"""WhatsApp error bodies: token-level failures, undeliverable direct replies, pair rate limit."""

from __future__ import annotations

import logging

import pytest

from handlers.outbound import ChannelDown, RecipientRetryLater
from handlers.types import Reply

USER = "6281234567890"


@pytest.mark.parametrize("code", [190, 368])
async def test_token_level_failures_are_channel_failures(wa_server, code):
    await wa_server.text(USER, "halo")  # inside the 24-hour window
    wa_server.graph.fail(code)
    with pytest.raises(ChannelDown) as caught:
        await wa_server.channel.sender.send(USER, [Reply("Pengumuman")])
    assert str(code) in str(caught.value)


async def test_the_pair_rate_limit_is_per_recipient(wa_server):
    await wa_server.text(USER, "halo")
    wa_server.graph.fail(131056)
    with pytest.raises(RecipientRetryLater):
        await wa_server.channel.sender.send(USER, [Reply("Pengumuman")])


async def test_an_undeliverable_direct_reply_marks_the_user(wa_server):
    await wa_server.text(USER, "halo")
    wa_server.graph.fail(131026, to=USER)
    await wa_server.text(USER, "/bantuan")
    assert (await wa_server.deps.storage.users.get("whatsapp", USER)).blocked


async def test_a_refused_token_on_a_direct_reply_opens_the_breaker_once(wa_server, caplog):
    wa_server.graph.fail(190, times=2)
    with caplog.at_level(logging.ERROR, logger="handlers.breaker"):
        await wa_server.text(USER, "halo")
        await wa_server.text(USER, "halo lagi")
    assert wa_server.deps.breakers["whatsapp"].is_open
    assert len([r for r in caplog.records if "refuses the channel" in r.getMessage()]) == 1
    with caplog.at_level(logging.WARNING, logger="handlers.breaker"):
        assert await wa_server.text(USER, "halo")  # accepted again: closed by itself
    assert not wa_server.deps.breakers["whatsapp"].is_open
    assert "accepts messages again" in caplog.text
