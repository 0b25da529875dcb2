"""Per-user order: one user's messages run one after another, end to end, in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable


class Turn:
    """A place in one user's queue, taken when created; `async with` waits for the turn."""

    def __init__(self, order: UserOrder, key: Hashable) -> None:
        self._order, self._key = order, key
        self._previous = order._tail.get(key)
        self._mine = asyncio.get_running_loop().create_future()
        order._tail[key] = self._mine

    async def __aenter__(self) -> None:
        if self._previous is not None:
            try:
                await asyncio.shield(self._previous)
            except BaseException:  # cancelled while waiting: never block the ones behind
                self.release()
                raise

    async def __aexit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Let the next message of this user go (also when this one never ran)."""
        if not self._mine.done():
            self._mine.set_result(None)
        if self._order._tail.get(self._key) is self._mine:
            del self._order._tail[self._key]


class UserOrder:
    """Queues per user: different users run concurrently, one user's messages in order.

    The channels' one place for order: handling *and* delivery of a message finish before the
    user's next message is read (so it is read against the buttons the user was shown).
    """

    def __init__(self) -> None:
        self._tail: dict[Hashable, asyncio.Future[None]] = {}

    def turn(self, key: Hashable) -> Turn:
        """Take the next place in `key`'s queue now (call it in arrival order, before awaiting)."""
        return Turn(self, key)

    def __len__(self) -> int:
        return len(self._tail)
