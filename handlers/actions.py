"""Requests in words ("cek status pendaftaran sy dong"): the action name -> what the bot does.

The one table ACTIONS maps every action the intent rules (knowledge/intents.yaml) can name to
its handler. Most run the command of the same meaning, with its own checks and confirmations;
where acting on a misread message would be costly, the handler offers a button instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers import offers
from handlers.context import Ctx
from handlers.core import language_buttons
from handlers.faq import CONTACT_TOPIC, answer_topic
from handlers.menu import main_menu_buttons
from handlers.registration.named import edit_named
from handlers.types import Reply

ActionHandler = Callable[[Ctx, str | None], Awaitable[list[Reply]]]
HANDOFF_COMMAND = "petugas"  # issue 15's "ask for a person"; until it exists: the office contact


def run(command: str) -> ActionHandler:
    """An action that runs `/command` as if typed (role checks and confirmations included)."""

    async def action(ctx: Ctx, _to: str | None) -> list[Reply]:
        return await ctx.command(command)

    action.__doc__ = f"Run /{command}."
    return action


async def switch_language(ctx: Ctx, to: str | None) -> list[Reply]:
    """Use the language asked for ("reply in English") as the user's choice; else offer them."""
    if to is None:
        return [ctx.say("core.choose_language", buttons=language_buttons())]
    await ctx.deps.storage.users.set_language(ctx.user.id, to, explicit=True)
    ctx.user = await ctx.deps.storage.users.get_by_id(ctx.user.id)
    return [ctx.say("understand.language_chosen", buttons=main_menu_buttons(ctx))]


async def edit(ctx: Ctx, _to: str | None) -> list[Reply]:
    """/ubah; with a field named ("mau ganti no hp"), straight to that field's question."""
    replies = await ctx.command("ubah")
    return await edit_named(ctx, ctx.incoming.text or "") or replies


async def handoff(ctx: Ctx, _to: str | None) -> list[Reply]:
    """A person: the handoff command when it exists, else how to reach the office."""
    if ctx.has_command(HANDOFF_COMMAND):
        return await ctx.command(HANDOFF_COMMAND)
    return answer_topic(ctx, CONTACT_TOPIC)


async def offer_unsubscribe(ctx: Ctx, _to: str | None) -> list[Reply]:
    """Stopping announcements on a misread message is costly: offer the button (a typed "ya"
    answers it too), do not act."""
    await offers.ask(ctx, "menu:berhenti")
    return [
        ctx.say(
            "understand.unsubscribe_offer",
            buttons=(
                ctx.button("understand.unsubscribe_yes", "menu:berhenti"),
                *main_menu_buttons(ctx),
            ),
        )  # fmt: skip
    ]


ACTIONS: dict[str, ActionHandler] = {
    "register": run("daftar"),  # starts with the consent question
    "status": run("status"),
    "edit": edit,
    "mydata": run("datasaya"),
    "forget": run("hapus"),  # /hapus always asks for confirmation before erasing
    "language": switch_language,
    "handoff": handoff,
    "subscribe": run("langganan"),
    "unsubscribe": offer_unsubscribe,
    "help": run("help"),
    "menu": run("menu"),
}
