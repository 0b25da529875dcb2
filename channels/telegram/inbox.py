"""Telegram's side of the inbox: polled updates stored before PTB can confirm them; replay.

PTB confirms polled updates through the offset of its next getUpdates call, before our handlers
have answered them; `InboxBot.get_updates` stores every fetched update first (one transaction),
so a kill loses none. The shared pipeline (channels/common/inbox.py) does the rest.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from telegram import Update
from telegram.ext import Application, ExtBot

from channels.common.inbox import Pipeline
from storage.inbox import RECEIVED, InboxMessage

log = logging.getLogger(__name__)
# Calls whose answer is the message sent: its keyboard is ours, never read back, so it is not
# parsed again (a 4-button inline keyboard: Message.de_json 85 -> 54 us). Of a sent text only
# the id is ever read (the broadcast's progress message is edited by it): PTB parses just the
# fields a Message needs (a file's answer is kept whole: its file_id is cached).
SENDS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
KEPT_OF_A_TEXT = ("message_id", "date", "chat")


class InboxBot(ExtBot):
    """PTB's bot whose getUpdates stores the updates it returns before returning them.

    An update already stored (being replayed, or answered before a kill kept PTB from
    confirming it) is confirmed but not returned: it is never answered twice.
    """

    __slots__ = ("_floor", "_pipeline", "_raw")  # PTB freezes public attributes after __init__

    def __init__(self, *args, pipeline: Pipeline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pipeline = pipeline
        self._floor = 0  # updates below this id are already in the inbox: confirm, never re-fetch
        self._raw: dict[int, str] = {}  # the last batch as Telegram sent it, by update_id

    async def _post(self, endpoint: str, data=None, *args, **kwargs):
        """PTB's one HTTP call; getUpdates' answer is kept as JSON text before PTB parses it; of
        a sent text PTB gets only its id, date and chat, of a sent file all but its keyboard."""
        result = await super()._post(endpoint, data, *args, **kwargs)
        if endpoint == "sendMessage" and isinstance(result, dict):
            result = {key: result[key] for key in KEPT_OF_A_TEXT if key in result}
        elif endpoint in SENDS and isinstance(result, dict):
            result.pop("reply_markup", None)
        elif endpoint == "getUpdates" and isinstance(result, list):
            # Stored as sent: cheaper than Update.to_json() on the parsed objects.
            self._raw = {
                item["update_id"]: json.dumps(item, ensure_ascii=False)
                for item in result
                if isinstance(item, dict) and isinstance(item.get("update_id"), int)
            }
        return result

    def skip_below(self, update_id: int) -> None:
        """Never fetch updates older than `update_id` again (they are being replayed)."""
        self._floor = max(self._floor, update_id)

    async def get_updates(self, offset: int | None = None, **kwargs) -> tuple[Update, ...]:
        offset = max(offset or 0, self._floor) or None
        updates = await super().get_updates(offset=offset, **kwargs)
        if not updates:
            return updates
        raw, self._raw = self._raw, {}
        rows = [(str(u.update_id), raw.get(u.update_id) or u.to_json()) for u in updates]
        # A failure here raises: PTB then keeps its offset, nothing is confirmed.
        new = await self._pipeline.store(rows)
        if len(new) < len(updates):
            self.skip_below(updates[-1].update_id + 1)
            return tuple(u for u in updates if str(u.update_id) in new)
        return updates


async def replay(app: Application, pipeline: Pipeline, resume: Callable[[InboxMessage], None]) -> int:
    """Queue the updates left unanswered by the last run, oldest first; return how many.

    Rows whose handling had started are given to `resume` (the bridge) before they are queued,
    so it finishes them in their chat's order instead of handling them again.
    """
    return await queue_stored(app, pipeline, resume, await pipeline.pending())


async def queue_stored(
    app: Application, pipeline: Pipeline, resume: Callable[[InboxMessage], None],
    pending: list[InboxMessage],
) -> int:
    """Queue stored updates (left by the last run, or taken over from a stopped worker)."""
    top = 0
    for row in pending:
        try:
            update = Update.de_json(json.loads(row.body), app.bot)
        except Exception:  # a stored body PTB can no longer read: nothing to answer
            log.warning("stored update %s unreadable; dropped", row.key)
            await pipeline.forget(row.key)
            continue
        if row.status != RECEIVED:
            resume(row)
        top = max(top, update.update_id)
        await app.update_queue.put(update)
    if top and isinstance(app.bot, InboxBot):
        app.bot.skip_below(top + 1)
    return len(pending)
