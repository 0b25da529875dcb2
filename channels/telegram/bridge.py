"""The PTB handlers: an update in, the Assistant's replies out; errors end in a short apology."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import Callable

from telegram import Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from channels.common.language import user_language
from channels.common.retry import RetryPolicy
from channels.common.uploads import Uploads
from channels.telegram import CHANNEL
from channels.telegram.inbox import InboxWrites, replies_from_json, replies_to_json
from channels.telegram.incoming import to_incoming
from channels.telegram.order import ChatOrder
from channels.telegram.render import ChatKeyboards, Renderer
from channels.telegram.retry import is_transient, retry_seconds
from channels.telegram.retry import policy as default_policy
from handlers import Assistant
from handlers.breaker import accepted, refused
from handlers.types import Incoming, Reply
from knowledge.languages import pick_language
from storage import StorageError
from storage.inbox import REPLIED, InboxRepo, InboxUpdate

log = logging.getLogger(__name__)
STATUS_BLOCKED = {"kicked": True, "member": False}  # my_chat_member status -> users.blocked


class Bridge:
    """Turns each update into an Incoming, asks the Assistant, and renders its replies.

    One chat's replies go out in the order its updates came; different chats run concurrently.
    """

    def __init__(
        self,
        assistant: Assistant,
        policy: RetryPolicy | None = None,
        inbox: InboxRepo | None = None,
    ) -> None:
        self.assistant = assistant
        self.inbox = inbox  # each stored update is forgotten once its replies are delivered
        self._writes = InboxWrites(inbox) if inbox is not None else None
        self.deps = assistant.deps
        self.policy = policy or default_policy()
        self.keyboards = ChatKeyboards()
        self.uploads = Uploads(self.deps.storage.media, CHANNEL)  # shared with the channel's Sender
        self._order = ChatOrder()
        self.on_handled: Callable[[int], None] | None = None  # told each update id when answered
        self._renderers: dict[int, Renderer] = {}
        self._resumed: dict[int, InboxUpdate] = {}  # replayed updates the last run had started
        self._pending: set[asyncio.Task] = set()  # replies waiting out a long 429

    async def close(self) -> None:
        """Stop waiting out 429s: those replies stay in the inbox for the next start."""
        for task in list(self._pending):
            task.cancel()
        await asyncio.gather(*self._pending, return_exceptions=True)

    def renderer(self, bot) -> Renderer:
        found = self._renderers.get(id(bot))
        if found is None:
            found = Renderer(bot, self._share_label, self.policy, self.keyboards, self.uploads)
            self._renderers[id(bot)] = found
        return found

    def _share_label(self, lang: str) -> str:
        return self.deps.knowledge.texts.render(lang, "telegram.share_contact")

    def resume(self, row: InboxUpdate) -> None:
        """A stored update the last run had started (given by `replay` before it is queued)."""
        self._resumed[row.update_id] = row

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer one update (PTB handler callback); a failure goes on to `on_error`."""
        chat = update.effective_chat
        chat_id = chat.id if chat is not None else 0
        previous, mine = self._order.ticket(chat_id)
        try:
            row = self._resumed.pop(update.update_id, None)
            if row is None:
                await self._answer(context.bot, chat_id, update, previous)
            else:
                await self._finish(context.bot, chat_id, update, row, previous)
        finally:
            self._order.done(chat_id, mine)
        self._ended(update.update_id)

    async def _answer(self, bot, chat_id: int, update: Update, previous) -> None:
        """Handle the update; its stored row records how far it got until the replies are out."""
        update_id = update.update_id
        if update.my_chat_member is not None or chat_id == 0:  # nothing to answer in a chat
            await self._chatless(update)
            await self._forget(update_id)
            return
        incoming = to_incoming(update, self.keyboards.take_labels(chat_id))
        if incoming is None:
            await self._forget(update_id)
            return
        # Marked as handling starts: the core stores its effects as it goes, so an update
        # replayed after it had started could be applied twice.
        await self._mark(update_id)
        if update.callback_query is not None:  # the button's spinner stops meanwhile
            replies, _ = await asyncio.gather(self._handle(update_id, incoming), self._tidy(update))
        else:
            replies = await self._handle(update_id, incoming)
        if previous is not None:
            await previous
        try:
            await self._deliver(bot, chat_id, incoming, replies)
        except RetryAfter as exc:  # still 429 after every retry: the stored replies wait
            self._later(bot, chat_id, update_id, incoming, replies, retry_seconds(exc))
            return
        await self._forget(update_id, delivered=True)
        await self.deps.storage.privacy.settle(CHANNEL, incoming.user_id)  # after an erasure

    def _later(self, bot, chat_id: int, update_id: int, incoming: Incoming, replies,
               wait: float) -> None:
        """Send the replies once Telegram allows; they stay in the inbox meanwhile (a restart
        sends them too), so a long 429 delays the answer instead of losing it."""
        log.info("update %s: Telegram asks to wait %.0f s; the replies are kept", update_id, wait)

        async def retry() -> None:
            delay = wait
            while True:
                await asyncio.sleep(delay)
                try:
                    await self._deliver(bot, chat_id, incoming, replies)
                except RetryAfter as exc:
                    delay = retry_seconds(exc)
                    continue
                except TelegramError as exc:
                    log.warning("kept replies of update %s not sent: %s", update_id,
                                type(exc).__name__)
                    return  # still in the inbox: the next start sends them
                await self._forget(update_id, delivered=True)
                await self.deps.storage.privacy.settle(CHANNEL, incoming.user_id)
                return

        task = asyncio.create_task(retry(), name=f"telegram-later-{update_id}")
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _chatless(self, update: Update) -> None:
        """A membership change, or a button of an inline message (no chat: never chat 0)."""
        member = update.my_chat_member
        if member is not None:
            if member.chat.type == "private" and member.new_chat_member.status in STATUS_BLOCKED:
                blocked = STATUS_BLOCKED[member.new_chat_member.status]
                await self.deps.storage.users.set_blocked_by_key(
                    CHANNEL, str(member.from_user.id), blocked)
                log.info("a user %s the bot", "blocked" if blocked else "unblocked")
            return
        query = update.callback_query
        if query is not None:  # stop the spinner; the user is told where the bot answers
            user = update.effective_user
            text = self.deps.knowledge.texts.render(
                pick_language(user.language_code if user else None), "telegram.inline_button")
            with contextlib.suppress(TelegramError):
                await self.policy.call(query.answer, text=text[:200])

    async def _handle(self, update_id: int, incoming: Incoming) -> list[Reply]:
        """The core's replies, stored as soon as they exist (not after the button's tidy-up)."""
        replies = await self.assistant.handle(incoming)
        await self._keep(update_id, replies)
        return replies

    async def _finish(self, bot, chat_id: int, update: Update, row: InboxUpdate, previous) -> None:
        """An update the last run had started: send its stored replies, or say it was cut off."""
        incoming = to_incoming(update, {})  # for the user and language only: never handled
        if incoming is not None:
            lang = await self._language(incoming)
            replies = self._stored_replies(row)
            if replies is None:  # handling was cut off: its effects may be partly stored
                replies = [Reply(self.deps.knowledge.texts.render(lang, "telegram.interrupted"))]
                log.info("update %s was cut off by a restart; the user is told", row.update_id)
            else:
                log.info("update %s: sending the replies of the last run again", row.update_id)
            if previous is not None:
                await previous
            await self._deliver(bot, chat_id, incoming, replies, lang)
        await self._forget(row.update_id, delivered=True)

    @staticmethod
    def _stored_replies(row: InboxUpdate) -> list[Reply] | None:
        """The replies the last run stored for `row`, or None if it had none (or unreadable)."""
        if row.status != REPLIED or row.replies is None:
            return None
        try:
            return replies_from_json(row.replies)
        except (ValueError, KeyError, TypeError):
            log.warning("stored replies of update %s unreadable", row.update_id)
            return None

    async def _mark(self, update_id: int) -> None:
        """Handling starts: from now on a crash must not lead to handling it again."""
        if self._writes is not None:
            await self._writes.handling(update_id)

    async def _keep(self, update_id: int, replies: list[Reply]) -> None:
        """Store the replies before sending them: a crash while sending leads to sending again."""
        if self._writes is None or not replies:
            return
        try:
            await self._writes.replied((update_id, replies_to_json(replies)))
        except StorageError:  # the replies are here: send them all the same
            log.warning("replies to update %s not stored; sending them anyway", update_id)

    async def _forget(self, update_id: int, delivered: bool = False) -> None:
        """Drop the stored update: answered, or its failure has been dealt with."""
        if self._writes is None:
            return
        try:
            await self._writes.done(update_id)
        except StorageError:
            if not delivered:
                raise
            # The user has their replies; a restart may send them once more.
            log.warning("answered update %s could not be removed from the inbox", update_id)

    def _ended(self, update_id: int) -> None:
        if self.on_handled is not None:
            self.on_handled(update_id)

    async def _deliver(
        self, bot, chat_id: int, incoming: Incoming, replies, lang: str | None = None
    ) -> None:
        """Send the replies; a user who blocked the bot is marked so (nothing else to do)."""
        lang = lang or await self._language(incoming)
        try:
            await self.renderer(bot).send(chat_id, replies, lang)
        except Forbidden:
            await self.deps.storage.users.set_blocked_by_key(CHANNEL, incoming.user_id, True)
            log.info("update for a user who blocked the bot; marked blocked")
        except InvalidToken:  # 401: the whole channel is refused (handlers/breaker.py)
            await refused(self.deps, CHANNEL, "Telegram refused the bot token (401)")
        else:
            await accepted(self.deps, CHANNEL)

    async def _language(self, incoming: Incoming) -> str:
        users = self.deps.storage.users
        return await user_language(users, incoming.channel, incoming.user_id, incoming.language_hint)

    async def _tidy(self, update: Update) -> None:
        """Stop the button's spinner and take the keyboard off the pressed message."""
        query = update.callback_query
        with contextlib.suppress(TelegramError):
            await self.policy.call(query.answer)
        message = query.message
        if message is not None and getattr(message, "reply_markup", None) is not None:
            with contextlib.suppress(BadRequest):  # too old to edit, or already without keyboard
                await self.policy.call(query.edit_message_reply_markup, reply_markup=None)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure (update id and error type only) and apologise to the user.

        The stored update is dropped: replies kept for a crash are not kept for an outage that
        outlasted the retries (they would reach the user at some later start, out of context).
        """
        try:
            await self._report(update, context)
        finally:
            if isinstance(update, Update):
                try:
                    await self._forget(update.update_id)
                finally:
                    self._ended(update.update_id)

    async def _report(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        update_id = getattr(update, "update_id", None)
        if isinstance(error, TelegramError) and is_transient(error):
            self.policy.outage.failed(error)  # an outage is logged once, not per update
            log.info("update %s not answered: Bot API unreachable", update_id)
            return
        # Frames only: an exception's message may quote user text or a URL with the token.
        frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
        log.error("failed to handle update %s: %s\n%s", update_id, type(error).__name__, frames)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        user = update.effective_user
        lang = pick_language(user.language_code if user else None)
        text = self.deps.knowledge.texts.render(lang, "core.error")
        with contextlib.suppress(TelegramError):
            await self.policy.call(
                context.bot.send_message, chat_id=update.effective_chat.id, text=text
            )
