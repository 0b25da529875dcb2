"""The WhatsApp Sender against the stand-in Graph API: the 24-hour rule and the error codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from channels.whatsapp.client import GraphClient, ShapeError
from channels.whatsapp.sender import WhatsAppSender, template_parameter
from handlers.outbound import (
    ChannelDown,
    PermanentFailure,
    RecipientBlocked,
    RecipientRetryLater,
    RetryLater,
    SendError,
)
from handlers.types import Button, Reply
from tests.fakes import graph_api
from wiring.deps import open_deps

INSIDE, OUTSIDE, NEVER = "6281111111111", "6282222222222", "60123333333"
ANNOUNCEMENT = "Pameran UMKM di Little Bandung.\n\nDaftar sebelum   tanggal 5!"


@pytest.fixture
async def sender(make_settings, wa_env, graph) -> AsyncIterator[WhatsAppSender]:
    deps = await open_deps(make_settings(**wa_env, WHATSAPP_API_URL=graph.url))
    client = GraphClient(graph.url, graph_api.PHONE_NUMBER_ID, graph_api.TOKEN)
    sender = WhatsAppSender(client, deps.storage, deps.knowledge, deps.settings)
    sender.retry_after = {code: 0.01 for code in sender.retry_after}
    repo, users = deps.storage.whatsapp, deps.storage.users
    for wa_id in (INSIDE, OUTSIDE, NEVER):
        await users.touch("whatsapp", wa_id, None)
    await repo.record_inbound(INSIDE)
    await repo.record_inbound(OUTSIDE)
    stale = (deps.storage.db.now() - timedelta(hours=25)).isoformat()
    await deps.storage.db.execute(
        "UPDATE whatsapp_contacts SET last_inbound_at = ? WHERE wa_id = ?", (stale, OUTSIDE)
    )
    yield sender
    await client.aclose()
    await deps.storage.close()


def template_of(body: dict) -> tuple[str, str, str]:
    template = body["template"]
    return (
        template["name"],
        template["language"]["code"],
        template["components"][0]["parameters"][0]["text"],
    )


async def test_inside_window_free_text_outside_template(sender, graph):
    (inside_id,) = await sender.send(INSIDE, [Reply(ANNOUNCEMENT)])
    (outside_id,) = await sender.send(OUTSIDE, [Reply(ANNOUNCEMENT)])
    (never_id,) = await sender.send(NEVER, [Reply(ANNOUNCEMENT)])
    assert len({inside_id, outside_id, never_id}) == 3
    (free,) = graph.sent_to(INSIDE)
    assert (
        free["type"] == "text"
        and free["text"]["body"] == ANNOUNCEMENT
        and free["to"] == f"+{INSIDE}"
    )
    (tpl,) = graph.sent_to(OUTSIDE)
    assert template_of(tpl) == (
        "pengumuman",
        "id",
        "Pameran UMKM di Little Bandung. · Daftar sebelum tanggal 5!",
    )
    (tpl_ms,) = graph.sent_to(NEVER)  # never wrote: outside; +60 number: Malay template
    assert template_of(tpl_ms)[1] == "ms"
    assert graph.rejected == []


async def test_chosen_language_picks_the_template_language(sender, graph):
    user = await sender.storage.users.get("whatsapp", OUTSIDE)
    await sender.storage.users.set_language(user.id, "en")
    await sender.send(OUTSIDE, [Reply("Hello")])
    assert template_of(graph.sent_to(OUTSIDE)[0])[:2] == ("pengumuman", "en")


async def test_131047_falls_back_to_the_template(sender, graph):
    graph.window_closed.add(INSIDE)  # Meta's clock says the window has closed
    (wamid,) = await sender.send(INSIDE, [Reply(ANNOUNCEMENT)])
    assert [code for _, code in graph.refused] == [131047]
    (tpl,) = graph.sent_to(INSIDE)
    assert tpl["type"] == "template"
    assert (await sender.storage.whatsapp.get_sent(wamid)).wa_id == INSIDE


@pytest.mark.parametrize(("code", "error"), [(130429, RetryLater), (131056, RecipientRetryLater)])
async def test_rate_limits_ask_to_retry_later(sender, graph, code, error):
    graph.fail(code)  # 131056 is the pair rate: only that recipient waits
    with pytest.raises(error) as caught:
        await sender.send(INSIDE, [Reply("Halo")])
    assert caught.value.retry_after > 0
    assert len(await sender.send(INSIDE, [Reply("Halo")])) == 1  # the retry goes through


async def test_undeliverable_marks_the_user_blocked(sender, graph):
    graph.fail(131026)
    with pytest.raises(RecipientBlocked):
        await sender.send(OUTSIDE, [Reply("Halo")])
    assert (await sender.storage.users.get("whatsapp", OUTSIDE)).blocked


async def test_opted_out_unsubscribes_the_user(sender, graph):
    graph.fail(131050)
    with pytest.raises(RecipientBlocked):
        await sender.send(OUTSIDE, [Reply("Halo")])
    user = await sender.storage.users.get("whatsapp", OUTSIDE)
    assert not user.subscribed and not user.blocked


async def test_other_errors(sender, graph):
    graph.fail(132001)
    with pytest.raises(PermanentFailure):
        await sender.send(OUTSIDE, [Reply("Halo")])
    graph.fail(131000)
    with pytest.raises(SendError) as caught:
        await sender.send(INSIDE, [Reply("Halo")])
    assert not caught.value.permanent


async def test_unknown_template_is_refused_by_the_stand_in(sender, graph):
    sender.template_name = "not_approved"
    with pytest.raises(PermanentFailure):
        await sender.send(OUTSIDE, [Reply("Halo")])
    assert graph.rejected and "does not exist" in graph.rejected[0][1]


async def test_network_failure_is_temporary(sender, graph):
    client = GraphClient("http://127.0.0.1:9/v23.0", graph_api.PHONE_NUMBER_ID, "t")
    sender.client = client
    try:
        with pytest.raises(SendError) as caught:
            await sender.send(INSIDE, [Reply("Halo")])
        assert not caught.value.permanent
    finally:
        await client.aclose()


async def test_buttons_and_long_announcements_inside_the_window(sender, graph):
    long = "Pengumuman penting. " * 400  # 8,000 characters
    ids = await sender.send(INSIDE, [Reply(long, (Button("Daftar", "menu:daftar"),))])
    sent = graph.sent_to(INSIDE)
    assert len(ids) == len(sent) == 3 and graph.rejected == []
    assert sent[-1]["type"] == "interactive"


def test_template_parameter_is_one_clipped_line():
    assert template_parameter("a\n\n b\tc     d") == "a · b c d"
    clipped = template_parameter("x" * 5000)
    assert len(clipped) == 900 and clipped.endswith("…")


async def test_client_never_sends_a_rejectable_shape(graph):
    client = GraphClient(graph.url, graph_api.PHONE_NUMBER_ID, graph_api.TOKEN)
    buttons = [{"type": "reply", "reply": {"id": f"b{i}", "title": f"B{i}"}} for i in range(4)]
    body = {
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": "?"}, "action": {"buttons": buttons}},
    }
    try:
        with pytest.raises(ShapeError, match="4 buttons"):
            await client.send_message("+6281234567890", body)
        with pytest.raises(ShapeError, match="text body"):
            await client.send_message("+6281234567890", {"type": "text", "text": {"body": " "}})
    finally:
        await client.aclose()
    assert graph.messages == [] and graph.rejected == []  # nothing reached the API


async def test_wrong_token_is_a_channel_failure_not_a_permanent_one(sender, graph):
    client = GraphClient(graph.url, graph_api.PHONE_NUMBER_ID, "expired-token")
    sender.client = client
    try:
        with pytest.raises(ChannelDown, match="190"):
            await sender.send(INSIDE, [Reply("Halo")])
    finally:
        await client.aclose()
