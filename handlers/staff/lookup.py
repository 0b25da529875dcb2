"""Deps.role_lookup: roles granted from the chat, read from storage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from storage import Storage, User


def stored_roles(storage: Storage) -> Callable[[User], Awaitable[set[str]]]:
    """An async fn(User) -> the roles stored for that user (Deps.role_lookup)."""

    async def lookup(user: User) -> set[str]:
        return await storage.roles.roles_of(user.channel, user.user_id)

    return lookup
