"""Greeting, help, language choice, cancel and the main menu."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.menu import main_menu, main_menu_buttons
from handlers.router import Router
from handlers.types import Button, Reply
from knowledge.languages import LANGUAGE_NAMES, LANGUAGES


def language_buttons() -> tuple[Button, ...]:
    """One button per language, labelled in that language."""
    return tuple(Button(LANGUAGE_NAMES[lang], f"lang:{lang}") for lang in LANGUAGES)


async def start(ctx: Ctx) -> list[Reply]:
    """Greet the user and offer the languages and the main menu."""
    name = ctx.incoming.display_name or ""
    return [
        ctx.say("core.greeting", name=name, buttons=language_buttons() + main_menu_buttons(ctx))
    ]


async def help_(ctx: Ctx) -> list[Reply]:
    """Explain what the assistant can do and list the commands (staff: theirs too)."""
    from handlers.staff.help import staff_help  # late: handlers.staff imports this package

    text = ctx.t("core.help")
    staff = await staff_help(ctx)
    if staff:
        text = f"{text}\n\n{staff}"
    return [Reply(text, main_menu_buttons(ctx))]


async def language(ctx: Ctx) -> list[Reply]:
    """Set the language given as argument, or offer the choice."""
    choice = ctx.incoming.args.strip().lower()
    if choice in LANGUAGES:
        return await choose_language(ctx, choice)
    return [ctx.say("core.choose_language", buttons=language_buttons())]


async def choose_language(ctx: Ctx, value: str) -> list[Reply]:
    """Store the chosen language and confirm it in that language."""
    if value not in LANGUAGES:
        return [ctx.say("core.stale_button", buttons=language_buttons())]
    await ctx.deps.storage.users.set_language(ctx.user.id, value, explicit=True)
    ctx.user = await ctx.deps.storage.users.get_by_id(ctx.user.id)
    return [ctx.say("core.language_set", buttons=main_menu_buttons(ctx))]


async def cancel(ctx: Ctx) -> list[Reply]:
    """Stop the current flow (after the flow's own confirmation, if it has one)."""
    if ctx.conv is None:
        return [ctx.say("core.nothing_to_cancel", buttons=main_menu_buttons(ctx))]
    guard = ctx.cancel_guards.get(ctx.conv.flow)
    if guard is not None:
        asked = await guard(ctx)
        if asked:
            return asked
    await ctx.clear_state()
    return [ctx.say("core.cancelled", buttons=main_menu_buttons(ctx))]


async def menu(ctx: Ctx) -> list[Reply]:
    """Show the main menu."""
    return [main_menu(ctx)]


async def menu_button(ctx: Ctx, command: str) -> list[Reply]:
    """A main-menu button runs the command of the same name."""
    if command == "help":
        return await help_(ctx)
    return await ctx.command(command)


def register(router: Router) -> None:
    router.command("start", "mulai")(start)
    router.command("help", "bantuan")(help_)
    router.command("language", "bahasa")(language)
    router.command("cancel", "batal")(cancel)
    router.command("menu")(menu)
    router.payload("lang")(choose_language)
    router.payload("menu")(menu_button)
