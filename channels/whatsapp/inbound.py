"""Handling a verified notification: messages through the shared pipeline, statuses recorded.

Each message is stored in the inbox before the webhook answers 200 (de-duplicated by its
message id), then answered by the pipeline in its user's order; after a crash the messages
left are replayed at start-up (channels/common/inbox.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine

from channels.common.inbox import Pipeline, TryLater
from channels.common.retry import RetryPolicy
from channels.whatsapp.client import GraphError
from channels.whatsapp.parse import (
    CHANNEL,
    NOTICE_KINDS,
    Inbound,
    Status,
    language_hint,
    to_incoming,
)
from channels.whatsapp.sender import (
    OPTED_OUT,
    OUTSIDE_WINDOW,
    TOKEN_REFUSED,
    UNDELIVERABLE,
    NothingSent,
    WhatsAppSender,
)
from handlers import Assistant
from handlers.breaker import accepted, breaker, refused
from handlers.direct import release_held
from handlers.logsafe import log_failure
from handlers.outage import OutageLog
from handlers.outbound import SendError
from handlers.types import Button, Incoming, Media, Reply
from storage import Storage
from storage.inbox import InboxMessage

log = logging.getLogger(__name__)
SILENT_KINDS = {"reaction"}  # an emoji on one of our messages: nothing to answer
# Messages and status batches processed at once; the rest wait parked (acks stay quick).
CONCURRENT = 32

# (message id we returned from Sender.send, status, error code) -> update the delivery record
StatusHook = Callable[[str, str, int | None], Awaitable[None]]
Job = Coroutine[object, object, None]


def inbound_to_json(message: Inbound) -> str:
    """A parsed message as stored in the inbox."""
    return json.dumps(dataclasses.asdict(message), ensure_ascii=False)


def inbound_from_json(text: str) -> Inbound:
    """The message `inbound_to_json` stored."""
    data = json.loads(text)
    media = data.get("media")
    return Inbound(**{**data, "media": Media(**media) if media else None})


class WhatsAppArrival:
    """One stored message as the pipeline sees it."""

    def __init__(self, inbound: WhatsAppInbound, message: Inbound) -> None:
        self.inbound, self.message = inbound, message
        self.key = message.message_id
        self.user = (CHANNEL, message.wa_id)
        self.language_hint = language_hint(message.wa_id)

    async def incoming(self) -> Incoming | None:
        """The 24-hour window starts again; typed answers match the options last shown."""
        if self.message.kind in NOTICE_KINDS:  # deleted, edited, number changed...: no answer
            await self.inbound.notice(self.message)
            return None
        repo = self.inbound.storage.whatsapp
        await repo.record_inbound(self.message.wa_id)
        # The window is open again: staff replies held outside it go out now.
        await release_held(self.inbound.assistant.deps, CHANNEL, self.message.wa_id)
        if self.message.kind in SILENT_KINDS:
            return None
        options = await repo.options(self.message.wa_id)
        buttons = tuple(Button(label, payload) for label, payload in options.choices)
        return to_incoming(self.message, buttons, options.numbered)

    async def deliver(self, replies: list[Reply], language: str) -> None:
        """Send with the shared retry policy, while nothing reached the user yet."""
        inbound, wa_id = self.inbound, self.message.wa_id
        deps = inbound.assistant.deps
        try:
            await inbound.policy.call(inbound.sender.deliver, wa_id, replies, language=language)
        except NothingSent as exc:
            code = exc.error.code
            if code in TOKEN_REFUSED:  # the whole channel is refused: breaker, admins told
                await refused(deps, CHANNEL, f"WhatsApp error {code}: {TOKEN_REFUSED[code]}")
                raise TryLater(breaker(deps, CHANNEL).probe_every) from None  # replies kept
            elif code in (UNDELIVERABLE, OPTED_OUT):  # as the broadcast path and statuses do
                await inbound.sender.mark_unreachable(wa_id, code)
                log.info("WhatsApp reply not deliverable (%s); user marked", code)
            else:
                log.warning("WhatsApp reply not sent: %s", exc.error)
        except GraphError as exc:
            log.warning("WhatsApp reply partly sent: %s", exc)
        else:
            await accepted(deps, CHANNEL)

    async def failed(self, error: Exception) -> None:
        log_failure(log, "failed to handle a WhatsApp %s", "message")


class WhatsAppInbound:
    """Messages through the pipeline (each message id once); statuses to the sent records."""

    def __init__(
        self,
        assistant: Assistant,
        sender: WhatsAppSender,
        storage: Storage,
        status_hooks: list[StatusHook] | None = None,
    ) -> None:
        self.assistant, self.sender, self.storage = assistant, sender, storage
        self.status_hooks = status_hooks if status_hooks is not None else []
        self.slots = asyncio.Semaphore(CONCURRENT)
        self.pipeline = Pipeline(assistant, CHANNEL, limit=self.slots)
        outage = OutageLog(log, "WhatsApp Graph API", level=logging.WARNING,
                           consequence="retrying with backoff")  # fmt: skip
        self.policy = RetryPolicy(sender.classify, outage=outage)

    async def accept(self, messages: list[Inbound], statuses: list[Status]) -> list[Job]:
        """Store the new messages (raises StorageError); the work to do, in arrival order."""
        new = await self.pipeline.store([(m.message_id, inbound_to_json(m)) for m in messages])
        jobs: list[Job] = []
        for message in messages:
            if message.message_id not in new:
                log.info("skipping re-delivered WhatsApp message")
                continue
            arrival = WhatsAppArrival(self, message)
            jobs.append(self.pipeline.run(arrival, None, self.pipeline.turn(arrival)))
        if statuses:
            jobs.append(self.statuses(statuses))
        return jobs

    async def replay(self, rows: list[InboxMessage] | None = None) -> list[Job]:
        """The messages the last run left unanswered (or `rows`, taken over from a stopped
        worker), as work in their users' order."""
        jobs: list[Job] = []
        for row in await self.pipeline.pending() if rows is None else rows:
            try:
                message = inbound_from_json(row.body)
            except (ValueError, TypeError):
                log.warning("stored WhatsApp message %s unreadable; dropped", row.key)
                await self.pipeline.forget(row.key)
                continue
            jobs.append(self._resume(WhatsAppArrival(self, message), row))
        return jobs

    def _resume(self, arrival: WhatsAppArrival, row: InboxMessage) -> Job:
        return self.pipeline.run(arrival, row, self.pipeline.turn(arrival))

    async def notice(self, message: Inbound) -> None:
        """A notice that is not user content; a changed number carries the user's data over."""
        if message.system == "user_changed_number" and message.new_wa_id:
            moved = await self.storage.whatsapp.change_number(message.wa_id, message.new_wa_id)
            log.info("WhatsApp user changed number: data %s", "carried over to the new number"
                     if moved else "not moved (nothing kept, or the new number is registered)")
            return
        log.debug("WhatsApp %s notice: nothing to answer", message.system or message.kind)

    async def statuses(self, statuses: list[Status]) -> None:
        """Every status of a notification; a failure on one does not stop the others."""
        async with self.slots:
            for item in statuses:
                try:
                    await self.status(item)
                except Exception:
                    log_failure(log, "failed to handle a WhatsApp %s", "status")

    async def status(self, status: Status) -> None:
        """Record a delivery status; fall back to the template or mark the user as needed."""
        sent, changed = await self.storage.whatsapp.apply_status(
            status.wamid, status.status, status.error_code
        )
        if sent is None:
            log.debug("status for a message this server did not record")
            return
        if status.status == "failed":
            log.info("WhatsApp message failed with %s %s", status.error_code, status.error_title)
            if status.error_code == OUTSIDE_WINDOW and sent.fallback_text and changed:
                try:
                    await self.sender.send_template(
                        sent.wa_id, sent.fallback_text, origin=sent.wamid
                    )
                    return  # the template's own statuses will update the delivery
                except SendError as exc:
                    log.warning("template fallback failed: %s", exc)
            if status.error_code in (UNDELIVERABLE, OPTED_OUT):
                await self.sender.mark_unreachable(sent.wa_id, status.error_code)
        if changed:
            for hook in self.status_hooks:
                await hook(sent.root, status.status, status.error_code)
