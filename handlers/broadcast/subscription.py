"""Users stop or resume receiving announcements."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.types import Reply


async def unsubscribe(ctx: Ctx) -> list[Reply]:
    """Stop announcements for this user (replies to their own messages continue)."""
    already = not ctx.user.subscribed
    await ctx.deps.storage.users.set_subscribed(ctx.user.id, False)
    key = "broadcast.already_unsubscribed" if already else "broadcast.unsubscribed"
    return [ctx.say(key, buttons=main_menu_buttons(ctx))]


async def subscribe(ctx: Ctx) -> list[Reply]:
    """Receive announcements again."""
    already = ctx.user.subscribed
    await ctx.deps.storage.users.set_subscribed(ctx.user.id, True)
    key = "broadcast.already_subscribed" if already else "broadcast.subscribed"
    return [ctx.say(key, buttons=main_menu_buttons(ctx))]
