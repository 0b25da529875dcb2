"""The language to talk to a user in, outside the core: their choice, else their app's."""

from __future__ import annotations

from knowledge.languages import pick_language
from storage.users import User, UserRepo


def language_of(user: User | None, hint: str | None) -> str:
    """The user's chosen language, else the best match for the platform's hint."""
    return (user.language if user is not None else None) or pick_language(hint)


async def user_language(users: UserRepo, channel: str, user_id: str, hint: str | None) -> str:
    """`language_of` the stored user (one read)."""
    return language_of(await users.get(channel, user_id), hint)
