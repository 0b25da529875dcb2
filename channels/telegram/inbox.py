"""The durable inbox: each update is stored before Telegram learns it arrived, replayed after a crash.

PTB confirms polled updates through the offset of its next getUpdates call, before our handlers
have answered them; `InboxBot.get_updates` stores every fetched update first, so a kill loses none.
"""

from __future__ import annotations

import json
import logging

from telegram import Update
from telegram.ext import Application, ExtBot

from storage.inbox import InboxRepo

log = logging.getLogger(__name__)


class InboxBot(ExtBot):
    """PTB's bot whose getUpdates stores the updates it returns (one transaction) before returning."""

    __slots__ = ("_floor", "_inbox")  # PTB freezes public attributes after __init__

    def __init__(self, *args, inbox: InboxRepo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._inbox = inbox
        self._floor = 0  # updates below this id are already in the inbox: confirm, never re-fetch

    def skip_below(self, update_id: int) -> None:
        """Never fetch updates older than `update_id` again (they are being replayed)."""
        self._floor = max(self._floor, update_id)

    async def get_updates(self, offset: int | None = None, **kwargs) -> tuple[Update, ...]:
        offset = max(offset or 0, self._floor) or None
        updates = await super().get_updates(offset=offset, **kwargs)
        if updates:  # a failure here raises: PTB then keeps its offset, nothing is confirmed
            await self._inbox.add_many((u.update_id, u.to_json()) for u in updates)
        return updates


async def replay(app: Application, inbox: InboxRepo) -> int:
    """Queue the updates left unanswered by the last run, oldest first; return how many."""
    pending = await inbox.pending()
    for row in pending:
        try:
            update = Update.de_json(json.loads(row.body), app.bot)
        except Exception:  # a stored body PTB can no longer read: nothing to answer
            log.warning("stored update %s unreadable; dropped", row.update_id)
            await inbox.done(row.update_id)
            continue
        await app.update_queue.put(update)
    if pending:
        if isinstance(app.bot, InboxBot):
            app.bot.skip_below(pending[-1].update_id + 1)
        log.info("replaying %d update(s) left unanswered by the last run", len(pending))
    return len(pending)
