"""`/staf` (`/staff`): admins list, grant and remove staff roles from the chat."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.roles import ROLES, role_label, role_labels
from handlers.router import Router
from handlers.staff.common import audit, parse_member, split_args, subcommand
from handlers.types import Reply

ACTIONS = {"add": ("tambah", "beri", "grant"), "remove": ("hapus", "cabut", "revoke", "del")}
# The code, then every language's label (texts `staff.role_<code>`, lower case), then short words.
ROLE_ALIASES = {
    "admin": ("admin", "pentadbir"),
    "broadcaster": ("penyiar", "siaran"),
    "reviewer": ("peninjau", "penyemak", "tinjau"),
    "viewer": ("pemantau", "pemerhati", "lihat"),
    "agent": ("petugas", "pegawai"),
}


async def staff(ctx: Ctx) -> list[Reply]:
    """List staff, or grant/remove a role: `/staf tambah|hapus CHANNEL:ID ROLE`."""
    args = split_args(ctx)
    if not args:
        return await list_staff(ctx)
    action = subcommand(args[0], ACTIONS)
    member = parse_member(args[1]) if len(args) == 3 else None
    role = subcommand(args[2], ROLE_ALIASES) if len(args) == 3 else None
    if action is None or member is None or role is None:
        return [ctx.say("staff.roles_usage", roles=", ".join(ROLES),
                        labels=", ".join(role_labels(ctx.t, ROLES)))]
    if action == "add":
        return await grant(ctx, member, role)
    return await revoke(ctx, member, role)


async def list_staff(ctx: Ctx) -> list[Reply]:
    """Every staff member with their roles, admins from the configuration marked."""
    members: dict[str, list[str]] = {}
    for granted in await ctx.deps.storage.roles.all():
        members.setdefault(granted.key, []).append(granted.role)
    configured = sorted(ctx.deps.settings.admin_ids)
    rows = [{"member": key, "roles": role_labels(ctx.t, roles)}
            for key, roles in sorted(members.items())]
    await audit(ctx, "staff.list")
    return [ctx.say("staff.roles_list", configured=configured, rows=rows)]


async def grant(ctx: Ctx, member: tuple[str, str], role: str) -> list[Reply]:
    """Give `role` to the member and audit it."""
    key = ":".join(member)
    added = await ctx.deps.storage.roles.grant(*member, role, granted_by=ctx.user.key)
    if added:
        await audit(ctx, "role.grant", key, role=role)
        return [ctx.say("staff.role_granted", member=key, role=role_label(ctx.t, role))]
    return [ctx.say("staff.role_already", member=key, role=role_label(ctx.t, role))]


async def revoke(ctx: Ctx, member: tuple[str, str], role: str) -> list[Reply]:
    """Take `role` from the member and audit it; configured admins stay admins."""
    key = ":".join(member)
    removed = await ctx.deps.storage.roles.revoke(*member, role)
    if removed:
        await audit(ctx, "role.revoke", key, role=role)
    configured = ctx.deps.settings.is_admin(*member)
    if removed:
        return [ctx.say("staff.role_removed", member=key, role=role_label(ctx.t, role),
                        configured=configured)]
    return [ctx.say("staff.role_not_held", member=key, role=role_label(ctx.t, role),
                        configured=configured)]


def register(router: Router) -> None:
    router.command("staf", "staff", role="admin")(staff)
