"""The staff part of /help: the commands each of the user's roles allows, described."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.roles import user_roles

# (command as the router names it, role it needs); texts `staffhelp.<command>` describe them.
# tests/test_staff_help.py checks this table against the router, so it cannot drift.
STAFF_COMMANDS = (
    ("tinjau", "reviewer"),
    ("ekspor", "reviewer"),
    ("statistik", "viewer"),
    ("siaran", "broadcaster"),
    ("belumterjawab", "admin"),
    ("reload", "admin"),
    ("staf", "admin"),
    ("tiket", "agent"),  # talk to a person (handlers/handoff)
    ("balas", "agent"),
    ("tutup", "agent"),
    ("kembalikan", "agent"),
    ("tampilnama", "agent"),
)


async def staff_help(ctx: Ctx) -> str | None:
    """The staff commands the user may use, as a text; None for someone with no role."""
    roles = await user_roles(ctx)
    if not roles:
        return None
    lines = [ctx.t(f"staffhelp.{name}") for name, role in STAFF_COMMANDS if role in roles]
    return ctx.t("staffhelp.header", roles=sorted(roles), lines=lines)
