"""Replies of one chat in the order its updates arrived (different chats run concurrently)."""

from __future__ import annotations

import asyncio


class ChatOrder:
    """Per chat, a queue of tickets: replies go out in the order the updates arrived.

    Handling itself is ordered by the Assistant's per-user lock (after its flood check), so a
    flooding user's surplus is dropped there at once instead of queueing here first.
    """

    def __init__(self) -> None:
        self._tail: dict[int, asyncio.Future[None]] = {}

    def ticket(self, chat_id: int) -> tuple[asyncio.Future[None] | None, asyncio.Future[None]]:
        """(the previous update's ticket or None, this update's); take it before any await."""
        previous = self._tail.get(chat_id)
        mine = asyncio.get_running_loop().create_future()
        self._tail[chat_id] = mine
        return previous, mine

    def done(self, chat_id: int, mine: asyncio.Future[None]) -> None:
        mine.set_result(None)
        if self._tail.get(chat_id) is mine:
            del self._tail[chat_id]
