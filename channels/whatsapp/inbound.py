"""Handling a verified notification: messages through the assistant, statuses to deliveries."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from channels.common.retry import RetryPolicy
from channels.whatsapp.client import GraphError
from channels.whatsapp.parse import CHANNEL, NOTICE_KINDS, Inbound, Status, to_incoming
from channels.whatsapp.sender import (
    OPTED_OUT,
    OUTSIDE_WINDOW,
    TOKEN_REFUSED,
    UNDELIVERABLE,
    NothingSent,
    WhatsAppSender,
)
from handlers import Assistant
from handlers.breaker import accepted, refused
from handlers.direct import release_held
from handlers.logsafe import log_failure
from handlers.outage import OutageLog
from handlers.outbound import SendError
from handlers.serial import KeyedLock
from handlers.types import Button
from storage import Storage

log = logging.getLogger(__name__)
SILENT_KINDS = {"reaction"}  # an emoji on one of our messages: nothing to answer

# (message id we returned from Sender.send, status, error code) -> update the delivery record
StatusHook = Callable[[str, str, int | None], Awaitable[None]]


class WhatsAppInbound:
    """Messages of one user in order; each message id handled once."""

    def __init__(
        self,
        assistant: Assistant,
        sender: WhatsAppSender,
        storage: Storage,
        status_hooks: list[StatusHook] | None = None,
    ) -> None:
        self.assistant, self.sender, self.storage = assistant, sender, storage
        self.status_hooks = status_hooks if status_hooks is not None else []
        self._locks = KeyedLock()
        outage = OutageLog(log, "WhatsApp Graph API", level=logging.WARNING,
                           consequence="retrying with backoff")  # fmt: skip
        self.policy = RetryPolicy(sender.classify, outage=outage)

    async def process(self, messages: list[Inbound], statuses: list[Status]) -> None:
        """Everything in one notification; a failure on one item does not stop the others."""
        for item in [*messages, *statuses]:
            try:
                if isinstance(item, Inbound):
                    await self.message(item)
                else:
                    await self.status(item)
            except Exception:
                log_failure(log, "failed to handle a WhatsApp %s", type(item).__name__.lower())

    async def message(self, message: Inbound) -> None:
        """Answer one user message, unless Meta delivered it before."""
        repo = self.storage.whatsapp
        async with self._locks.hold(message.wa_id):
            if not await repo.first_sight(message.message_id):
                log.info("skipping re-delivered WhatsApp message")
                return
            if message.kind in NOTICE_KINDS:  # deleted, edited, number changed...: no answer
                await self._notice(message)
                return
            await repo.record_inbound(message.wa_id)
            # The window is open again: staff replies held outside it go out now.
            await release_held(self.assistant.deps, CHANNEL, message.wa_id)
            if message.kind in SILENT_KINDS:
                return
            options = await repo.options(message.wa_id)
            buttons = tuple(Button(label, payload) for label, payload in options.choices)
            replies = await self.assistant.handle(to_incoming(message, buttons, options.numbered))
            if replies:
                await self._reply(message.wa_id, replies)
            await self.storage.privacy.settle(CHANNEL, message.wa_id)  # after an erasure

    async def _notice(self, message: Inbound) -> None:
        """A notice that is not user content; a changed number carries the user's data over."""
        if message.system == "user_changed_number" and message.new_wa_id:
            moved = await self.storage.whatsapp.change_number(message.wa_id, message.new_wa_id)
            log.info("WhatsApp user changed number: data %s", "carried over to the new number"
                     if moved else "not moved (nothing kept, or the new number is registered)")
            return
        log.debug("WhatsApp %s notice: nothing to answer", message.system or message.kind)

    async def _reply(self, wa_id: str, replies) -> None:
        """Send the replies with the shared retry policy (while nothing reached the user yet)."""
        deps = self.assistant.deps
        try:
            await self.policy.call(self.sender.deliver, wa_id, replies)
        except NothingSent as exc:
            code = exc.error.code
            if code in TOKEN_REFUSED:  # the whole channel is refused: breaker, admins told
                await refused(deps, CHANNEL, f"WhatsApp error {code}: {TOKEN_REFUSED[code]}")
                return
            if code in (UNDELIVERABLE, OPTED_OUT):  # as the broadcast path and statuses do
                await self.sender.mark_unreachable(wa_id, code)
                log.info("WhatsApp reply not deliverable (%s); user marked", code)
                return
            log.warning("WhatsApp reply not sent: %s", exc.error)
        except GraphError as exc:
            log.warning("WhatsApp reply partly sent: %s", exc)
        else:
            await accepted(deps, CHANNEL)

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
