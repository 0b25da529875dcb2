"""Helpers shared by the staff tools: who acts, the audit trail, member ids, sub-commands."""

from __future__ import annotations

import re
from typing import Any

from handlers.context import Ctx

_MEMBER = re.compile(r"^(telegram|whatsapp|console):([A-Za-z0-9_+\-]{1,64})$")


def actor(ctx: Ctx) -> str:
    """`channel:user_id` of the staff member acting."""
    return ctx.user.key


async def audit(ctx: Ctx, action: str, target: str | None = None, **detail: Any) -> None:
    """Write one audit row for the staff member's action (with `via` when not from the chat)."""
    if ctx.via is not None:
        detail.setdefault("via", ctx.via)
    await ctx.deps.storage.audit.record(actor(ctx), action, target, detail)


def parse_member(text: str) -> tuple[str, str] | None:
    """`telegram:123` -> ("telegram", "123"); None if it is not CHANNEL:ID."""
    match = _MEMBER.match(text.strip())
    return (match[1], match[2]) if match else None


def split_args(ctx: Ctx) -> list[str]:
    """The command's arguments, split on whitespace."""
    return ctx.incoming.args.split()


def subcommand(word: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The canonical sub-command for `word` (any alias, any case), else None."""
    folded = word.casefold()
    for name, aliases in table.items():
        if folded == name or folded in aliases:
            return name
    return None
