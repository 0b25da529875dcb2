"""The PTB Application wired to the Assistant: builder settings, handlers, command menus, modes."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ExtBot, TypeHandler

from channels.common.inbox import Pipeline
from channels.common.retry import RetryPolicy
from channels.telegram import CHANNEL
from channels.telegram.bridge import Bridge
from channels.telegram.inbox import InboxBot, queue_stored, replay
from channels.telegram.media import fetch
from channels.telegram.request import JsonRequest
from channels.telegram.sender import TelegramSender
from handlers import Assistant
from knowledge.languages import DEFAULT_LANGUAGE, LANGUAGES
from storage.inbox import InboxMessage

log = logging.getLogger(__name__)

# my_chat_member: a user blocking (kicked) or unblocking (member) the bot, learned at once.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
WEBHOOK_PATH = "/telegram/webhook"
# Updates handled at once (different users; one user's stay in order). Telegram allows ~30
# messages/s per bot, so 64 in flight is plenty, and larger HTTP pools cost CPU in httpcore.
CONCURRENCY = 64
# Connections for the Bot API calls. httpcore checks every pooled connection (a poll() each,
# and a count of the idle ones per connection) whenever a request starts or ends: with 64 a
# message cost ~2-3 ms more CPU than with 8 under the telegram_e2e load. 16 carry ~50
# requests/s at a 300 ms round trip, above Telegram's ~30 messages/s; more requests wait in
# the pool (pool_timeout below).
HTTP_POOL = 16


def file_url(api_url: str) -> str:
    """The file download base beside a Bot API base: '.../bot' -> '.../file/bot'."""
    head, sep, _ = api_url.rstrip("/").rpartition("/bot")
    return f"{head}/file/bot" if sep else "https://api.telegram.org/file/bot"


def application_builder(
    token: str, api_url: str, concurrency: int = CONCURRENCY, pipeline: Pipeline | None = None,
    read_timeout: float = 15.0,
) -> ApplicationBuilder:
    """PTB's builder with our server, timeouts and concurrency (the benchmark's echo bot uses it too).

    With `pipeline`, the bot stores every polled update in its inbox before PTB can confirm it.
    """
    timeouts = {"connect_timeout": 5.0, "read_timeout": read_timeout,
                "write_timeout": read_timeout, "pool_timeout": 10.0}  # fmt: skip
    fields = {
        "token": token,
        "base_url": api_url,
        "base_file_url": file_url(api_url),
        "request": JsonRequest(connection_pool_size=min(concurrency, HTTP_POOL), **timeouts),
        "get_updates_request": JsonRequest(connection_pool_size=1, **timeouts),
    }
    bot = ExtBot(**fields) if pipeline is None else InboxBot(pipeline=pipeline, **fields)
    return Application.builder().bot(bot).concurrent_updates(concurrency)


def command_menu(assistant: Assistant, lang: str) -> list[BotCommand]:
    """The `telegram.commands` lines ('name - description') whose command exists for everyone."""
    text = assistant.deps.knowledge.texts.render(lang, "telegram.commands")
    commands = []
    for line in text.splitlines():
        name, sep, description = line.partition(" - ")
        name = name.strip().lstrip("/")
        spec = assistant.router.commands.get(name)
        if sep and spec is not None and spec.role is None:
            commands.append(BotCommand(name, description.strip()))
    return commands


class TelegramChannel:
    """One bot: the Application, its bridge to the Assistant, and the Sender for outbound messages."""

    def __init__(
        self,
        assistant: Assistant,
        *,
        webhook: bool = False,
        concurrency: int = CONCURRENCY,
        policy: RetryPolicy | None = None,
    ) -> None:
        settings = assistant.deps.settings
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.assistant = assistant
        self.bridge = Bridge(assistant, policy)
        self.pipeline = self.bridge.pipeline
        builder = application_builder(
            settings.telegram_bot_token.get_secret_value(),
            settings.telegram_api_url,
            concurrency,
            self.pipeline,
            settings.platform_read_timeout,
        )
        if webhook:
            builder = builder.updater(None)
        self.app = builder.build()
        self.app.add_handler(TypeHandler(Update, self.bridge.on_update))
        self.app.add_error_handler(self.bridge.on_error)
        deps = assistant.deps
        self.sender = TelegramSender(
            self.app.bot, deps.storage, deps.knowledge, self.bridge.keyboards,
            uploads=self.bridge.uploads,
        )
        deps.senders[CHANNEL] = self.sender
        deps.fetchers[CHANNEL] = self.fetch

    async def fetch(self, media, limit: int) -> bytes:
        """Download a file a user sent (handlers.media fetcher contract)."""
        return await fetch(self.app.bot, media, limit)

    @property
    def bot(self):
        return self.app.bot

    async def start(self) -> None:
        """Log in (getMe), publish the command menus, start processing updates.

        Updates the last run stored but never answered are queued first, before any new one.
        """
        await self.app.initialize()
        await self.register_commands()
        await self.app.start()
        await replay(self.app, self.pipeline, self.bridge.resume)
        self.pipeline.keep_leases(self._take_over)
        log.info("Telegram bot @%s ready", self.app.bot.username)

    async def _take_over(self, rows: list[InboxMessage]) -> None:
        """Updates a stopped worker had stored (several workers): answered here."""
        await queue_stored(self.app, self.pipeline, self.bridge.resume, rows)

    async def start_polling(self) -> None:
        await self.start()
        await self.app.updater.start_polling(
            allowed_updates=ALLOWED_UPDATES, error_callback=self._polling_error
        )

    async def start_webhook(self, public_url: str | None, secret: str) -> None:
        """Start; with `public_url` also point Telegram's webhook at us (with the secret)."""
        await self.start()
        if public_url:
            url = public_url.rstrip("/") + WEBHOOK_PATH
            await self.app.bot.set_webhook(
                url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
            log.info("Telegram webhook set to %s", url)
        else:
            log.info("PUBLIC_URL not set: the Telegram webhook is left as configured")

    async def stop(self) -> None:
        """Stop fetching, let in-flight updates finish, close the HTTP client."""
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.bridge.close()
        await self.app.shutdown()

    async def register_commands(self) -> None:
        """The command menu per language (Indonesian also as the default)."""
        try:
            for lang in LANGUAGES:
                menu = command_menu(self.assistant, lang)
                await self.app.bot.set_my_commands(menu, language_code=lang)
                if lang == DEFAULT_LANGUAGE:
                    await self.app.bot.set_my_commands(menu)
        except TelegramError as exc:
            log.warning("could not set the command menu: %s", type(exc).__name__)

    def _polling_error(self, exc: TelegramError) -> None:
        """A failed getUpdates: part of an outage, logged once (PTB retries with backoff)."""
        self.bridge.policy.outage.failed(exc)
