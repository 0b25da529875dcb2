"""When a channel's next message may go: the channel's rate, one chat's gap, a 429 pause.

`Pacer` keeps these in the process: right with one process (SQLite).
"""

from __future__ import annotations

import asyncio
import math
import time

from aiolimiter import AsyncLimiter


def make_limiter(rate: float) -> AsyncLimiter:
    """A leaky bucket holding 1/10 s of sends: steady `rate`; a late wake-up can catch up a
    little, but no second ever sees more than 1.1 x `rate` (25/s -> at most 28, under 30)."""
    capacity = max(1, math.ceil(rate / 10))
    return AsyncLimiter(capacity, capacity / rate)


class Pacer:
    """The pace of one channel's sends in this process."""

    def __init__(self, rate: float, chat_gap: float = 1.0) -> None:
        self.rate, self.chat_gap = rate, chat_gap
        self.limiter = make_limiter(rate)
        self.resume_at = 0.0  # monotonic time the channel may send again after a 429
        self._next_slot: dict[str, float] = {}  # per chat: earliest monotonic time to send
        self._chat_locks: dict[str, asyncio.Lock] = {}  # one call per chat waits its turn

    async def turn(self, chat: str) -> None:
        """Per-chat spacing, then the channel's rate, then any 429 pause.

        The chat's next slot is counted from when this call is let through, and again from the
        moment the message is really handed to the sender (`go`): neither waiting for the
        channel's rate nor rendering may shorten the gap to the next message.
        """
        async with self._chat_locks.setdefault(chat, asyncio.Lock()):
            # the slot may move while we sleep: the message before is stamped when it is sent
            while (wait := self._next_slot.get(chat, 0.0) - time.monotonic()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
            await self.gate()
            now = time.monotonic()
            self._next_slot[chat] = now + self.chat_gap
        if len(self._next_slot) > 10_000:
            self._next_slot = {c: t for c, t in self._next_slot.items() if t > now}
            self._chat_locks = {c: lock for c, lock in self._chat_locks.items()
                                if c in self._next_slot or lock.locked()}

    async def gate(self) -> None:
        """What a message waits for once it is its chat's turn (here: a place under the rate)."""
        await self.slot()

    async def go(self, chat: str, retry: bool = False) -> None:
        """Right before each try of a send: after a 429 (`retry`) a new place under the rate;
        the chat's next message is counted from now."""
        if retry:
            await self.slot()
        self.stamp(chat)

    async def slot(self) -> None:
        """One place under the channel's rate, outside any 429 pause."""
        await self.pause_over()
        await self.limiter.acquire()
        await self.pause_over()

    def stamp(self, chat: str) -> None:
        """The chat's next message waits a full gap from this send, however long rendering took."""
        self._next_slot[chat] = max(self._next_slot.get(chat, 0.0), time.monotonic() + self.chat_gap)

    async def pause_over(self) -> None:
        """Wait while the channel is paused by a 429."""
        while (wait := self.resume_at - time.monotonic()) > 0:  # noqa: ASYNC110 -- a new 429 may move the deadline
            await asyncio.sleep(wait)

    async def pause(self, seconds: float) -> None:
        """The platform said 429: nobody on the channel sends for `seconds`."""
        self.resume_at = max(self.resume_at, time.monotonic() + seconds)
