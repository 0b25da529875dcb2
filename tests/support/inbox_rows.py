"""One channel's rows of the shared inbox, by the ids the channel's tests think in."""

from __future__ import annotations

from storage.inbox import DONE, HANDLING, REPLIED, InboxMessage, Progress


class ChannelInbox:
    """`deps.storage.inbox` seen from one channel (ids given as ints or strings)."""

    def __init__(self, deps, channel: str = "telegram") -> None:
        self.repo, self.channel = deps.storage.inbox, channel

    async def add(self, key: int | str, body: str) -> bool:
        return bool(await self.repo.add(self.channel, [(str(key), body)]))

    async def add_many(self, rows: list[tuple[int | str, str]]) -> set[str]:
        return await self.repo.add(self.channel, [(str(key), body) for key, body in rows])

    async def handling(self, key: int | str) -> None:
        await self.repo.advance(self.channel, [Progress(str(key), HANDLING)])

    async def replied(self, key: int | str, replies: str) -> None:
        await self.repo.advance(self.channel, [Progress(str(key), REPLIED, replies)])

    async def done(self, key: int | str) -> None:
        await self.repo.advance(self.channel, [Progress(str(key), DONE)])

    async def pending(self) -> list[InboxMessage]:
        return await self.repo.pending(self.channel)

    async def keys(self) -> list[str]:
        return [row.key for row in await self.pending()]
