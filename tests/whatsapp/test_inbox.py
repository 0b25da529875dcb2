"""WhatsApp through the shared inbox: stored before the 200, answered once, replayed after a crash."""

from __future__ import annotations

from channels.whatsapp import whatsapp_web_part
from channels.whatsapp.inbound import inbound_from_json, inbound_to_json
from channels.whatsapp.parse import Inbound
from handlers import Assistant
from handlers.types import Media, Reply
from handlers.wire import answer_to_json
from storage.inbox import HANDLING, REPLIED, Progress
from tests.fakes.asgi import serving
from tests.support.whatsapp import WhatsAppServer, message
from tests.whatsapp.test_e2e import SARI, texts
from wiring.deps import open_deps
from wiring.web import build_app

BUDI, DEWI = "6281234567891", "60123456789"


def test_a_stored_message_reads_back_equal() -> None:
    photo = Media("photo", "media-1", None, "image/jpeg", 2048, "Poster 🎉")
    stored = Inbound("wamid.X", SARI, "Sari", "image", media=photo)
    assert inbound_from_json(inbound_to_json(stored)) == stored


async def test_messages_left_by_a_killed_run_are_finished_at_start_up(make_settings, wa_env, graph):
    deps = await open_deps(make_settings(**wa_env, WHATSAPP_API_URL=graph.url))
    inbox = deps.storage.inbox
    left = {  # what a run killed mid-way left: stored, handling started, replies stored
        "wamid.LEFT1": Inbound("wamid.LEFT1", SARI, "Sari", "text", text="/start"),
        "wamid.LEFT2": Inbound("wamid.LEFT2", BUDI, "Budi", "text", text="/help"),
        "wamid.LEFT3": Inbound("wamid.LEFT3", DEWI, "Dewi", "text", text="Nama saya Dewi"),
    }
    await inbox.add("whatsapp", [(key, inbound_to_json(m)) for key, m in left.items()])
    stored = answer_to_json([Reply("Balasan yang sudah tersimpan")], "id")
    await inbox.advance("whatsapp", [Progress("wamid.LEFT2", REPLIED, stored)])
    await inbox.advance("whatsapp", [Progress("wamid.LEFT3", HANDLING)])
    part = whatsapp_web_part(Assistant(deps))
    channel = part.on_startup[0].__self__
    try:
        async with serving(build_app(deps, [part])) as url:
            server = WhatsAppServer(url, channel, graph)
            await channel.webhook.drain()  # the replay runs in the background
            assert "Sari" in texts(graph.sent_to(SARI))  # received: handled (the greeting)
            assert texts(graph.sent_to(BUDI)) == "Balasan yang sudah tersimpan"  # not handled
            notice = deps.knowledge.texts.render("ms", "inbox.interrupted")  # +60: Malay
            assert texts(graph.sent_to(DEWI)) == notice
            assert await deps.storage.users.get("whatsapp", BUDI) is None  # never handled
            # Meta delivers one of them again: recognised, acknowledged, not answered again.
            again = message(SARI, "text", {"body": "/start"})
            again["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = "wamid.LEFT1"
            before = len(graph.sent_to(SARI))
            assert (await server.post(again)).status_code == 200
            await channel.webhook.drain()
            assert len(graph.sent_to(SARI)) == before
            await server.http.aclose()
        assert await inbox.pending("whatsapp") == []
    finally:
        await deps.storage.close()
