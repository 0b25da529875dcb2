"""`/masuk` (`/login`): a one-time link that signs a staff member in to the web workspace."""

from __future__ import annotations

import secrets
from datetime import timedelta

from handlers.context import Ctx
from handlers.menu import unknown_command
from handlers.roles import user_roles
from handlers.router import Router
from handlers.staff.common import audit
from handlers.types import Reply

LINK_VALID = timedelta(minutes=10)
PATH = "/staff/masuk/"


def base_url(ctx: Ctx) -> str:
    """Where the workspace is reached: PUBLIC_URL, else the address `serve` listens on."""
    settings = ctx.deps.settings
    return (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")


async def login(ctx: Ctx) -> list[Reply]:
    """Send a sign-in link valid for 10 minutes, once; staff only (others: unknown command)."""
    if not await user_roles(ctx):
        return unknown_command(ctx, "masuk")
    if not ctx.deps.settings.staff_web:
        return [ctx.say("webchat.off")]
    token = secrets.token_urlsafe(32)
    await ctx.deps.storage.staff_web.add_link(
        token, ctx.user.channel, ctx.user.user_id, LINK_VALID
    )
    await audit(ctx, "web.link")
    minutes = int(LINK_VALID.total_seconds() // 60)
    return [ctx.say("webchat.link", url=f"{base_url(ctx)}{PATH}{token}", minutes=minutes)]


def register(router: Router) -> None:
    # No router role: any staff role may sign in; the handler answers others as if unknown.
    router.command("masuk", "login")(login)
