"""The main menu shown after greetings, fallbacks and finished tasks."""

from __future__ import annotations

import re
from difflib import get_close_matches

from handlers.context import Ctx
from handlers.handoff.buttons import HandButton
from handlers.types import Button, Reply


def main_menu_buttons(ctx: Ctx) -> tuple[Button, ...]:
    """FAQ topics, register business, my status, talk to staff, help."""
    return (
        ctx.button("menu.faq", "menu:faq"),
        ctx.button("menu.register", "menu:daftar"),
        ctx.button("menu.status", "menu:status"),
        ctx.button("handoff.talk_button", HandButton.START.payload()),
        ctx.button("menu.help", "menu:help"),
    )


def main_menu(ctx: Ctx) -> Reply:
    """The main menu as a message of its own."""
    return ctx.say("menu.prompt", buttons=main_menu_buttons(ctx))


def unknown_command(ctx: Ctx, name: str, staff: list[str] | None = None) -> list[Reply]:
    """The hint for an unknown `/name`, naming the command of /help it is a typo of ("/daftr"),
    or of the `staff` commands the user may run."""
    listed = ["help", *re.findall(r"/(\w+)", ctx.t("core.help")), *(staff or ())]
    close = get_close_matches(name, listed, n=1, cutoff=0.8)
    return [
        ctx.say(
            "core.unknown_command",
            command=name,
            suggestion=close[0] if close else "",
            buttons=main_menu_buttons(ctx),
        )
    ]
