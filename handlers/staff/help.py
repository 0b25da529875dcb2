"""The staff part of /help: the commands each of the user's roles allows, described."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.roles import role_labels, user_roles

ANY_ROLE = "any"  # the command checks itself that the user holds some role
# (command as the router names it, role it needs); texts `staffhelp.<command>` describe them.
# tests/test_staff_help.py checks this table against the router, so it cannot drift.
STAFF_COMMANDS = (
    ("masuk", ANY_ROLE),
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
    lines = [
        ctx.t(f"staffhelp.{name}")
        for name, role in STAFF_COMMANDS
        if role in roles or role == ANY_ROLE and _offered(ctx, name)
    ]
    return ctx.t("staffhelp.header", roles=role_labels(ctx.t, roles), lines=lines)


def _offered(ctx: Ctx, name: str) -> bool:
    """/masuk is listed only where the web workspace is on."""
    return name != "masuk" or ctx.deps.settings.staff_web
