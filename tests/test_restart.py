"""State lives in storage: a new process on the same database continues every conversation."""

from __future__ import annotations

from handlers import Assistant
from handlers.app import build_router
from handlers.router import Router
from tests.support.chat import Chat
from wiring.deps import open_deps


def router_with_demo_flow() -> Router:
    """The real router plus a two-step demo flow that stores its answers in the draft."""
    router = build_router()

    @router.command("demo")
    async def begin(ctx):
        await ctx.set_state("demo", "first", {})
        return []

    @router.flow("demo")
    async def step(ctx):
        draft = {**ctx.conv.draft, ctx.conv.step: ctx.incoming.text}
        await ctx.set_state("demo", "second", draft)
        return []

    return router


async def test_language_and_half_finished_flow_survive_a_restart(settings):
    first = await open_deps(settings)
    chat = Chat(Assistant(first, router_with_demo_flow()))
    await chat.send("/start")
    await chat.press("English")
    await chat.send("/demo")
    await chat.send("Warung Sari")
    await first.storage.close()

    second = await open_deps(settings)  # what a restarted process does
    chat = Chat(Assistant(second, router_with_demo_flow()))
    await chat.send("/help")
    assert "/register" in chat.text  # still English
    user = await second.storage.users.get("telegram", chat.user_id)
    conv = await second.storage.conversations.get(user.id)
    assert (conv.flow, conv.step, conv.draft) == ("demo", "second", {"first": "Warung Sari"})
    await second.storage.close()
