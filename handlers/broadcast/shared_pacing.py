"""The pace of a channel's sends across every worker on one database (PostgreSQL).

`BROADCAST_RATE` is the channel's, not a worker's: send slots `(1 + LATE + TRANSIT) / rate`
apart are handed out by one row of the database (storage/pace.py), a few at a time, to
whichever worker asks; a worker sends at its slot's time. A slot is used at most LATE seconds
late; later (a stalled process), it is given up and the message takes a new one. So in any
second no more than `rate` messages leave, from all workers together, even if requests'
transit times to the platform differ by up to TRANSIT; with work waiting the bot sends at
rate / (1 + LATE + TRANSIT), 97% of it. A 429 moves that row past the pause, for everyone.

One chat's gap holds across workers too: a message takes its chat (another row) for the time
of its slot; the chat's next message, from any worker, waits a full gap after it.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable

from handlers.broadcast.pacing import Pacer
from storage.pace import PaceRepo

BLOCK = 0.05  # seconds of slots a worker reserves at once (fewer if fewer messages wait)
LATE = 0.01  # seconds a slot may be used late
TRANSIT = 0.02  # seconds by which two requests' travel to the platform may differ
LEAD = 0.05  # slots are reserved at least this far ahead (time to take the chat meanwhile)


class SharedPacer(Pacer):
    """A channel's rate, 429 pauses and chat gaps, shared through the database."""

    def __init__(
        self, pace: PaceRepo, channel: str, rate: float, chat_gap: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(rate, chat_gap)
        self.pace, self.channel, self.clock = pace, channel, clock
        self.key = f"rate:{channel}"
        self.interval = (1 + LATE + TRANSIT) / rate
        self.block = max(1, math.ceil(rate * BLOCK))
        self.given_up = 0  # slots reached too late and not used (a loaded machine)
        self._slots: deque[float] = deque()
        self._reserving = asyncio.Lock()
        self._wanting = 0  # messages waiting for a slot in this worker

    async def gate(self) -> None:
        """In turn here (this worker's order and gap per chat); the slot comes in `go`."""
        await self.pause_over()

    async def go(self, chat: str, retry: bool = False) -> None:
        """A slot, and the chat for that moment; back when it is time to send."""
        chat_key = f"chat:{self.channel}:{chat}"
        while True:
            at = await self._reserve()
            if self.chat_gap > 0:
                busy_until = await self.pace.take_turn(chat_key, at, self.chat_gap)
                if busy_until is not None:  # another worker's message to this chat is recent
                    await self._sleep_until(busy_until)
                    continue
            if await self._sleep_until(at):
                self.stamp(chat)
                return
            self.given_up += 1

    async def slot(self) -> None:
        """One slot (progress messages and reports, outside the queue)."""
        while True:
            if await self._sleep_until(await self._reserve()):
                return
            self.given_up += 1

    async def pause(self, seconds: float) -> None:
        """A 429: no worker sends on this channel for `seconds`."""
        await super().pause(seconds)
        self._slots.clear()  # reserved before the pause: inside it
        await self.pace.push_back(self.key, self.clock() + seconds)

    async def _reserve(self) -> float:
        """The time of this worker's next slot (reserving a few more when none is left)."""
        await self.pause_over()
        self._wanting += 1
        try:
            while not self._slots:
                async with self._reserving:
                    if self._slots:
                        break
                    count = min(self.block, self._wanting)
                    first = await self.pace.reserve(
                        self.key, self.clock() + LEAD, count, self.interval)
                    self._slots.extend(first + i * self.interval for i in range(count))
            return self._slots.popleft()
        finally:
            self._wanting -= 1

    async def _sleep_until(self, at: float) -> bool:
        """Sleep until `at`; False if woken more than LATE after it (the slot is lost)."""
        wait = at - self.clock()
        if wait > 0:
            await asyncio.sleep(wait)
        return self.clock() - at <= LATE
