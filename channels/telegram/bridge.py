"""PTB's handler: each update through the shared inbound pipeline; errors end in an apology."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import Callable

from telegram import Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from channels.common.inbox import Pipeline, TryLater
from channels.common.retry import RetryPolicy
from channels.common.uploads import Uploads
from channels.telegram import CHANNEL
from channels.telegram.incoming import to_incoming
from channels.telegram.render import ChatKeyboards, Renderer
from channels.telegram.retry import is_transient, retry_seconds
from channels.telegram.retry import policy as default_policy
from handlers import Assistant
from handlers.breaker import accepted, breaker, refused
from handlers.types import Incoming, Reply
from knowledge.languages import pick_language
from storage.inbox import InboxMessage

log = logging.getLogger(__name__)
STATUS_BLOCKED = {"kicked": True, "member": False}  # my_chat_member status -> users.blocked


class Bridge:
    """Turns each update into an Arrival for the pipeline and renders the replies it gets.

    The pipeline keeps one chat's updates in order, end to end; different chats run at once.
    """

    def __init__(self, assistant: Assistant, policy: RetryPolicy | None = None) -> None:
        self.assistant = assistant
        self.pipeline = Pipeline(assistant, CHANNEL)
        self.deps = assistant.deps
        self.policy = policy or default_policy()
        self.keyboards = ChatKeyboards()
        self.uploads = Uploads(self.deps.storage.media, CHANNEL)  # shared with the Sender
        self.on_handled: Callable[[int], None] | None = None  # told each update id when answered
        self._renderers: dict[int, Renderer] = {}
        self._resumed: dict[str, InboxMessage] = {}  # replayed updates the last run had started

    def renderer(self, bot) -> Renderer:
        found = self._renderers.get(id(bot))
        if found is None:
            found = Renderer(bot, self._share_label, self.policy, self.keyboards, self.uploads)
            self._renderers[id(bot)] = found
        return found

    def _share_label(self, lang: str) -> str:
        return self.deps.knowledge.texts.render(lang, "telegram.share_contact")

    def resume(self, row: InboxMessage) -> None:
        """A stored update the last run had started (given by `replay` before it is queued)."""
        self._resumed[row.key] = row

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer one update (PTB handler callback) through the pipeline."""
        arrival = TelegramArrival(self, context.bot, update)
        turn = self.pipeline.turn(arrival)  # before any await: the chat's order is arrival order
        try:
            await self.pipeline.run(arrival, self._resumed.pop(arrival.key, None), turn)
        finally:
            self._ended(update.update_id)

    async def close(self) -> None:
        """Stop waiting out 429s: those replies stay in the inbox for the next start."""
        await self.pipeline.close()

    def _ended(self, update_id: int) -> None:
        if self.on_handled is not None:
            self.on_handled(update_id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An error outside the pipeline (PTB's own): log it; the update is done."""
        await report(self, update, context.error, context.bot)
        if isinstance(update, Update):
            await self.pipeline.forget(str(update.update_id))
            self._ended(update.update_id)


class TelegramArrival:
    """One update as the pipeline sees it: who sent it, its Incoming, how replies go out."""

    def __init__(self, bridge: Bridge, bot, update: Update) -> None:
        self.bridge, self.bot, self.update = bridge, bot, update
        self.key = str(update.update_id)
        chat, user = update.effective_chat, update.effective_user
        self.chat_id = chat.id if chat is not None else 0
        self.user = (CHANNEL, str(user.id)) if user is not None else None
        self.language_hint = user.language_code if user is not None else None
        self._tidy: asyncio.Task | None = None

    async def incoming(self) -> Incoming | None:
        """The Incoming (a typed keyboard label becomes its button); a press is tidied meanwhile."""
        if self.update.my_chat_member is not None or self.chat_id == 0:  # nothing to answer
            await self._chatless()
            return None
        labels = self.bridge.keyboards.take_labels(self.chat_id)
        if self.update.callback_query is not None:  # the button's spinner stops meanwhile
            self._tidy = asyncio.create_task(self._tidy_press())
        return to_incoming(self.update, labels)

    async def deliver(self, replies: list[Reply], language: str) -> None:
        """Send the replies; a user who blocked the bot is marked so (nothing else to do)."""
        if self._tidy is not None:
            await self._tidy
        deps = self.bridge.deps
        try:
            await self.bridge.renderer(self.bot).send(self.chat_id, replies, language)
        except Forbidden:
            await deps.storage.users.set_blocked_by_key(CHANNEL, self.user[1], True)
            log.info("update for a user who blocked the bot; marked blocked")
        except InvalidToken:  # 401: the whole channel is refused (handlers/breaker.py)
            await refused(deps, CHANNEL, "Telegram refused the bot token (401)")
            raise TryLater(breaker(deps, CHANNEL).probe_every) from None  # replies kept
        except RetryAfter as exc:  # still 429 after every retry: the stored replies wait
            raise TryLater(retry_seconds(exc)) from None
        else:
            await accepted(deps, CHANNEL)

    async def failed(self, error: Exception) -> None:
        await report(self.bridge, self.update, error, self.bot)

    async def _chatless(self) -> None:
        """A membership change, or a button of an inline message (no chat: never chat 0)."""
        member = self.update.my_chat_member
        if member is not None:
            if member.chat.type == "private" and member.new_chat_member.status in STATUS_BLOCKED:
                blocked = STATUS_BLOCKED[member.new_chat_member.status]
                await self.bridge.deps.storage.users.set_blocked_by_key(
                    CHANNEL, str(member.from_user.id), blocked)
                log.info("a user %s the bot", "blocked" if blocked else "unblocked")
            return
        query = self.update.callback_query
        if query is not None:  # stop the spinner; the user is told where the bot answers
            text = self.bridge.deps.knowledge.texts.render(
                pick_language(self.language_hint), "telegram.inline_button")
            with contextlib.suppress(TelegramError):
                await self.bridge.policy.call(query.answer, text=text[:200])

    async def _tidy_press(self) -> None:
        """Stop the button's spinner and take the keyboard off the pressed message."""
        query = self.update.callback_query
        policy = self.bridge.policy
        with contextlib.suppress(TelegramError):
            await policy.call(query.answer)
        message = query.message
        if message is not None and getattr(message, "reply_markup", None) is not None:
            with contextlib.suppress(BadRequest):  # too old to edit, or already without keyboard
                await policy.call(query.edit_message_reply_markup, reply_markup=None)


async def report(bridge: Bridge, update: object, error: BaseException | None, bot) -> None:
    """Log a failure (update id and error type only) and apologise to the user.

    An outage that outlasted the retries is logged once (by the policy), not per update.
    """
    update_id = getattr(update, "update_id", None)
    if isinstance(error, TelegramError) and is_transient(error):
        bridge.policy.outage.failed(error)
        log.info("update %s not answered: Bot API unreachable", update_id)
        return
    # Frames only: an exception's message may quote user text or a URL with the token.
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error("failed to handle update %s: %s\n%s", update_id, type(error).__name__, frames)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    lang = pick_language(user.language_code if user else None)
    text = bridge.deps.knowledge.texts.render(lang, "core.error")
    with contextlib.suppress(TelegramError):
        await bridge.policy.call(bot.send_message, chat_id=update.effective_chat.id, text=text)
