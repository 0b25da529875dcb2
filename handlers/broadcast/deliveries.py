"""Broadcast deliveries as the channel's outbox sends them: the text personalised per recipient."""

from __future__ import annotations

from datetime import datetime

from handlers.broadcast.compose import Personaliser, attachment_of, message_replies
from handlers.deps import Deps
from handlers.outbound import Sender
from handlers.outbox_rows import Job, RowJob, RowSource
from handlers.types import Attachment, Reply
from storage.deliveries import Delivery


class Personalisers:
    """Each broadcast's compiled text and its file (if any), loaded once per broadcast."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._loaded: dict[int, tuple[Personaliser, Attachment | None]] = {}

    async def get(self, broadcast_id: int) -> tuple[Personaliser, Attachment | None]:
        if broadcast_id not in self._loaded:
            storage = self.deps.storage
            broadcast = await storage.broadcasts.get(broadcast_id)
            media = await storage.media.get(broadcast.media_id) if broadcast.media_id else None
            self._loaded[broadcast_id] = (
                Personaliser.of(broadcast.text, broadcast.texts, self.deps.knowledge),
                attachment_of(media),
            )
        return self._loaded[broadcast_id]


class DeliveryJob(RowJob):
    """A broadcast delivery: the broadcast's text personalised for its recipient."""

    kind = "delivery"

    def __init__(self, source: DeliverySource, delivery: Delivery) -> None:
        super().__init__(source.repo, delivery.id, delivery.recipient.user_id, delivery.attempts)
        self.texts, self.delivery = source.texts, delivery

    async def replies(self, sender: Sender) -> list[Reply]:
        personaliser, attachment = await self.texts.get(self.delivery.broadcast_id)
        return message_replies(personaliser.render(self.delivery.recipient), attachment)

    async def sent(self, ids: list[str]) -> None:
        await self.repo.sent(self.row_id, ids[0] if ids else None)

    async def blocked(self, reason: str) -> None:
        await self.repo.blocked(self.row_id, self.delivery.recipient.user_pk, reason)


class DeliverySource(RowSource):
    """Pending deliveries of running broadcasts on one channel."""

    kind = "delivery"

    def __init__(self, deps: Deps, channel: str, worker: str, lease: float) -> None:
        super().__init__(deps.storage.deliveries, channel, worker, lease)
        self.texts = Personalisers(deps)

    async def rows(self, now: datetime, limit: int) -> list[Delivery]:
        return await self.repo.due(self.channel, now, limit)

    async def unreachable(self, row: Delivery) -> None:
        await self.repo.skipped(row.id, "unsubscribed or blocked")

    def job(self, row: Delivery) -> Job:
        return DeliveryJob(self, row)
