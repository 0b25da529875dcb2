"""Staff roles: admins come from ADMIN_IDS; granted roles are checked here too."""

from __future__ import annotations

from collections.abc import Callable

from handlers.context import Ctx
from handlers.deps import Deps

ROLES = ("admin", "broadcaster", "reviewer", "viewer", "agent")


def role_label(t: Callable[[str], str], role: str) -> str:
    """A role's name for people, in the reader's language (texts `staff.role_<code>`)."""
    return t(f"staff.role_{role}") if role in ROLES else role


def role_labels(t: Callable[[str], str], roles) -> list[str]:
    """The labels of several roles, in ROLES order (admin first)."""
    return [role_label(t, role) for role in ROLES if role in roles]


async def user_roles(ctx: Ctx) -> set[str]:
    """Every role the user holds; an admin holds them all."""
    if ctx._roles is None:
        roles: set[str] = set()
        if ctx.deps.settings.is_admin(ctx.user.channel, ctx.user.user_id):
            roles.add("admin")
        lookup = ctx.deps.role_lookup
        if lookup is not None:
            roles |= await lookup(ctx.user)
        if "admin" in roles:
            roles |= set(ROLES)
        ctx._roles = roles
    return ctx._roles


async def has_role(ctx: Ctx, role: str | None) -> bool:
    """True if no role is needed or the user holds it."""
    return role is None or role in await user_roles(ctx)


async def holds_role(deps: Deps, channel: str, user_id: str, role: str) -> bool:
    """has_role for someone outside the conversation (e.g. a scheduled broadcast's author)."""
    if deps.settings.is_admin(channel, user_id):
        return True
    roles = await deps.storage.roles.roles_of(channel, user_id)
    return "admin" in roles or role in roles
