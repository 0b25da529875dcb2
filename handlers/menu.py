"""The main menu shown after greetings, fallbacks and finished tasks."""

from __future__ import annotations

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
